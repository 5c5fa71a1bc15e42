package routing

import (
	"maps"
	"testing"
)

func TestPlacements(t *testing.T) {
	lys := loc("LYS-WH", "Lyon warehouse", lyon, "FR", map[string]int64{"TEE-BLK-M": 2, "CAP": 1})
	lej := loc("LEJ-WH", "Leipzig warehouse", leipzig, "DE", map[string]int64{"TEE-BLK-M": 2, "CAP": 1})
	par := loc("PAR-WH", "Paris warehouse", paris, "FR", map[string]int64{"TEE-BLK-M": 2, "CAP": 1})
	noCap := func(c *Candidate) { delete(c.Stock, "CAP") }
	cases := []struct {
		name  string
		cands []Candidate
		rank  []string
		rates []ZoneRate
		want  map[string]string
	}{
		{"by distance, each against the one just above", []Candidate{lej, lys, par}, []string{"fewest_shipments", "closest", "rank"}, nil,
			map[string]string{
				"PAR-WH": "Farther than Lyon warehouse (392 km against 0 km; ranked by closest).",
				"LEJ-WH": "Farther than Paris warehouse (831 km against 392 km; ranked by closest).",
			}},
		{"fewest shipments first", []Candidate{with(lys, noCap), lej}, []string{"fewest_shipments", "closest"}, nil,
			map[string]string{"LYS-WH": "Cannot ship every line alone, unlike Leipzig warehouse (1 of 2 lines full against 2 of 2 lines full; ranked by fewest shipments)."}},
		{"location rank", []Candidate{with(lys, func(c *Candidate) { c.Rank = 2 }), with(lej, func(c *Candidate) { c.Rank = 1 })}, []string{"rank", "closest"}, nil,
			map[string]string{"LYS-WH": "Lower location rank than Leipzig warehouse (rank 2 against rank 1; ranked by location rank)."}},
		{"most stock", []Candidate{with(lys, noCap), lej}, []string{"most_stock"}, nil,
			map[string]string{"LYS-WH": "Less stock than Leipzig warehouse (2 of 3 units against 3 of 3 units; ranked by most stock)."}},
		{"lowest cost", []Candidate{lys, lej}, []string{"lowest_cost"},
			[]ZoneRate{{Origin: "LEJ-WH", Country: "FR", Cost: 420}, {Origin: "LYS-WH", Country: "FR", Cost: 650}},
			map[string]string{"LYS-WH": "Costlier to ship than Leipzig warehouse (€6.50 against €4.20; ranked by lowest shipping cost)."}},
		{"unknown cost", []Candidate{lys, lej}, []string{"lowest_cost"}, []ZoneRate{{Origin: "LEJ-WH", Country: "FR", Cost: 420}},
			map[string]string{"LYS-WH": "Costlier to ship than Leipzig warehouse (cost unknown against €4.20; ranked by lowest shipping cost)."}},
		{"earliest promise", []Candidate{lys, lej}, []string{"earliest_promise"},
			[]ZoneRate{{Origin: "LEJ-WH", Country: "FR", TransitDays: 0}, {Origin: "LYS-WH", Country: "FR", TransitDays: 2}},
			map[string]string{"LYS-WH": "Later delivery than Leipzig warehouse (7 Dec against 3 Dec; ranked by earliest delivery promise)."}},
		{"tied on every ranker", []Candidate{with(lys, func(c *Candidate) { c.Code, c.Name = "LYS-2", "Lyon annex" }), lys}, []string{"closest"}, nil,
			map[string]string{"LYS-WH": "Tied with Lyon annex on every ranker; the location code decides (LYS-2 before LYS-WH)."}},
		{"excluded candidates are not placed", []Candidate{lys, with(lej, func(c *Candidate) { c.Active = false })}, []string{"closest"}, nil,
			map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := Input{Order: order("TEE-BLK-M", 2, "CAP", 1), Candidates: c.cands, Rules: ruleSet(rule("R", c.rank...)), Rates: c.rates, Now: wednesday10}
			got := Placements(Decide(in), in)
			if !maps.Equal(got, c.want) {
				t.Errorf("placements:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestPlacementsNeedTheDecidingRule(t *testing.T) {
	lys := loc("LYS-WH", "Lyon warehouse", lyon, "FR", map[string]int64{"CAP": 1})
	lej := loc("LEJ-WH", "Leipzig warehouse", leipzig, "DE", map[string]int64{"CAP": 1})
	in := Input{Order: order("CAP", 1), Candidates: []Candidate{lys, lej}, Rules: ruleSet(rule("R", "closest")), Now: wednesday10}
	d := Decide(in)
	if got := Placements(d, in); len(got) != 1 {
		t.Fatalf("with the rule: %q, want one sentence", got)
	}
	in.Rules = ruleSet(rule("Other", "closest"))
	if got := Placements(d, in); got != nil {
		t.Errorf("rule renamed since: %q, want none", got)
	}
	d.Candidates = nil
	if got := Placements(d, Input{}); len(got) != 0 {
		t.Errorf("figures lost: %q, want none", got)
	}
	def := Input{Order: order("CAP", 1), Candidates: []Candidate{lys, lej}, Now: wednesday10}
	if got := Placements(Decide(def), def); got["LEJ-WH"] == "" {
		t.Errorf("default rule: %q, want Leipzig placed", got)
	}
}
