package routing

import (
	"encoding/json"
	"testing"
	"time"

	"switchyard/app/geo"
)

// Points used across the tests.
var (
	lyon    = geo.Point{Lat: 45.764, Lon: 4.8357}
	paris   = geo.Point{Lat: 48.8566, Lon: 2.3522}
	leipzig = geo.Point{Lat: 51.3397, Lon: 12.3731}
	berlin  = geo.Point{Lat: 52.52, Lon: 13.405}
	madrid  = geo.Point{Lat: 40.4168, Lon: -3.7038}
)

// wednesday10 is Wednesday 2 December 2026, 10:00 UTC (11:00 in Paris).
var wednesday10 = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

// loc builds an active shipping warehouse serving web-eu, with stock.
func loc(code, name string, p geo.Point, country string, stock map[string]int64) Candidate {
	st := make(map[string]Stock, len(stock))
	for sku, n := range stock {
		st[sku] = Stock{OnHand: n}
	}
	return Candidate{
		Code: code, Name: name, Kind: KindWarehouse, Country: country, Point: p,
		Active: true, Ships: true, Channels: []string{"web-eu"},
		Timezone: "Europe/Paris", Cutoff: "15:00", HandlingDays: 1, Stock: st,
	}
}

// with returns a copy of c (with its own stock map) changed by f.
func with(c Candidate, f func(*Candidate)) Candidate {
	c = clone(c)
	f(&c)
	return c
}

// order builds a ship order to Lyon on web-eu with the given lines (sku, qty pairs).
func order(lines ...any) Order {
	o := Order{
		Number: "SY-1", Channel: "web-eu", ChannelName: "Web EU", Country: "FR",
		Dest: lyon, DestKnown: true, Value: 5000, ValueExponent: 2, Currency: "EUR",
		Delivery: DeliveryShip,
	}
	for i := 0; i+1 < len(lines); i += 2 {
		o.Lines = append(o.Lines, Line{ID: int64(len(o.Lines) + 1), SKU: lines[i].(string), Quantity: int64(lines[i+1].(int))})
	}
	return o
}

// ruleSet wraps rules into version 1.
func ruleSet(rules ...Rule) RuleSet {
	return RuleSet{Version: 1, Rules: rules}
}

// rule builds an enabled rule with the given rankers, splitting up to 5, backordering.
func rule(name string, rank ...string) Rule {
	return Rule{
		Name: name, Enabled: true, Rank: rank,
		Filters:      Filters{RespectCapacity: true, RespectSafetyStock: true},
		Split:        Split{Allow: true, MaxShipments: 5},
		MissingStock: MissingBackorder,
	}
}

// shipped maps location code to SKU to quantity over the shipments.
func shipped(d Decision) map[string]map[string]int64 {
	out := map[string]map[string]int64{}
	for _, s := range d.Shipments {
		if out[s.Location] == nil {
			out[s.Location] = map[string]int64{}
		}
		for _, a := range s.Lines {
			out[s.Location][a.SKU] += a.Quantity
		}
	}
	return out
}

// locations lists the shipment locations in order.
func locations(d Decision) []string {
	var out []string
	for _, s := range d.Shipments {
		out = append(out, s.Location)
	}
	return out
}

// reportOf finds a candidate report by code.
func reportOf(t *testing.T, d Decision, code string) CandidateReport {
	t.Helper()
	for _, r := range d.Candidates {
		if r.Location == code {
			return r
		}
	}
	t.Fatalf("no report for %s", code)
	return CandidateReport{}
}

// mustJSON encodes v or fails the test.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

// dump shows a decision in failure messages.
func dump(d Decision) string {
	b, _ := json.MarshalIndent(d, "", "  ")
	return string(b)
}
