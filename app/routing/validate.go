package routing

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"switchyard/app/geo"
)

// maxRuleNameLen bounds a rule name, in bytes.
const maxRuleNameLen = 100

// Validate checks a rule set and returns its errors keyed by field path
// ("rules[2].rank[1]": `unknown ranker "cheapest"`), or nil when it is valid.
func (r RuleSet) Validate() map[string]string {
	errs := map[string]string{}
	names := map[string]int{}
	for i := range r.Rules {
		at := "rules[" + strconv.Itoa(i) + "]"
		validateName(errs, at, r.Rules[i].Name, i, names)
		validateWhen(errs, at+".when", &r.Rules[i].When)
		validateFilters(errs, at+".filters", &r.Rules[i].Filters)
		validateRank(errs, at+".rank", r.Rules[i].Rank)
		validateSplit(errs, at+".split", r.Rules[i].Split)
		validateMissing(errs, at+".missing_stock", r.Rules[i].MissingStock)
		validateAssign(errs, at+".assign", r.Rules[i].Assign)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// validateName requires a name, bounded and unique (ignoring case and
// surrounding spaces).
func validateName(errs map[string]string, at, name string, i int, seen map[string]int) {
	key := strings.ToLower(strings.TrimSpace(name))
	switch {
	case key == "":
		errs[at+".name"] = "is required"
	case len(name) > maxRuleNameLen:
		errs[at+".name"] = "must be at most " + strconv.Itoa(maxRuleNameLen) + " characters"
	case !oneLineText(name):
		errs[at+".name"] = notText
	default:
		if j, dup := seen[key]; dup {
			errs[at+".name"] = "is already used by rules[" + strconv.Itoa(j) + "]"
			return
		}
		seen[key] = i
	}
}

// validateWhen checks a rule's conditions.
func validateWhen(errs map[string]string, at string, w *When) {
	nonEmpty(errs, at+".channels", w.Channels)
	for j, c := range w.Countries {
		if !geo.ValidCountry(c) {
			errs[at+".countries["+strconv.Itoa(j)+"]"] = "unknown country code " + strconv.Quote(c)
		}
	}
	nonEmpty(errs, at+".order_tags", w.OrderTags)
	nonEmpty(errs, at+".sku_tags", w.SKUTags)
	if w.Delivery != "" && w.Delivery != DeliveryShip && w.Delivery != DeliveryPickup {
		errs[at+".delivery"] = `must be "ship", "pickup" or empty`
	}
	minOK := validateAmount(errs, at+".min_value", w.MinValue)
	maxOK := validateAmount(errs, at+".max_value", w.MaxValue)
	if minOK && maxOK && w.MinValue != nil && w.MaxValue != nil {
		lo, _ := w.MinValue.rat()
		hi, _ := w.MaxValue.rat()
		if hi.Cmp(lo) < 0 {
			errs[at+".max_value"] = "must not be less than min_value (" + string(*w.MinValue) + ")"
		}
	}
}

// validateAmount checks an optional amount; it reports whether it is usable.
func validateAmount(errs map[string]string, at string, d *Decimal) bool {
	switch {
	case d == nil:
		return true
	case !d.valid():
		errs[at] = "must be a decimal amount such as \"50.00\""
	case d.negative():
		errs[at] = "must not be negative"
	default:
		return true
	}
	return false
}

// validateFilters checks a rule's location filters.
func validateFilters(errs map[string]string, at string, f *Filters) {
	for j, k := range f.Kinds {
		if !validKind(k) {
			errs[at+".kinds["+strconv.Itoa(j)+"]"] = "unknown kind " + strconv.Quote(k) + ` (use "warehouse", "store", "3pl", "dropship" or "partner")`
		}
	}
	nonEmpty(errs, at+".require_tags", f.RequireTags)
	nonEmpty(errs, at+".exclude_tags", f.ExcludeTags)
	for j, t := range f.ExcludeTags {
		if t != "" && containsFold(f.RequireTags, t) {
			errs[at+".exclude_tags["+strconv.Itoa(j)+"]"] = "tag " + strconv.Quote(t) + " is also required"
		}
	}
	if f.MaxKm != nil && (!(*f.MaxKm > 0) || math.IsInf(*f.MaxKm, 0)) {
		errs[at+".max_km"] = "must be a positive number of kilometres"
	}
}

// validateRank checks ranker names, unknown or repeated.
func validateRank(errs map[string]string, at string, names []string) {
	for j, n := range names {
		key := at + "[" + strconv.Itoa(j) + "]"
		if _, ok := parseRanker(n); !ok {
			errs[key] = "unknown ranker " + strconv.Quote(n)
		} else if indexOf(names[:j], n) >= 0 {
			errs[key] = "ranker " + strconv.Quote(n) + " is listed twice"
		}
	}
}

// validateSplit checks the split settings.
func validateSplit(errs map[string]string, at string, s Split) {
	if s.Allow && s.MaxShipments < 1 {
		errs[at+".max_shipments"] = "must be at least 1 when splitting is allowed"
	} else if s.MaxShipments < 0 {
		errs[at+".max_shipments"] = "must not be negative"
	} else if s.MaxShipments > MaxShipmentsLimit {
		errs[at+".max_shipments"] = "must be at most " + strconv.Itoa(MaxShipmentsLimit)
	}
	if s.KitComponents && !s.Allow {
		errs[at+".kit_components"] = "needs splitting allowed"
	}
	validateAmount(errs, at+".penalty", s.Penalty)
}

// validateAssign checks the assignment strategy.
func validateAssign(errs map[string]string, at, strategy string) {
	switch strategy {
	case "", AssignGreedy, AssignOptimalCost:
	default:
		errs[at] = `must be "greedy", "optimal_cost" or empty, not ` + strconv.Quote(strategy)
	}
}

// validateMissing checks the missing-stock policy.
func validateMissing(errs map[string]string, at, policy string) {
	switch policy {
	case MissingBackorder, MissingHold, MissingLeave:
	case "":
		errs[at] = `is required: "backorder", "hold" or "leave"`
	default:
		errs[at] = `must be "backorder", "hold" or "leave", not ` + strconv.Quote(policy)
	}
}

// nonEmpty reports empty strings in a list, by index.
func nonEmpty(errs map[string]string, at string, list []string) {
	for j, s := range list {
		switch {
		case strings.TrimSpace(s) == "":
			errs[at+"["+strconv.Itoa(j)+"]"] = "must not be empty"
		case !oneLineText(s):
			errs[at+"["+strconv.Itoa(j)+"]"] = notText
		}
	}
}

// notText is the problem of a value that is not one line of text; the words
// are app.NotTextProblem's, which every other field uses.
const notText = "contains characters that are not text"

// oneLineText reports whether s is valid UTF-8 without control characters
// (U+0000–U+001F, U+007F–U+009F), as app.IsText(s, false).
func oneLineText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) })
}

// validKind reports whether k is a known location kind.
func validKind(k string) bool {
	switch k {
	case KindWarehouse, KindStore, Kind3PL, KindDropship, KindPartner:
		return true
	}
	return false
}
