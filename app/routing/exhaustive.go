package routing

// exhaustiveLimit bounds the combinations ExhaustiveOptimum will price.
const exhaustiveLimit = 100_000

// ExhaustiveOptimum prices every combination of the eligible locations of
// in's order under the rule it selects (up to its max_shipments; one
// location with everything when it does not split) and returns the best one
// under the optimal_cost objective: most units covered, then fewest
// shipments from locations without a zone rate, then lowest cost. It is a
// slow, independent check of the optimiser for tests and benchmarks: ok is
// false for pickup orders and when there are more than 100,000
// combinations or units. With nothing to ship it returns a zero cost and 0 units.
func ExhaustiveOptimum(in Input) (cost Cost, units int64, ok bool) {
	e := newEngine(&in)
	if e.o.delivery == DeliveryPickup {
		return Cost{}, 0, false
	}
	e.screen()
	e.rankAll()
	limit := 1
	if e.rule.Split.Allow {
		limit = max(e.rule.Split.MaxShipments, 1)
	}
	if combinations(len(e.eligible), limit) > exhaustiveLimit || e.o.units > exhaustiveLimit {
		return Cost{}, 0, false
	}
	x := exhaustive{e: e, penalty: splitPenaltyMinor(e.rule, in.Order.ValueExponent), limit: limit}
	x.best = Cost{Known: true, Strategy: AssignOptimalCost, Exact: true}
	x.bestUnknown = -1
	x.walk(0, nil)
	return x.best, x.bestUnits, true
}

// combinations counts the non-empty subsets of n items of at most k items,
// stopping once past exhaustiveLimit.
func combinations(n, k int) int {
	total, c := 0, 1
	for size := 1; size <= min(k, n); size++ {
		c = c * (n - size + 1) / size
		total += c
		if total > exhaustiveLimit {
			return total
		}
	}
	return total
}

// exhaustive is the state of one ExhaustiveOptimum walk.
type exhaustive struct {
	e           *engine
	penalty     int64
	limit       int
	best        Cost
	bestUnits   int64
	bestUnknown int
}

// walk visits every subset of the eligible locations of at most limit members.
func (x *exhaustive) walk(from int, set []*cand) {
	if len(set) > 0 {
		x.price(set)
	}
	if len(set) == x.limit {
		return
	}
	for i := from; i < len(x.e.eligible); i++ {
		x.walk(i+1, append(set[:len(set):len(set)], x.e.eligible[i]))
	}
}

// price allocates units one at a time, each to the member with stock left
// whose per-unit handling is lowest, then prices the members that ship.
func (x *exhaustive) price(set []*cand) {
	if !x.e.rule.Split.Allow && !set[0].full {
		return
	}
	shipped := make([]int64, len(set))
	var units int64
	for s, need := range x.e.o.demand {
		left := make([]int64, len(set))
		for k, c := range set {
			left[k] = c.avail[s]
		}
		for ; need > 0; need-- {
			k := cheapestWithStock(set, left)
			if k < 0 {
				break
			}
			left[k]--
			shipped[k]++
			units++
		}
	}
	c := Cost{Known: true, Strategy: AssignOptimalCost, Exact: true}
	unknown, n := 0, 0
	for k, cd := range set {
		if shipped[k] == 0 {
			continue
		}
		n++
		c.Handling += cd.src.HandlingPerShipment + cd.src.HandlingPerUnit*shipped[k]
		if cd.fig.CostKnown {
			c.Shipping += cd.fig.Cost
		}
		if !cd.fig.CostKnown || cd.src.HandlingUnknown {
			unknown++
			c.Known = false
		}
	}
	if n > 1 {
		c.SplitPenalty = int64(n-1) * x.penalty
	}
	c.Total = c.Shipping + c.Handling + c.SplitPenalty
	if x.bestUnknown < 0 || units > x.bestUnits ||
		(units == x.bestUnits && (unknown < x.bestUnknown || (unknown == x.bestUnknown && c.Total < x.best.Total))) {
		x.best, x.bestUnits, x.bestUnknown = c, units, unknown
	}
}

// cheapestWithStock is the member with stock left and the lowest per-unit
// handling, or -1.
func cheapestWithStock(set []*cand, left []int64) int {
	best := -1
	for k, c := range set {
		if left[k] > 0 && (best < 0 || c.src.HandlingPerUnit < set[best].src.HandlingPerUnit) {
			best = k
		}
	}
	return best
}
