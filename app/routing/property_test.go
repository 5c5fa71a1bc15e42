package routing

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"switchyard/app/geo"
)

// propertyCases is how many random networks and orders the property tests try.
const propertyCases = 400

var (
	propSKUs     = []string{"TEE-BLK-M", "TEE-WHT-S", "CAP-RED", "MUG-01", "HAT-02", "SOCK-9"}
	propTags     = []string{"walk-in", "express", "bulky", "cold"}
	propKinds    = []string{KindWarehouse, KindStore, Kind3PL, KindDropship, KindPartner}
	propZones    = []string{"Europe/Paris", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "", "Bad/Zone"}
	propCutoffs  = []string{"15:00", "09:30", "", "23:59", "00:00", "nope"}
	propRankers  = []string{RankerRank, RankerClosest, RankerMostStock, RankerLowestCost, RankerEarliestPromise, RankerFewestShipments}
	propPolicies = []string{MissingBackorder, MissingHold, MissingLeave}
	propCountry  = []string{"FR", "DE", "ES"}
)

// pick returns a random element.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// some returns a random subset, in random order.
func some[T any](r *rand.Rand, xs []T, max int) []T {
	var out []T
	for _, i := range r.Perm(len(xs))[:r.IntN(min(max, len(xs))+1)] {
		out = append(out, xs[i])
	}
	return out
}

// randomInput builds a random network, order and rule set.
func randomInput(r *rand.Rand) Input {
	in := Input{Now: time.Date(2026, 12, 1+r.IntN(28), r.IntN(24), r.IntN(60), 0, 0, time.UTC)}
	n := r.IntN(12)
	for i := range n {
		in.Candidates = append(in.Candidates, randomCandidate(r, i))
	}
	in.Order = randomOrder(r, in.Candidates)
	for _, c := range in.Candidates {
		if r.IntN(3) > 0 {
			in.Rates = append(in.Rates, ZoneRate{Origin: c.Code, Country: pick(r, propCountry), Region: pick(r, []string{"", "", "R1"}),
				Cost: int64(r.IntN(2000)), TransitDays: r.IntN(5)})
		}
	}
	in.Rules = RuleSet{Version: r.IntN(9)}
	for i := range r.IntN(4) {
		in.Rules.Rules = append(in.Rules.Rules, randomRule(r, i))
	}
	return in
}

// randomCandidate builds one random location.
func randomCandidate(r *rand.Rand, i int) Candidate {
	c := Candidate{
		Code: fmt.Sprintf("L%02d", i), Name: fmt.Sprintf("Location %d", i), Kind: pick(r, propKinds),
		Country: pick(r, propCountry), Point: geo.Point{Lat: 36 + r.Float64()*20, Lon: -8 + r.Float64()*25},
		Tags: some(r, propTags, 2), Active: r.IntN(10) > 0, Ships: r.IntN(10) > 0, Pickup: r.IntN(3) == 0,
		Channels: []string{"web-eu"}, Rank: int64(r.IntN(4)), Timezone: pick(r, propZones), Cutoff: pick(r, propCutoffs),
		HandlingDays: r.IntN(4), Stock: map[string]Stock{},
	}
	if r.IntN(7) == 0 {
		c.Channels = []string{"pos"}
	}
	if r.IntN(20) == 0 {
		c.Point.Lat = 123 // invalid: distance unknown
	}
	if r.IntN(3) == 0 {
		c.DailyCapacity, c.UsedToday = int64(1+r.IntN(5)), int64(r.IntN(7))
	}
	for _, sku := range some(r, propSKUs, len(propSKUs)) {
		c.Stock[sku] = Stock{OnHand: int64(r.IntN(7)), Reserved: int64(r.IntN(4)), Safety: int64(r.IntN(3))}
	}
	return c
}

// randomOrder builds a random order, sometimes for pickup.
func randomOrder(r *rand.Rand, cands []Candidate) Order {
	o := Order{Number: "SY-R", Channel: "web-eu", ChannelName: "Web EU", Country: pick(r, propCountry), Region: pick(r, []string{"", "R1"}),
		Dest: geo.Point{Lat: 40 + r.Float64()*12, Lon: -4 + r.Float64()*18}, DestKnown: r.IntN(5) > 0,
		Tags: some(r, []string{"vip", "b2b"}, 1), Value: int64(r.IntN(30000)), ValueExponent: 2, Currency: "EUR", Delivery: DeliveryShip}
	for i := range 1 + r.IntN(6) {
		o.Lines = append(o.Lines, Line{ID: int64(100 + i), SKU: pick(r, propSKUs), SKUTags: some(r, []string{"fragile", "apparel"}, 1), Quantity: int64(r.IntN(5))})
	}
	if r.IntN(6) == 0 {
		o.Delivery = DeliveryPickup
		if len(cands) > 0 && r.IntN(5) > 0 {
			o.PickupLocation = pick(r, cands).Code
		}
	}
	return o
}

