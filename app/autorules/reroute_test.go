package autorules_test

import (
	"context"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/autorules"
	"switchyard/app/routing"
	"switchyard/app/rules"
	store "switchyard/sql"
)

// expressNetwork is RouteNetwork with TEE at Lyon and Paris, Paris tagged
// express, and published routing rule ruleName: POS orders only (so never a
// web order by its conditions), express locations only, closest first.
func expressNetwork(t *testing.T, ruleName string) *app.App {
	t.Helper()
	a := apptest.RouteNetwork(t)
	yes := true
	lat, lon := 48.86, 2.35
	if _, _, err := a.PutLocation(context.Background(), app.System, "PAR", app.LocationInput{
		Name: "Paris warehouse", Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes,
		Address: app.Address{City: "Paris", Country: "FR"}, Lat: &lat, Lon: &lon, Channels: []string{"web"}, Tags: []string{"express"},
	}); err != nil {
		t.Fatal(err)
	}
	apptest.Count(t, a, "LYS", "TEE", 10)
	apptest.Count(t, a, "PAR", "TEE", 10)
	publishRouting(t, a, ruleName)
	return a
}

// publishRouting publishes the express routing rule under name.
func publishRouting(t *testing.T, a *app.App, name string) {
	t.Helper()
	r := routing.DefaultRule()
	r.Name = name
	r.When.Channels = []string{"pos"}
	r.Filters.RequireTags = []string{"express"}
	r.Rank = []string{routing.RankerClosest}
	rs := rules.New(a)
	if _, err := rs.PutDraftRules(context.Background(), app.System, routing.RuleSet{Rules: []routing.Rule{r}}); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.PublishRules(context.Background(), app.System); err != nil {
		t.Fatal(err)
	}
}

const tagExpress = `{"rules": [{"name": "Tag express", "enabled": true, "trigger": "order.received",
  "conditions": [{"field": "tags", "op": "contains", "value": "express"}],
  "actions": [{"action": "reroute", "rule": "Express from Paris"}]}]}`

// expressOrder places a Lyon order of one TEE tagged express.
func expressOrder(t *testing.T, a *app.App, ext string) app.Order {
	t.Helper()
	in := apptest.LyonOrder(ext, 1)
	in.Tags = []string{"express"}
	return place(t, a, in)
}

// openAt names the locations of an order's pending fulfillments.
func openAt(o app.Order) []string {
	var out []string
	for _, f := range o.Fulfillments {
		if f.Status == app.FulfillmentPending {
			out = append(out, f.Location)
		}
	}
	return out
}

// TestRerouteForcesTheNamedRule: the order's own conditions pick the
// default rule (Lyon, the closest); the automation rule's reroute forces
// "Express from Paris", which ships from Paris, and the timeline says so.
func TestRerouteForcesTheNamedRule(t *testing.T) {
	a := expressNetwork(t, "Express from Paris")
	publish(t, autorules.New(a), tagExpress)
	plain := place(t, a, apptest.LyonOrder("plain", 1))
	if got := openAt(plain); len(got) != 1 || got[0] != "LYS" {
		t.Fatalf("untagged order at %v, want LYS", got)
	}
	o := expressOrder(t, a, "1")
	if got := openAt(o); len(got) != 1 || got[0] != "PAR" {
		t.Fatalf("express order at %v, want PAR:\n%s", got, messages(o))
	}
	msgs := messages(o)
	for _, want := range []string{
		"rerouted: Routed again with the rule “Express from Paris”, as automation rule “Tag express” asked. Routed to Paris warehouse",
		`Rule "Express from Paris" was asked for by name, so it applied whatever its conditions say.`,
		"automation: Automation rule “Tag express” (the order was received) routed the order again with the routing rule “Express from Paris”.",
	} {
		if !strings.Contains(msgs, want) {
			t.Errorf("timeline lacks %q:\n%s", want, msgs)
		}
	}
	apptest.CheckInvariants(t, a)
}

// TestRerouteFallsBackWhenTheRuleIsGone: the routing rule was renamed after
// the automation rule was published; the order still goes in, routed with
// the rules in force, and the timeline says why.
func TestRerouteFallsBackWhenTheRuleIsGone(t *testing.T) {
	a := expressNetwork(t, "Express from Paris")
	publish(t, autorules.New(a), tagExpress)
	publishRouting(t, a, "Paris express")
	o := expressOrder(t, a, "1")
	if got := openAt(o); len(got) != 1 || got[0] != "LYS" {
		t.Fatalf("express order at %v, want LYS:\n%s", got, messages(o))
	}
	msgs := messages(o)
	for _, want := range []string{
		"rerouted: Automation rule “Tag express” asked to route again with the rule “Express from Paris”, which is no longer an enabled published routing rule: routed again with the rules in force.",
		"routed the order again with the rules in force (the routing rule “Express from Paris” is no longer published and enabled).",
	} {
		if !strings.Contains(msgs, want) {
			t.Errorf("timeline lacks %q:\n%s", want, msgs)
		}
	}
	apptest.CheckInvariants(t, a)
}

// TestRerouteWithTheDefaultRule: "default" names the default rule, which a
// reroute may force too.
func TestRerouteWithTheDefaultRule(t *testing.T) {
	a := expressNetwork(t, "Express from Paris")
	publish(t, autorules.New(a), strings.Replace(tagExpress, `"rule": "Express from Paris"`, `"rule": "default"`, 1))
	o := expressOrder(t, a, "1")
	if got := openAt(o); len(got) != 1 || got[0] != "LYS" {
		t.Fatalf("express order at %v, want LYS:\n%s", got, messages(o))
	}
	if !strings.Contains(messages(o), "The default rule was asked for by name") {
		t.Errorf("timeline:\n%s", messages(o))
	}
}

// TestReevaluationLeavesAForcedReroute: Paris ships dearer than Lyon, yet
// the re-evaluation pass leaves the order an automation rule routed to Paris.
func TestReevaluationLeavesAForcedReroute(t *testing.T) {
	ctx := context.Background()
	a := expressNetwork(t, "Express from Paris")
	err := a.Write(ctx, func(tx app.Tx) error {
		for code, cost := range map[string]int64{"LYS": 500, "PAR": 900} {
			loc, err := tx.Q.GetLocationByCode(ctx, code)
			if err != nil {
				return err
			}
			if _, err := tx.Q.UpsertZoneRate(ctx, store.UpsertZoneRateParams{OriginLocationID: loc.ID, Country: "FR", Cost: cost,
				Currency: "EUR", TransitDays: 2}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, autorules.New(a), tagExpress)
	o := expressOrder(t, a, "1")
	if got := openAt(o); len(got) != 1 || got[0] != "PAR" {
		t.Fatalf("express order at %v, want PAR", got)
	}
	rep, err := a.Reevaluate(ctx, app.System, app.ReevaluateOptions{})
	if err != nil || rep.Moved != 0 {
		t.Fatalf("report %+v %v: the forced reroute was undone", rep, err)
	}
	if o, err = a.OrderByNumber(ctx, o.Number); err != nil || len(openAt(o)) != 1 || openAt(o)[0] != "PAR" {
		t.Fatalf("after re-evaluation: %v %v", openAt(o), err)
	}
}
