package returns

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"switchyard/app/geo"
)

// Nearest is a return rule's location meaning "the nearest location that
// takes returns and stocks the goods".
const Nearest = "nearest"

// Rule is one return rule: when a return matches every condition it names,
// the goods go back to Location. Rules are tried in order; the first that
// matches decides. Without a match the nearest location decides.
type Rule struct {
	Name     string `json:"name"`
	Channel  string `json:"channel,omitempty"` // the order's channel code
	Country  string `json:"country,omitempty"` // where the customer is (ISO 3166-1 alpha-2)
	SKUTag   string `json:"sku_tag,omitempty"` // a tag of one of the returned SKUs
	Location string `json:"location"`          // a location code, or "nearest"
}

// Matches reports whether the rule applies to the facts.
func (r Rule) Matches(f Facts) bool {
	return (r.Channel == "" || r.Channel == f.Channel) &&
		(r.Country == "" || strings.EqualFold(r.Country, f.Country)) &&
		(r.SKUTag == "" || slices.Contains(f.SKUTags, strings.ToLower(r.SKUTag)))
}

// Conditions says in words when the rule applies.
func (r Rule) Conditions() string {
	var parts []string
	if r.Channel != "" {
		parts = append(parts, "channel "+r.Channel)
	}
	if r.Country != "" {
		parts = append(parts, "customer in "+strings.ToUpper(r.Country))
	}
	if r.SKUTag != "" {
		parts = append(parts, "an item tagged "+r.SKUTag)
	}
	if len(parts) == 0 {
		return "every return"
	}
	return strings.Join(parts, ", ")
}

// Facts are what the return rules look at.
type Facts struct {
	Channel string
	Country string
	SKUTags []string // the returned SKUs' tags, lower case
	From    geo.Point
	HasFrom bool
}

// Candidate is a location that takes returns.
type Candidate struct {
	Code, Name string
	Kind       string
	At         geo.Point
	StocksAll  bool // it has a stock level for every returned SKU
}

// Choice is where a return goes and why, in words.
type Choice struct {
	Location string
	Why      string
}

// Choose picks the location goods come back to: the first matching rule's
// location, or (for "nearest" and without a match) the nearest candidate
// that stocks every returned SKU, else the nearest candidate. ok is false
// when there is no candidate at all.
func Choose(rules []Rule, f Facts, cands []Candidate) (Choice, bool) {
	for i, r := range rules {
		if !r.Matches(f) {
			continue
		}
		name := r.Name
		if name == "" {
			name = fmt.Sprintf("rule %d", i+1)
		}
		if r.Location != Nearest {
			for _, c := range cands {
				if c.Code == r.Location {
					return Choice{c.Code, fmt.Sprintf("%s by the return rule %q (%s)", c.Name, name, r.Conditions())}, true
				}
			}
			continue // the rule's location no longer takes returns: the next rule decides
		}
		if ch, ok := nearest(f, cands); ok {
			ch.Why += fmt.Sprintf(", by the return rule %q (%s)", name, r.Conditions())
			return ch, true
		}
	}
	return nearest(f, cands)
}

// nearest is the nearest candidate stocking every SKU, else the nearest one.
func nearest(f Facts, cands []Candidate) (Choice, bool) {
	best, bestStock := -1, -1
	dist := func(c Candidate) float64 {
		if !f.HasFrom {
			return math.Inf(1)
		}
		return geo.DistanceKm(f.From, c.At)
	}
	for i, c := range cands {
		if best < 0 || dist(c) < dist(cands[best]) {
			best = i
		}
		if c.StocksAll && (bestStock < 0 || dist(c) < dist(cands[bestStock])) {
			bestStock = i
		}
	}
	switch {
	case bestStock >= 0:
		c := cands[bestStock]
		return Choice{c.Code, c.Name + ": " + distWords(f, c, "the nearest location that takes returns and stocks these items")}, true
	case best >= 0:
		c := cands[best]
		return Choice{c.Code, c.Name + ": " + distWords(f, c, "the nearest location that takes returns (none stocks these items)")}, true
	}
	return Choice{}, false
}

// distWords is what with the distance when it is known.
func distWords(f Facts, c Candidate, what string) string {
	if !f.HasFrom {
		return what + " (the customer's place is unknown: first by code)"
	}
	return fmt.Sprintf("%s (%.0f km from the customer)", what, geo.DistanceKm(f.From, c.At))
}
