package simulate

import (
	"switchyard/app"

	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"switchyard/app/apptest"
	"switchyard/app/routing"
)

// simOps is an ops manager, who may run simulations.
var simOps = app.Actor{Kind: app.ActorUser, ID: 1, Name: "Omar", Role: app.RoleOps}

// simNetwork is routeNetwork with little stock, so that orders split and
// wait, and zone rates to France, so that costs are known.
func simNetwork(t *testing.T) *app.App {
	t.Helper()
	a := apptest.RouteNetwork(t)
	apptest.Count(t, a, "LYS", "TEE", 12)
	apptest.Count(t, a, "PAR", "TEE", 9)
	apptest.Count(t, a, "BER", "TEE", 8)
	raw, err := sql.Open("sqlite3", "file:"+a.DB().Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`INSERT INTO zone_rates (origin_location_id, country, cost, currency, transit_days)
		SELECT id, 'FR', CASE code WHEN 'LYS' THEN 590 WHEN 'PAR' THEN 490 ELSE 1290 END, 'EUR', CASE code WHEN 'BER' THEN 3 ELSE 1 END
		FROM locations`); err != nil {
		t.Fatal(err)
	}
	return a
}

// placeSimOrders places n orders to Lyon of 1 to 6 TEE each.
func placeSimOrders(t *testing.T, a *app.App, prefix string, n int) {
	t.Helper()
	for i := range n {
		if _, _, err := a.PlaceOrder(context.Background(), app.System, apptest.LyonOrder(fmt.Sprintf("%s%d", prefix, i), int64(1+i%6))); err != nil {
			t.Fatal(err)
		}
	}
}

// mustSimulate runs a simulation as ops, failing the test on error.
func mustSimulate(t *testing.T, a *app.App, rules string, window int) SimulationReport {
	t.Helper()
	r, err := svc(a).Simulate(context.Background(), simOps, SimulationQuery{Rules: rules, Window: window})
	if err != nil {
		t.Fatalf("simulate %s over %d: %v", rules, window, err)
	}
	return r
}

// checkUnchanged asserts that a replay decided exactly as recorded.
func checkUnchanged(t *testing.T, r SimulationReport, orders int) {
	t.Helper()
	if r.Orders != orders || r.Changed != 0 || len(r.ChangedOrders) != 0 {
		t.Fatalf("%s: %d orders replayed, %d changed %+v; want %d, none changed", r.RulesLabel, r.Orders, r.Changed, r.ChangedOrders, orders)
	}
	if r.Before != r.After {
		t.Fatalf("%s: figures differ:\nbefore %+v\nafter  %+v", r.RulesLabel, r.Before, r.After)
	}
	for _, c := range r.Costs {
		if c.Before != c.After || c.UnknownBefore != c.UnknownAfter {
			t.Fatalf("%s: costs differ: %+v", r.RulesLabel, c)
		}
	}
	for _, s := range r.Locations {
		if s.Before != s.After {
			t.Fatalf("%s: share of %s differs: %+v", r.RulesLabel, s.Location, s)
		}
	}
}

