package routing

import (
	"maps"
	"testing"
)

func TestShadowedRules(t *testing.T) {
	dec := func(s string) *Decimal { d := Decimal(s); return &d }
	rule := func(name string, enabled bool, w When) Rule { return Rule{Name: name, Enabled: enabled, When: w} }
	for _, tc := range []struct {
		name  string
		rules []Rule
		want  map[int]int
	}{
		{"a catch-all first hides everything after it", []Rule{rule("all", true, When{}), rule("FR", true, When{Countries: []string{"FR"}})}, map[int]int{1: 0}},
		{"a narrower rule first hides nothing", []Rule{rule("FR", true, When{Countries: []string{"FR"}}), rule("all", true, When{})}, map[int]int{}},
		{"countries: a subset is hidden, case aside", []Rule{rule("EU", true, When{Countries: []string{"FR", "DE"}}), rule("fr", true, When{Countries: []string{"fr"}})}, map[int]int{1: 0}},
		{"countries: a wider list is not", []Rule{rule("FR", true, When{Countries: []string{"FR"}}), rule("EU", true, When{Countries: []string{"FR", "DE"}})}, map[int]int{}},
		{"a disabled rule hides nothing", []Rule{rule("all", false, When{}), rule("FR", true, When{Countries: []string{"FR"}})}, map[int]int{}},
		{"a disabled rule is not reported", []Rule{rule("all", true, When{}), rule("FR", false, When{Countries: []string{"FR"}})}, map[int]int{}},
		{"values: a range inside a range", []Rule{rule("50+", true, When{MinValue: dec("50")}), rule("100-200", true, When{MinValue: dec("100.00"), MaxValue: dec("200")})}, map[int]int{1: 0}},
		{"values: a lower minimum is not", []Rule{rule("50+", true, When{MinValue: dec("50")}), rule("10+", true, When{MinValue: dec("10")})}, map[int]int{}},
		{"delivery: pickup only after either", []Rule{rule("FR any", true, When{Countries: []string{"FR"}}), rule("FR pickup", true, When{Countries: []string{"FR"}, Delivery: "pickup"})}, map[int]int{1: 0}},
		{"delivery: either after pickup only is not", []Rule{rule("pickup", true, When{Delivery: "pickup"}), rule("any", true, When{Channels: []string{"web"}})}, map[int]int{}},
		{"tags: one more condition on the later rule still hidden", []Rule{rule("vip", true, When{OrderTags: []string{"vip"}}), rule("vip FR", true, When{OrderTags: []string{"VIP"}, Countries: []string{"FR"}})}, map[int]int{1: 0}},
	} {
		got := RuleSet{Rules: tc.rules}.Shadowed()
		if !maps.Equal(got, tc.want) {
			t.Errorf("%s: shadowed %v, want %v", tc.name, got, tc.want)
		}
	}
}
