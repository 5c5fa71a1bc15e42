package routing

import (
	"strconv"
	"strings"
)

// Ranker names, as used in Rule.Rank.
const (
	RankerRank            = "rank"
	RankerClosest         = "closest"
	RankerMostStock       = "most_stock"
	RankerLowestCost      = "lowest_cost"
	RankerEarliestPromise = "earliest_promise"
	RankerFewestShipments = "fewest_shipments"
)

// Missing-stock policies, as used in Rule.MissingStock.
const (
	MissingBackorder = "backorder"
	MissingHold      = "hold"
	MissingLeave     = "leave"
)

// DefaultMaxShipments is how many shipments the default rule may split an order into.
const DefaultMaxShipments = 5

// MaxShipmentsLimit is the most shipments a rule may allow: no order is sent
// in more parcels, and it bounds the optimiser's work (its tables grow with
// the square of the limit).
const MaxShipmentsLimit = 50

// RuleSet is a published (or draft) version of the routing rules, in order.
type RuleSet struct {
	Version int    `json:"version"`
	Rules   []Rule `json:"rules"`
}

// Rule is one routing rule: when it applies, which locations it allows,
// how it ranks them, whether it splits, and what it does with missing stock.
type Rule struct {
	Name         string   `json:"name"`
	Enabled      bool     `json:"enabled"`
	When         When     `json:"when"`
	Filters      Filters  `json:"filters"`
	Rank         []string `json:"rank"`
	Split        Split    `json:"split"`
	MissingStock string   `json:"missing_stock"`
	// Assign is the assignment strategy: "greedy" (or empty) or "optimal_cost".
	Assign string `json:"assign,omitempty"`
}

// When holds a rule's conditions; empty lists and nil amounts match any order.
type When struct {
	Channels  []string `json:"channels"`
	Countries []string `json:"countries"`
	OrderTags []string `json:"order_tags"`
	// SKUTags matches when any line's SKU has any of the tags.
	SKUTags []string `json:"sku_tags"`
	// MinValue and MaxValue bound the order value, inclusive, in major units.
	MinValue *Decimal `json:"min_value"`
	MaxValue *Decimal `json:"max_value"`
	// Delivery is "ship", "pickup" or empty for either.
	Delivery string `json:"delivery"`
}

// Filters narrow the locations a rule may use.
type Filters struct {
	Kinds       []string `json:"kinds"`
	RequireTags []string `json:"require_tags"`
	ExcludeTags []string `json:"exclude_tags"`
	SameCountry bool     `json:"same_country"`
	MaxKm       *float64 `json:"max_km"`
	// RespectCapacity excludes locations at or over today's capacity.
	RespectCapacity bool `json:"respect_capacity"`
	// RespectSafetyStock keeps safety stock out of what is available.
	RespectSafetyStock bool `json:"respect_safety_stock"`
}

// Split says whether an order may ship from several locations, and from how many at most.
type Split struct {
	Allow        bool `json:"allow"`
	MaxShipments int  `json:"max_shipments"`
	// Penalty is the cost, in major units of the order's currency, of each
	// shipment beyond the first (a customer receiving several parcels).
	Penalty *Decimal `json:"penalty,omitempty"`
	// KitComponents lets a kit's parts ship from several locations when no
	// single allowed location can supply whole kits (kitsplit.go); it needs
	// Allow, and the parts count within MaxShipments. Off by default.
	KitComponents bool `json:"kit_components,omitempty"`
}

// DefaultRule is the rule used when no published rule matches: every active
// shipping location serving the channel, ranked fewest_shipments, closest,
// rank; up to DefaultMaxShipments shipments; missing stock backordered;
// capacity and safety stock respected.
func DefaultRule() Rule {
	return Rule{
		Name:         DefaultRuleName,
		Enabled:      true,
		Filters:      Filters{RespectCapacity: true, RespectSafetyStock: true},
		Rank:         []string{RankerFewestShipments, RankerClosest, RankerRank},
		Split:        Split{Allow: true, MaxShipments: DefaultMaxShipments},
		MissingStock: MissingBackorder,
	}
}

