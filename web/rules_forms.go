package web

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"switchyard/app"
	"switchyard/app/routing"
	"switchyard/web/views"
)

// rankerChoices are the rankers in the order the editor offers them.
var rankerChoices = []views.Choice{
	{Value: routing.RankerFewestShipments, Label: "Fewest shipments"},
	{Value: routing.RankerClosest, Label: "Closest"},
	{Value: routing.RankerRank, Label: "Location rank (lowest first)"},
	{Value: routing.RankerMostStock, Label: "Most stock"},
	{Value: routing.RankerLowestCost, Label: "Lowest shipping cost"},
	{Value: routing.RankerEarliestPromise, Label: "Earliest delivery promise"},
}

// missingChoices are the missing-stock policies.
var missingChoices = []views.Choice{
	{Value: routing.MissingBackorder, Label: "Backorder it at the best location"},
	{Value: routing.MissingHold, Label: "Hold the order for review"},
	{Value: routing.MissingLeave, Label: "Leave it unrouted"},
}

// assignChoices are the assignment strategies; greedy is stored as the
// rules JSON's default (no "assign").
var assignChoices = []views.Choice{
	{Value: routing.AssignGreedy, Label: "Greedy: fast, explainable"},
	{Value: routing.AssignOptimalCost, Label: "Optimal cost: cheapest combination"},
}

// newRule is what "Add a rule" starts from: the default rule's settings, unnamed.
func newRule() routing.Rule {
	r := routing.DefaultRule()
	r.Name = ""
	return withLists(r)
}

// withLists gives the rule's empty lists as [] rather than null, as an export shows them (API.md).
func withLists(r routing.Rule) routing.Rule {
	for _, l := range []*[]string{&r.When.Channels, &r.When.Countries, &r.When.OrderTags, &r.When.SKUTags,
		&r.Filters.Kinds, &r.Filters.RequireTags, &r.Filters.ExcludeTags, &r.Rank} {
		if *l == nil {
			*l = []string{}
		}
	}
	return r
}

// ruleFormOf fills the editor from a rule of the draft.
func ruleFormOf(index int, r routing.Rule) views.RuleForm {
	f := views.RuleForm{
		Index: index, Name: r.Name, Enabled: r.Enabled, Channels: r.When.Channels,
		Countries: strings.Join(r.When.Countries, ", "), OrderTags: strings.Join(r.When.OrderTags, ", "),
		SKUTags: strings.Join(r.When.SKUTags, ", "), MinValue: decimalText(r.When.MinValue), MaxValue: decimalText(r.When.MaxValue),
		Delivery: r.When.Delivery, Kinds: r.Filters.Kinds, RequireTags: strings.Join(r.Filters.RequireTags, ", "),
		ExcludeTags: strings.Join(r.Filters.ExcludeTags, ", "), SameCountry: r.Filters.SameCountry,
		RespectCapacity: r.Filters.RespectCapacity, RespectSafetyStock: r.Filters.RespectSafetyStock,
		Rank: r.Rank, SplitAllow: r.Split.Allow, SplitKits: r.Split.KitComponents, MissingStock: r.MissingStock,
		Assign: r.AssignStrategy(), SplitPenalty: decimalText(r.Split.Penalty),
	}
	if r.Filters.MaxKm != nil {
		f.MaxKm = strconv.FormatFloat(*r.Filters.MaxKm, 'f', -1, 64)
	}
	if r.Split.Allow || r.Split.MaxShipments != 0 {
		f.MaxShipments = strconv.Itoa(r.Split.MaxShipments)
	}
	return f
}

// ruleOf maps the editor's form to a rule; fields that are not numbers are
// an Invalid error named as the form names them, and the app is not asked.
func ruleOf(f *views.RuleForm) (routing.Rule, error) {
	f.Rank = slices.DeleteFunc(f.Rank, func(s string) bool { return strings.TrimSpace(s) == "" })
	bad := map[string]string{}
	r := routing.Rule{
		Name: strings.TrimSpace(f.Name), Enabled: f.Enabled,
		When: routing.When{
			Channels: f.Channels, Countries: upperAll(listOf(f.Countries)), OrderTags: listOf(f.OrderTags), SKUTags: listOf(f.SKUTags),
			MinValue: amountOf(bad, "when.min_value", f.MinValue, "50.00"), MaxValue: amountOf(bad, "when.max_value", f.MaxValue, "50.00"),
			Delivery: f.Delivery,
		},
		Filters: routing.Filters{
			Kinds: f.Kinds, RequireTags: listOf(f.RequireTags), ExcludeTags: listOf(f.ExcludeTags), SameCountry: f.SameCountry,
			MaxKm: kmOf(bad, f.MaxKm), RespectCapacity: f.RespectCapacity, RespectSafetyStock: f.RespectSafetyStock,
		},
		Rank: f.Rank,
		Split: routing.Split{Allow: f.SplitAllow, MaxShipments: shipmentsOf(bad, f.MaxShipments),
			Penalty: penaltyOf(bad, f.SplitPenalty), KitComponents: f.SplitKits},
		MissingStock: f.MissingStock,
		Assign:       assignOf(bad, f.Assign),
	}
	if len(bad) > 0 {
		return r, app.Invalid("some fields are not valid", bad)
	}
	return withLists(r), nil
}

