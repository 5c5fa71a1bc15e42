package automation

import (
	"math/big"
	"reflect"
	"strings"
	"testing"
)

var known = Known{HoldReasons: []string{"fraud_review", "address_check", "other"}}

// program parses a document or fails the test.
func program(t *testing.T, doc string) *Program {
	t.Helper()
	p, err := Parse([]byte(doc), known)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return p
}

// rule wraps one rule's conditions in a document on order.received that adds the tag "hit".
func rule(conds string) string {
	return `{"version": 0, "rules": [{"name": "R", "enabled": true, "trigger": "order.received",
		"conditions": [` + conds + `], "actions": [{"action": "add_tag", "tag": "hit"}]}]}`
}

func rat(s string) *big.Rat { r, _ := new(big.Rat).SetString(s); return r }
func days(n int64) *int64   { return &n }

func TestConditions(t *testing.T) {
	base := Facts{Channel: "shop-eu", Country: "DE", Currency: "EUR", EmailDomain: "example.com", Delivery: "ship",
		Total: rat("1000.01"), Quantity: 3, Tags: []string{"express", "VIP"}, SKUs: []string{"TEE-1", "MUG-2"},
		SKUTags: []string{"fragile"}, CustomerOrderCount: 1, OrdersInDays: map[int]int64{7: 4}, POBox: true,
		PromiseDays: days(9)}
	cases := []struct {
		name, cond string
		facts      func(*Facts)
		want       bool
	}{
		{"channel eq", `{"field": "channel", "op": "eq", "value": "SHOP-EU"}`, nil, true},
		{"channel ne", `{"field": "channel", "op": "ne", "value": "shop-eu"}`, nil, false},
		{"country in", `{"field": "country", "op": "in", "value": ["fr", "de"]}`, nil, true},
		{"country not in", `{"field": "country", "op": "in", "value": ["fr", "nl"]}`, nil, false},
		{"domain contains", `{"field": "email_domain", "op": "contains", "value": "example"}`, nil, true},
		{"total gt string", `{"field": "total", "op": "gt", "value": "1000.00"}`, nil, true},
		{"total gt exact edge", `{"field": "total", "op": "gt", "value": "1000.01"}`, nil, false},
		{"total gte number", `{"field": "total", "op": "gte", "value": 1000.01}`, nil, true},
		{"total lt", `{"field": "total", "op": "lt", "value": "50"}`, nil, false},
		{"no total holds nothing", `{"field": "total", "op": "lt", "value": "50"}`, func(f *Facts) { f.Total = nil }, false},
		{"currency", `{"field": "currency", "op": "eq", "value": "eur"}`, nil, true},
		{"tags contains any case", `{"field": "tags", "op": "contains", "value": "vip"}`, nil, true},
		{"tags ne", `{"field": "tags", "op": "ne", "value": "express"}`, nil, false},
		{"tags in", `{"field": "tags", "op": "in", "value": ["gift", "express"]}`, nil, true},
		{"sku contains", `{"field": "sku", "op": "contains", "value": "MUG-2"}`, nil, true},
		{"sku tag", `{"field": "sku_tag", "op": "contains", "value": "fragile"}`, nil, true},
		{"quantity lte", `{"field": "quantity", "op": "lte", "value": 3}`, nil, true},
		{"quantity in", `{"field": "quantity", "op": "in", "value": [1, 2]}`, nil, false},
		{"first order", `{"field": "first_order", "op": "eq", "value": true}`, nil, true},
		{"not first order", `{"field": "first_order", "op": "eq", "value": true}`, func(f *Facts) { f.CustomerOrderCount = 2 }, false},
		{"customer count", `{"field": "customer_order_count", "op": "eq", "value": 1}`, nil, true},
		{"orders in days", `{"field": "orders_in_days", "days": 7, "op": "gte", "value": 3}`, nil, true},
		{"orders in other window", `{"field": "orders_in_days", "days": 30, "op": "gte", "value": 3}`, nil, false},
		{"address ok", `{"field": "address_check_failed", "op": "eq", "value": true}`, nil, false},
		{"po box", `{"field": "po_box", "op": "ne", "value": false}`, nil, true},
		{"promise later", `{"field": "promise_days", "op": "gt", "value": 7}`, nil, true},
		{"no promise", `{"field": "promise_days", "op": "gt", "value": 7}`, func(f *Facts) { f.PromiseDays = nil }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := base
			if c.facts != nil {
				c.facts(&f)
			}
			got := len(program(t, rule(c.cond)).Evaluate(OrderReceived, f)) == 1
			if got != c.want {
				t.Errorf("fired %v, want %v", got, c.want)
			}
		})
	}
}

