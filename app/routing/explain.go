package routing

import (
	"slices"
	"strconv"
)

// explain says in one sentence what was decided and why.
func (e *engine) explain(out *outcome) string {
	switch {
	case out.hold:
		return e.explainHold(out)
	case e.o.units == 0:
		return "Nothing to route: no line has a quantity left to ship."
	case out.pickup:
		return "To be collected at " + out.ships[0].c.name() + ", which has " + allItems(e.o.units) + "."
	case len(out.backorders) > 0:
		return "Backordered " + backorderWords(out.backorders) + ", as " + out.shortfall + e.rest(out) + "."
	case len(out.unrouted) > 0:
		return e.explainUnrouted(out)
	case out.optimised:
		return e.explainCheapest(out)
	case len(out.ships) == 1:
		w := out.ships[0].c
		return "Routed to " + w.name() + ": " + e.whyWinner(w) + e.exclusions(w) + "."
	}
	return e.explainSplit(out)
}

// explainHold explains a held order.
func (e *engine) explainHold(out *outcome) string {
	if out.holdByPolicy {
		return "Held for review: " + out.holdReason + " (" + e.ruleRef + " holds orders with missing stock)."
	}
	return "Held for review: " + lowerFirst(out.holdReason) + "."
}

// explainUnrouted explains lines left unrouted by the leave policy.
func (e *engine) explainUnrouted(out *outcome) string {
	switch {
	case out.noneEligible:
		return "Not routed: " + out.shortfall + "."
	case len(out.ships) == 0:
		return "Not routed: " + out.shortfall + " (" + e.ruleRef + " leaves missing stock unrouted)."
	}
	return "Left " + skuWords(out.unrouted) + " unrouted, as " + out.shortfall + e.rest(out) + "."
}

// explainSplit explains an order split over several locations.
func (e *engine) explainSplit(out *outcome) string {
	why := ", as no location has " + allItems(e.o.units)
	if slices.ContainsFunc(e.eligible, func(c *cand) bool { return c.full }) {
		why = ", taking locations in the order " + e.ruleRef + " ranks them"
	}
	return "Split into " + strconv.Itoa(len(out.ships)) + " shipments: " + shipWords(out.ships) + why + "."
}

// explainCheapest explains a complete assignment chosen by optimal_cost.
func (e *engine) explainCheapest(out *outcome) string {
	way := ": the cheapest way to ship "
	if !out.exact {
		way = ": the cheapest way found to ship "
	}
	way += allItems(e.o.units) + " under " + e.ruleRef + "."
	if len(out.ships) == 1 {
		return "Routed to " + out.ships[0].c.name() + way
	}
	return "Split into " + strconv.Itoa(len(out.ships)) + " shipments, " + shipWords(out.ships) + way
}

// costSentence states an optimal_cost assignment's cost and how it was
// found: "Cost €12.40: shipping €9.90 and handling €2.50; the cheapest of
// 37 combinations of locations checked (proven optimal)."
func (e *engine) costSentence(c Cost, out *outcome) string {
	cur := func(v int64) string { return money(v, e.in.Order.ValueExponent, e.in.Order.Currency) }
	var parts []string
	if c.Shipping != 0 || c.Known {
		parts = append(parts, "shipping "+cur(c.Shipping))
	}
	if c.Handling != 0 {
		parts = append(parts, "handling "+cur(c.Handling))
	}
	if c.SplitPenalty != 0 {
		parts = append(parts, "split penalty "+cur(c.SplitPenalty))
	}
	s := "Cost " + cur(c.Total)
	if unknown := unknownRateNames(out.ships); len(unknown) > 0 {
		s += " plus shipping from " + listAnd(unknown, 3) + ", which " + plural(len(unknown), "has", "have") + " no rate to this destination"
	}
	if uncounted := uncountedHandlingNames(out.ships); len(uncounted) > 0 {
		s += " plus handling at " + listAnd(uncounted, 3) + ", kept in another currency"
	}
	if len(parts) > 0 {
		s += ": " + listAnd(parts, 3)
	}
	n := strconv.Itoa(out.combos) + " " + plural(out.combos, "combination", "combinations") + " of locations"
	if out.exact {
		return s + "; the cheapest of " + n + " checked (proven optimal)."
	}
	return s + "; the best found in " + n + " checked before the search stopped early (a cheaper one may exist)."
}

// unknownRateNames names the shipping locations without a zone rate.
func unknownRateNames(ships []shipPlan) []string {
	var out []string
	for _, sp := range ships {
		if !sp.c.fig.CostKnown {
			out = append(out, sp.c.name())
		}
	}
	return out
}