// listOf splits a comma-separated field, dropping empty items.
func listOf(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// upperAll upper-cases every item (country codes).
func upperAll(list []string) []string {
	for i := range list {
		list[i] = strings.ToUpper(list[i])
	}
	return list
}

// amountPattern is a plain decimal amount.
var amountPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// amountOf reads an optional amount; empty is nil. A bad one is reported
// with example as the amount to copy ("50.00").
func amountOf(bad map[string]string, field, raw, example string) *routing.Decimal {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	if !amountPattern.MatchString(raw) {
		bad[field] = "must be an amount such as " + example
		return nil
	}
	d := routing.Decimal(raw)
	return &d
}

// penaltyOf reads the optional split penalty, an amount in the order's currency.
func penaltyOf(bad map[string]string, raw string) *routing.Decimal {
	if strings.HasPrefix(strings.TrimSpace(raw), "-") {
		bad["split.penalty"] = "must not be negative"
		return nil
	}
	return amountOf(bad, "split.penalty", raw, "2.00")
}

// assignOf reads the assignment strategy: greedy (the default) is stored as
// no "assign", so rules that never chose keep their JSON.
func assignOf(bad map[string]string, raw string) string {
	switch raw = strings.TrimSpace(raw); raw {
	case "", routing.AssignGreedy:
		return ""
	case routing.AssignOptimalCost:
		return raw
	}
	bad["assign"] = "must be greedy or optimal_cost"
	return ""
}

// kmOf reads the optional maximum distance.
func kmOf(bad map[string]string, raw string) *float64 {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		bad["filters.max_km"] = "must be a number of kilometres such as 300"
		return nil
	}
	return &v
}

// shipmentsOf reads the maximum number of shipments; empty is 0.
func shipmentsOf(bad map[string]string, raw string) int {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0
	}
	v, err := strconv.Atoi(raw)
	if err != nil {
		bad["split.max_shipments"] = "must be a whole number"
	}
	return v
}

// decimalText is an optional amount as a form shows it.
func decimalText(d *routing.Decimal) string {
	if d == nil {
		return ""
	}
	return string(*d)
}

// ruleFieldPlaces are the error keys the editor shows beside a field.
var ruleFieldPlaces = []string{
	"name", "enabled", "when.channels", "when.countries", "when.order_tags", "when.sku_tags", "when.min_value",
	"when.max_value", "when.delivery", "filters.kinds", "filters.require_tags", "filters.exclude_tags",
	"filters.same_country", "filters.max_km", "filters.respect_capacity", "filters.respect_safety_stock",
	"rank", "split.allow", "split.max_shipments", "split.penalty", "split.kit_components", "missing_stock", "assign",
}

// listIndex matches the index at the end of a list item's path: when.countries[2].
var listIndex = regexp.MustCompile(`\[\d+\]$`)

// rulePath matches a rule's place in an error path or message: rules[3].
var rulePath = regexp.MustCompile(`rules\[(\d+)\]`)

// editorErrors turns the app's errors about rules[index] into the editor's
// fields: the prefix goes, list items are shown beside their list (rank
// items beside their select), and what fits no field goes into the message.
func editorErrors(fields map[string]string, index int) (views.Errors, []string) {
	prefix := "rules[" + strconv.Itoa(index) + "]."
	errs := views.Errors{}
	var rest []string
	for path, msg := range fields {
		msg = rulesInWords(msg)
		key := strings.TrimPrefix(path, prefix)
		if !strings.HasPrefix(key, "rank[") {
			key = listIndex.ReplaceAllString(key, "")
		}
		switch {
		case strings.HasPrefix(key, "rank[") || slices.Contains(ruleFieldPlaces, key):
			if prev, ok := errs[key]; ok && prev != msg {
				msg = prev + "; " + msg
			}
			errs[key] = msg
		default:
			rest = append(rest, rulesInWords(path)+": "+msg)
		}
	}
	slices.Sort(rest)
	return errs, rest
}

// rulesInWords says "rule #2" for the path rules[1] in a message.
func rulesInWords(s string) string {
	return rulePath.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(rulePath.FindStringSubmatch(m)[1])
		return "rule #" + strconv.Itoa(n+1)
	})
}

// ruleProblems lists the field errors of a whole rule set, for people, in path order.
func ruleProblems(fields map[string]string) []string {
	out := make([]string, 0, len(fields))
	for path, msg := range fields {
		out = append(out, path+": "+rulesInWords(msg))
	}
	slices.Sort(out)
	return out
}