func TestSimulateRecordedRulesChangeNothing(t *testing.T) {
	a := simNetwork(t)
	placeSimOrders(t, a, "d", 30)
	r := mustSimulate(t, a, "published", 1000) // nothing published: the default rule, as recorded
	checkUnchanged(t, r, 30)
	if r.Before.Split == 0 || r.Before.Backordered == 0 || r.Before.PromiseOrders == 0 || r.Before.AvgDistanceKm == 0 {
		t.Fatalf("the network should make splits, backorders and promises: %+v", r.Before)
	}
	if len(r.Costs) != 1 || r.Costs[0].Currency != "EUR" || r.Costs[0].Before == 0 || r.Costs[0].UnknownBefore != 0 {
		t.Fatalf("costs %+v", r.Costs)
	}
	if r.Rules != "published" || r.RulesLabel != "the published rules (none yet: the default rule)" || r.Newest.Before(r.Oldest) {
		t.Fatalf("report %q %q %v %v", r.Rules, r.RulesLabel, r.Oldest, r.Newest)
	}
	checkUnchanged(t, mustSimulate(t, a, "", 10), 10) // the empty draft is the default rule too

	if _, err := svc(a).rules.PutDraftRules(context.Background(), simOps, simRankRule()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc(a).rules.PublishRules(context.Background(), simOps); err != nil {
		t.Fatal(err)
	}
	apptest.Count(t, a, "LYS", "TEE", 30)
	placeSimOrders(t, a, "v", 12)
	checkUnchanged(t, mustSimulate(t, a, "1", 12), 12)
	checkUnchanged(t, mustSimulate(t, a, "published", 12), 12)
}

// simRankRule prefers locations by rank: with equal ranks, by code, so Berlin first.
func simRankRule() routing.RuleSet {
	return routing.RuleSet{Rules: []routing.Rule{{Name: "By rank", Enabled: true, Rank: []string{routing.RankerRank},
		Split: routing.Split{Allow: true, MaxShipments: 3}, MissingStock: routing.MissingBackorder}}}
}

func TestSimulateDraftMovesOrders(t *testing.T) {
	ctx := context.Background()
	a := simNetwork(t)
	placeSimOrders(t, a, "d", 30)
	if _, err := svc(a).rules.PutDraftRules(ctx, simOps, simRankRule()); err != nil {
		t.Fatal(err)
	}
	r := mustSimulate(t, a, "draft", 100)
	if r.Orders != 30 || r.Changed == 0 || len(r.ChangedOrders) != r.Changed || r.RulesLabel != "the draft" {
		t.Fatalf("%d replayed, %d changed, %d listed, %q", r.Orders, r.Changed, len(r.ChangedOrders), r.RulesLabel)
	}
	c := r.ChangedOrders[0]
	if slices.Equal(c.Before.Locations, c.After.Locations) || !slices.Contains(c.After.Locations, "BER") || c.Before.Explanation == c.After.Explanation {
		t.Fatalf("changed order %+v", c)
	}
	if r.Locations[0].Location != "BER" || r.Locations[0].After <= r.Locations[0].Before {
		t.Fatalf("Berlin should lead after, with more orders than before: %+v", r.Locations)
	}
	if r.After.AvgDistanceKm <= r.Before.AvgDistanceKm || r.Costs[0].After <= r.Costs[0].Before {
		t.Fatalf("shipping from Berlin to Lyon is further and dearer: before %+v after %+v costs %+v", r.Before, r.After, r.Costs)
	}
	got := mustSimulate(t, a, "draft", 5) // the newest 5: their changes lead the list of 30
	if got.Orders != 5 || got.Changed > 5 || !slices.Equal(changedNumbers(got), changedNumbers(r)[:got.Changed]) {
		t.Fatalf("the window takes the newest orders: %d, %v of %v", got.Orders, changedNumbers(got), changedNumbers(r))
	}
}

func TestSimulateRefusals(t *testing.T) {
	ctx := context.Background()
	a := simNetwork(t)
	for _, q := range []SimulationQuery{{Window: 0}, {Window: 20_001}, {Rules: "draft", Window: -5}} {
		_, err := svc(a).Simulate(ctx, simOps, q)
		if ae, ok := app.AsError(err); !ok || ae.Kind != app.KindInvalid || ae.Fields["window"] == "" {
			t.Fatalf("window %d: %v", q.Window, err)
		}
	}
	if _, err := svc(a).Simulate(ctx, simOps, SimulationQuery{Rules: "latest", Window: 100}); app.ErrorKind(err) != app.KindInvalid {
		t.Fatalf("rules latest: %v", err)
	} else if ae, _ := app.AsError(err); ae.Fields["rules"] == "" {
		t.Fatalf("rules latest: fields %v", ae.Fields)
	}
	if _, err := svc(a).Simulate(ctx, simOps, SimulationQuery{Rules: "7", Window: 100}); app.ErrorKind(err) != app.KindNotFound {
		t.Fatalf("unknown version: %v", err)
	}
	support := app.Actor{Kind: app.ActorUser, ID: 2, Name: "Sam", Role: app.RoleSupport}
	if _, err := svc(a).Simulate(ctx, support, SimulationQuery{Window: 100}); app.ErrorKind(err) != app.KindForbidden {
		t.Fatalf("support: %v", err)
	}
	if r, err := svc(a).Simulate(ctx, simOps, SimulationQuery{Window: 100}); err != nil || r.Orders != 0 || r.Rules != "draft" {
		t.Fatalf("no orders yet: %+v %v", r, err)
	}
}

// changedNumbers lists the numbers of a report's changed orders.
func changedNumbers(r SimulationReport) []string {
	out := make([]string, len(r.ChangedOrders))
	for i, c := range r.ChangedOrders {
		out[i] = c.Number
	}
	return out
}

// TestSimulateDecodesAsEncodingJSON: the JSON v2 decoder the simulation uses
// reads recorded inputs and decisions exactly as encoding/json does.
func TestSimulateDecodesAsEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cands := simBenchCandidates(rng)
	lo := routing.Decimal("10.00")
	for i := range 40 {
		in := simBenchInput(rng, i, cands)
		in.Rules = simRankRule()
		in.Rules.Rules[0].When.MinValue = &lo
		in.Order.Tags = []string{"vip", "é"}
		d := routing.Decide(in)
		in.Zones = nil
		sameDecoding(t, in)
		sameDecoding(t, d)
	}
}

// sameDecoding encodes v with encoding/json and checks that both decoders read it alike.
func sameDecoding[T any](t *testing.T, v T) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var v1, v2 T
	if err := json.Unmarshal(raw, &v1); err != nil {
		t.Fatal(err)
	}
	if err := jsonv2.Unmarshal(raw, &v2); err != nil {
		t.Fatalf("v2: %v", err)
	}
	if !reflect.DeepEqual(v1, v2) {
		t.Fatalf("decoders differ on %s:\nv1 %+v\nv2 %+v", raw, v1, v2)
	}
}

// TestSimulateTakesTheLatestPlacedOrders: orders taken in out of order (an
// import of history, a channel catching up) are replayed latest placed
// first, whatever order they were routed in, and the range reads oldest to
// newest.
func TestSimulateTakesTheLatestPlacedOrders(t *testing.T) {
	a := simNetwork(t)
	base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for i := range 6 { // placed 6, 5, ... 1 days after base, in that order: the newest comes first
		in := apptest.LyonOrder(fmt.Sprintf("late%d", i), 1)
		at := base.AddDate(0, 0, 6-i)
		in.PlacedAt = &at
		if _, _, err := a.PlaceOrder(context.Background(), app.System, in); err != nil {
			t.Fatal(err)
		}
	}
	r := mustSimulate(t, a, "published", 3)
	if r.Orders != 3 {
		t.Fatalf("%d orders replayed, want 3", r.Orders)
	}
	if want := base.AddDate(0, 0, 4); !r.Oldest.Equal(want) || !r.Newest.Equal(base.AddDate(0, 0, 6)) {
		t.Fatalf("replayed orders placed %v to %v, want %v to %v", r.Oldest, r.Newest, want, base.AddDate(0, 0, 6))
	}
}