// randomRule builds a random (usually valid) rule.
func randomRule(r *rand.Rand, i int) Rule {
	rl := Rule{
		Name: fmt.Sprintf("rule %d", i), Enabled: r.IntN(5) > 0,
		When: When{Countries: some(r, propCountry, 2), OrderTags: some(r, []string{"vip"}, 1), SKUTags: some(r, []string{"fragile"}, 1)},
		Filters: Filters{Kinds: some(r, propKinds, 3), RequireTags: some(r, propTags, 1), ExcludeTags: some(r, propTags, 1),
			SameCountry: r.IntN(4) == 0, RespectCapacity: r.IntN(2) == 0, RespectSafetyStock: r.IntN(2) == 0},
		Rank:         some(r, propRankers, len(propRankers)),
		Split:        Split{Allow: r.IntN(2) == 0, MaxShipments: r.IntN(4)},
		MissingStock: pick(r, propPolicies),
	}
	if r.IntN(4) == 0 {
		km := float64(100 + r.IntN(1500))
		rl.Filters.MaxKm = &km
	}
	if r.IntN(4) == 0 {
		d := Decimal(fmt.Sprintf("%d.%02d", r.IntN(200), r.IntN(100)))
		rl.When.MinValue = &d
	}
	return rl
}

// ruleOf returns the rule that decided.
func ruleOf(in Input, d Decision) Rule {
	if d.RuleIndex < 0 {
		return DefaultRule()
	}
	return in.Rules.Rules[d.RuleIndex]
}

func TestPropertiesOverRandomNetworks(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 12))
	for i := range propertyCases {
		in := randomInput(r)
		before := mustJSON(t, in)
		d := Decide(in)
		if mustJSON(t, in) != before {
			t.Fatalf("Decide changed its input")
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkNeverOverAssigned(t, in, d)
			checkEveryLineAccounted(t, in, d)
			checkShipmentLimits(t, in, d)
			checkDeterministic(t, in, d)
			checkDecisionRoundTrip(t, d)
			checkRuleSetRoundTrip(t, in.Rules)
			checkExplained(t, d)
		})
		if t.Failed() {
			t.Fatalf("input: %s", mustJSON(t, in))
		}
	}
}

// checkNeverOverAssigned: no candidate ships more of a SKU than it has available.
func checkNeverOverAssigned(t *testing.T, in Input, d Decision) {
	safety := ruleOf(in, d).Filters.RespectSafetyStock
	byCode := map[string]Candidate{}
	for _, c := range in.Candidates {
		byCode[c.Code] = c
	}
	for code, skus := range shipped(d) {
		for sku, q := range skus {
			if avail := byCode[code].Stock[sku].Available(safety); q > avail {
				t.Errorf("%s ships %d × %s, has %d available", code, q, sku, avail)
			}
		}
		if rep := reportOf(t, d, code); rep.Excluded || !rep.Chosen {
			t.Errorf("%s ships but is excluded or not chosen: %+v", code, rep)
		}
	}
}

// checkEveryLineAccounted: shipped + backordered + unrouted = quantity, or held with nothing assigned.
func checkEveryLineAccounted(t *testing.T, in Input, d Decision) {
	got := map[int64]int64{}
	for _, s := range d.Shipments {
		for _, a := range s.Lines {
			if a.Quantity <= 0 {
				t.Errorf("empty allocation %+v", a)
			}
			got[a.LineID] += a.Quantity
		}
	}
	for _, b := range d.Backorders {
		got[b.LineID] += b.Quantity
	}
	for _, a := range d.Unrouted {
		got[a.LineID] += a.Quantity
	}
	if d.Hold {
		if len(got) != 0 || d.HoldReason == "" {
			t.Errorf("held order has assignments %v or no reason", got)
		}
		return
	}
	for _, l := range in.Order.Lines {
		if want := max(l.Quantity, 0); got[l.ID] != want {
			t.Errorf("line %d: accounted %d of %d", l.ID, got[l.ID], want)
		}
	}
}