// uncountedHandlingNames names the shipping locations whose handling costs
// are in another currency than the order's (not counted).
func uncountedHandlingNames(ships []shipPlan) []string {
	var out []string
	for _, sp := range ships {
		if sp.c.src.HandlingUnknown {
			out = append(out, sp.c.name())
		}
	}
	return out
}

// rest says where the assigned part ships, after a backorder or leftover.
func (e *engine) rest(out *outcome) string {
	switch len(out.ships) {
	case 0:
		return ""
	case 1:
		return "; the rest ships from " + out.ships[0].c.name()
	}
	return "; the rest ships in " + strconv.Itoa(len(out.ships)) + " shipments from " + shipWords(out.ships)
}

// whyWinner names the first ranker that put the single shipping location
// ahead of the next location that also had everything.
func (e *engine) whyWinner(w *cand) string {
	with := withAll(e.o.units)
	runner := e.runnerUp(w)
	if runner == nil {
		return "the only location " + with
	}
	r, ok := separating(e.rankers, w, runner)
	if !ok {
		return "tied with " + runner.name() + " and first by location code of the locations " + with
	}
	switch r {
	case rankClosest:
		return "closest location " + with + ", " + km(w.fig.DistanceKm)
	case rankByRank:
		return "ranked first (rank " + strconv.FormatInt(w.fig.Rank, 10) + ") of the locations " + with
	case rankLowestCost:
		return "lowest cost (" + money(w.fig.Cost, e.in.Order.ValueExponent, e.in.Order.Currency) + ") of the locations " + with
	case rankEarliest:
		return "earliest delivery (" + shortDate(w.fig.DeliverBy, w.loc) + ") of the locations " + with
	case rankMostStock:
		return "most stock of the locations " + with
	}
	return "the only location " + with
}

// runnerUp is the next eligible location after w that has everything.
func (e *engine) runnerUp(w *cand) *cand {
	seen := false
	for _, c := range e.eligible {
		if seen && c.full {
			return c
		}
		seen = seen || c == w
	}
	return nil
}

// exclusions names up to two excluded locations the rule would have
// preferred to the winner (judged by its rankers other than the stock
// ones), with their first reason: "; Paris store excluded: …".
func (e *engine) exclusions(w *cand) string {
	pre := slices.DeleteFunc(slices.Clone(e.rankers), func(r ranker) bool { return r == rankFewest || r == rankMostStock })
	if len(pre) == 0 {
		return ""
	}
	var ahead []*cand
	for i := range e.cands {
		c := &e.cands[i]
		if !c.eligible && len(c.reasons) > 0 && compareCriteria(pre, c, w) < 0 {
			ahead = append(ahead, c)
		}
	}
	slices.SortFunc(ahead, func(a, b *cand) int { return compareRanked(pre, a, b) })
	s := ""
	for _, c := range ahead[:min(len(ahead), 2)] {
		s += "; " + c.name() + " excluded: " + firstReason(c)
	}
	return s
}

// shipWords lists shipments as "Lyon warehouse (2 items) and Leipzig warehouse (1 item)".
func shipWords(ships []shipPlan) string {
	parts := make([]string, len(ships))
	for i, sp := range ships {
		parts[i] = sp.c.name() + " (" + items(sp.units) + ")"
	}
	return listAnd(parts, 4)
}

// backorderWords lists backorders grouped by location: "2 × A and 1 × B at
// Lyon warehouse and 1 × C at Leipzig warehouse".
func backorderWords(bs []Backorder) string {
	var codes, names []string
	var groups [][]Allocation
	for _, b := range bs {
		k := slices.Index(codes, b.Location)
		if k < 0 {
			k = len(codes)
			codes, names = append(codes, b.Location), append(names, b.LocationName)
			groups = append(groups, nil)
		}
		groups[k] = append(groups[k], Allocation{LineID: b.LineID, SKU: b.SKU, Quantity: b.Quantity})
	}
	parts := make([]string, len(codes))
	for k := range codes {
		parts[k] = skuWords(groups[k]) + " at " + names[k]
	}
	return listAnd(parts, 3)
}

// skuWords lists quantities summed per SKU, in order of first appearance:
// "5 × TEE-BLK-M and 1 × CAP".
func skuWords(as []Allocation) string {
	var skus []string
	var qty []int64
	for _, a := range as {
		if j := slices.Index(skus, a.SKU); j >= 0 {
			qty[j] += a.Quantity
			continue
		}
		skus, qty = append(skus, a.SKU), append(qty, a.Quantity)
	}
	words := make([]string, len(skus))
	for j, sku := range skus {
		words[j] = quantityOf(qty[j], sku)
	}
	return listAnd(words, 3)
}

// allItems says "the item" or "all N items".
func allItems(n int64) string {
	if n == 1 {
		return "the item"
	}
	return "all " + strconv.FormatInt(n, 10) + " items"
}
