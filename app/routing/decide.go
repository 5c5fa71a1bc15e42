package routing

import (
	"slices"
	"strings"
	"time"
)

// Decide routes one order: it selects the rule, screens and ranks the
// candidates, assigns the lines, applies the missing-stock policy and
// explains the result. It is pure and deterministic, and never panics on
// malformed input (unknown rankers are skipped, an unknown missing_stock
// policy holds, max_shipments below 1 counts as 1).
func Decide(in Input) Decision {
	e := newEngine(&in)
	var out outcome
	if e.o.delivery == DeliveryPickup {
		out = e.pickup()
	} else {
		e.screen()
		e.rankAll()
		p := e.route()
		e.splitKits(&p)
		out = e.settle(p)
	}
	return e.decision(&out)
}

// decision turns the outcome into the stored Decision.
func (e *engine) decision(out *outcome) Decision {
	d := Decision{
		RuleVersion: e.in.Rules.Version,
		Rule:        e.rule.Name,
		RuleIndex:   e.ruleIdx,
		Shipments:   make([]Shipment, 0, len(out.ships)),
		Backorders:  nonNil(out.backorders),
		Unrouted:    nonNil(out.unrouted),
		Hold:        out.hold,
		HoldReason:  out.holdReason,
	}
	for i := range out.ships {
		s := e.shipment(&out.ships[i], out.pickup)
		d.Shipments = append(d.Shipments, s)
		d.PromiseShipBy = later(d.PromiseShipBy, s.ShipBy)
		d.PromiseDeliverBy = later(d.PromiseDeliverBy, s.DeliverBy)
	}
	d.Candidates = e.reports()
	d.Cost = e.costOf(d.Shipments)
	if out.optimised {
		d.Cost.Exact, d.Cost.StoppedEarly = out.exact, !out.exact
	}
	d.Explanation = e.explain(out)
	if out.optimised && len(out.ships) > 0 {
		d.Explanation += " " + e.costSentence(d.Cost, out)
	}
	d.Explanation += forceWords(e.in.Rules, &e.in.Order, e.ruleRef)
	return d
}

// shipment turns a ship plan into a Shipment and marks its location chosen.
func (e *engine) shipment(sp *shipPlan, pickup bool) Shipment {
	c := sp.c
	c.chosen = true
	s := Shipment{
		Location: c.src.Code, LocationName: c.name(),
		Lines:      make([]Allocation, 0, len(e.o.lines)),
		DistanceKm: c.fig.DistanceKm, Cost: c.fig.Cost, CostKnown: c.fig.CostKnown,
		ShipBy: c.fig.ShipBy, DeliverBy: c.fig.DeliverBy,
	}
	if pickup {
		s.Cost, s.CostKnown, s.DeliverBy = 0, true, s.ShipBy
	}
	for i, l := range e.o.lines {
		if sp.qty[i] > 0 {
			s.Lines = append(s.Lines, Allocation{LineID: l.id, SKU: l.sku, Quantity: sp.qty[i], Parts: sp.kitParts[i]})
		}
	}
	return s
}

// reports lists every candidate: the eligible ones in ranked order, then
// the others by location code.
func (e *engine) reports() []CandidateReport {
	out := make([]CandidateReport, 0, len(e.cands))
	for _, c := range e.eligible {
		out = append(out, report(c))
	}
	for _, c := range e.excludedByCode() {
		out = append(out, report(c))
	}
	return out
}

// report is one candidate's entry in the decision.
func report(c *cand) CandidateReport {
	return CandidateReport{
		Location: c.src.Code, LocationName: c.name(),
		Excluded: !c.eligible, Reasons: nonNil(c.reasons),
		Position: c.position, Figures: c.fig, Chosen: c.chosen,
	}
}

// excludedByCode returns the candidates that are not eligible, by code.
func (e *engine) excludedByCode() []*cand {
	var out []*cand
	for i := range e.cands {
		if !e.cands[i].eligible {
			out = append(out, &e.cands[i])
		}
	}
	slices.SortFunc(out, func(a, b *cand) int { return compareRanked(nil, a, b) })
	return out
}

// nonNil returns s, or an empty slice so that JSON says [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// later returns the later of two instants.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// firstReason is a candidate's first reason, for short mentions.
func firstReason(c *cand) string {
	if len(c.reasons) == 0 {
		return ""
	}
	return strings.TrimSpace(c.reasons[0])
}
