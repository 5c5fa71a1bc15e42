package routing

import "testing"

func TestZoneRates(t *testing.T) {
	rates := []ZoneRate{
		{Origin: "A", Country: "FR", Cost: 900, TransitDays: 3},
		{Origin: "A", Country: "fr", Region: "ARA", Cost: 500, TransitDays: 1},
		{Origin: "A", Country: "FR", Region: "IDF", Cost: 300, TransitDays: 1},
		{Origin: "B", Country: "FR", Cost: 700, TransitDays: 2},
		{Origin: "B", Country: "FR", Cost: 650, TransitDays: 4},
		{Origin: "C", Country: "DE", Cost: 100, TransitDays: 1},
	}
	cases := []struct {
		name            string
		origin, country string
		region          string
		ok              bool
		cost            int64
		transit         int
	}{
		{"region match beats country", "A", "FR", "ara", true, 500, 1},
		{"other region falls back to country", "A", "FR", "BRE", true, 900, 3},
		{"no region falls back to country", "A", "FR", "", true, 900, 3},
		{"equal specificity: lower cost", "B", "FR", "ARA", true, 650, 4},
		{"other country: no rate", "C", "FR", "", false, 0, 0},
		{"unknown origin: no rate", "Z", "FR", "", false, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			byCode := map[string]int{"A": 0, "B": 1, "C": 2, "Z": 3}
			slot := matchRates(rates, c.country, c.region, byCode, 4)[byCode[c.origin]]
			r, ok := slot.rate, slot.spec > 0
			if ok != c.ok || r.Cost != c.cost || r.TransitDays != c.transit {
				t.Fatalf("got %+v %v", r, ok)
			}
		})
	}
}

func TestRateFigures(t *testing.T) {
	o := order("TEE", 1)
	o.Region = "ARA"
	d := Decide(Input{Order: o, Now: wednesday10,
		Candidates: []Candidate{loc("A", "A", lyon, "FR", map[string]int64{"TEE": 1}), loc("B", "B", lyon, "FR", map[string]int64{"TEE": 1})},
		Rates:      []ZoneRate{{Origin: "A", Country: "FR", Cost: 900, TransitDays: 5}, {Origin: "A", Country: "FR", Region: "ARA", Cost: 420, TransitDays: 1}}})
	fa, fb := reportOf(t, d, "A").Figures, reportOf(t, d, "B").Figures
	if !fa.CostKnown || fa.Cost != 420 || fa.TransitDays != 1 || fa.TransitDefault {
		t.Fatalf("A %+v", fa)
	}
	if fb.CostKnown || fb.Cost != 0 || fb.TransitDays != 3 || !fb.TransitDefault {
		t.Fatalf("B %+v", fb)
	}
	if s := d.Shipments[0]; s.Location != "A" || s.Cost != 420 || !s.CostKnown {
		t.Fatalf("shipment %+v", s)
	}
}
