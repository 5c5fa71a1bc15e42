package rules

import (
	"switchyard/app"

	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"

	"switchyard/app/apptest"
	"switchyard/app/routing"
)

// opsActor is an ops manager for rule edits.
var opsActor = app.Actor{Kind: app.ActorUser, ID: 1, Name: "Olga", Role: app.RoleOps}

// ruleNames lists the draft's rules as name and enabled flag.
func ruleNames(t *testing.T, a *app.App) []string {
	t.Helper()
	info, err := svc(a).RulesVersion(context.Background(), "draft")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range info.Rules.Rules {
		name := r.Name
		if r.Enabled {
			name += "+"
		}
		out = append(out, name)
	}
	return out
}

func TestDraftRuleEdits(t *testing.T) {
	ctx := context.Background()
	a := apptest.NewApp(t)
	if _, _, err := svc(a).AddDraftRule(ctx, opsActor, routing.DefaultRule()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc(a).AddDraftRule(ctx, opsActor, routing.DefaultRule()); app.ErrorKind(err) != app.KindInvalid {
		t.Fatalf("a second rule named default: %v", err)
	}
	r := routing.DefaultRule()
	r.Name = ""
	_, idx, err := svc(a).AddDraftRule(ctx, opsActor, r)
	if err != nil || idx != 1 {
		t.Fatalf("add: %d %v", idx, err)
	}
	_, idx, _ = svc(a).AddDraftRule(ctx, opsActor, r)
	if got := strings.Join(ruleNames(t, a), ","); got != "default,New rule 2,New rule 3" || idx != 2 {
		t.Fatalf("after adding: %s (index %d)", got, idx)
	}
	if _, err := svc(a).ToggleDraftRule(ctx, opsActor, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := svc(a).MoveDraftRule(ctx, opsActor, 1, -1); err != nil {
		t.Fatal(err)
	}
	if _, err := svc(a).MoveDraftRule(ctx, opsActor, 0, -1); err != nil {
		t.Fatal(err) // already first: stays
	}
	if got := strings.Join(ruleNames(t, a), ","); got != "New rule 2+,default,New rule 3" {
		t.Fatalf("after toggle and move: %s", got)
	}
	if _, err := svc(a).DeleteDraftRule(ctx, opsActor, 2); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		func() error { _, err := svc(a).DeleteDraftRule(ctx, opsActor, 2); return err }(),
		func() error { _, err := svc(a).ToggleDraftRule(ctx, opsActor, -1); return err }(),
		func() error { _, err := svc(a).UpdateDraftRule(ctx, opsActor, 5, r); return err }(),
	} {
		if app.ErrorKind(err) != app.KindNotFound {
			t.Errorf("bad index: %v", err)
		}
	}
	bad := routing.DefaultRule()
	bad.Name, bad.Rank = "Broken", []string{"closest", "cheapest"}
	_, err = svc(a).UpdateDraftRule(ctx, opsActor, 1, bad)
	if ae, ok := app.AsError(err); !ok || ae.Fields["rules[1].rank[1]"] == "" {
		t.Fatalf("invalid update: %v", err)
	}
	if got := strings.Join(ruleNames(t, a), ","); got != "New rule 2+,default" {
		t.Fatalf("an invalid update changed the draft: %s", got)
	}
	support := app.Actor{Kind: app.ActorUser, ID: 2, Name: "Sam", Role: app.RoleSupport}
	if _, err := svc(a).ToggleDraftRule(ctx, support, 0); app.ErrorKind(err) != app.KindForbidden {
		t.Fatalf("support: %v", err)
	}
}

func TestImportDraftRules(t *testing.T) {
	ctx := context.Background()
	a := apptest.NewApp(t)
	good := `{"version": 4, "draft": false, "updated_at": "2026-01-01T00:00:00Z", "rules": [
	  {"name": "EU closest", "enabled": true,
	   "when": {"channels": ["web-eu"], "countries": ["FR", "DE"], "order_tags": [], "sku_tags": [],
	            "min_value": null, "max_value": 500, "delivery": "ship"},
	   "filters": {"kinds": ["warehouse", "store"], "require_tags": [], "exclude_tags": [],
	               "same_country": false, "max_km": null, "respect_capacity": true, "respect_safety_stock": true},
	   "rank": ["fewest_shipments", "closest", "rank"],
	   "split": {"allow": true, "max_shipments": 2},
	   "missing_stock": "backorder"}]}`
	info, err := svc(a).ImportDraftRules(ctx, opsActor, []byte(good))
	if err != nil || len(info.Rules.Rules) != 1 || *info.Rules.Rules[0].When.MaxValue != "500" {
		t.Fatalf("import: %+v %v", info, err)
	}
	before, _ := json.Marshal(info.Rules.Rules)
	for input, want := range map[string]string{
		"":                               "empty",
		`{"rules": [`:                    "ends too early",
		`{"rules": [}`:                   "line 1, column 12",
		"{\n\"rules\": [{\"name\": 5}]}": "rules.name must be text, not a number (line 2)",
		`{"rules": [{"nmae": "x"}]}`:     `unknown field "nmae"`,
		`{"version": 1}`:                 `no "rules" list`,
		`{"rules": []} {"rules": []}`:    "goes on after",
		`{"rules": [{"split": {"max_shipments": "2"}}]}`: "must be a whole number",
	} {
		_, err := svc(a).ImportDraftRules(ctx, opsActor, []byte(input))
		if app.ErrorKind(err) != app.KindInvalid || !strings.Contains(err.Error(), want) {
			t.Errorf("import %q: %v, want %q", input, err, want)
		}
	}
	_, err = svc(a).ImportDraftRules(ctx, opsActor, []byte(`{"rules": [{"name": "x", "rank": ["nope"], "missing_stock": "hold"}]}`))
	if ae, ok := app.AsError(err); !ok || ae.Fields["rules[0].rank[0]"] == "" {
		t.Fatalf("invalid rules: %v", err)
	}
	after, _ := svc(a).RulesVersion(ctx, "draft")
	if got, _ := json.Marshal(after.Rules.Rules); string(got) != string(before) {
		t.Fatalf("a refused import changed the draft:\n%s\n%s", got, before)
	}
}

func TestWhichRule(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	apptest.Count(t, a, "LYS", "TEE", 5)
	apptest.Count(t, a, "BER", "TEE", 5)
	o, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("1", 5))
	if err != nil || o.Fulfillments[0].Location != "LYS" {
		t.Fatalf("placed %+v %v", o.Fulfillments, err)
	}
	chk, err := a.WhichRule(ctx, o.Number, false)
	if err != nil || chk.Matched() || chk.Decision.Rule != routing.DefaultRuleName || len(chk.Decision.Shipments) != 1 ||
		chk.Decision.Shipments[0].Location != "LYS" {
		t.Fatalf("published (none): %+v %v", chk.Decision, err)
	}
	// A draft rule for FR that only uses Berlin: the draft check follows it, the published one does not.
	berlin := routing.DefaultRule()
	berlin.Name, berlin.Enabled = "France from Berlin", true
	berlin.When.Countries = []string{"FR"}
	berlin.Filters.RequireTags = nil
	berlin.Filters.SameCountry = false
	berlin.Filters.Kinds = []string{"warehouse"}
	berlin.Rank = []string{"most_stock"}
	if _, err := svc(a).PutDraftRules(ctx, opsActor, routing.RuleSet{Rules: []routing.Rule{{Name: "Germany", Enabled: true,
		When: routing.When{Countries: []string{"DE"}}, Rank: []string{"rank"}, MissingStock: "hold"}, berlin}}); err != nil {
		t.Fatal(err)
	}
	apptest.Count(t, a, "BER", "TEE", 50)
	chk, err = a.WhichRule(ctx, o.Number, true)
	if err != nil || !chk.Matched() || chk.Decision.RuleIndex != 1 || chk.Decision.Rule != "France from Berlin" ||
		chk.Decision.Shipments[0].Location != "BER" || !chk.Draft {
		t.Fatalf("draft: %+v %v", chk.Decision, err)
	}
	if len(chk.Decision.Candidates) != 3 {
		t.Fatalf("candidates %+v", chk.Decision.Candidates)
	}
	if _, err := a.WhichRule(ctx, "SY-999999", true); app.ErrorKind(err) != app.KindNotFound {
		t.Fatalf("unknown order: %v", err)
	}
	if page, err := a.ListStock(ctx, app.StockQuery{Location: "LYS", SKU: "TEE"}); err != nil || len(page.Levels) != 1 || page.Levels[0].Reserved != 5 {
		t.Fatalf("a check changed the stock: %+v %v", page.Levels, err)
	}
}

