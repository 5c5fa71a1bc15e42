package routing

import (
	"math"
	"reflect"
	"testing"
)

func TestValidate(t *testing.T) {
	dec := func(s string) *Decimal { d := Decimal(s); return &d }
	f := func(x float64) *float64 { return &x }
	cases := []struct {
		name string
		edit func(*Rule)
		want map[string]string
	}{
		{"valid", func(*Rule) {}, nil},
		{"unknown ranker", func(r *Rule) { r.Rank = []string{"closest", "cheapest"} },
			map[string]string{"rules[1].rank[1]": `unknown ranker "cheapest"`}},
		{"repeated ranker", func(r *Rule) { r.Rank = []string{"closest", "closest"} },
			map[string]string{"rules[1].rank[1]": `ranker "closest" is listed twice`}},
		{"name required", func(r *Rule) { r.Name = "  " },
			map[string]string{"rules[1].name": "is required"}},
		{"name unique ignoring case", func(r *Rule) { r.Name = "eu closest " },
			map[string]string{"rules[1].name": "is already used by rules[0]"}},
		{"name too long", func(r *Rule) { r.Name = string(make([]byte, 101)) + "x" },
			map[string]string{"rules[1].name": "must be at most 100 characters"}},
		{"name not text", func(r *Rule) { r.Name = "EU\x00 closest" },
			map[string]string{"rules[1].name": "contains characters that are not text"}},
		{"name not UTF-8", func(r *Rule) { r.Name = "caf\xe9" },
			map[string]string{"rules[1].name": "contains characters that are not text"}},
		{"tag with escape", func(r *Rule) { r.Filters.RequireTags = []string{"ok", "fr\x1b[2J"} },
			map[string]string{"rules[1].filters.require_tags[1]": "contains characters that are not text"}},
		{"max shipments with split", func(r *Rule) { r.Split = Split{Allow: true, MaxShipments: 0} },
			map[string]string{"rules[1].split.max_shipments": "must be at least 1 when splitting is allowed"}},
		{"max shipments ignored without split", func(r *Rule) { r.Split = Split{Allow: false} }, nil},
		{"max shipments negative", func(r *Rule) { r.Split = Split{MaxShipments: -1} },
			map[string]string{"rules[1].split.max_shipments": "must not be negative"}},
		{"max shipments beyond the limit", func(r *Rule) { r.Split = Split{Allow: true, MaxShipments: 1 << 30} },
			map[string]string{"rules[1].split.max_shipments": "must be at most 50"}},
		{"missing stock empty", func(r *Rule) { r.MissingStock = "" },
			map[string]string{"rules[1].missing_stock": `is required: "backorder", "hold" or "leave"`}},
		{"missing stock unknown", func(r *Rule) { r.MissingStock = "cancel" },
			map[string]string{"rules[1].missing_stock": `must be "backorder", "hold" or "leave", not "cancel"`}},
		{"unknown kind", func(r *Rule) { r.Filters.Kinds = []string{"store", "depot"} },
			map[string]string{"rules[1].filters.kinds[1]": `unknown kind "depot" (use "warehouse", "store", "3pl", "dropship" or "partner")`}},
		{"min above max", func(r *Rule) { r.When.MinValue, r.When.MaxValue = dec("100"), dec("99.99") },
			map[string]string{"rules[1].when.max_value": "must not be less than min_value (100)"}},
		{"min equal max", func(r *Rule) { r.When.MinValue, r.When.MaxValue = dec("100"), dec("100.00") }, nil},
		{"min compared exactly", func(r *Rule) { r.When.MinValue, r.When.MaxValue = dec("0.30"), dec("0.3") }, nil},
		{"bad amount", func(r *Rule) { r.When.MinValue = dec("1e3") },
			map[string]string{"rules[1].when.min_value": `must be a decimal amount such as "50.00"`}},
		{"negative amount", func(r *Rule) { r.When.MaxValue = dec("-5") },
			map[string]string{"rules[1].when.max_value": "must not be negative"}},
		{"unknown delivery", func(r *Rule) { r.When.Delivery = "courier" },
			map[string]string{"rules[1].when.delivery": `must be "ship", "pickup" or empty`}},
		{"unknown country", func(r *Rule) { r.When.Countries = []string{"FR", "XX"} },
			map[string]string{"rules[1].when.countries[1]": `unknown country code "XX"`}},
		{"empty channel", func(r *Rule) { r.When.Channels = []string{""} },
			map[string]string{"rules[1].when.channels[0]": "must not be empty"}},
		{"tag required and excluded", func(r *Rule) { r.Filters.RequireTags, r.Filters.ExcludeTags = []string{"a"}, []string{"A"} },
			map[string]string{"rules[1].filters.exclude_tags[0]": `tag "A" is also required`}},
		{"max km zero", func(r *Rule) { r.Filters.MaxKm = f(0) },
			map[string]string{"rules[1].filters.max_km": "must be a positive number of kilometres"}},
		{"max km NaN", func(r *Rule) { r.Filters.MaxKm = f(math.NaN()) },
			map[string]string{"rules[1].filters.max_km": "must be a positive number of kilometres"}},
		{"assign optimal", func(r *Rule) { r.Assign = AssignOptimalCost }, nil},
		{"assign greedy", func(r *Rule) { r.Assign = AssignGreedy }, nil},
		{"assign unknown", func(r *Rule) { r.Assign = "cheapest" },
			map[string]string{"rules[1].assign": `must be "greedy", "optimal_cost" or empty, not "cheapest"`}},
		{"assign is case-sensitive", func(r *Rule) { r.Assign = "Optimal_Cost" },
			map[string]string{"rules[1].assign": `must be "greedy", "optimal_cost" or empty, not "Optimal_Cost"`}},
		{"split penalty", func(r *Rule) { r.Split.Penalty = dec("2.50") }, nil},
		{"split penalty zero", func(r *Rule) { r.Split.Penalty = dec("0") }, nil},
		{"split penalty negative", func(r *Rule) { r.Split.Penalty = dec("-1.00") },
			map[string]string{"rules[1].split.penalty": "must not be negative"}},
		{"split penalty malformed", func(r *Rule) { r.Split.Penalty = dec("2,50") },
			map[string]string{"rules[1].split.penalty": `must be a decimal amount such as "50.00"`}},
		{"several errors", func(r *Rule) { r.Name = ""; r.Rank = []string{"x"}; r.MissingStock = "" },
			map[string]string{"rules[1].name": "is required", "rules[1].rank[0]": `unknown ranker "x"`,
				"rules[1].missing_stock": `is required: "backorder", "hold" or "leave"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rule("other", "closest")
			c.edit(&r)
			got := ruleSet(rule("EU closest", "closest"), r).Validate()
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("Validate() = %v\nwant %v", got, c.want)
			}
		})
	}
}

func TestValidateEmptySet(t *testing.T) {
	if errs := (RuleSet{}).Validate(); errs != nil {
		t.Fatalf("empty set: %v", errs)
	}
}
