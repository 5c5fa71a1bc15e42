package routing

// shipPlan is what one location ships: a quantity per order line.
type shipPlan struct {
	c     *cand
	qty   []int64 // per orderView line
	units int64
	// kitParts, per orderView line, are the parts shipped of a kit split
	// over several locations (kitsplit.go); nil: whole lines.
	kitParts map[int][]KitPart
}

// plan is the assignment before the missing-stock policy.
type plan struct {
	ships        []shipPlan
	rem          []int64 // left per orderView line
	remUnits     int64
	splitBlocked bool // no single location has everything and the rule does not split
	maxReached   bool // more shipments would have covered more
	inRankOrder  bool // split taking locations strictly in ranked order
	optimised    bool // chosen by the optimal_cost strategy
	exact        bool // the optimiser proved its choice optimal
	combos       int  // combinations of locations the optimiser priced
}

// route assigns the lines with the rule's strategy.
func (e *engine) route() plan {
	if e.rule.AssignStrategy() == AssignOptimalCost {
		return e.assignOptimal()
	}
	return e.assign()
}

// assign decides which eligible locations ship which quantities.
//
// One location with everything wins outright when the rule ranks by
// fewest_shipments or does not split; otherwise, when the rule splits,
// locations are taken greedily up to max_shipments: the one covering the
// most remaining units (ties by rank) under fewest_shipments, else strictly
// in ranked order, each taking as much of each remaining line as it has.
func (e *engine) assign() plan {
	p := plan{rem: make([]int64, len(e.o.lines)), remUnits: e.o.units}
	for i, l := range e.o.lines {
		p.rem[i] = l.qty
	}
	if p.remUnits == 0 {
		return p
	}
	fewest := e.has(rankFewest)
	if fewest || !e.rule.Split.Allow {
		for _, c := range e.eligible {
			if c.full {
				e.take(&p, c, nil)
				return p
			}
		}
		if !e.rule.Split.Allow {
			p.splitBlocked = len(e.eligible) > 0
			return p
		}
	}
	e.split(&p, fewest)
	return p
}

// split takes locations greedily until everything is covered, no location
// can add anything, or the rule's max_shipments is reached.
func (e *engine) split(p *plan, fewest bool) {
	p.inRankOrder = !fewest
	limit := max(e.rule.Split.MaxShipments, 1)
	need := append([]int64(nil), e.o.demand...)
	used := make([]bool, len(e.eligible))
	for len(p.ships) < limit && p.remUnits > 0 {
		k := e.pickNext(used, need, fewest)
		if k < 0 {
			return
		}
		used[k] = true
		e.take(p, e.eligible[k], need)
	}
	p.maxReached = p.remUnits > 0 && e.pickNext(used, need, fewest) >= 0
}

// pickNext returns the index of the next unused eligible location to take,
// or -1 when none covers any remaining unit.
func (e *engine) pickNext(used []bool, need []int64, fewest bool) int {
	best, bestUnits := -1, int64(0)
	for k, c := range e.eligible {
		if used[k] {
			continue
		}
		u := coverage(c, need)
		if u > bestUnits {
			best, bestUnits = k, u
			if !fewest {
				return best
			}
		}
	}
	return best
}

// coverage is how many of the still-needed units a location can supply.
func coverage(c *cand, need []int64) int64 {
	var u int64
	for s, n := range need {
		u += min(n, c.avail[s])
	}
	return u
}

// take assigns to c as much of each remaining line as it has available,
// sharing its stock of a SKU across the lines of that SKU; need (per SKU)
// is reduced in step when given.
func (e *engine) take(p *plan, c *cand, need []int64) {
	pool := append([]int64(nil), c.avail...)
	sp := shipPlan{c: c, qty: make([]int64, len(e.o.lines))}
	for i, l := range e.o.lines {
		q := min(p.rem[i], pool[l.s])
		if q <= 0 {
			continue
		}
		pool[l.s] -= q
		p.rem[i] -= q
		p.remUnits -= q
		sp.qty[i] = q
		sp.units += q
		if need != nil {
			need[l.s] -= q
		}
	}
	p.ships = append(p.ships, sp)
}
