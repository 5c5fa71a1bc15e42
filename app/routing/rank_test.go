package routing

import (
	"reflect"
	"testing"
)

func TestRankers(t *testing.T) {
	full := map[string]int64{"TEE": 2, "CAP": 1}
	a := loc("A", "A", paris, "FR", full)
	b := loc("B", "B", paris, "FR", full)
	rates := []ZoneRate{{Origin: "A", Country: "FR", Cost: 500, TransitDays: 2}, {Origin: "B", Country: "FR", Cost: 420, TransitDays: 2}}
	cases := []struct {
		name   string
		rank   []string
		a, b   func(*Candidate)
		rates  []ZoneRate
		wantAB bool // A ranks before B
	}{
		{"rank: lower first", []string{"rank"}, func(c *Candidate) { c.Rank = 2 }, func(c *Candidate) { c.Rank = 1 }, nil, false},
		{"rank tie → closest", []string{"rank", "closest"}, func(c *Candidate) { c.Point = lyon }, nil, nil, true},
		{"closest", []string{"closest"}, func(c *Candidate) { c.Point = berlin }, nil, nil, false},
		{"closest: unknown distance last", []string{"closest"}, func(c *Candidate) { c.Point.Lat = 91 }, func(c *Candidate) { c.Point = madrid }, nil, false},
		{"closest tie → rank", []string{"closest", "rank"}, func(c *Candidate) { c.Rank = 1 }, func(c *Candidate) { c.Rank = 0 }, nil, false},
		{"closest beats rank when first", []string{"closest", "rank"}, func(c *Candidate) { c.Point, c.Rank = lyon, 9 }, nil, nil, true},
		{"most_stock", []string{"most_stock"}, func(c *Candidate) { c.Stock["TEE"] = Stock{OnHand: 1} }, nil, nil, false},
		{"most_stock caps at the order's need → next ranker", []string{"most_stock", "rank"},
			func(c *Candidate) { c.Stock["TEE"] = Stock{OnHand: 100}; c.Rank = 3 }, nil, nil, false},
		{"lowest_cost", []string{"lowest_cost"}, nil, nil, rates, false},
		{"lowest_cost: unknown cost last", []string{"lowest_cost"}, nil, nil, rates[:1], true},
		{"lowest_cost tie → earliest_promise", []string{"lowest_cost", "earliest_promise"}, func(c *Candidate) { c.HandlingDays = 0 }, nil, nil, true},
		{"earliest_promise", []string{"earliest_promise"}, func(c *Candidate) { c.HandlingDays = 3 }, nil, nil, false},
		{"earliest_promise uses transit", []string{"earliest_promise"}, nil, nil,
			[]ZoneRate{{Origin: "A", Country: "FR", TransitDays: 1}, {Origin: "B", Country: "FR", TransitDays: 4}}, true},
		{"earliest_promise tie → lowest_cost", []string{"earliest_promise", "lowest_cost"}, nil, nil, rates, false},
		{"fewest_shipments: full beats partial", []string{"fewest_shipments", "closest"},
			func(c *Candidate) { c.Point = lyon; delete(c.Stock, "CAP") }, nil, nil, false},
		{"fewest_shipments tie → closest", []string{"fewest_shipments", "closest"}, func(c *Candidate) { c.Point = lyon }, nil, nil, true},
		{"all tie → location code", []string{"rank", "closest", "most_stock", "lowest_cost", "earliest_promise", "fewest_shipments"}, nil, nil, nil, true},
		{"no rankers → location code", nil, func(c *Candidate) { c.Rank = 5 }, nil, nil, true},
		{"unknown ranker skipped", []string{"cheapest", "rank"}, func(c *Candidate) { c.Rank = 5 }, nil, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ca, cb := clone(a), clone(b)
			if c.a != nil {
				c.a(&ca)
			}
			if c.b != nil {
				c.b(&cb)
			}
			r := rule("R", c.rank...)
			want := []string{"B", "A"}
			if c.wantAB {
				want = []string{"A", "B"}
			}
			for _, order2 := range [][]Candidate{{ca, cb}, {cb, ca}} { // input order never matters
				d := Decide(Input{Order: order("TEE", 2, "CAP", 1), Candidates: order2, Rules: ruleSet(r), Rates: c.rates, Now: wednesday10})
				got := []string{d.Candidates[0].Location, d.Candidates[1].Location}
				if !reflect.DeepEqual(got, want) || d.Candidates[0].Position != 1 || d.Candidates[1].Position != 2 {
					t.Fatalf("ranking %v, want %v\n%s", got, want, dump(d))
				}
			}
		})
	}
}

// clone copies a candidate with its own stock map.
func clone(c Candidate) Candidate {
	st := make(map[string]Stock, len(c.Stock))
	for k, v := range c.Stock {
		st[k] = v
	}
	c.Stock = st
	return c
}

func TestRankingUsesReportedDistance(t *testing.T) {
	// Two points 0.04 km apart round to the same 0.1 km: the next ranker decides.
	a := loc("A", "A", lyon, "FR", map[string]int64{"TEE": 1})
	b := loc("B", "B", lyon, "FR", map[string]int64{"TEE": 1})
	b.Point.Lat += 0.0003
	a.Rank = 2
	d := Decide(Input{Order: order("TEE", 1), Candidates: []Candidate{a, b}, Rules: ruleSet(rule("R", "closest", "rank")), Now: wednesday10})
	if d.Shipments[0].Location != "B" {
		t.Fatalf("%s", dump(d))
	}
}
