package routing

import (
	"reflect"
	"testing"
)

func TestPickup(t *testing.T) {
	store := with(loc("PAR-01", "Paris Marais store", paris, "FR", map[string]int64{"TEE-BLK-M": 2, "CAP": 1}), func(c *Candidate) {
		c.Kind, c.Ships, c.Pickup = KindStore, false, true
	})
	wh := loc("LYS-WH", "Lyon warehouse", lyon, "FR", map[string]int64{"TEE-BLK-M": 9, "CAP": 9})
	cases := []struct {
		name  string
		code  string
		store func(*Candidate)
		rule  func(*Rule)
		hold  string
	}{
		{"ready: the rule's filters do not apply", "PAR-01", nil, func(r *Rule) { r.Filters.Kinds = []string{"warehouse"}; r.Filters.SameCountry = true }, ""},
		{"ready: capacity does not apply", "PAR-01", func(c *Candidate) { c.DailyCapacity, c.UsedToday = 1, 5 }, nil, ""},
		{"held: lacks stock", "PAR-01", func(c *Candidate) { c.Stock["TEE-BLK-M"] = Stock{OnHand: 0} }, nil,
			"Pickup at Paris Marais store, which lacks TEE-BLK-M (needs 2, has 0)"},
		{"held: safety stock respected", "PAR-01", func(c *Candidate) { c.Stock["TEE-BLK-M"] = Stock{OnHand: 3, Safety: 2} }, nil,
			"Pickup at Paris Marais store, which lacks TEE-BLK-M (needs 2, has 1)"},
		{"ready: safety stock ignored by the rule", "PAR-01", func(c *Candidate) { c.Stock["TEE-BLK-M"] = Stock{OnHand: 3, Safety: 2} },
			func(r *Rule) { r.Filters.RespectSafetyStock = false }, ""},
		{"held: inactive and no pickup", "PAR-01", func(c *Candidate) { c.Active, c.Pickup = false, false }, nil,
			"Pickup at Paris Marais store, which is inactive and does not offer pickup"},
		{"held: channel not served", "PAR-01", func(c *Candidate) { c.Channels = []string{"pos"} }, nil,
			"Pickup at Paris Marais store, which does not serve channel Web EU"},
		{"held: unknown location", "PAR-99", nil, nil, "Pickup at PAR-99, which is not one of the candidate locations"},
		{"held: no location given", "", nil, nil, "Pickup order without a pickup location"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := clone(store)
			if c.store != nil {
				c.store(&s)
			}
			r := rule("Pickup", "closest")
			r.When.Delivery = DeliveryPickup
			if c.rule != nil {
				c.rule(&r)
			}
			o := order("TEE-BLK-M", 2, "CAP", 1)
			o.Delivery, o.PickupLocation = DeliveryPickup, c.code
			d := Decide(Input{Order: o, Candidates: []Candidate{wh, s}, Rules: ruleSet(r), Now: wednesday10})
			if d.Rule != "Pickup" {
				t.Fatalf("rule %q", d.Rule)
			}
			if w := reportOf(t, d, "LYS-WH"); !w.Excluded || !reflect.DeepEqual(w.Reasons, []string{"not the pickup location"}) {
				t.Fatalf("warehouse report %+v", w)
			}
			if c.hold != "" {
				if !d.Hold || d.HoldReason != c.hold || len(d.Shipments)+len(d.Backorders)+len(d.Unrouted) != 0 {
					t.Fatalf("want hold %q\n%s", c.hold, dump(d))
				}
				if d.Explanation != "Held for review: "+lowerFirst(c.hold)+"." {
					t.Fatalf("explanation %q", d.Explanation)
				}
				return
			}
			want := map[string]map[string]int64{"PAR-01": {"TEE-BLK-M": 2, "CAP": 1}}
			if d.Hold || !reflect.DeepEqual(shipped(d), want) {
				t.Fatalf("want ready\n%s", dump(d))
			}
			sh := d.Shipments[0]
			if !sh.DeliverBy.Equal(sh.ShipBy) || sh.Cost != 0 || !sh.CostKnown || d.Explanation != "To be collected at Paris Marais store, which has all 3 items." {
				t.Fatalf("shipment %+v, explanation %q", sh, d.Explanation)
			}
			if p := reportOf(t, d, "PAR-01"); p.Excluded || !p.Chosen || p.Position != 1 {
				t.Fatalf("store report %+v", p)
			}
		})
	}
}
