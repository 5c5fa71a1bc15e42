package routing

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// optimalInput builds a random network and order routed by one optimal_cost
// rule, with random handling costs and split penalty.
func optimalInput(r *rand.Rand) Input {
	in := randomInput(r)
	for i := range in.Candidates {
		if r.IntN(3) > 0 {
			in.Candidates[i].HandlingPerShipment = int64(r.IntN(400))
			in.Candidates[i].HandlingPerUnit = int64(r.IntN(150))
		}
	}
	if r.IntN(3) > 0 { // mostly known rates
		for _, c := range in.Candidates {
			in.Rates = append(in.Rates, ZoneRate{Origin: c.Code, Country: in.Order.Country, Cost: int64(200 + r.IntN(1500)), TransitDays: 2})
		}
	}
	in.Order.Delivery = DeliveryShip
	rl := randomRule(r, 0)
	rl.Enabled, rl.When = true, When{}
	rl.Assign = AssignOptimalCost
	if rl.Split.Allow {
		rl.Split.MaxShipments = 1 + r.IntN(4)
	}
	if r.IntN(2) == 0 {
		d := Decimal(fmt.Sprintf("%d.%02d", r.IntN(6), r.IntN(100)))
		rl.Split.Penalty = &d
	}
	in.Rules = ruleSet(rl)
	return in
}

// unknownShipments counts shipments from locations without a zone rate.
func unknownShipments(d Decision) int {
	n := 0
	for _, s := range d.Shipments {
		if !s.CostKnown {
			n++
		}
	}
	return n
}

func TestOptimalCostProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 2026))
	exact, shipping := 0, 0
	for i := range propertyCases {
		in := optimalInput(r)
		d := Decide(in)
		greedyIn := in
		greedyIn.Rules = ruleSet(in.Rules.Rules[0])
		greedyIn.Rules.Rules[0].Assign = AssignGreedy
		g := Decide(greedyIn)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkNeverOverAssigned(t, in, d)
			checkEveryLineAccounted(t, in, d)
			checkShipmentLimits(t, in, d)
			checkDeterministic(t, in, d)
			checkDecisionRoundTrip(t, d)
			checkExplained(t, d)
			checkNoWorseThanGreedy(t, d, g)
			if len(d.Shipments) > 0 {
				shipping++
			}
			if d.Cost.Exact {
				exact++
				checkExhaustive(t, in, d)
			}
		})
		if t.Failed() {
			t.Fatalf("input: %s", mustJSON(t, in))
		}
	}
	if exact < shipping {
		t.Fatalf("only %d of %d shipping decisions proven optimal", exact, shipping)
	}
}

// checkNoWorseThanGreedy: never fewer units than greedy; at equal units never
// more shipments without a rate, nor (with as many) a higher cost.
func checkNoWorseThanGreedy(t *testing.T, d, g Decision) {
	du, gu := shippedUnits(d.Shipments), shippedUnits(g.Shipments)
	switch {
	case du < gu:
		t.Errorf("optimal ships %d units, greedy %d", du, gu)
	case du > gu:
	case unknownShipments(d) > unknownShipments(g):
		t.Errorf("optimal uses %d locations without rates, greedy %d", unknownShipments(d), unknownShipments(g))
	case unknownShipments(d) == unknownShipments(g) && d.Cost.Total > g.Cost.Total:
		t.Errorf("optimal costs %d, greedy %d\n%s\n%s", d.Cost.Total, g.Cost.Total, dump(d), dump(g))
	}
	if !d.Cost.Exact && !d.Cost.StoppedEarly && len(d.Shipments) > 0 {
		t.Errorf("optimal decision says neither exact nor stopped early: %+v", d.Cost)
	}
}

// checkExhaustive: a proven optimum equals the exhaustive enumeration.
func checkExhaustive(t *testing.T, in Input, d Decision) {
	want, units, ok := ExhaustiveOptimum(in)
	if !ok || d.Hold {
		return
	}
	got := d.Cost
	if shippedUnits(d.Shipments) != units || got.Total != want.Total || got.Known != want.Known {
		t.Errorf("optimiser %d units %+v; exhaustive %d units %+v\n%s", shippedUnits(d.Shipments), got, units, want, dump(d))
	}
}

func TestOptimalCostStopsEarlyDeterministically(t *testing.T) {
	in := benchInput(20, 60)
	in.Rules.Rules[2].Assign = AssignOptimalCost
	in.OptimiseBudget = 2000
	d := Decide(in)
	if !d.Cost.StoppedEarly || d.Cost.Exact {
		t.Fatalf("a tiny budget should stop early: %+v", d.Cost)
	}
	if again := Decide(in); mustJSON(t, again) != mustJSON(t, d) {
		t.Fatal("a stopped search differs between runs")
	}
	if !strings.Contains(d.Explanation, "the cheapest way found to ship all ") ||
		!strings.HasSuffix(d.Explanation, " combinations of locations checked before the search stopped early (a cheaper one may exist).") {
		t.Fatalf("explanation %s", d.Explanation)
	}
	in.Rules.Rules[2].Assign = AssignGreedy
	g := Decide(in)
	if shippedUnits(d.Shipments) < shippedUnits(g.Shipments) ||
		(shippedUnits(d.Shipments) == shippedUnits(g.Shipments) && d.Cost.Total > g.Cost.Total) {
		t.Fatalf("stopped search worse than greedy: %+v against %+v", d.Cost, g.Cost)
	}
}

// denseInput builds a network where most locations are eligible and stock
// is scattered, so that many combinations compete.
func denseInput(r *rand.Rand) Input {
	in := benchInput(2+r.IntN(5), 6+r.IntN(14))
	in.Order.Lines = in.Order.Lines[:len(in.Order.Lines):len(in.Order.Lines)]
	for i := range in.Candidates {
		in.Candidates[i].HandlingPerShipment = int64(r.IntN(300))
		in.Candidates[i].HandlingPerUnit = int64(r.IntN(100))
		in.Candidates[i].Active = r.IntN(8) > 0
		if r.IntN(40) == 0 { // hostile: a negative cost turns the bounds off
			in.Candidates[i].HandlingPerUnit = -int64(r.IntN(50))
		}
	}
	for i := range in.Rates {
		if r.IntN(6) == 0 {
			in.Rates[i].Country = "DE" // no rate to FR: shipping unknown
		}
	}
	rl := &in.Rules.Rules[2]
	rl.Assign = AssignOptimalCost
	rl.Split = Split{Allow: r.IntN(6) > 0, MaxShipments: 1 + r.IntN(4)}
	rl.MissingStock = pick(r, propPolicies)
	if r.IntN(2) == 0 {
		d := Decimal(fmt.Sprintf("%d.%02d", r.IntN(9), r.IntN(100)))
		rl.Split.Penalty = &d
	}
	return in
}

func TestOptimalCostMatchesExhaustiveOnDenseNetworks(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 18))
	for i := range propertyCases {
		in := denseInput(r)
		d := Decide(in)
		g := in
		g.Rules.Rules = append([]Rule(nil), in.Rules.Rules...)
		g.Rules.Rules[2].Assign = ""
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if !d.Cost.Exact && len(d.Shipments) > 0 {
				t.Fatalf("small network not proven optimal: %+v", d.Cost)
			}
			checkNeverOverAssigned(t, in, d)
			checkShipmentLimits(t, in, d)
			checkNoWorseThanGreedy(t, d, Decide(g))
			checkExhaustive(t, in, d)
		})
		if t.Failed() {
			t.Fatalf("input: %s", mustJSON(t, in))
		}
	}
}
