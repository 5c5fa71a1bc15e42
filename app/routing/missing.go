package routing

import (
	"strconv"
	"strings"
)

// outcome is the final assignment after the missing-stock policy.
type outcome struct {
	plan
	backorders   []Backorder
	unrouted     []Allocation
	hold         bool
	holdReason   string
	holdByPolicy bool   // held because the rule holds missing stock
	shortfall    string // why some lines could not be assigned, in words
	noneEligible bool   // no location passed eligibility and the filters
	pickup       bool
}

// settle applies the rule's missing-stock policy to what assign left over.
func (e *engine) settle(p plan) outcome {
	out := outcome{plan: p}
	if p.remUnits == 0 {
		return out
	}
	out.shortfall = e.shortfall(&p)
	out.noneEligible = len(e.ranked) == 0
	switch e.rule.MissingStock {
	case MissingBackorder:
		if out.noneEligible {
			return heldOutcome(out.shortfall, false)
		}
		out.backorders = e.backorders(&p)
	case MissingLeave:
		out.unrouted = e.leftovers(&p)
	default: // hold, and any unknown policy: a person decides
		return heldOutcome(out.shortfall, !out.noneEligible)
	}
	return out
}

// heldOutcome holds the whole order: nothing is assigned.
func heldOutcome(reason string, byPolicy bool) outcome {
	return outcome{hold: true, holdReason: reason, holdByPolicy: byPolicy}
}

// backorders places each missing quantity at the best-ranked routable
// location that carries the SKU, else at the best-ranked routable location.
func (e *engine) backorders(p *plan) []Backorder {
	var out []Backorder
	for i, l := range e.o.lines {
		if p.rem[i] == 0 {
			continue
		}
		c := e.backorderAt(l.sku)
		out = append(out, Backorder{LineID: l.id, SKU: l.sku, Quantity: p.rem[i], Location: c.src.Code, LocationName: c.name()})
	}
	return out
}

// backorderAt picks the location for a backorder of sku; e.ranked is not empty.
func (e *engine) backorderAt(sku string) *cand {
	for _, c := range e.ranked {
		if _, ok := c.src.Stock[sku]; ok {
			return c
		}
	}
	return e.ranked[0]
}

// leftovers lists what remains of each line, unrouted.
func (e *engine) leftovers(p *plan) []Allocation {
	var out []Allocation
	for i, l := range e.o.lines {
		if p.rem[i] > 0 {
			out = append(out, Allocation{LineID: l.id, SKU: l.sku, Quantity: p.rem[i]})
		}
	}
	return out
}

// shortfall says in words why lines remain unassigned.
func (e *engine) shortfall(p *plan) string {
	if len(e.ranked) == 0 {
		return e.noLocation()
	}
	left := make([]int64, len(e.o.skus))
	for i, l := range e.o.lines {
		left[l.s] += p.rem[i]
	}
	var none, notEligible, safety, short []string
	constrained := false
	for s, sku := range e.o.skus {
		if left[s] == 0 {
			continue
		}
		total := e.eligibleStock(s)
		switch {
		case total >= e.o.demand[s]:
			constrained = true
		case total > 0:
			short = append(short, "only "+strconv.FormatInt(total, 10)+" of "+quantityOf(e.o.demand[s], sku)+" in stock")
		case e.excludedStock(s):
			notEligible = append(notEligible, sku)
		case e.safetyOnly(s):
			safety = append(safety, sku)
		default:
			none = append(none, sku)
		}
	}
	return e.shortfallWords(none, notEligible, safety, short, constrained, p)
}

// shortfallWords joins the kinds of shortfall into one clause.
func (e *engine) shortfallWords(none, notEligible, safety, short []string, constrained bool, p *plan) string {
	var parts []string
	if len(none) > 0 {
		parts = append(parts, "no location has "+listOr(none, 3))
	}
	if len(notEligible) > 0 {
		parts = append(parts, "no eligible location has "+listOr(notEligible, 3))
	}
	if len(safety) > 0 {
		parts = append(parts, "no location has "+listOr(safety, 3)+" above safety stock")
	}
	if len(short) > 0 {
		parts = append(parts, listAnd(short, 3))
	}
	if constrained {
		parts = append(parts, e.constraintWords(p))
	}
	return joinList(parts, len(parts), ", and ")
}

// constraintWords says why stock that exists could not be combined.
func (e *engine) constraintWords(p *plan) string {
	switch {
	case p.splitBlocked:
		return "no single location has all " + items(e.o.units) + " and " + e.ruleRef + " does not split orders"
	case p.maxReached:
		n := max(e.rule.Split.MaxShipments, 1)
		return e.ruleRef + " allows at most " + strconv.Itoa(n) + " " + plural(n, "shipment", "shipments")
	}
	return "the stock could not be combined"
}

// eligibleStock sums what the eligible locations have of SKU s.
func (e *engine) eligibleStock(s int) int64 {
	var t int64
	for _, c := range e.eligible {
		t = addSat(t, c.avail[s])
	}
	return t
}

// excludedStock reports whether an excluded location has SKU s available.
func (e *engine) excludedStock(s int) bool {
	for i := range e.cands {
		if !e.cands[i].routable && e.cands[i].avail[s] > 0 {
			return true
		}
	}
	return false
}

// safetyOnly reports whether a routable location has SKU s, but only
// within its safety stock.
func (e *engine) safetyOnly(s int) bool {
	for _, c := range e.ranked {
		if st, ok := c.src.Stock[e.o.skus[s]]; ok && st.Available(false) > 0 {
			return true
		}
	}
	return false
}

// noLocation says that no location may serve the order, naming up to two
// with their first reason.
func (e *engine) noLocation() string {
	if len(e.cands) == 0 {
		return "no candidate locations"
	}
	excluded := e.excludedByCode()
	var b strings.Builder
	b.WriteString("no location is eligible (")
	for i, c := range excluded[:min(len(excluded), 2)] {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.name() + ": " + c.reasons[0])
	}
	if len(excluded) > 2 {
		b.WriteString("; and " + strconv.Itoa(len(excluded)-2) + " more")
	}
	b.WriteString(")")
	return b.String()
}
