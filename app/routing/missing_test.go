package routing

import (
	"reflect"
	"testing"
)

func TestMissingStockPolicies(t *testing.T) {
	a := loc("A", "Lyon warehouse", lyon, "FR", map[string]int64{"TEE": 2})
	bCarries := with(loc("B", "Paris store", paris, "FR", nil), func(c *Candidate) {
		c.Stock = map[string]Stock{"CAP": {OnHand: 0}, "TEE": {OnHand: 0}}
	})
	cases := []struct {
		name       string
		policy     string
		cands      []Candidate
		edit       func(*Rule)
		ships      map[string]map[string]int64
		backorders []Backorder
		unrouted   []Allocation
		hold       string
	}{
		{"backorder at the best-ranked location carrying the SKU", MissingBackorder, []Candidate{a, bCarries}, nil,
			map[string]map[string]int64{"A": {"TEE": 2}},
			[]Backorder{{LineID: 2, SKU: "CAP", Quantity: 1, Location: "B", LocationName: "Paris store"}}, nil, ""},
		{"backorder at the best-ranked location when none carries it", MissingBackorder, []Candidate{a}, nil,
			map[string]map[string]int64{"A": {"TEE": 2}},
			[]Backorder{{LineID: 2, SKU: "CAP", Quantity: 1, Location: "A", LocationName: "Lyon warehouse"}}, nil, ""},
		{"backorder with no eligible location holds", MissingBackorder,
			[]Candidate{with(a, func(c *Candidate) { c.Active = false }), with(bCarries, func(c *Candidate) { c.Ships = false })}, nil,
			map[string]map[string]int64{}, nil, nil,
			"no location is eligible (Lyon warehouse: inactive; Paris store: does not ship)"},
		{"hold keeps nothing assigned", MissingHold, []Candidate{a, bCarries}, nil,
			map[string]map[string]int64{}, nil, nil, "no location has CAP"},
		{"leave leaves the rest unrouted", MissingLeave, []Candidate{a, bCarries}, nil,
			map[string]map[string]int64{"A": {"TEE": 2}}, nil, []Allocation{{LineID: 2, SKU: "CAP", Quantity: 1}}, ""},
		{"leave with nothing eligible leaves everything", MissingLeave, []Candidate{with(a, func(c *Candidate) { c.Active = false })}, nil,
			map[string]map[string]int64{}, nil, []Allocation{{LineID: 1, SKU: "TEE", Quantity: 2}, {LineID: 2, SKU: "CAP", Quantity: 1}}, ""},
		{"unknown policy holds", "cancel", []Candidate{a}, nil, map[string]map[string]int64{}, nil, nil, "no location has CAP"},
		{"never split and nobody has everything: backorder all", MissingBackorder,
			[]Candidate{a, with(bCarries, func(c *Candidate) { c.Stock["CAP"] = Stock{OnHand: 1} })},
			func(r *Rule) { r.Split.Allow = false }, map[string]map[string]int64{},
			[]Backorder{{LineID: 1, SKU: "TEE", Quantity: 2, Location: "A", LocationName: "Lyon warehouse"},
				{LineID: 2, SKU: "CAP", Quantity: 1, Location: "B", LocationName: "Paris store"}}, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rule("R", "fewest_shipments", "closest")
			r.MissingStock = c.policy
			if c.edit != nil {
				c.edit(&r)
			}
			d := Decide(Input{Order: order("TEE", 2, "CAP", 1), Candidates: c.cands, Rules: ruleSet(r), Now: wednesday10})
			if !reflect.DeepEqual(shipped(d), c.ships) || !reflect.DeepEqual(d.Backorders, nonNil(c.backorders)) ||
				!reflect.DeepEqual(d.Unrouted, nonNil(c.unrouted)) || d.Hold != (c.hold != "") || d.HoldReason != c.hold {
				t.Fatalf("got\n%s", dump(d))
			}
		})
	}
}

func TestShortfallWords(t *testing.T) {
	a := loc("A", "Lyon warehouse", lyon, "FR", map[string]int64{"TEE": 1, "MUG": 1})
	cases := []struct {
		name  string
		order Order
		cands []Candidate
		edit  func(*Rule)
		want  string
	}{
		{"nowhere", order("CAP", 1), []Candidate{a}, nil, "no location has CAP"},
		{"several nowhere", order("CAP", 1, "HAT", 1), []Candidate{a}, nil, "no location has CAP or HAT"},
		{"only at an excluded location", order("CAP", 1), []Candidate{a,
			with(loc("B", "Paris store", paris, "FR", map[string]int64{"CAP": 3}), func(c *Candidate) { c.Active = false })}, nil,
			"no eligible location has CAP"},
		{"only within safety stock", order("CAP", 1), []Candidate{with(a, func(c *Candidate) {
			c.Stock["CAP"] = Stock{OnHand: 2, Safety: 2}
		})}, nil, "no location has CAP above safety stock"},
		{"not enough", order("TEE", 3), []Candidate{a, loc("B", "B", paris, "FR", map[string]int64{"TEE": 1})}, nil,
			"only 2 of 3 × TEE in stock"},
		{"not enough and missing", order("TEE", 3, "CAP", 1), []Candidate{a}, nil,
			"no location has CAP, and only 1 of 3 × TEE in stock"},
		{"split not allowed", order("TEE", 1, "CAP", 1), []Candidate{a, loc("B", "B", paris, "FR", map[string]int64{"CAP": 1})},
			func(r *Rule) { r.Split.Allow = false },
			`no single location has all 2 items and rule "R" does not split orders`},
		{"max shipments reached", order("TEE", 1, "MUG", 1, "CAP", 1),
			[]Candidate{loc("A", "A", lyon, "FR", map[string]int64{"TEE": 1}), loc("B", "B", paris, "FR", map[string]int64{"MUG": 1}), loc("C", "C", berlin, "DE", map[string]int64{"CAP": 1})},
			func(r *Rule) { r.Split.MaxShipments = 2 }, `rule "R" allows at most 2 shipments`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rule("R", "fewest_shipments", "closest")
			r.MissingStock = MissingHold
			if c.edit != nil {
				c.edit(&r)
			}
			d := Decide(Input{Order: c.order, Candidates: c.cands, Rules: ruleSet(r), Now: wednesday10})
			if !d.Hold || d.HoldReason != c.want || len(d.Shipments) != 0 {
				t.Fatalf("hold %v %q; want %q\n%s", d.Hold, d.HoldReason, c.want, dump(d))
			}
		})
	}
}
