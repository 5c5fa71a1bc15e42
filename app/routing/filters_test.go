package routing

import (
	"reflect"
	"testing"
)

func TestExclusionReasons(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	stocked := loc("PAR", "Paris store", paris, "FR", map[string]int64{"TEE": 5})
	cases := []struct {
		name  string
		cand  func(*Candidate)
		rule  func(*Rule)
		order func(*Order)
		want  []string
	}{
		{"eligible", nil, nil, nil, nil},
		{"inactive", func(c *Candidate) { c.Active = false }, nil, nil, []string{"inactive"}},
		{"does not ship", func(c *Candidate) { c.Ships = false }, nil, nil, []string{"does not ship"}},
		{"does not serve channel", func(c *Candidate) { c.Channels = []string{"pos"} }, nil, nil,
			[]string{"does not serve channel Web EU"}},
		{"no channels serves none", func(c *Candidate) { c.Channels = nil }, nil, nil,
			[]string{"does not serve channel Web EU"}},
		{"channel code when unnamed", func(c *Candidate) { c.Channels = nil }, nil, func(o *Order) { o.ChannelName = "" },
			[]string{"does not serve channel web-eu"}},
		{"several base reasons", func(c *Candidate) { c.Active, c.Ships = false, false }, nil, nil,
			[]string{"inactive", "does not ship"}},
		{"kind not allowed (one)", func(c *Candidate) { c.Kind = KindStore }, func(r *Rule) { r.Filters.Kinds = []string{"warehouse"} }, nil,
			[]string{`not a warehouse, the only kind rule "EU closest" allows`}},
		{"kind not allowed (several)", func(c *Candidate) { c.Kind = KindStore }, func(r *Rule) { r.Filters.Kinds = []string{"warehouse", "3pl"} }, nil,
			[]string{`not a warehouse or 3PL: rule "EU closest" allows only those`}},
		{"kind allowed", nil, func(r *Rule) { r.Filters.Kinds = []string{"store", "warehouse"} }, nil, nil},
		{"required tag missing", nil, func(r *Rule) { r.Filters.RequireTags = []string{"express"} }, nil,
			[]string{`lacks tag express, which rule "EU closest" requires`}},
		{"required tags missing", func(c *Candidate) { c.Tags = []string{"Express"} }, func(r *Rule) { r.Filters.RequireTags = []string{"express", "bulky", "cold"} }, nil,
			[]string{`lacks tags bulky and cold, which rule "EU closest" requires`}},
		{"required tag present any case", func(c *Candidate) { c.Tags = []string{"EXPRESS"} }, func(r *Rule) { r.Filters.RequireTags = []string{"express"} }, nil, nil},
		{"excluded tag", func(c *Candidate) { c.Tags = []string{"walk-in"} }, func(r *Rule) { r.Filters.ExcludeTags = []string{"walk-in"} }, nil,
			[]string{`tagged walk-in, which rule "EU closest" excludes`}},
		{"excluded tag absent", func(c *Candidate) { c.Tags = []string{"express"} }, func(r *Rule) { r.Filters.ExcludeTags = []string{"walk-in"} }, nil, nil},
		{"other country", func(c *Candidate) { c.Country = "DE"; c.Point = berlin }, func(r *Rule) { r.Filters.SameCountry = true }, nil,
			[]string{"in DE, not the destination country FR"}},
		{"same country any case", func(c *Candidate) { c.Country = "fr" }, func(r *Rule) { r.Filters.SameCountry = true }, nil, nil},
		{"farther than max km", func(c *Candidate) { c.Point = berlin }, func(r *Rule) { r.Filters.MaxKm = f(500) }, nil,
			[]string{"975 km away, over the 500 km limit"}},
		{"within max km", nil, func(r *Rule) { r.Filters.MaxKm = f(400) }, nil, nil},
		{"distance unknown with max km", func(c *Candidate) { c.Point.Lat = 200 }, func(r *Rule) { r.Filters.MaxKm = f(400) }, nil,
			[]string{"distance unknown, so not within the 400 km limit"}},
		{"over capacity", func(c *Candidate) { c.DailyCapacity, c.UsedToday = 120, 120 }, nil, nil,
			[]string{"over today's capacity (120/120)"}},
		{"capacity left", func(c *Candidate) { c.DailyCapacity, c.UsedToday = 120, 119 }, nil, nil, nil},
		{"capacity ignored", func(c *Candidate) { c.DailyCapacity, c.UsedToday = 120, 200 }, func(r *Rule) { r.Filters.RespectCapacity = false }, nil, nil},
		{"no limit", func(c *Candidate) { c.DailyCapacity, c.UsedToday = 0, 5000 }, nil, nil, nil},
		{"lacks SKU", func(c *Candidate) { c.Stock = nil }, nil, nil, []string{"lacks SKU TEE"}},
		{"lacks SKUs, listed to three", func(c *Candidate) { c.Stock = nil }, nil, func(o *Order) {
			*o = order("A", 1, "B", 1, "C", 1, "D", 1, "E", 1)
		}, []string{"lacks SKUs A, B, C and 2 more"}},
		{"reserved stock is not available", func(c *Candidate) { c.Stock["TEE"] = Stock{OnHand: 5, Reserved: 5} }, nil, nil,
			[]string{"lacks SKU TEE"}},
		{"below safety stock", func(c *Candidate) { c.Stock["TEE"] = Stock{OnHand: 5, Reserved: 1, Safety: 4} }, nil, nil,
			[]string{"below safety stock for TEE"}},
		{"safety stock ignored", func(c *Candidate) { c.Stock["TEE"] = Stock{OnHand: 5, Reserved: 1, Safety: 4} },
			func(r *Rule) { r.Filters.RespectSafetyStock = false }, nil, nil},
		{"some SKUs is enough to stay eligible", nil, nil, func(o *Order) { *o = order("TEE", 1, "CAP", 1) }, nil},
		{"filter and stock reasons together", func(c *Candidate) { c.Active = false; c.Stock = nil }, nil, nil,
			[]string{"inactive", "lacks SKU TEE"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cand := stocked
			cand.Stock = map[string]Stock{"TEE": {OnHand: 5}}
			if c.cand != nil {
				c.cand(&cand)
			}
			r := rule("EU closest", "closest")
			if c.rule != nil {
				c.rule(&r)
			}
			o := order("TEE", 1)
			if c.order != nil {
				c.order(&o)
			}
			d := Decide(Input{Order: o, Candidates: []Candidate{cand}, Rules: ruleSet(r), Now: wednesday10})
			rep := reportOf(t, d, "PAR")
			if len(c.want) == 0 {
				if rep.Excluded || len(rep.Reasons) != 0 {
					t.Fatalf("excluded: %q", rep.Reasons)
				}
				return
			}
			if !rep.Excluded || !reflect.DeepEqual(rep.Reasons, c.want) {
				t.Fatalf("excluded %v, reasons %q; want %q", rep.Excluded, rep.Reasons, c.want)
			}
			if rep.Chosen || len(d.Shipments) != 0 {
				t.Fatalf("an excluded location shipped: %s", dump(d))
			}
		})
	}
}