func TestRulesDraftAndPublish(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	ops := app.Actor{Kind: app.ActorUser, ID: 1, Name: "Omar", Role: app.RoleOps}
	bad := routing.RuleSet{Rules: []routing.Rule{{Name: "", Rank: []string{"cheapest"}, MissingStock: "pray"}}}
	if _, err := svc(a).PutDraftRules(ctx, ops, bad); app.ErrorKind(err) != app.KindInvalid {
		t.Fatalf("bad rules: %v", err)
	} else if ae, _ := app.AsError(err); ae.Fields["rules[0].rank[0]"] == "" || ae.Fields["rules[0].name"] == "" {
		t.Fatalf("fields %v", ae.Fields)
	}
	berlinFirst := routing.RuleSet{Rules: []routing.Rule{{Name: "Berlin first", Enabled: true, Filters: routing.Filters{Kinds: []string{"warehouse"}},
		Rank: []string{"rank"}, Split: routing.Split{Allow: true, MaxShipments: 2}, MissingStock: "backorder"}}}
	if _, err := svc(a).PutDraftRules(ctx, ops, berlinFirst); err != nil {
		t.Fatal(err)
	}
	if info, err := svc(a).RulesVersion(ctx, "published"); err != nil {
		t.Fatal(err)
	} else if len(info.Rules.Rules) != 0 {
		t.Fatal("a draft is not active until published")
	}
	info, err := svc(a).PublishRules(ctx, ops)
	if err != nil || info.Rules.Version != 1 || info.PublishedBy != "Omar" {
		t.Fatalf("publish: %+v %v", info, err)
	}
	raw, err := sql.Open("sqlite3", "file:"+a.DB().Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE routing_rules SET rules = '{}' WHERE version = 1`); err == nil || !strings.Contains(err.Error(), "never change") {
		t.Fatalf("a published version was changed: %v", err)
	}
	if v1, err := svc(a).RulesVersion(ctx, "1"); err != nil || len(v1.Rules.Rules) != 1 || v1.Rules.Rules[0].Name != "Berlin first" {
		t.Fatalf("version 1: %+v %v", v1, err)
	}
	support := app.Actor{Kind: app.ActorUser, ID: 2, Name: "Sam", Role: app.RoleSupport}
	if _, err := svc(a).PublishRules(ctx, support); app.ErrorKind(err) != app.KindForbidden {
		t.Fatalf("support publishing: %v", err)
	}
	// An order decided by version 1: its decision, stored with the rules'
	// version only, reads back with those rules and every candidate's figures.
	apptest.Count(t, a, "BER", "TEE", 5)
	o, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("v1", 1))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := a.Decisions(ctx, o.Number)
	if err != nil || len(ds) != 1 {
		t.Fatalf("decisions %+v, %v", ds, err)
	}
	if in := ds[0].Input.Rules; in.Version != 1 || len(in.Rules) != 1 || in.Rules[0].Name != "Berlin first" {
		t.Fatalf("the decision's input should hold version 1's rules: %+v", in)
	}
	if d := ds[0].Decision; d.Rule != "Berlin first" || !ds[0].Recomputed || len(d.Candidates) != 3 {
		t.Fatalf("decision by %q, recomputed %v, %d candidates", d.Rule, ds[0].Recomputed, len(d.Candidates))
	}
}

func TestCheckDraftRule(t *testing.T) {
	ctx := context.Background()
	a := apptest.NewApp(t)
	if _, _, err := svc(a).AddDraftRule(ctx, opsActor, routing.DefaultRule()); err != nil {
		t.Fatal(err)
	}
	before := ruleNames(t, a)
	good := routing.DefaultRule()
	good.Name = "Renamed"
	if err := svc(a).CheckDraftRule(ctx, opsActor, 0, good); err != nil {
		t.Fatalf("a good rule: %v", err)
	}
	bad := routing.DefaultRule()
	bad.Name, bad.Rank, bad.When.Countries = "", []string{"closest", "cheapest"}, []string{"XX"}
	err := svc(a).CheckDraftRule(ctx, opsActor, 0, bad)
	ae, ok := app.AsError(err)
	if !ok || ae.Fields["rules[0].name"] == "" || ae.Fields["rules[0].rank[1]"] == "" || ae.Fields["rules[0].when.countries[0]"] == "" {
		t.Fatalf("a bad rule: every problem at once, got %v", err)
	}
	if err := svc(a).CheckDraftRule(ctx, opsActor, 3, good); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("bad index: %v", err)
	}
	support := app.Actor{Kind: app.ActorUser, ID: 2, Name: "Sam", Role: app.RoleSupport}
	if err := svc(a).CheckDraftRule(ctx, support, 0, good); app.ErrorKind(err) != app.KindForbidden {
		t.Errorf("support: %v", err)
	}
	if got := ruleNames(t, a); strings.Join(got, ",") != strings.Join(before, ",") {
		t.Errorf("checking changed the draft: %v", got)
	}
}
