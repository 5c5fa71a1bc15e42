package routing

import (
	"strconv"
	"strings"
)

// screen gives every candidate its exclusion reasons for a ship order:
// base eligibility, then the rule's filters, then stock.
func (e *engine) screen() {
	for i := range e.cands {
		c := &e.cands[i]
		if e.byCode[c.src.Code] != i {
			c.reasons = append(c.reasons, "duplicate location code "+c.src.Code+"; the first entry is used")
		}
		c.reasons = e.baseReasons(c, c.reasons, false)
		c.reasons = e.filterReasons(c, c.reasons)
		c.routable = len(c.reasons) == 0
		c.reasons = e.stockReasons(c, c.reasons)
		c.eligible = c.routable && c.some
	}
}

// baseReasons appends the reasons a location cannot serve the order at all.
func (e *engine) baseReasons(c *cand, reasons []string, pickup bool) []string {
	if !c.src.Active {
		reasons = append(reasons, "inactive")
	}
	if pickup && !c.src.Pickup {
		reasons = append(reasons, "does not offer pickup")
	}
	if !pickup && !c.src.Ships {
		reasons = append(reasons, "does not ship")
	}
	if !containsExact(c.src.Channels, e.in.Order.Channel) {
		reasons = append(reasons, "does not serve channel "+e.o.channel)
	}
	return reasons
}

// filterReasons appends the reasons the rule's filters exclude a location.
func (e *engine) filterReasons(c *cand, reasons []string) []string {
	f := &e.rule.Filters
	if len(f.Kinds) > 0 && !containsExact(f.Kinds, c.src.Kind) {
		if e.kindWhy == "" {
			e.kindWhy = e.kindReason(f.Kinds)
		}
		reasons = append(reasons, e.kindWhy)
	}
	if missing := missingFold(f.RequireTags, c.src.Tags); len(missing) > 0 {
		reasons = append(reasons, "lacks "+plural(len(missing), "tag ", "tags ")+listAnd(missing, 3)+", which "+e.ruleRef+" requires")
	}
	if found := foundFold(f.ExcludeTags, c.src.Tags); len(found) > 0 {
		reasons = append(reasons, "tagged "+listAnd(found, 3)+", which "+e.ruleRef+" excludes")
	}
	if f.SameCountry && !strings.EqualFold(c.src.Country, e.in.Order.Country) {
		reasons = append(reasons, "in "+orUnknown(c.src.Country)+", not the destination country "+orUnknown(e.in.Order.Country))
	}
	if f.MaxKm != nil {
		reasons = e.distanceReason(c, *f.MaxKm, reasons)
	}
	if f.RespectCapacity && c.src.DailyCapacity > 0 && c.src.UsedToday >= c.src.DailyCapacity {
		reasons = append(reasons, "over today's capacity ("+strconv.FormatInt(c.src.UsedToday, 10)+"/"+strconv.FormatInt(c.src.DailyCapacity, 10)+")")
	}
	return reasons
}

// kindReason says which kinds the rule allows, e.g. `not a warehouse or 3PL:
// rule "EU closest" allows only those`.
func (e *engine) kindReason(kinds []string) string {
	nouns := make([]string, len(kinds))
	for i, k := range kinds {
		nouns[i] = kindNoun(k)
	}
	if len(nouns) == 1 {
		return "not " + withArticle(nouns[0]) + ", the only kind " + e.ruleRef + " allows"
	}
	return "not " + withArticle(listOr(nouns, len(nouns))) + ": " + e.ruleRef + " allows only those"
}

// distanceReason appends the reason a location is beyond the rule's max_km.
func (e *engine) distanceReason(c *cand, limit float64, reasons []string) []string {
	lim := strconv.FormatFloat(limit, 'f', -1, 64) + " km"
	if !c.fig.DistanceKnown {
		return append(reasons, "distance unknown, so not within the "+lim+" limit")
	}
	if c.fig.DistanceKm > limit {
		return append(reasons, km(c.fig.DistanceKm)+" away, over the "+lim+" limit")
	}
	return reasons
}

// stockReasons appends why a location has none of the order's stock.
func (e *engine) stockReasons(c *cand, reasons []string) []string {
	if c.some || len(e.o.skus) == 0 {
		return reasons
	}
	var lacking, safety []string
	for _, sku := range e.o.skus {
		if st, ok := c.src.Stock[sku]; ok && st.Available(false) > 0 {
			safety = append(safety, sku)
		} else {
			lacking = append(lacking, sku)
		}
	}
	if len(lacking) > 0 {
		reasons = append(reasons, "lacks "+plural(len(lacking), "SKU ", "SKUs ")+listAnd(lacking, 3))
	}
	if len(safety) > 0 {
		reasons = append(reasons, "below safety stock for "+listAnd(safety, 3))
	}
	return reasons
}

// missingFold returns the wanted tags absent from have, ignoring case.
func missingFold(want, have []string) []string {
	var out []string
	for _, t := range want {
		if !containsFold(have, t) {
			out = append(out, t)
		}
	}
	return out
}

// foundFold returns the unwanted tags present in have, ignoring case.
func foundFold(unwanted, have []string) []string {
	var out []string
	for _, t := range unwanted {
		if containsFold(have, t) {
			out = append(out, t)
		}
	}
	return out
}

// plural picks the singular or plural form for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// orUnknown returns s, or "an unknown country" when empty.
func orUnknown(s string) string {
	if s == "" {
		return "an unknown country"
	}
	return strings.ToUpper(s)
}
