package web

import (
	"strconv"
	"strings"

	"switchyard/app/routing"
	"switchyard/web/views"
)

// ruleRows puts every rule of a set into words.
func ruleRows(rules []routing.Rule) []views.RuleRow {
	out := make([]views.RuleRow, len(rules))
	shadowed := routing.RuleSet{Rules: rules}.Shadowed()
	for i, r := range rules {
		out[i] = views.RuleRow{Index: i, Name: r.Name, Enabled: r.Enabled, When: whenWords(r.When), Filters: filterWords(r.Filters),
			Rank: rankWords(r.Rank), Split: splitWords(r.Split) + assignWords(r), Missing: missingWords(r.MissingStock)}
		if by, ok := shadowed[i]; ok {
			out[i].NeverMatches = "Never decides an order: rule " + strconv.Itoa(by+1) + " (" + rules[by].Name +
				") above takes every order this one would. Move it up, or narrow the rule above."
		}
	}
	return out
}

// whenWords says which orders a rule matches: "Channel web-eu; shipped to FR or DE".
func whenWords(w routing.When) string {
	var parts []string
	add := func(cond bool, s string) {
		if cond {
			parts = append(parts, s)
		}
	}
	add(len(w.Channels) > 0, "channel "+orList(w.Channels))
	add(len(w.Countries) > 0, "going to "+orList(w.Countries))
	add(len(w.OrderTags) > 0, "order tagged "+orList(w.OrderTags))
	add(len(w.SKUTags) > 0, "a SKU tagged "+orList(w.SKUTags))
	switch {
	case w.MinValue != nil && w.MaxValue != nil:
		parts = append(parts, "worth "+string(*w.MinValue)+" to "+string(*w.MaxValue))
	case w.MinValue != nil:
		parts = append(parts, "worth at least "+string(*w.MinValue))
	case w.MaxValue != nil:
		parts = append(parts, "worth at most "+string(*w.MaxValue))
	}
	add(w.Delivery == routing.DeliveryShip, "shipped")
	add(w.Delivery == routing.DeliveryPickup, "picked up")
	if len(parts) == 0 {
		return "Any order"
	}
	return capitalise(strings.Join(parts, "; "))
}

// filterWords says which locations a rule may use.
func filterWords(f routing.Filters) string {
	kinds := "any kind"
	if len(f.Kinds) > 0 {
		kinds = orList(f.Kinds)
	}
	parts := []string{capitalise(kinds)}
	if len(f.RequireTags) > 0 {
		parts = append(parts, "tagged "+andList(f.RequireTags))
	}
	if len(f.ExcludeTags) > 0 {
		parts = append(parts, "not tagged "+orList(f.ExcludeTags))
	}
	if f.SameCountry {
		parts = append(parts, "in the order's country")
	}
	if f.MaxKm != nil {
		parts = append(parts, "within "+strconv.FormatFloat(*f.MaxKm, 'f', -1, 64)+" km")
	}
	if f.RespectCapacity {
		parts = append(parts, "capacity respected")
	} else {
		parts = append(parts, "capacity ignored")
	}
	if f.RespectSafetyStock {
		parts = append(parts, "safety stock kept")
	} else {
		parts = append(parts, "safety stock usable")
	}
	return strings.Join(parts, "; ")
}

// rankWords lists the rankers in order: "Fewest shipments, then closest".
func rankWords(rank []string) string {
	if len(rank) == 0 {
		return "No ranker"
	}
	words := make([]string, len(rank))
	for i, r := range rank {
		words[i] = strings.ToLower(choiceLabel(rankerChoices, r))
	}
	return capitalise(strings.Join(words, ", then "))
}

// splitWords says whether and how far an order may split, and what each
// extra shipment costs under the cost model.
func splitWords(s routing.Split) string {
	if !s.Allow {
		return "No split"
	}
	w := "Up to " + strconv.Itoa(s.MaxShipments) + " shipments"
	if s.MaxShipments == 1 {
		w = "Up to 1 shipment"
	}
	if s.Penalty != nil && strings.Trim(string(*s.Penalty), "0.") != "" {
		w += ", " + string(*s.Penalty) + " per extra shipment"
	}
	if s.KitComponents {
		w += ", a kit's components from several locations if need be"
	}
	return w
}

// assignWords names a strategy other than the default greedy one.
func assignWords(r routing.Rule) string {
	if r.AssignStrategy() == routing.AssignOptimalCost {
		return "; optimal cost"
	}
	return ""
}

// missingWords names the missing-stock policy.
func missingWords(policy string) string {
	switch policy {
	case routing.MissingBackorder:
		return "Backorder"
	case routing.MissingHold:
		return "Hold the order"
	case routing.MissingLeave:
		return "Leave unrouted"
	}
	return policy
}

// choiceLabel is the label of value among choices, or value itself.
func choiceLabel(choices []views.Choice, value string) string {
	for _, c := range choices {
		if c.Value == value {
			return c.Label
		}
	}
	return value
}

// orList joins items as "A, B or C".
func orList(items []string) string { return joinWords(items, " or ") }

// andList joins items as "A, B and C".
func andList(items []string) string { return joinWords(items, " and ") }

// joinWords joins items with commas and a final conjunction.
func joinWords(items []string, conj string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + conj + items[len(items)-1]
}

// capitalise upper-cases the first letter.
func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
