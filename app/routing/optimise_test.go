package routing

import (
	"reflect"
	"strings"
	"testing"
)

// optimalRule is rule "Cheapest": optimal_cost, splitting up to 5, ranked closest.
func optimalRule() Rule {
	r := rule("Cheapest", RankerClosest)
	r.Assign = AssignOptimalCost
	return r
}

// frRate is a zone rate from origin to France.
func frRate(origin string, cost int64) ZoneRate {
	return ZoneRate{Origin: origin, Country: "FR", Cost: cost, TransitDays: 2}
}

// decideBoth decides in under r, then under r made greedy.
func decideBoth(in Input, r Rule) (opt, greedy Decision) {
	in.Rules = ruleSet(r)
	opt = Decide(in)
	r.Assign = AssignGreedy
	in.Rules = ruleSet(r)
	return opt, Decide(in)
}

func TestOptimalCostAvoidsAnExtraParcel(t *testing.T) {
	in := Input{Order: order("TEE", 2, "CAP", 1), Now: wednesday10, Candidates: []Candidate{
		loc("A-LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 2}),
		loc("B-PAR", "Paris", paris, "FR", map[string]int64{"CAP": 1}),
		loc("C-LEJ", "Leipzig", leipzig, "DE", map[string]int64{"TEE": 2, "CAP": 1}),
	}, Rates: []ZoneRate{frRate("A-LYS", 400), frRate("B-PAR", 400), frRate("C-LEJ", 600)}}
	opt, greedy := decideBoth(in, optimalRule())
	if got := locations(greedy); !reflect.DeepEqual(got, []string{"A-LYS", "B-PAR"}) || greedy.Cost.Total != 800 {
		t.Fatalf("greedy %v costs %d, want A-LYS and B-PAR for 800", got, greedy.Cost.Total)
	}
	if got := locations(opt); !reflect.DeepEqual(got, []string{"C-LEJ"}) || opt.Cost.Total != 600 || !opt.Cost.Exact || opt.Cost.StoppedEarly {
		t.Fatalf("optimal %v, cost %+v; want C-LEJ for 600, exact\n%s", got, opt.Cost, dump(opt))
	}
	want := `Routed to Leipzig: the cheapest way to ship all 3 items under rule "Cheapest". ` +
		`Cost €6.00: shipping €6.00; the cheapest of 3 combinations of locations checked (proven optimal).`
	if opt.Explanation != want {
		t.Fatalf("explanation\n got: %s\nwant: %s", opt.Explanation, want)
	}
	if opt.Cost.Strategy != AssignOptimalCost || greedy.Cost.Strategy != AssignGreedy || greedy.Cost.Exact || greedy.Cost.StoppedEarly {
		t.Fatalf("strategies: %+v %+v", opt.Cost, greedy.Cost)
	}
}

func TestOptimalCostAvoidsADearerOrigin(t *testing.T) {
	in := Input{Order: order("TEE", 1), Now: wednesday10, Candidates: []Candidate{
		loc("A-LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 1}),
		loc("B-PAR", "Paris", paris, "FR", map[string]int64{"TEE": 1}),
	}, Rates: []ZoneRate{frRate("A-LYS", 990), frRate("B-PAR", 500)}}
	r := optimalRule()
	r.Rank = []string{RankerFewestShipments, RankerClosest}
	opt, greedy := decideBoth(in, r)
	if locations(greedy)[0] != "A-LYS" || locations(opt)[0] != "B-PAR" || opt.Cost.Total != 500 {
		t.Fatalf("greedy %v, optimal %v %+v", locations(greedy), locations(opt), opt.Cost)
	}
}

func TestOptimalCostMovesUnitsToCheaperHandling(t *testing.T) {
	a := with(loc("A-LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 2, "CAP": 1}), func(c *Candidate) { c.HandlingPerUnit, c.HandlingPerShipment = 100, 50 })
	b := with(loc("B-PAR", "Paris", paris, "FR", map[string]int64{"TEE": 4}), func(c *Candidate) { c.HandlingPerUnit, c.HandlingPerShipment = 10, 50 })
	in := Input{Order: order("TEE", 4, "CAP", 1), Now: wednesday10, Candidates: []Candidate{a, b},
		Rates: []ZoneRate{frRate("A-LYS", 300), frRate("B-PAR", 300)}}
	opt, greedy := decideBoth(in, optimalRule())
	if got := shipped(greedy); !reflect.DeepEqual(got, map[string]map[string]int64{"A-LYS": {"TEE": 2, "CAP": 1}, "B-PAR": {"TEE": 2}}) {
		t.Fatalf("greedy ships %v", got)
	}
	if got := shipped(opt); !reflect.DeepEqual(got, map[string]map[string]int64{"A-LYS": {"CAP": 1}, "B-PAR": {"TEE": 4}}) {
		t.Fatalf("optimal ships %v\n%s", got, dump(opt))
	}
	// shipping 600, handling 50+100 + 50+40 = 240
	if opt.Cost.Total != 840 || opt.Cost.Handling != 240 || greedy.Cost.Total != 600+50+300+50+20 {
		t.Fatalf("costs %+v against %+v", opt.Cost, greedy.Cost)
	}
	want := `Split into 2 shipments, Lyon (1 item) and Paris (4 items): the cheapest way to ship all 5 items under rule "Cheapest". ` +
		`Cost €8.40: shipping €6.00 and handling €2.40; the cheapest of 2 combinations of locations checked (proven optimal).`
	if opt.Explanation != want {
		t.Fatalf("explanation\n got: %s\nwant: %s", opt.Explanation, want)
	}
}

func TestOptimalCostSplitPenaltyMergesParcels(t *testing.T) {
	in := Input{Order: order("TEE", 1, "CAP", 1), Now: wednesday10, Candidates: []Candidate{
		loc("A-LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 1}),
		loc("B-PAR", "Paris", paris, "FR", map[string]int64{"CAP": 1}),
		loc("C-LEJ", "Leipzig", leipzig, "DE", map[string]int64{"TEE": 1, "CAP": 1}),
	}, Rates: []ZoneRate{frRate("A-LYS", 300), frRate("B-PAR", 300), frRate("C-LEJ", 700)}}
	r := optimalRule()
	d, _ := decideBoth(in, r)
	if !reflect.DeepEqual(locations(d), []string{"A-LYS", "B-PAR"}) || d.Cost.Total != 600 {
		t.Fatalf("without a penalty: %v %+v", locations(d), d.Cost)
	}
	penalty := Decimal("0.50")
	r.Split.Penalty = &penalty
	if d, _ = decideBoth(in, r); !reflect.DeepEqual(locations(d), []string{"A-LYS", "B-PAR"}) || d.Cost.Total != 650 || d.Cost.SplitPenalty != 50 {
		t.Fatalf("a small penalty: %v %+v", locations(d), d.Cost)
	}
	if !strings.Contains(d.Explanation, "Cost €6.50: shipping €6.00 and split penalty €0.50;") {
		t.Fatalf("explanation %s", d.Explanation)
	}
	penalty = "2.00"
	if d, _ = decideBoth(in, r); !reflect.DeepEqual(locations(d), []string{"C-LEJ"}) || d.Cost.Total != 700 || d.Cost.SplitPenalty != 0 {
		t.Fatalf("a large penalty: %v %+v", locations(d), d.Cost)
	}
}

func TestOptimalCostPrefersKnownRates(t *testing.T) {
	in := Input{Order: order("TEE", 1), Now: wednesday10, Candidates: []Candidate{
		loc("A-LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 1}),
		loc("B-PAR", "Paris", paris, "FR", map[string]int64{"TEE": 1}),
	}, Rates: []ZoneRate{frRate("B-PAR", 900)}}
	d, _ := decideBoth(in, optimalRule())
	if locations(d)[0] != "B-PAR" || !d.Cost.Known {
		t.Fatalf("chose %v %+v", locations(d), d.Cost)
	}
	in.Rates = nil
	d, _ = decideBoth(in, optimalRule())
	want := `Routed to Lyon: the cheapest way to ship the item under rule "Cheapest". ` +
		`Cost €0.00 plus shipping from Lyon, which has no rate to this destination; the cheapest of 3 combinations of locations checked (proven optimal).`
	if locations(d)[0] != "A-LYS" || d.Cost.Known || d.Explanation != want {
		t.Fatalf("without rates: %v %+v\n%s", locations(d), d.Cost, d.Explanation)
	}
}

func TestOptimalCostCoversMostUnitsFirst(t *testing.T) {
	in := Input{Order: order("TEE", 3, "CAP", 1), Now: wednesday10, Candidates: []Candidate{
		loc("A-LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 1, "CAP": 1}),
		loc("B-PAR", "Paris", paris, "FR", map[string]int64{"TEE": 3}),
	}, Rates: []ZoneRate{frRate("A-LYS", 100), frRate("B-PAR", 2000)}}
	r := optimalRule()
	r.Split.MaxShipments = 1
	d, _ := decideBoth(in, r)
	if !reflect.DeepEqual(locations(d), []string{"B-PAR"}) || len(d.Backorders) != 1 || d.Backorders[0].SKU != "CAP" {
		t.Fatalf("one shipment: the dear one covering 3 units beats the cheap one covering 2\n%s", dump(d))
	}
	if !strings.HasPrefix(d.Explanation, "Backordered 1 × CAP at ") || !strings.HasSuffix(d.Explanation, "(proven optimal).") {
		t.Fatalf("explanation %s", d.Explanation)
	}
}

func TestOptimalCostWithoutSplitting(t *testing.T) {
	lys := loc("A-LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 2, "CAP": 1})
	par := loc("B-PAR", "Paris", paris, "FR", map[string]int64{"TEE": 2, "CAP": 1})
	in := Input{Order: order("TEE", 2, "CAP", 1), Now: wednesday10, Candidates: []Candidate{lys, par},
		Rates: []ZoneRate{frRate("A-LYS", 800), frRate("B-PAR", 500)}}
	r := optimalRule()
	r.Split = Split{Allow: false}
	d, _ := decideBoth(in, r)
	if !reflect.DeepEqual(locations(d), []string{"B-PAR"}) || !d.Cost.Exact {
		t.Fatalf("the cheaper full location: %v %+v", locations(d), d.Cost)
	}
	in.Candidates = []Candidate{with(lys, func(c *Candidate) { delete(c.Stock, "CAP") }), with(par, func(c *Candidate) { delete(c.Stock, "TEE") })}
	d, g := decideBoth(in, r)
	if len(d.Shipments) != 0 || len(d.Backorders) != 2 || d.Explanation != g.Explanation {
		t.Fatalf("nobody has everything: nothing ships, as under greedy\n%s\n%s", dump(d), g.Explanation)
	}
}

func TestOptimalCostPickupUnchanged(t *testing.T) {
	o := order("TEE", 1)
	o.Delivery, o.PickupLocation = DeliveryPickup, "A-LYS"
	a := with(loc("A-LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 1}), func(c *Candidate) { c.Pickup = true })
	d, g := decideBoth(Input{Order: o, Now: wednesday10, Candidates: []Candidate{a}}, optimalRule())
	if d.Explanation != g.Explanation || d.Cost.Exact || d.Cost.StoppedEarly {
		t.Fatalf("pickup under optimal_cost: %s %+v", d.Explanation, d.Cost)
	}
}

func TestExhaustiveOptimumRefusesLargeInstances(t *testing.T) {
	in := benchInput(5, 200)
	in.Rules.Rules[2].Assign = AssignOptimalCost
	if _, _, ok := ExhaustiveOptimum(in); ok {
		t.Fatal("200 locations, 5 shipments: too many combinations")
	}
	o := order("TEE", 1)
	o.Delivery = DeliveryPickup
	if _, _, ok := ExhaustiveOptimum(Input{Order: o}); ok {
		t.Fatal("pickup")
	}
}

func TestReconsider(t *testing.T) {
	lys := loc("A-LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 2})
	par := loc("B-PAR", "Paris", paris, "FR", map[string]int64{"TEE": 2})
	in := Input{Order: order("TEE", 2), Now: wednesday10, Candidates: []Candidate{lys, par},
		Rates: []ZoneRate{frRate("A-LYS", 900), frRate("B-PAR", 500)}, Rules: ruleSet(optimalRule())}
	current := []Shipment{{Location: "A-LYS", Lines: []Allocation{{LineID: 1, SKU: "TEE", Quantity: 2}}}}
	r := Reconsider(in, current, 100)
	if !r.Better || r.Saving != 400 || r.Current.Total != 900 || locations(r.Decision)[0] != "B-PAR" {
		t.Fatalf("a saving of 4.00 over a 1.00 threshold: %+v", r)
	}
	if r = Reconsider(in, current, 400); r.Better {
		t.Fatal("a move must save strictly more than the threshold")
	}
	short := in
	short.Candidates = []Candidate{lys, with(par, func(c *Candidate) { c.Stock["TEE"] = Stock{OnHand: 1} })}
	short.Rates = []ZoneRate{frRate("A-LYS", 900), frRate("B-PAR", 1)}
	short.Candidates[0].Stock = map[string]Stock{}
	if r = Reconsider(short, current, 0); r.Better {
		t.Fatalf("never a decision covering fewer units: %+v", r)
	}
	unknown := []Shipment{{Location: "Z-NOWHERE", Lines: current[0].Lines}}
	if r = Reconsider(in, unknown, 0); r.Better || r.Current.Known {
		t.Fatalf("current cost unknown: %+v", r)
	}
}

func TestOptimalCostTiesGoToRank(t *testing.T) {
	in := Input{Order: order("TEE", 1), Now: wednesday10, Candidates: []Candidate{
		loc("Z-PAR", "Paris", paris, "FR", map[string]int64{"TEE": 1}),
		loc("A-LEJ", "Leipzig", leipzig, "DE", map[string]int64{"TEE": 1}),
	}, Rates: []ZoneRate{frRate("Z-PAR", 500), frRate("A-LEJ", 500)}}
	r := optimalRule()
	r.Rank = []string{RankerClosest}
	if d, _ := decideBoth(in, r); locations(d)[0] != "Z-PAR" {
		t.Fatalf("closest ranks first: %v", locations(d))
	}
	r.Rank = []string{RankerRank}
	if d, _ := decideBoth(in, r); locations(d)[0] != "A-LEJ" {
		t.Fatalf("equal ranks: first by code: %v", locations(d))
	}
}

func TestOptimalCostSurvivesHostileInput(t *testing.T) {
	huge := Stock{OnHand: 1<<63 - 1}
	cands := []Candidate{
		{Code: "A", Active: true, Ships: true, Channels: []string{"web-eu"}, HandlingPerUnit: 1 << 62, HandlingPerShipment: -1 << 63,
			Stock: map[string]Stock{"X": huge, "Y": huge}},
		{Code: "B", Active: true, Ships: true, Channels: []string{"web-eu"}, HandlingPerUnit: -5, Stock: map[string]Stock{"X": huge}},
	}
	o := order("X", 1<<62, "Y", 1<<62, "X", 1<<62)
	r := optimalRule()
	pen := Decimal("99999999999999999999")
	r.Split.Penalty = &pen
	in := Input{Order: o, Candidates: cands, Rules: ruleSet(r), Now: wednesday10,
		Rates: []ZoneRate{{Origin: "A", Country: "FR", Cost: 1<<63 - 1}, {Origin: "B", Country: "FR", Cost: -1 << 63}}}
	d := Decide(in)
	if d.Explanation == "" || mustJSON(t, d) != mustJSON(t, Decide(in)) {
		t.Fatalf("hostile input: %s", dump(d))
	}
	checkNeverOverAssigned(t, in, d)
}

// TestOptimalCostCapsAStoredHugeLimit: a rule stored before max_shipments
// had a limit, allowing a billion shipments, costs the optimiser no more than
// the limit does (its tables grow with the square of the limit): the same
// decision as at the limit.
func TestOptimalCostCapsAStoredHugeLimit(t *testing.T) {
	huge := optimalBenchInput(5, 400)
	huge.Rules.Rules[0].Split.MaxShipments = 1 << 30
	capped := optimalBenchInput(5, 400)
	capped.Rules.Rules[0].Split.MaxShipments = MaxShipmentsLimit
	a, b := Decide(huge), Decide(capped)
	if a.Cost != b.Cost || len(a.Shipments) != len(b.Shipments) {
		t.Fatalf("a huge limit decided %+v, the capped one %+v", a.Cost, b.Cost)
	}
}

// TestOptimalCostDoesNotTakeUncountedHandlingAsFree: a location whose
// handling costs are in another currency (HandlingUnknown) looks free, but
// the optimiser uses it only when it must, and the cost says it is unknown.
func TestOptimalCostDoesNotTakeUncountedHandlingAsFree(t *testing.T) {
	in := optimalBenchInput(1, 2)
	in.Candidates[0].HandlingUnknown = true
	in.Candidates[0].HandlingPerShipment, in.Candidates[0].HandlingPerUnit = 0, 0
	d := Decide(in)
	if len(d.Shipments) != 1 || d.Shipments[0].Location == in.Candidates[0].Code {
		t.Fatalf("shipped %+v: the location with uncounted handling was chosen though another had everything", d.Shipments)
	}
	in.Candidates[1].HandlingUnknown = true // both: one is used, and the cost is unknown
	if d := Decide(in); len(d.Shipments) != 1 || d.Cost.Known {
		t.Fatalf("both uncounted: shipments %+v, cost %+v: want one used, its cost unknown", d.Shipments, d.Cost)
	} else if !strings.Contains(d.Explanation, "plus handling at "+d.Shipments[0].LocationName+", kept in another currency") {
		t.Errorf("the explanation does not say the handling is not counted: %s", d.Explanation)
	}
}