func TestEvaluateOrderTriggerAndEnabled(t *testing.T) {
	p := program(t, `{"rules": [
	 {"name": "Big first orders", "enabled": true, "trigger": "order.received",
	  "conditions": [{"field": "total", "op": "gt", "value": "1000.00"}, {"field": "customer_order_count", "op": "eq", "value": 1}],
	  "actions": [{"action": "hold", "reason": "fraud_review"}, {"action": "add_tag", "tag": "big"}, {"action": "note", "text": "First order over 1,000"}]},
	 {"name": "Off", "enabled": false, "trigger": "order.received", "conditions": [], "actions": [{"action": "release"}]},
	 {"name": "On routing", "enabled": true, "trigger": "order.routed", "conditions": [], "actions": [{"action": "release"}]},
	 {"name": "Everything", "enabled": true, "trigger": "order.received", "conditions": [], "actions": [{"action": "priority", "priority": 5}]}]}`)
	got := p.Evaluate(OrderReceived, Facts{Total: rat("1200"), CustomerOrderCount: 1})
	var names []string
	for _, m := range got {
		names = append(names, m.Name)
	}
	if !reflect.DeepEqual(names, []string{"Big first orders", "Everything"}) {
		t.Fatalf("fired %v", names)
	}
	if len(got[0].Actions) != 3 || got[0].Actions[0].Reason != "fraud_review" {
		t.Errorf("actions %+v", got[0].Actions)
	}
	if got := p.Evaluate(OrderReceived, Facts{Total: rat("999"), CustomerOrderCount: 1}); len(got) != 1 || got[0].Name != "Everything" {
		t.Errorf("small order fired %+v", got)
	}
	if n := p.Needs(OrderReceived); !n.CustomerCount || n.SKUTags {
		t.Errorf("needs %+v", n)
	}
	if p.Has(OrderShipped) || !p.Has(OrderRouted) {
		t.Error("Has answers wrong")
	}
}