// checkShipmentLimits: never more shipments than the rule allows; pickups only at the pickup location.
func checkShipmentLimits(t *testing.T, in Input, d Decision) {
	rl := ruleOf(in, d)
	limit := 1
	if rl.Split.Allow {
		limit = max(rl.Split.MaxShipments, 1)
	}
	if len(d.Shipments) > limit {
		t.Errorf("%d shipments, rule allows %d", len(d.Shipments), limit)
	}
	if in.Order.Delivery == DeliveryPickup {
		for _, s := range d.Shipments {
			if s.Location != in.Order.PickupLocation || len(d.Backorders)+len(d.Unrouted) != 0 {
				t.Errorf("pickup shipped from %s, or left lines over", s.Location)
			}
		}
	}
}

// checkDeterministic: the same input, twice or with candidates and rates shuffled, decides the same.
func checkDeterministic(t *testing.T, in Input, d Decision) {
	want := mustJSON(t, d)
	if again := mustJSON(t, Decide(in)); again != want {
		t.Errorf("second run differs:\n%s\n%s", want, again)
	}
	shuffled := in
	shuffled.Candidates = append([]Candidate(nil), in.Candidates...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled.Candidates), func(i, j int) {
		shuffled.Candidates[i], shuffled.Candidates[j] = shuffled.Candidates[j], shuffled.Candidates[i]
	})
	if got := mustJSON(t, Decide(shuffled)); got != want {
		t.Errorf("candidate order changed the decision:\n%s\n%s", want, got)
	}
}

// checkDecisionRoundTrip: a stored decision reads back identical.
func checkDecisionRoundTrip(t *testing.T, d Decision) {
	var back Decision
	if err := json.Unmarshal([]byte(mustJSON(t, d)), &back); err != nil {
		t.Fatalf("decode decision: %v", err)
	}
	if !reflect.DeepEqual(back, d) {
		t.Errorf("decision round trip differs:\n%s\n%s", mustJSON(t, d), mustJSON(t, back))
	}
}

// checkRuleSetRoundTrip: rules read back identical, and Validate never panics.
func checkRuleSetRoundTrip(t *testing.T, rs RuleSet) {
	var back RuleSet
	if err := json.Unmarshal([]byte(mustJSON(t, rs)), &back); err != nil {
		t.Fatalf("decode rules: %v", err)
	}
	if !reflect.DeepEqual(back, rs) {
		t.Errorf("rule set round trip differs:\n%s\n%s", mustJSON(t, rs), mustJSON(t, back))
	}
	_ = rs.Validate()
}

// checkExplained: one sentence, always.
func checkExplained(t *testing.T, d Decision) {
	e := d.Explanation
	if e == "" || !strings.HasSuffix(e, ".") || strings.Contains(e, "..") || strings.Contains(e, "\n") {
		t.Errorf("explanation %q", e)
	}
}

func TestNeverSplitRuleNeverSplits(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for range propertyCases {
		in := randomInput(r)
		never := randomRule(r, 0)
		never.Enabled, never.When = true, When{}
		never.Split = Split{Allow: false, MaxShipments: 3}
		in.Rules.Rules = []Rule{never}
		if d := Decide(in); len(d.Shipments) > 1 {
			t.Fatalf("never-split rule made %d shipments\n%s", len(d.Shipments), dump(d))
		}
	}
}

func TestDecideSurvivesHostileInput(t *testing.T) {
	bad := Input{
		Order: Order{Lines: []Line{{ID: 1, SKU: "", Quantity: 1<<62 + 1}, {ID: 1, SKU: "", Quantity: 1 << 62}}, ValueExponent: -3, Delivery: "teleport"},
		Candidates: []Candidate{{Code: "", Active: true, Ships: true, HandlingDays: 1 << 40, Cutoff: "99:99",
			Stock: map[string]Stock{"": {OnHand: 1<<63 - 1, Reserved: -1 << 63, Safety: -5}}}},
		Rules: RuleSet{Rules: []Rule{{Name: "x", Enabled: true, Rank: []string{"??"}, Split: Split{Allow: true, MaxShipments: -9}, MissingStock: "??"}}},
		Rates: []ZoneRate{{TransitDays: -5}},
	}
	d := Decide(bad)
	if d.Explanation == "" {
		t.Fatal("no explanation")
	}
	mustJSON(t, d)
}
