package routing

import (
	"encoding/json"
	"reflect"
	"testing"
)

// apiExample is the rule set example from API.md.
const apiExample = `{"version": 4, "rules": [
  {"name": "EU closest", "enabled": true,
   "when": {"channels": ["web-eu"], "countries": ["FR", "DE"], "order_tags": [], "sku_tags": [],
            "min_value": null, "max_value": null, "delivery": "ship"},
   "filters": {"kinds": ["warehouse", "store"], "require_tags": [], "exclude_tags": [],
               "same_country": false, "max_km": null, "respect_capacity": true,
               "respect_safety_stock": true},
   "rank": ["fewest_shipments", "closest", "rank"],
   "split": {"allow": true, "max_shipments": 2},
   "missing_stock": "backorder"}]}`

func TestRuleSetDecodesAPIExample(t *testing.T) {
	var rs RuleSet
	if err := json.Unmarshal([]byte(apiExample), &rs); err != nil {
		t.Fatal(err)
	}
	r := rs.Rules[0]
	if rs.Version != 4 || r.Name != "EU closest" || !r.Enabled || r.When.Delivery != "ship" ||
		!reflect.DeepEqual(r.When.Countries, []string{"FR", "DE"}) || r.When.MinValue != nil ||
		!reflect.DeepEqual(r.Filters.Kinds, []string{"warehouse", "store"}) || !r.Filters.RespectCapacity ||
		r.Filters.MaxKm != nil || r.Split.MaxShipments != 2 || r.MissingStock != "backorder" ||
		!reflect.DeepEqual(r.Rank, []string{"fewest_shipments", "closest", "rank"}) {
		t.Fatalf("decoded %+v", rs)
	}
	if errs := rs.Validate(); errs != nil {
		t.Fatalf("example invalid: %v", errs)
	}
	// Encoding gives back the same JSON document.
	var want, got any
	if err := json.Unmarshal([]byte(apiExample), &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(mustJSON(t, rs)), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("round trip changed the document:\n%s", mustJSON(t, rs))
	}
}

func TestDecimalJSON(t *testing.T) {
	var w When
	if err := json.Unmarshal([]byte(`{"min_value": 19.90, "max_value": "250"}`), &w); err != nil {
		t.Fatal(err)
	}
	if *w.MinValue != "19.90" || *w.MaxValue != "250" {
		t.Fatalf("got %q %q", *w.MinValue, *w.MaxValue)
	}
	if got := mustJSON(t, w.MinValue); got != `"19.90"` {
		t.Fatalf("marshal = %s", got)
	}
	if err := json.Unmarshal([]byte(`{"min_value": true}`), &w); err == nil {
		t.Fatal("bool accepted as amount")
	}
}

func TestDecimalMinor(t *testing.T) {
	cases := []struct {
		d    Decimal
		exp  int
		ceil bool
		want int64
		ok   bool
	}{
		{"50", 2, true, 5000, true},
		{"50.5", 2, true, 5050, true},
		{"19.995", 2, true, 2000, true},
		{"19.995", 2, false, 1999, true},
		{"19.990", 2, true, 1999, true},
		{"1000", 0, false, 1000, true},
		{"12.5", 0, true, 13, true},
		{"12.5", 0, false, 12, true},
		{"0.001", 3, true, 1, true},
		{"-1.5", 0, false, -2, true},
		{"-1.5", 0, true, -1, true},
		{"99999999999999999999", 2, true, 1<<63 - 1, true},
		{"1e3", 2, true, 0, false},
		{"", 2, true, 0, false},
		{"1.", 2, true, 0, false},
		{".5", 2, true, 0, false},
		{"1,50", 2, true, 0, false},
	}
	for _, c := range cases {
		got, ok := c.d.minor(c.exp, c.ceil)
		if got != c.want || ok != c.ok {
			t.Errorf("%q.minor(%d, %v) = %d, %v; want %d, %v", c.d, c.exp, c.ceil, got, ok, c.want, c.ok)
		}
	}
}