func TestRefusals(t *testing.T) {
	long := strings.Repeat("x", 600)
	cases := []struct {
		name, doc, field string
	}{
		{"unknown trigger", `{"rules": [{"name": "A", "trigger": "order.exploded", "actions": [{"action": "release"}]}]}`, "rules[0].trigger"},
		{"unknown field", `{"rules": [{"name": "A", "trigger": "order.received", "conditions": [{"field": "x", "op": "eq", "value": 1}], "actions": [{"action": "release"}]}]}`, "rules[0].conditions[0].field"},
		{"unknown op", `{"rules": [{"name": "A", "trigger": "order.received", "conditions": [{"field": "total", "op": "eq", "value": 1}, {"field": "total", "op": "like", "value": 1}], "actions": [{"action": "release"}]}]}`, "rules[0].conditions[1].op"},
		{"op not for kind", `{"rules": [{"name": "A", "trigger": "order.received", "conditions": [{"field": "first_order", "op": "gt", "value": true}], "actions": [{"action": "release"}]}]}`, "rules[0].conditions[0].op"},
		{"unknown action", `{"rules": [{"name": "A", "trigger": "order.received", "actions": [{"action": "delete_order"}]}]}`, "rules[0].actions[0].action"},
		{"no actions", `{"rules": [{"name": "A", "trigger": "order.received"}]}`, "rules[0].actions"},
		{"bad hold reason", `{"rules": [{"name": "A", "trigger": "order.received", "actions": [{"action": "hold", "reason": "because"}]}]}`, "rules[0].actions[0].reason"},
		{"money not a number", `{"rules": [{"name": "A", "trigger": "order.received", "conditions": [{"field": "total", "op": "gt", "value": "1e9"}], "actions": [{"action": "release"}]}]}`, "rules[0].conditions[0].value"},
		{"huge number", `{"rules": [{"name": "A", "trigger": "order.received", "conditions": [{"field": "total", "op": "gt", "value": "` + strings.Repeat("9", 100) + `"}], "actions": [{"action": "release"}]}]}`, "rules[0].conditions[0].value"},
		{"fraction for count", `{"rules": [{"name": "A", "trigger": "order.received", "conditions": [{"field": "quantity", "op": "gt", "value": 1.5}], "actions": [{"action": "release"}]}]}`, "rules[0].conditions[0].value"},
		{"missing value", `{"rules": [{"name": "A", "trigger": "order.received", "conditions": [{"field": "channel", "op": "eq"}], "actions": [{"action": "release"}]}]}`, "rules[0].conditions[0].value"},
		{"in without list", `{"rules": [{"name": "A", "trigger": "order.received", "conditions": [{"field": "country", "op": "in", "value": "DE"}], "actions": [{"action": "release"}]}]}`, "rules[0].conditions[0].value"},
		{"days missing", `{"rules": [{"name": "A", "trigger": "order.received", "conditions": [{"field": "orders_in_days", "op": "gt", "value": 3}], "actions": [{"action": "release"}]}]}`, "rules[0].conditions[0].days"},
		{"no name", `{"rules": [{"name": " ", "trigger": "order.received", "actions": [{"action": "release"}]}]}`, "rules[0].name"},
		{"control in name", `{"rules": [{"name": "A\u0000B", "trigger": "order.received", "actions": [{"action": "release"}]}]}`, "rules[0].name"},
		{"same name", `{"rules": [{"name": "A", "trigger": "order.received", "actions": [{"action": "release"}]}, {"name": "a", "trigger": "order.held", "actions": [{"action": "release"}]}]}`, "rules[1].name"},
		{"long note", `{"rules": [{"name": "A", "trigger": "order.received", "actions": [{"action": "note", "text": "` + long + `"}]}]}`, "rules[0].actions[0].text"},
		{"tag with comma", `{"rules": [{"name": "A", "trigger": "order.received", "actions": [{"action": "add_tag", "tag": "a,b"}]}]}`, "rules[0].actions[0].tag"},
		{"priority out of range", `{"rules": [{"name": "A", "trigger": "order.received", "actions": [{"action": "priority", "priority": 1000}]}]}`, "rules[0].actions[0].priority"},
		{"webhook event", `{"rules": [{"name": "A", "trigger": "order.received", "actions": [{"action": "webhook", "event": "Bad Event!"}]}]}`, "rules[0].actions[0].event"},
		{"reroute nameless", `{"rules": [{"name": "A", "trigger": "order.received", "actions": [{"action": "reroute"}]}]}`, "rules[0].actions[0].rule"},
		{"unknown key", `{"rules": [{"name": "A", "trigger": "order.received", "actions": [{"action": "release"}], "sneaky": 1}]}`, "rules"},
		{"not json", `{"rules": [`, "rules"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.doc), known)
			fe, ok := err.(FieldErrors)
			if !ok {
				t.Fatalf("err %v, want FieldErrors", err)
			}
			if _, ok := fe[c.field]; !ok {
				t.Errorf("errors %v do not name %s", fe, c.field)
			}
		})
	}
}

func TestTooManyRules(t *testing.T) {
	rs := RuleSet{Rules: make([]Rule, MaxRules+1)}
	if _, err := Compile(rs, known); err == nil {
		t.Fatal("accepted too many rules")
	}
}

func TestFactsHelpers(t *testing.T) {
	for _, s := range []string{"PO Box 12", "p.o. box 7", "Postfach 1234", "Boîte postale 5"} {
		if !LooksLikePOBox("", s) {
			t.Errorf("%q is a PO box", s)
		}
	}
	for _, s := range []string{"Boxhagener Str. 3", "12 Post Road", "Pombal 3"} {
		if LooksLikePOBox(s) {
			t.Errorf("%q is not a PO box", s)
		}
	}
	if EmailDomain("Ann@Example.COM") != "example.com" || EmailDomain("nobody") != "" {
		t.Error("EmailDomain")
	}
}
