package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/routing"
	"switchyard/web/webtest"
)

// The cost model in the pages and the API: locations' handling costs, the
// rule editor's assignment and split penalty, the order page's cost.

func TestLocationHandlingCostsInTheForm(t *testing.T) {
	env := webtest.New(t)
	pgAddChannel(t, env, "web-eu")
	ops, _ := env.SignedIn(app.RoleOps)
	for _, tc := range []struct {
		name, field, says string
		changes           url.Values
	}{
		{"negative per shipment", "handling_per_shipment", "must not be negative", url.Values{"handling_per_shipment": {"-2.50"}, "handling_currency": {"EUR"}}},
		{"per unit not an amount", "handling_per_unit", "amount", url.Values{"handling_per_unit": {"cheap"}, "handling_currency": {"EUR"}}},
		{"no currency", "handling_currency", "is required when a handling cost is given", url.Values{"handling_per_unit": {"0.40"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := ops.PostForm("/locations", pgLocationForm(tc.changes))
			if msg, ok := pgErrorBeside(res.Body, tc.field); res.StatusCode != http.StatusUnprocessableEntity || !ok || !strings.Contains(msg, tc.says) {
				t.Fatalf("%d, beside %s %q, want %q\n%s", res.StatusCode, tc.field, msg, tc.says, res.Body)
			}
			if n := pgLocationCount(t, env); n != 0 {
				t.Fatalf("%d locations written by a refused form", n)
			}
		})
	}
	res := ops.PostForm("/locations", pgLocationForm(url.Values{"handling_per_shipment": {"3.5"}, "handling_per_unit": {"0.40"}, "handling_currency": {"eur"}}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d\n%s", res.StatusCode, res.Body)
	}
	loc, err := env.App.Location(context.Background(), "PAR-ST")
	if err != nil || loc.Handling != (app.Handling{PerShipment: 350, PerUnit: 40, Currency: "EUR"}) {
		t.Fatalf("stored %+v, %v", loc.Handling, err)
	}
	page := ops.Get("/locations/PAR-ST/edit")
	for _, want := range []string{`name="handling_per_shipment" value="3.50"`, `name="handling_per_unit" value="0.40"`, `name="handling_currency" value="EUR"`, "Handling per shipment"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the edit form lacks %q", want)
		}
	}
}

func TestLocationHandlingCostsThroughTheAPI(t *testing.T) {
	a := nwSetup(t)
	body := `{"name": "Lyon", "kind": "warehouse", "timezone": "Europe/Paris", "ships": true, "pickup": false,
		"address": {"city": "Lyon", "country": "FR"}, "handling_currency": "EUR", "handling_per_shipment": "1.20", "handling_per_unit": 0.15}`
	out := a.call("PUT", "/api/v1/locations/LYS", body, http.StatusCreated)
	var got struct {
		Currency    string `json:"handling_currency"`
		PerShipment string `json:"handling_per_shipment"`
		PerUnit     string `json:"handling_per_unit"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Currency != "EUR" || got.PerShipment != "1.20" || got.PerUnit != "0.15" {
		t.Fatalf("answer %s (%v)", out, err)
	}
	if out := a.call("GET", "/api/v1/locations/LYS", "", http.StatusOK); !strings.Contains(out, `"handling_per_unit":"0.15"`) {
		t.Fatalf("read back %s", out)
	}
	bad := strings.Replace(body, `"1.20"`, `"-1.20"`, 1)
	out = a.call("PUT", "/api/v1/locations/LYS", bad, http.StatusUnprocessableEntity)
	if !strings.Contains(out, `"handling_per_shipment"`) || !strings.Contains(out, "must not be negative") {
		t.Fatalf("refusal %s", out)
	}
	if out := a.call("GET", "/api/v1/locations/LYS", "", http.StatusOK); !strings.Contains(out, `"handling_per_shipment":"1.20"`) {
		t.Fatalf("a refused PUT changed the location: %s", out)
	}
	// Without handling costs (a client that predates them): zero, no currency.
	plain := `{"name": "Paris", "kind": "store", "timezone": "Europe/Paris", "ships": true, "pickup": true, "address": {"city": "Paris", "country": "FR"}}`
	if out := a.call("PUT", "/api/v1/locations/PAR", plain, http.StatusCreated); !strings.Contains(out, `"handling_currency":"","handling_per_shipment":"0.00","handling_per_unit":"0.00"`) {
		t.Fatalf("a location without handling costs: %s", out)
	}
}

func TestRuleEditorAssignmentAndSplitPenalty(t *testing.T) {
	env := rlEnv(t)
	c, _ := env.SignedIn(app.RoleOps)
	rlRedirect(t, c.PostForm("/rules/draft/rules", nil), "/rules/draft/0/edit")
	rlWant(t, c.Get("/rules/draft/0/edit"), http.StatusOK, "Assignment", "Greedy: fast, explainable", "Optimal cost: cheapest combination", "Split penalty")
	rlRedirect(t, c.PostForm("/rules/draft/0", rlRuleForm("Cheapest", func(f url.Values) {
		f.Set("assign", "optimal_cost")
		f.Set("split.penalty", "2.50")
	})), "/rules")
	rules := rlDraft(t, env)
	if len(rules) != 1 || rules[0].Assign != routing.AssignOptimalCost || rules[0].Split.Penalty == nil || *rules[0].Split.Penalty != "2.50" {
		t.Fatalf("draft %s", rlDraftJSON(t, env))
	}
	if js := rlDraftJSON(t, env); !strings.Contains(js, `"assign":"optimal_cost"`) || !strings.Contains(js, `"penalty":"2.50"`) {
		t.Fatalf("rules JSON %s", js)
	}
	rlWant(t, c.Get("/rules/draft/0/edit"), http.StatusOK, `value="optimal_cost" selected`, `name="split.penalty" value="2.50"`)
	rlWant(t, c.Get("/rules"), http.StatusOK, "2.50 per extra shipment; optimal cost")

	before := rlDraftJSON(t, env)
	for _, tc := range []struct{ field, value, says string }{
		{"split.penalty", "-1", "must not be negative"},
		{"split.penalty", "two euros", "must be an amount such as 2.00"},
		{"assign", "cheapest", "must be greedy or optimal_cost"},
	} {
		res := c.PostForm("/rules/draft/0", rlRuleForm("Cheapest", func(f url.Values) { f.Set(tc.field, tc.value) }))
		if msg, ok := pgErrorBeside(res.Body, tc.field); res.StatusCode != http.StatusUnprocessableEntity || !ok || !strings.Contains(msg, tc.says) {
			t.Fatalf("%s %q: %d, beside the field %q\n%s", tc.field, tc.value, res.StatusCode, msg, res.Body)
		}
	}
	if got := rlDraftJSON(t, env); got != before {
		t.Fatalf("a refused save changed the draft: %s", got)
	}
	// Back to greedy: the rules JSON keeps its default (no "assign").
	rlRedirect(t, c.PostForm("/rules/draft/0", rlRuleForm("Cheapest", func(f url.Values) { f.Set("assign", "greedy") })), "/rules")
	if js := rlDraftJSON(t, env); strings.Contains(js, `"assign"`) || strings.Contains(js, `"penalty"`) {
		t.Fatalf("rules JSON after greedy and no penalty: %s", js)
	}
}

func TestOrderPageShowsTheRoutingCost(t *testing.T) {
	env := rlEnv(t)
	yes, lat, lon := true, 45.76, 4.83
	if _, _, err := env.App.PutLocation(context.Background(), app.System, "LYS-WH", app.LocationInput{
		Name: "Lyon warehouse", Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes, Channels: []string{"web"},
		Address: app.Address{Line1: "1 rue", City: "Lyon", Country: "FR"}, Lat: &lat, Lon: &lon,
		HandlingCurrency: "EUR", HandlingPerShipment: "1.20", HandlingPerUnit: "0.15",
	}); err != nil {
		t.Fatal(err)
	}
	o := rlOrder(t, env, "cost-1", 2, true)
	support, _ := env.SignedIn(app.RoleSupport)
	res := support.Get("/orders/" + o.Number)
	rlWant(t, res, http.StatusOK, `data-testid="routing-cost"`, `data-testid="cost-handling">1.50<`, `data-testid="cost-total">1.50 EUR<`,
		"a shipment has no zone rate")
	if strings.Contains(res.Body, `data-testid="cost-proof"`) {
		t.Error("a greedy decision claims a proof of optimality")
	}
	rlWant(t, support.Get("/orders/"+o.Number+"/routing"), http.StatusOK, `data-testid="decision-cost"`, "handling 1.50", "total <strong>1.50 EUR</strong>")

	// Under optimal_cost the page says how sure the optimiser is.
	ctx := context.Background()
	if _, err := env.Svc.Rules.PutDraftRules(ctx, app.System, routing.RuleSet{Rules: []routing.Rule{costRule(routing.AssignOptimalCost, "2.00")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Rules.PublishRules(ctx, app.System); err != nil {
		t.Fatal(err)
	}
	o = rlOrder(t, env, "cost-2", 1, true)
	if !optimiserBuilt() {
		return // the strategy is stated before routing's search is in the build
	}
	rlWant(t, support.Get("/orders/"+o.Number), http.StatusOK, `data-testid="cost-proof">proven optimal<`)
}