func TestRuleMatching(t *testing.T) {
	dec := func(s string) *Decimal { d := Decimal(s); return &d }
	base := order("TEE", 1)
	base.Tags = []string{"VIP"}
	base.Lines[0].SKUTags = []string{"apparel"}
	base.Value = 5000 // 50.00 EUR
	cases := []struct {
		name string
		when When
		edit func(*Order)
		want bool
	}{
		{"empty matches all", When{}, nil, true},
		{"channel in", When{Channels: []string{"pos", "web-eu"}}, nil, true},
		{"channel out", When{Channels: []string{"pos"}}, nil, false},
		{"country any case", When{Countries: []string{"de", "fr"}}, nil, true},
		{"country out", When{Countries: []string{"DE"}}, nil, false},
		{"order tag any case", When{OrderTags: []string{"vip"}}, nil, true},
		{"order tag out", When{OrderTags: []string{"b2b"}}, nil, false},
		{"sku tag on one line", When{SKUTags: []string{"fragile", "apparel"}}, nil, true},
		{"sku tag out", When{SKUTags: []string{"fragile"}}, nil, false},
		{"sku tag on second line", When{SKUTags: []string{"fragile"}}, func(o *Order) {
			o.Lines = append(o.Lines, Line{ID: 2, SKU: "MUG", SKUTags: []string{"fragile"}, Quantity: 1})
		}, true},
		{"min equal", When{MinValue: dec("50.00")}, nil, true},
		{"min above", When{MinValue: dec("50.01")}, nil, false},
		{"min with extra digits rounds up", When{MinValue: dec("49.995")}, nil, true},
		{"max equal", When{MaxValue: dec("50")}, nil, true},
		{"max below", When{MaxValue: dec("49.99")}, nil, false},
		{"max with extra digits rounds down", When{MaxValue: dec("50.009")}, nil, true},
		{"zero exponent", When{MinValue: dec("5000")}, func(o *Order) { o.ValueExponent = 0 }, true},
		{"three-digit exponent", When{MaxValue: dec("5.000")}, func(o *Order) { o.ValueExponent = 3 }, true},
		{"malformed bound never matches", When{MinValue: dec("abc")}, nil, false},
		{"delivery ship", When{Delivery: "ship"}, nil, true},
		{"delivery empty order means ship", When{Delivery: "ship"}, func(o *Order) { o.Delivery = "" }, true},
		{"delivery pickup", When{Delivery: "pickup"}, nil, false},
		{"all conditions", When{Channels: []string{"web-eu"}, Countries: []string{"FR"}, OrderTags: []string{"vip"}, SKUTags: []string{"apparel"}, MinValue: dec("10"), MaxValue: dec("100"), Delivery: "ship"}, nil, true},
		{"one condition fails", When{Channels: []string{"web-eu"}, Countries: []string{"DE"}}, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := base
			o.Lines = append([]Line(nil), base.Lines...)
			if c.edit != nil {
				c.edit(&o)
			}
			r := Rule{Enabled: true, When: c.when}
			if got := r.matches(&o); got != c.want {
				t.Fatalf("matches = %v, want %v", got, c.want)
			}
		})
	}
}

func TestRuleSelection(t *testing.T) {
	o := order("TEE", 1)
	pos := rule("POS only")
	pos.When.Channels = []string{"pos"}
	off := rule("disabled")
	off.Enabled = false
	first, second := rule("first"), rule("second")
	cases := []struct {
		name      string
		rules     []Rule
		wantName  string
		wantIndex int
	}{
		{"no rules: default", nil, DefaultRuleName, -1},
		{"none match: default", []Rule{pos}, DefaultRuleName, -1},
		{"disabled skipped", []Rule{off, second}, "second", 1},
		{"only disabled: default", []Rule{off}, DefaultRuleName, -1},
		{"first match wins", []Rule{pos, first, second}, "first", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Decide(Input{Order: o, Rules: RuleSet{Version: 7, Rules: c.rules}, Now: wednesday10,
				Candidates: []Candidate{loc("LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 1})}})
			if d.Rule != c.wantName || d.RuleIndex != c.wantIndex || d.RuleVersion != 7 {
				t.Fatalf("rule %q index %d version %d; want %q %d 7", d.Rule, d.RuleIndex, d.RuleVersion, c.wantName, c.wantIndex)
			}
		})
	}
}

func TestDefaultRule(t *testing.T) {
	r := DefaultRule()
	if r.Name != "default" || !r.Enabled || !reflect.DeepEqual(r.Rank, []string{"fewest_shipments", "closest", "rank"}) ||
		!r.Split.Allow || r.Split.MaxShipments != DefaultMaxShipments || r.MissingStock != MissingBackorder ||
		!r.Filters.RespectCapacity || !r.Filters.RespectSafetyStock || len(r.Filters.Kinds) != 0 {
		t.Fatalf("default rule %+v", r)
	}
	if errs := ruleSet(r).Validate(); errs != nil {
		t.Fatalf("default rule invalid: %v", errs)
	}
}