func TestDuplicateCodeUsesFirst(t *testing.T) {
	a := loc("LYS", "Lyon A", lyon, "FR", map[string]int64{"TEE": 1})
	b := loc("LYS", "Lyon B", lyon, "FR", map[string]int64{"TEE": 9})
	d := Decide(Input{Order: order("TEE", 1), Candidates: []Candidate{a, b}, Now: wednesday10})
	if len(d.Shipments) != 1 || d.Shipments[0].LocationName != "Lyon A" {
		t.Fatalf("%s", dump(d))
	}
	if r := d.Candidates[1]; !r.Excluded || r.LocationName != "Lyon B" || r.Reasons[0] != "duplicate location code LYS; the first entry is used" {
		t.Fatalf("%+v", r)
	}
}

func TestStockAvailable(t *testing.T) {
	cases := []struct {
		s      Stock
		safety bool
		want   int64
	}{
		{Stock{OnHand: 10, Reserved: 3, Safety: 2}, true, 5},
		{Stock{OnHand: 10, Reserved: 3, Safety: 2}, false, 7},
		{Stock{OnHand: 2, Reserved: 3}, false, 0},
		{Stock{OnHand: 5, Safety: 9}, true, 0},
		{Stock{OnHand: 5, Reserved: -3, Safety: -1}, true, 5},
	}
	for _, c := range cases {
		if got := c.s.Available(c.safety); got != c.want {
			t.Errorf("%+v.Available(%v) = %d, want %d", c.s, c.safety, got, c.want)
		}
	}
}

func TestFiguresKeptForExcluded(t *testing.T) {
	c := with(loc("PAR", "Paris", paris, "FR", map[string]int64{"TEE": 3}), func(c *Candidate) {
		c.Active = false
		c.DailyCapacity, c.UsedToday = 10, 4
		c.Rank = 7
	})
	d := Decide(Input{Order: order("TEE", 2, "CAP", 1), Candidates: []Candidate{c}, Now: wednesday10,
		Rates: []ZoneRate{{Origin: "PAR", Country: "FR", Cost: 420, TransitDays: 1}}})
	f := reportOf(t, d, "PAR").Figures
	if !f.DistanceKnown || f.DistanceKm != 391.5 || !f.CostKnown || f.Cost != 420 || f.TransitDays != 1 || f.TransitDefault ||
		f.LinesFull != 1 || f.LinesTotal != 2 || f.UnitsAvailable != 2 || f.UnitsOrdered != 3 ||
		f.CapacityLeft != 6 || f.Rank != 7 || f.ShipBy.IsZero() || f.DeliverBy.IsZero() || f.Timezone != "Europe/Paris" {
		t.Fatalf("figures %+v", f)
	}
}
