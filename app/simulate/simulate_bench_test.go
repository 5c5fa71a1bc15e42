package simulate

import (
	"switchyard/app"

	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"switchyard/app/apptest"
	"switchyard/app/geo"
	"switchyard/app/routing"
)

// simBenchOrders is how many recorded intake decisions the benchmark replays.
const simBenchOrders = 10_000

// BenchmarkSimulate10000 replays 10,000 recorded decisions (5 lines, 20
// candidates each) with a draft that moves many of them. Target: under 2 s.
func BenchmarkSimulate10000(b *testing.B) {
	a := apptest.NewApp(b)
	seedSimDecisions(b, a, simBenchOrders)
	draft := routing.RuleSet{Rules: []routing.Rule{{Name: "Cheapest", Enabled: true,
		Rank: []string{routing.RankerLowestCost, routing.RankerRank}, Split: routing.Split{Allow: true, MaxShipments: 3},
		Filters: routing.Filters{RespectCapacity: true}, MissingStock: routing.MissingBackorder}}}
	if _, err := svc(a).rules.PutDraftRules(context.Background(), app.System, draft); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := svc(a).Simulate(context.Background(), app.System, SimulationQuery{Rules: SimulateDraft, Window: simBenchOrders})
		if err != nil || r.Orders != simBenchOrders || r.Changed == 0 {
			b.Fatalf("%d replayed, %d changed: %v", r.Orders, r.Changed, err)
		}
	}
}

// seedSimDecisions stores n orders, each with the intake decision the default
// rule takes on a realistic input, written in bulk with a raw connection
// (placing them through the app takes minutes).
func seedSimDecisions(b testing.TB, a *app.App, n int) {
	b.Helper()
	apptest.MustChannel(b, a, "web", 0)
	raw, err := sql.Open("sqlite3", "file:"+a.DB().Path()+"?_journal_mode=WAL&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
		INSERT INTO orders (id, number, channel_id, external_id, placed_at, currency, ship_country, delivery,
			subtotal, shipping_price, total, status, tracking_token, created_at, updated_at)
		SELECT i, printf('SY-%%06d', i), 1, 'E' || i, 1700000000000 + i * 2000, 'EUR', 'FR', 'ship',
			9950, 0, 9950, 'routed', lower(hex(randomblob(16))), 0, 0 FROM n`, n)); err != nil {
		b.Fatalf("seed orders: %v", err)
	}
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO routing_decisions (order_id, at, trigger, rule_version, rule_name, input, decision, explanation)
		VALUES (?, ?, 'intake', 0, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	cands := simBenchCandidates(rng)
	for i := 1; i <= n; i++ {
		in := simBenchInput(rng, i, cands)
		d := routing.Decide(in)
		inJSON, _ := json.Marshal(in)
		dJSON, _ := json.Marshal(d)
		if _, err := stmt.Exec(i, in.Now.UnixMilli(), d.Rule, string(inJSON), string(dJSON), d.Explanation); err != nil {
			b.Fatalf("seed decision %d: %v", i, err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// simBenchSKUs are the SKUs of the benchmark's orders.
var simBenchSKUs = []string{"TEE-BLK-S", "TEE-BLK-M", "TEE-WHT-L", "MUG-01", "CAP-RED"}

// simBenchCandidates are 20 locations around France and its neighbours.
func simBenchCandidates(rng *rand.Rand) []routing.Candidate {
	zones := []string{"Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome"}
	kinds := []string{routing.KindWarehouse, routing.KindStore, routing.Kind3PL}
	out := make([]routing.Candidate, 20)
	for i := range out {
		out[i] = routing.Candidate{
			Code: fmt.Sprintf("LOC-%02d", i), Name: fmt.Sprintf("Location %d", i), Kind: kinds[i%len(kinds)],
			Country: "FR", Point: geo.Point{Lat: 43 + rng.Float64()*8, Lon: -1 + rng.Float64()*9},
			Tags: []string{"eu"}, Active: true, Ships: true, Channels: []string{"web"}, Rank: int64(i % 5),
			DailyCapacity: int64(200 * (i % 3)), Timezone: zones[i%len(zones)], Cutoff: "15:00", HandlingDays: i % 2,
		}
	}
	return out
}

// simBenchInput is the input of order i: 5 lines to a point in France, the
// candidates with fresh stock and usage, and a zone rate from each.
func simBenchInput(rng *rand.Rand, i int, base []routing.Candidate) routing.Input {
	in := routing.Input{
		Order: routing.Order{Number: fmt.Sprintf("SY-%06d", i), Channel: "web", ChannelName: "Web shop", Country: "FR",
			Dest: geo.Point{Lat: 43 + rng.Float64()*8, Lon: -1 + rng.Float64()*9}, DestKnown: true,
			Value: 9950, ValueExponent: 2, Currency: "EUR", Delivery: routing.DeliveryShip},
		Rules: routing.RuleSet{Rules: []routing.Rule{}},
		Now:   time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 97 * time.Second),
	}
	for l, sku := range simBenchSKUs {
		in.Order.Lines = append(in.Order.Lines, routing.Line{ID: int64(l + 1), SKU: sku, Quantity: 1 + rng.Int64N(3)})
	}
	in.Candidates = make([]routing.Candidate, len(base))
	for c, cand := range base {
		cand.UsedToday = rng.Int64N(150)
		cand.Stock = make(map[string]routing.Stock, len(simBenchSKUs))
		for _, sku := range simBenchSKUs {
			cand.Stock[sku] = routing.Stock{OnHand: rng.Int64N(6), Reserved: rng.Int64N(2), Safety: rng.Int64N(2)}
		}
		in.Candidates[c] = cand
		in.Rates = append(in.Rates, routing.ZoneRate{Origin: cand.Code, Country: "FR", Cost: 390 + 50*int64(c), TransitDays: 1 + c%3})
	}
	return in
}