// selectRule returns the rule the order forces (see Order.ForceRule) or else
// the first enabled rule matching the order, with its index, or the default
// rule and -1.
func selectRule(rs RuleSet, o *Order) (Rule, int) {
	if r, i, ok := ForcedRule(rs, o.ForceRule); ok {
		return r, i
	}
	for i := range rs.Rules {
		if rs.Rules[i].Enabled && rs.Rules[i].matches(o) {
			return rs.Rules[i], i
		}
	}
	return DefaultRule(), -1
}

// ForcedRule finds the rule named to be forced, with its index (-1 for the
// default rule): an enabled rule of the set, or DefaultRuleName when no rule
// of the set takes that name. A disabled rule is never forced (disabling a
// rule takes it out of use, by name too); ok is false then, and for an
// empty or unknown name.
func ForcedRule(rs RuleSet, name string) (r Rule, index int, ok bool) {
	if name == "" {
		return Rule{}, 0, false
	}
	for i := range rs.Rules {
		if rs.Rules[i].Name == name {
			return rs.Rules[i], i, rs.Rules[i].Enabled
		}
	}
	if name == DefaultRuleName {
		return DefaultRule(), -1, true
	}
	return Rule{}, 0, false
}

// forceWords explains a forced rule, or a rule asked for that could not be
// forced, in a sentence ("" when no rule was asked for).
func forceWords(rs RuleSet, o *Order, ref string) string {
	if o.ForceRule == "" {
		return ""
	}
	if _, _, ok := ForcedRule(rs, o.ForceRule); ok {
		return " " + upperFirst(ref) + " was asked for by name, so it applied whatever its conditions say."
	}
	return " Rule " + strconv.Quote(o.ForceRule) + " was asked for by name but is not an enabled rule of version " +
		strconv.Itoa(rs.Version) + ", so the rules' own conditions chose."
}

// matches reports whether every condition of the rule holds for the order.
func (r *Rule) matches(o *Order) bool {
	w := &r.When
	switch {
	case len(w.Channels) > 0 && !containsExact(w.Channels, o.Channel):
		return false
	case len(w.Countries) > 0 && !containsFold(w.Countries, o.Country):
		return false
	case len(w.OrderTags) > 0 && !anyFold(w.OrderTags, o.Tags):
		return false
	case len(w.SKUTags) > 0 && !anyLineTagged(o.Lines, w.SKUTags):
		return false
	case w.Delivery != "" && w.Delivery != deliveryOf(o):
		return false
	}
	return valueInRange(w, o)
}

// valueInRange checks the order value against the rule's bounds, exactly:
// the minimum is rounded up and the maximum down to the currency's minor
// unit. A malformed bound never matches.
func valueInRange(w *When, o *Order) bool {
	if w.MinValue != nil {
		lo, ok := w.MinValue.minor(o.ValueExponent, true)
		if !ok || o.Value < lo {
			return false
		}
	}
	if w.MaxValue != nil {
		hi, ok := w.MaxValue.minor(o.ValueExponent, false)
		if !ok || o.Value > hi {
			return false
		}
	}
	return true
}

// anyLineTagged reports whether any line's SKU carries any of the tags.
func anyLineTagged(lines []Line, tags []string) bool {
	for i := range lines {
		if anyFold(tags, lines[i].SKUTags) {
			return true
		}
	}
	return false
}

// deliveryOf returns the order's delivery method: "pickup", or "ship" for
// anything else (including empty).
func deliveryOf(o *Order) string {
	if o.Delivery == DeliveryPickup {
		return DeliveryPickup
	}
	return DeliveryShip
}

// containsExact reports whether list holds s exactly.
func containsExact(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// containsFold reports whether list holds s, ignoring case.
func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// anyFold reports whether a and b share an element, ignoring case.
func anyFold(a, b []string) bool {
	for _, x := range a {
		if containsFold(b, x) {
			return true
		}
	}
	return false
}
