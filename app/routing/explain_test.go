package routing

import (
	"testing"

	"switchyard/app/geo"
)

func TestExplanations(t *testing.T) {
	dest := geo.Point{Lat: 45.80, Lon: 4.8357} // 4 km north of the Lyon warehouse
	lys := loc("LYS-WH", "Lyon warehouse", lyon, "FR", map[string]int64{"TEE-BLK-M": 2, "CAP": 1})
	lej := loc("LEJ-WH", "Leipzig warehouse", leipzig, "DE", map[string]int64{"TEE-BLK-M": 2, "CAP": 1})
	store := with(loc("PAR-ST", "Paris store", dest, "FR", map[string]int64{"TEE-BLK-M": 5, "CAP": 5}), func(c *Candidate) {
		c.Kind, c.Tags = KindStore, []string{"walk-in"}
	})
	madridWH := loc("MAD-WH", "Madrid warehouse", madrid, "ES", map[string]int64{"TEE-BLK-M": 2, "CAP": 1})
	eu := rule("EU closest", "fewest_shipments", "closest", "rank")
	eu.Filters.ExcludeTags = []string{"walk-in"}
	cases := []struct {
		name  string
		cands []Candidate
		rule  func(*Rule)
		order func(*Order)
		rates []ZoneRate
		want  string
	}{
		{"closest, with an exclusion", []Candidate{lys, lej, store}, nil, nil, nil,
			`Routed to Lyon warehouse: closest location with all 3 items, 4 km; Paris store excluded: tagged walk-in, which rule "EU closest" excludes.`},
		{"two exclusions at most", []Candidate{lys, lej, store,
			with(store, func(c *Candidate) { c.Code, c.Name = "PAR-2", "Paris store 2" }),
			with(store, func(c *Candidate) { c.Code, c.Name = "PAR-3", "Paris store 3" })}, nil, nil, nil,
			`Routed to Lyon warehouse: closest location with all 3 items, 4 km; Paris store 2 excluded: tagged walk-in, which rule "EU closest" excludes; Paris store 3 excluded: tagged walk-in, which rule "EU closest" excludes.`},
		{"farther exclusions are not named", []Candidate{lys, lej, with(store, func(c *Candidate) { c.Point = berlin })}, nil, nil, nil,
			`Routed to Lyon warehouse: closest location with all 3 items, 4 km.`},
		{"only location with everything", []Candidate{lys, with(lej, func(c *Candidate) { delete(c.Stock, "CAP") })}, nil, nil, nil,
			`Routed to Lyon warehouse: the only location with all 3 items.`},
		{"one item", []Candidate{lys}, nil, func(o *Order) { *o = order("CAP", 1) }, nil,
			`Routed to Lyon warehouse: the only location with the item.`},
		{"ranked first", []Candidate{with(lys, func(c *Candidate) { c.Rank = 1 }), with(lej, func(c *Candidate) { c.Rank = 2 })},
			func(r *Rule) { r.Rank = []string{"rank", "closest"} }, nil, nil,
			`Routed to Lyon warehouse: ranked first (rank 1) of the locations with all 3 items.`},
		{"lowest cost", []Candidate{lys, lej}, func(r *Rule) { r.Rank = []string{"lowest_cost"} }, nil,
			[]ZoneRate{{Origin: "LEJ-WH", Country: "FR", Cost: 420}, {Origin: "LYS-WH", Country: "FR", Cost: 650}},
			`Routed to Leipzig warehouse: lowest cost (€4.20) of the locations with all 3 items.`},
		{"lowest cost in another currency", []Candidate{lys, lej}, func(r *Rule) { r.Rank = []string{"lowest_cost"} },
			func(o *Order) { o.Currency = "CHF" },
			[]ZoneRate{{Origin: "LEJ-WH", Country: "FR", Cost: 5}, {Origin: "LYS-WH", Country: "FR", Cost: 650}},
			`Routed to Leipzig warehouse: lowest cost (0.05 CHF) of the locations with all 3 items.`},
		{"earliest delivery", []Candidate{lys, lej}, func(r *Rule) { r.Rank = []string{"earliest_promise"} }, nil,
			[]ZoneRate{{Origin: "LEJ-WH", Country: "FR", TransitDays: 0}, {Origin: "LYS-WH", Country: "FR", TransitDays: 2}},
			`Routed to Leipzig warehouse: earliest delivery (3 Dec) of the locations with all 3 items.`},
		{"tie broken by code", []Candidate{lys, with(lys, func(c *Candidate) { c.Code, c.Name = "LYS-2", "Lyon annex" })}, nil, nil, nil,
			`Routed to Lyon annex: tied with Lyon warehouse and first by location code of the locations with all 3 items.`},
		{"split", []Candidate{with(lys, func(c *Candidate) { delete(c.Stock, "CAP") }), with(lej, func(c *Candidate) { delete(c.Stock, "TEE-BLK-M") })}, nil, nil, nil,
			`Split into 2 shipments: Lyon warehouse (2 items) and Leipzig warehouse (1 item), as no location has all 3 items.`},
		{"split in ranked order", []Candidate{with(lys, func(c *Candidate) { delete(c.Stock, "CAP") }), lej},
			func(r *Rule) { r.Rank = []string{"closest"} }, nil, nil,
			`Split into 2 shipments: Lyon warehouse (2 items) and Leipzig warehouse (1 item), taking locations in the order rule "EU closest" ranks them.`},
		{"held", []Candidate{with(lys, func(c *Candidate) { delete(c.Stock, "TEE-BLK-M") })}, func(r *Rule) { r.MissingStock = MissingHold }, nil, nil,
			`Held for review: no location has TEE-BLK-M (rule "EU closest" holds orders with missing stock).`},
		{"held: nothing eligible", []Candidate{with(lys, func(c *Candidate) { c.Active = false })}, nil, nil, nil,
			`Held for review: no location is eligible (Lyon warehouse: inactive).`},
		{"held: no candidates", nil, nil, nil, nil, `Held for review: no candidate locations.`},
		{"held: more than two ineligible", []Candidate{
			with(lys, func(c *Candidate) { c.Active = false }), with(lej, func(c *Candidate) { c.Ships = false }), with(madridWH, func(c *Candidate) { c.Channels = nil })}, nil, nil, nil,
			`Held for review: no location is eligible (Leipzig warehouse: does not ship; Lyon warehouse: inactive; and 1 more).`},
		{"backordered, rest ships", []Candidate{with(lys, func(c *Candidate) { c.Stock["TEE-BLK-M"] = Stock{} }), with(lej, func(c *Candidate) { delete(c.Stock, "TEE-BLK-M") })}, nil, nil, nil,
			`Backordered 2 × TEE-BLK-M at Lyon warehouse, as no location has TEE-BLK-M; the rest ships from Lyon warehouse.`},
		{"backordered everything", []Candidate{with(lys, func(c *Candidate) { c.Stock = map[string]Stock{"TEE-BLK-M": {}} })}, nil, nil, nil,
			`Backordered 2 × TEE-BLK-M and 1 × CAP at Lyon warehouse, as no location has TEE-BLK-M or CAP.`},
		{"backordered, rest split", []Candidate{
			with(lys, func(c *Candidate) { c.Stock = map[string]Stock{"TEE-BLK-M": {OnHand: 1}} }),
			with(lej, func(c *Candidate) { c.Stock = map[string]Stock{"CAP": {OnHand: 1}} })}, nil, nil, nil,
			`Backordered 1 × TEE-BLK-M at Lyon warehouse, as only 1 of 2 × TEE-BLK-M in stock; the rest ships in 2 shipments from Lyon warehouse (1 item) and Leipzig warehouse (1 item).`},
		{"held: nothing eligible under a hold rule", []Candidate{with(lys, func(c *Candidate) { c.Active = false })},
			func(r *Rule) { r.MissingStock = MissingHold }, nil, nil,
			`Held for review: no location is eligible (Lyon warehouse: inactive).`},
		{"not routed: nothing eligible under a leave rule", []Candidate{with(lys, func(c *Candidate) { c.Active = false })},
			func(r *Rule) { r.MissingStock = MissingLeave }, nil, nil,
			`Not routed: no location is eligible (Lyon warehouse: inactive).`},
		{"backorders of one SKU on two lines are summed", []Candidate{with(lys, func(c *Candidate) { c.Stock = nil })}, nil,
			func(o *Order) { *o = order("TEE-BLK-M", 2, "TEE-BLK-M", 3) }, nil,
			`Backordered 5 × TEE-BLK-M at Lyon warehouse, as no location has TEE-BLK-M.`},
		{"left unrouted", []Candidate{with(lys, func(c *Candidate) { delete(c.Stock, "CAP") })}, func(r *Rule) { r.MissingStock = MissingLeave }, nil, nil,
			`Left 1 × CAP unrouted, as no location has CAP; the rest ships from Lyon warehouse.`},
		{"not routed", []Candidate{with(lys, func(c *Candidate) { c.Stock = nil })}, func(r *Rule) { r.MissingStock = MissingLeave }, nil, nil,
			`Not routed: no location has TEE-BLK-M or CAP (rule "EU closest" leaves missing stock unrouted).`},
		{"default rule backorders", []Candidate{with(lys, func(c *Candidate) { c.Stock = nil })}, func(r *Rule) { r.Enabled = false }, nil, nil,
			`Backordered 2 × TEE-BLK-M and 1 × CAP at Lyon warehouse, as no location has TEE-BLK-M or CAP.`},
		{"default rule names its exclusions", []Candidate{lys, with(store, func(c *Candidate) { c.Channels = nil })}, func(r *Rule) { r.Enabled = false }, nil, nil,
			`Routed to Lyon warehouse: the only location with all 3 items; Paris store excluded: does not serve channel Web EU.`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := eu
			r.Rank = append([]string(nil), eu.Rank...)
			if c.rule != nil {
				c.rule(&r)
			}
			o := order("TEE-BLK-M", 2, "CAP", 1)
			o.Dest = dest
			if c.order != nil {
				c.order(&o)
				o.Dest = dest
			}
			d := Decide(Input{Order: o, Candidates: c.cands, Rules: ruleSet(r), Rates: c.rates, Now: wednesday10})
			if d.Explanation != c.want {
				t.Fatalf("explanation\n got: %s\nwant: %s", d.Explanation, c.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	cases := []struct{ got, want string }{
		{listAnd(nil, 3), ""},
		{listAnd([]string{"A"}, 3), "A"},
		{listAnd([]string{"A", "B"}, 3), "A and B"},
		{listAnd([]string{"A", "B", "C"}, 3), "A, B and C"},
		{listAnd([]string{"A", "B", "C", "D", "E"}, 3), "A, B, C and 2 more"},
		{listOr([]string{"A", "B"}, 3), "A or B"},
		{km(4.04), "4.04 km"},
		{km(4.0), "4 km"},
		{km(812.4), "812 km"},
		{money(420, 2, "EUR"), "€4.20"},
		{money(5, 2, "gbp"), "£0.05"},
		{money(1500, 0, "JPY"), "¥1500"},
		{money(-1234, 3, "KWD"), "-1.234 KWD"},
		{money(99, 2, ""), "0.99"},
		{items(1), "1 item"},
		{withAll(2), "with all 2 items"},
		{withArticle("3PL"), "a 3PL"},
		{withArticle("outlet"), "an outlet"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
