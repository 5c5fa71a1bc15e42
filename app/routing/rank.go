package routing

import (
	"cmp"
	"slices"
	"strings"
)

// ranker is one ranking criterion.
type ranker uint8

// The rankers, in no particular order.
const (
	rankByRank ranker = iota + 1
	rankClosest
	rankMostStock
	rankLowestCost
	rankEarliest
	rankFewest
)

// parseRanker maps a ranker name to its criterion.
func parseRanker(name string) (ranker, bool) {
	switch name {
	case RankerRank:
		return rankByRank, true
	case RankerClosest:
		return rankClosest, true
	case RankerMostStock:
		return rankMostStock, true
	case RankerLowestCost:
		return rankLowestCost, true
	case RankerEarliestPromise:
		return rankEarliest, true
	case RankerFewestShipments:
		return rankFewest, true
	}
	return 0, false
}

// parseRankers maps names to criteria, skipping unknown names and repeats
// (Validate reports both).
func parseRankers(names []string) []ranker {
	out := make([]ranker, 0, len(names))
	for _, n := range names {
		if r, ok := parseRanker(n); ok && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// compareBy orders two candidates by one criterion; negative means a first.
func compareBy(r ranker, a, b *cand) int {
	fa, fb := &a.fig, &b.fig
	switch r {
	case rankByRank:
		return cmp.Compare(fa.Rank, fb.Rank)
	case rankClosest:
		return compareKnown(fa.DistanceKnown, fb.DistanceKnown, fa.DistanceKm, fb.DistanceKm)
	case rankMostStock:
		return cmp.Compare(fb.UnitsAvailable, fa.UnitsAvailable)
	case rankLowestCost:
		return compareKnown(fa.CostKnown, fb.CostKnown, fa.Cost, fb.Cost)
	case rankEarliest:
		return fa.DeliverBy.Compare(fb.DeliverBy)
	case rankFewest:
		return compareBool(a.full, b.full)
	}
	return 0
}

// compareKnown puts known values first, smaller first; unknown ones tie.
func compareKnown[T cmp.Ordered](ka, kb bool, a, b T) int {
	switch {
	case ka && kb:
		return cmp.Compare(a, b)
	case ka != kb:
		return compareBool(ka, kb)
	}
	return 0
}

// compareBool puts true first.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// compareRanked orders candidates by the criteria in turn, then location
// code, then input position, so the order is total and deterministic.
func compareRanked(rs []ranker, a, b *cand) int {
	if c := compareCriteria(rs, a, b); c != 0 {
		return c
	}
	if c := strings.Compare(a.src.Code, b.src.Code); c != 0 {
		return c
	}
	return cmp.Compare(a.idx, b.idx)
}

// compareCriteria orders candidates by the criteria only; 0 when they tie.
func compareCriteria(rs []ranker, a, b *cand) int {
	for _, r := range rs {
		if c := compareBy(r, a, b); c != 0 {
			return c
		}
	}
	return 0
}

// separating returns the first criterion that orders a before b, if any.
func separating(rs []ranker, a, b *cand) (ranker, bool) {
	for _, r := range rs {
		if c := compareBy(r, a, b); c != 0 {
			return r, c < 0
		}
	}
	return 0, false
}

// rankAll ranks the routable candidates and picks out the eligible ones.
func (e *engine) rankAll() {
	for i := range e.cands {
		if e.cands[i].routable {
			e.ranked = append(e.ranked, &e.cands[i])
		}
	}
	slices.SortFunc(e.ranked, func(a, b *cand) int { return compareRanked(e.rankers, a, b) })
	for _, c := range e.ranked {
		if c.eligible {
			e.eligible = append(e.eligible, c)
			c.position = len(e.eligible)
		}
	}
}

// has reports whether the rule ranks by r.
func (e *engine) has(r ranker) bool {
	return slices.Contains(e.rankers, r)
}
