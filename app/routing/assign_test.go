package routing

import (
	"reflect"
	"testing"
)

func TestAssignment(t *testing.T) {
	type shipmap = map[string]map[string]int64
	lyonTee := loc("A-LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 2})
	parisTeeCap := loc("B-PAR", "Paris", paris, "FR", map[string]int64{"TEE": 2, "CAP": 1})
	leipzigMug := loc("C-LEJ", "Leipzig", leipzig, "DE", map[string]int64{"MUG": 1})
	berlinAll := loc("D-BER", "Berlin", berlin, "DE", map[string]int64{"TEE": 2, "CAP": 1, "MUG": 1})
	three := order("TEE", 2, "CAP", 1, "MUG", 1)
	cases := []struct {
		name      string
		order     Order
		cands     []Candidate
		rank      []string
		split     Split
		ships     []string
		got       shipmap
		backorder int64
	}{
		{"one location has all, fewest_shipments picks it over closer partials", three,
			[]Candidate{lyonTee, parisTeeCap, leipzigMug, berlinAll}, []string{"fewest_shipments", "closest"}, Split{Allow: true, MaxShipments: 5},
			[]string{"D-BER"}, shipmap{"D-BER": {"TEE": 2, "CAP": 1, "MUG": 1}}, 0},
		{"never split: the full location wins whatever the rankers", three,
			[]Candidate{lyonTee, parisTeeCap, berlinAll}, []string{"closest"}, Split{Allow: false},
			[]string{"D-BER"}, shipmap{"D-BER": {"TEE": 2, "CAP": 1, "MUG": 1}}, 0},
		{"never split and nobody has all: nothing ships", three,
			[]Candidate{lyonTee, parisTeeCap, leipzigMug}, []string{"fewest_shipments", "closest"}, Split{Allow: false},
			nil, shipmap{}, 4},
		{"fewest_shipments: greedy by most remaining units", three,
			[]Candidate{lyonTee, parisTeeCap, leipzigMug}, []string{"fewest_shipments", "closest"}, Split{Allow: true, MaxShipments: 5},
			[]string{"B-PAR", "C-LEJ"}, shipmap{"B-PAR": {"TEE": 2, "CAP": 1}, "C-LEJ": {"MUG": 1}}, 0},
		{"without fewest_shipments: strictly in ranked order", three,
			[]Candidate{lyonTee, parisTeeCap, leipzigMug}, []string{"closest"}, Split{Allow: true, MaxShipments: 5},
			[]string{"A-LYS", "B-PAR", "C-LEJ"}, shipmap{"A-LYS": {"TEE": 2}, "B-PAR": {"CAP": 1}, "C-LEJ": {"MUG": 1}}, 0},
		{"without fewest_shipments the best-ranked takes all it can even if another has all", three,
			[]Candidate{lyonTee, berlinAll}, []string{"closest"}, Split{Allow: true, MaxShipments: 5},
			[]string{"A-LYS", "D-BER"}, shipmap{"A-LYS": {"TEE": 2}, "D-BER": {"CAP": 1, "MUG": 1}}, 0},
		{"without fewest_shipments one shipment when the first has all", three,
			[]Candidate{berlinAll, with(leipzigMug, func(c *Candidate) { c.Rank = 1 })}, []string{"rank"}, Split{Allow: true, MaxShipments: 5},
			[]string{"D-BER"}, shipmap{"D-BER": {"TEE": 2, "CAP": 1, "MUG": 1}}, 0},
		{"max shipments 1: one partial shipment, rest backordered", three,
			[]Candidate{lyonTee, parisTeeCap, leipzigMug}, []string{"fewest_shipments", "closest"}, Split{Allow: true, MaxShipments: 1},
			[]string{"B-PAR"}, shipmap{"B-PAR": {"TEE": 2, "CAP": 1}}, 1},
		{"max shipments 2 of 3 needed", three,
			[]Candidate{lyonTee, parisTeeCap, leipzigMug}, []string{"closest"}, Split{Allow: true, MaxShipments: 2},
			[]string{"A-LYS", "B-PAR"}, shipmap{"A-LYS": {"TEE": 2}, "B-PAR": {"CAP": 1}}, 1},
		{"max shipments 0 counts as 1", three,
			[]Candidate{lyonTee, parisTeeCap, leipzigMug}, []string{"closest"}, Split{Allow: true, MaxShipments: 0},
			[]string{"A-LYS"}, shipmap{"A-LYS": {"TEE": 2}}, 2},
		{"same SKU on two lines shares one pool", order("TEE", 2, "TEE", 2),
			[]Candidate{loc("A-LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 3}), loc("B-PAR", "Paris", paris, "FR", map[string]int64{"TEE": 1})},
			[]string{"closest"}, Split{Allow: true, MaxShipments: 5},
			[]string{"A-LYS", "B-PAR"}, shipmap{"A-LYS": {"TEE": 3}, "B-PAR": {"TEE": 1}}, 0},
		{"same SKU on two lines: not full with 3 of 4", order("TEE", 2, "TEE", 2),
			[]Candidate{loc("A-LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 3}), loc("B-PAR", "Paris", paris, "FR", map[string]int64{"TEE": 4})},
			[]string{"fewest_shipments", "closest"}, Split{Allow: true, MaxShipments: 5},
			[]string{"B-PAR"}, shipmap{"B-PAR": {"TEE": 4}}, 0},
		{"over-capacity location skipped", order("TEE", 1),
			[]Candidate{with(lyonTee, func(c *Candidate) { c.DailyCapacity, c.UsedToday = 3, 3 }), parisTeeCap},
			[]string{"closest"}, Split{Allow: true, MaxShipments: 5},
			[]string{"B-PAR"}, shipmap{"B-PAR": {"TEE": 1}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rule("R", c.rank...)
			r.Split = c.split
			d := Decide(Input{Order: c.order, Candidates: c.cands, Rules: ruleSet(r), Now: wednesday10})
			var bo int64
			for _, b := range d.Backorders {
				bo += b.Quantity
			}
			if !reflect.DeepEqual(locations(d), c.ships) || !reflect.DeepEqual(shipped(d), c.got) || bo != c.backorder {
				t.Fatalf("ships %v %v backordered %d; want %v %v %d\n%s", locations(d), shipped(d), bo, c.ships, c.got, c.backorder, dump(d))
			}
			for _, rep := range d.Candidates {
				if rep.Chosen != (shipped(d)[rep.Location] != nil) {
					t.Fatalf("chosen flag wrong for %s", rep.Location)
				}
			}
		})
	}
}

func TestSameSKULinesAllocatedInLineOrder(t *testing.T) {
	a := loc("A", "A", lyon, "FR", map[string]int64{"TEE": 3})
	d := Decide(Input{Order: order("TEE", 2, "TEE", 2), Candidates: []Candidate{a}, Rules: ruleSet(rule("R", "closest")), Now: wednesday10})
	want := []Allocation{{LineID: 1, SKU: "TEE", Quantity: 2}, {LineID: 2, SKU: "TEE", Quantity: 1}}
	if !reflect.DeepEqual(d.Shipments[0].Lines, want) || d.Backorders[0] != (Backorder{LineID: 2, SKU: "TEE", Quantity: 1, Location: "A", LocationName: "A"}) {
		t.Fatalf("%s", dump(d))
	}
}

func TestSafetyStockInAssignment(t *testing.T) {
	a := loc("A", "A", lyon, "FR", nil)
	a.Stock = map[string]Stock{"TEE": {OnHand: 10, Reserved: 2, Safety: 5}}
	for _, c := range []struct {
		respect bool
		want    int64
	}{{true, 3}, {false, 8}} {
		r := rule("R", "closest")
		r.Filters.RespectSafetyStock = c.respect
		d := Decide(Input{Order: order("TEE", 9), Candidates: []Candidate{a}, Rules: ruleSet(r), Now: wednesday10})
		if got := shipped(d)["A"]["TEE"]; got != c.want {
			t.Errorf("respect %v: shipped %d, want %d", c.respect, got, c.want)
		}
	}
}

func TestLinesWithoutQuantityIgnored(t *testing.T) {
	o := order("TEE", 0, "CAP", -2)
	d := Decide(Input{Order: o, Candidates: []Candidate{loc("A", "A", lyon, "FR", nil)}, Now: wednesday10})
	if len(d.Shipments)+len(d.Backorders)+len(d.Unrouted) != 0 || d.Hold || d.Explanation != "Nothing to route: no line has a quantity left to ship." {
		t.Fatalf("%s", dump(d))
	}
}
