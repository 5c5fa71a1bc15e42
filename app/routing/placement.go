package routing

import (
	"strconv"
	"time"
)

// Placements says, for each ranked candidate after the first, why it placed
// below the candidate just above it: the first of the deciding rule's rankers
// that separated the two, with both values. Keyed by location code; empty when
// the decision has no ranking to explain (no figures, a pickup, or a rule the
// input no longer holds).
func Placements(d Decision, in Input) map[string]string {
	rankers, ok := decidingRankers(d, in)
	if !ok || deliveryOf(&in.Order) == DeliveryPickup {
		return nil
	}
	out := map[string]string{}
	var above *CandidateReport
	for i := range d.Candidates {
		c := &d.Candidates[i]
		if c.Excluded || c.Position == 0 {
			continue
		}
		if above != nil {
			out[c.Location] = placement(rankers, above, c, in.Order)
		}
		above = c
	}
	return out
}

// decidingRankers are the rankers of the rule that made the decision.
func decidingRankers(d Decision, in Input) ([]ranker, bool) {
	if d.RuleIndex < 0 {
		return parseRankers(DefaultRule().Rank), true
	}
	if d.RuleIndex >= len(in.Rules.Rules) || in.Rules.Rules[d.RuleIndex].Name != d.Rule {
		return nil, false
	}
	return parseRankers(in.Rules.Rules[d.RuleIndex].Rank), true
}

// placement says why b placed just below a.
func placement(rs []ranker, a, b *CandidateReport, o Order) string {
	ca, cb := reportCand(a), reportCand(b)
	r, _ := separating(rs, ca, cb)
	if r == 0 {
		return "Tied with " + a.LocationName + " on every ranker; the location code decides (" + a.Location + " before " + b.Location + ")."
	}
	fa, fb := &a.Figures, &b.Figures
	var what, va, vb, by string
	switch r {
	case rankClosest:
		what, by = "Farther than ", "closest"
		va, vb = knownKm(fa.DistanceKm, fa.DistanceKnown), knownKm(fb.DistanceKm, fb.DistanceKnown)
	case rankLowestCost:
		what, by = "Costlier to ship than ", "lowest shipping cost"
		va, vb = knownMoney(fa.Cost, fa.CostKnown, o), knownMoney(fb.Cost, fb.CostKnown, o)
	case rankMostStock:
		what, by = "Less stock than ", "most stock"
		va, vb = unitsOf(fa), unitsOf(fb)
	case rankEarliest:
		what, by = "Later delivery than ", "earliest delivery promise"
		va, vb = promiseDay(fa), promiseDay(fb)
	case rankFewest:
		what, by = "Cannot ship every line alone, unlike ", "fewest shipments"
		va, vb = linesOf(fa), linesOf(fb)
	case rankByRank:
		what, by = "Lower location rank than ", "location rank"
		va, vb = "rank "+strconv.FormatInt(fa.Rank, 10), "rank "+strconv.FormatInt(fb.Rank, 10)
	}
	return what + a.LocationName + " (" + vb + " against " + va + "; ranked by " + by + ")."
}

// reportCand rebuilds what the rankers compare from a reported candidate;
// it has every line in full exactly when all its lines are full.
func reportCand(c *CandidateReport) *cand {
	return &cand{fig: c.Figures, full: c.Figures.LinesFull == c.Figures.LinesTotal}
}

// knownKm is a distance, or "distance unknown".
func knownKm(d float64, known bool) string {
	if !known {
		return "distance unknown"
	}
	return km(d)
}

// knownMoney is a cost in the order's currency, or "cost unknown".
func knownMoney(minor int64, known bool, o Order) string {
	if !known {
		return "cost unknown"
	}
	return money(minor, o.ValueExponent, o.Currency)
}

// unitsOf says "3 of 5 units".
func unitsOf(f *Figures) string {
	return strconv.FormatInt(f.UnitsAvailable, 10) + " of " + strconv.FormatInt(f.UnitsOrdered, 10) + " units"
}

// linesOf says "1 of 2 lines full".
func linesOf(f *Figures) string {
	return strconv.Itoa(f.LinesFull) + " of " + strconv.Itoa(f.LinesTotal) + " lines full"
}

// promiseDay is the promised delivery day in the candidate's time zone.
func promiseDay(f *Figures) string {
	if f.DeliverBy.IsZero() {
		return "no promise"
	}
	loc, err := time.LoadLocation(f.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return shortDate(f.DeliverBy, loc)
}
