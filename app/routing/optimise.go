package routing

import (
	"cmp"
	"math"
	"slices"
)

// DefaultOptimiseBudget is how many steps the optimal_cost search may take
// per decision when Input.OptimiseBudget is 0. A step is one location-SKU
// pair examined while pricing a combination of locations, so the budget is
// deterministic (the same input always stops at the same point) and roughly
// proportional to time: a step takes about 2 ns (1.5 to 4 ns measured at 50
// lines and 500 locations on the shared 2-core development VM), so the
// default is about 2 ms of CPU; BenchmarkOptimalCost50Lines500Locations
// compares it with no search at all.
const DefaultOptimiseBudget = 1_000_000

// optLoc is one eligible location as the optimiser prices it.
type optLoc struct {
	c       *cand
	pos     int   // index in the ranking of eligible locations
	fixed   int64 // zone-rate shipping (0 when unknown) + handling per shipment
	unit    int64 // handling per unit
	unknown bool  // no zone rate, or handling in another currency: its cost is unknown
	cover   int64 // units of the achievable demand it has
	// rate bounds what each unit it covers costs, shipment costs and split
	// penalty spread over its cover, in 1/rateScale of a minor unit (rounded down).
	rate int64
}

// rateScale is the fixed-point scale of optLoc.rate.
const rateScale = 1024

// optEval is a combination of locations, priced.
type optEval struct {
	units   int64 // units covered
	unknown int   // shipments from locations with no zone rate
	cost    int64 // total under the cost model (unknown shipping as 0)
	ships   int
	fixed   int64 // shipping and handling per shipment, summed
	minUnit int64 // cheapest per-unit handling among the members
}

// optimiser searches combinations of eligible locations by branch and bound.
type optimiser struct {
	locs     []optLoc
	avail    [][]int64 // per location, per SKU
	demand   []int64   // achievable demand per SKU
	total    int64
	limit    int
	penalty  int64
	budget   int64
	steps    int64
	combos   int
	stopped  bool
	bounds   bool      // every cost is non-negative, so the bounds hold
	top      [][]int64 // top[i][t]: the t largest covers among locs[i:], summed
	minFixed []int64   // suffix minimum of fixed
	minUnit  []int64   // suffix minimum of unit
	minRate  []int64   // suffix minimum of rate
	best     []int     // best combination found, ascending indices into locs
	bestPos  []int     // its members' ranked positions, ascending
	bestEv   optEval
	found    bool
	set      []int
	evals    []optEval // evaluation of set[:d] at depth d
	order    []int     // scratch: members by per-unit cost
}

// optResult is what the optimiser found.
type optResult struct {
	set    []int
	ev     optEval
	exact  bool
	combos int
}

// assignOptimal assigns the lines to the combination of eligible locations
// that covers the most units and, among those, ships from the fewest
// locations without a zone rate, then costs least, then ships fewest
// parcels; among equal combinations the search meets, the first in ranked
// order (positions compared in turn) wins.
// A rule that does not split ships from one location with everything, or
// nothing, as under the greedy strategy.
func (e *engine) assignOptimal() plan {
	p := plan{rem: make([]int64, len(e.o.lines)), remUnits: e.o.units, optimised: true}
	for i, l := range e.o.lines {
		p.rem[i] = l.qty
	}
	if p.remUnits == 0 || len(e.eligible) == 0 {
		p.exact = true
		return p
	}
	o := e.newOptimiser()
	res := o.run(e)
	p.exact, p.combos = res.exact, res.combos
	if res.set == nil {
		p.splitBlocked = !e.rule.Split.Allow
		return p
	}
	e.applySet(&p, o, res.set)
	if p.remUnits > 0 && e.rule.Split.Allow && len(p.ships) == o.limit && o.total > res.ev.units {
		p.maxReached = true
	}
	return p
}

// newOptimiser prices every eligible location and prepares the bounds.
func (e *engine) newOptimiser() *optimiser {
	o := &optimiser{limit: 1, bounds: true}
	if e.rule.Split.Allow {
		// A stored rule from before the limit may allow more: capped here.
		o.limit = min(max(e.rule.Split.MaxShipments, 1), MaxShipmentsLimit)
	}
	o.penalty = splitPenaltyMinor(e.rule, e.in.Order.ValueExponent)
	o.budget = int64(e.in.OptimiseBudget)
	if o.budget <= 0 {
		o.budget = DefaultOptimiseBudget
	}
	n := len(e.o.skus)
	o.demand = make([]int64, n)
	for _, c := range e.eligible {
		for s := range n {
			o.demand[s] = addSat(o.demand[s], c.avail[s])
		}
	}
	for s := range n {
		o.demand[s] = min(o.demand[s], e.o.demand[s])
		o.total = addSat(o.total, o.demand[s])
	}
	o.locs = make([]optLoc, len(e.eligible))
	o.avail = make([][]int64, len(e.eligible))
	for i, c := range e.eligible {
		l := optLoc{c: c, pos: i, fixed: c.src.HandlingPerShipment, unit: c.src.HandlingPerUnit, unknown: !c.fig.CostKnown || c.src.HandlingUnknown}
		if c.fig.CostKnown {
			l.fixed = costAdd(l.fixed, c.fig.Cost)
		}
		for s := range n {
			l.cover = addSat(l.cover, min(c.avail[s], o.demand[s]))
		}
		o.bounds = o.bounds && l.fixed >= 0 && l.unit >= 0
		l.rate = math.MaxInt64
		if l.cover > 0 {
			l.rate = costAdd(costMul(costAdd(l.fixed, o.penalty), rateScale)/l.cover, costMul(l.unit, rateScale))
		}
		o.locs[i], o.avail[i] = l, c.avail
	}
	o.sortLocs()
	o.prepareBounds()
	return o
}

// sortLocs puts the locations in search order: those with a zone rate
// first, then by rate (cheapest per unit covered first), then by rank.
func (o *optimiser) sortLocs() {
	slices.SortFunc(o.locs, func(a, b optLoc) int {
		switch {
		case a.unknown != b.unknown:
			return compareBool(b.unknown, a.unknown)
		case a.rate != b.rate:
			return cmp.Compare(a.rate, b.rate)
		}
		return cmp.Compare(a.pos, b.pos)
	})
	for i := range o.locs {
		o.avail[i] = o.locs[i].c.avail
	}
}

// prepareBounds fills the suffix tables the bounds read.
func (o *optimiser) prepareBounds() {
	m := len(o.locs)
	o.limit = min(o.limit, m)
	o.top = make([][]int64, m+1)
	rows := make([]int64, (m+1)*(o.limit+1))
	o.minFixed = make([]int64, m+1)
	o.minUnit = make([]int64, m+1)
	o.minRate = make([]int64, m+1)
	o.minFixed[m], o.minUnit[m], o.minRate[m] = math.MaxInt64, math.MaxInt64, math.MaxInt64
	o.top[m] = rows[m*(o.limit+1):]
	largest := make([]int64, 0, o.limit) // descending
	for i := m - 1; i >= 0; i-- {
		l := &o.locs[i]
		o.minFixed[i] = min(o.minFixed[i+1], l.fixed)
		o.minUnit[i] = min(o.minUnit[i+1], l.unit)
		o.minRate[i] = min(o.minRate[i+1], l.rate)
		largest = insertDesc(largest, l.cover, o.limit)
		row := rows[i*(o.limit+1) : (i+1)*(o.limit+1)]
		for t := 1; t <= o.limit; t++ {
			row[t] = row[t-1]
			if t <= len(largest) {
				row[t] = addSat(row[t], largest[t-1])
			}
		}
		o.top[i] = row
	}
}

// insertDesc inserts v into a descending list kept to at most n entries.
func insertDesc(list []int64, v int64, n int) []int64 {
	k := len(list)
	for k > 0 && list[k-1] < v {
		k--
	}
	if k >= n {
		return list
	}
	if len(list) < n {
		list = append(list, 0)
	}
	copy(list[k+1:], list[k:len(list)-1])
	list[k] = v
	return list
}

// run searches, starting from the greedy assignment's locations, so the
// result never covers fewer units or costs more than greedy, even when the
// search stops early.
func (o *optimiser) run(e *engine) optResult {
	if o.limit == 1 && !e.rule.Split.Allow {
		o.singles(e)
	} else {
		o.seedGreedy(e)
		o.evals = make([]optEval, o.limit+1)
		o.evals[0] = optEval{minUnit: math.MaxInt64}
		o.dfs(0, 0)
	}
	return optResult{set: o.best, ev: o.bestEv, exact: !o.stopped, combos: o.combos}
}

// singles prices each location that has everything (a rule that does not split).
func (o *optimiser) singles(e *engine) {
	for i := range o.locs {
		if !o.locs[i].c.full {
			continue
		}
		o.set = append(o.set[:0], i)
		if ev, ok := o.eval(o.set); ok {
			o.consider(o.set, ev)
		}
	}
}

// dfs extends the combination set[:depth] with locations from start on, in
// search order, so the cheapest locations per unit covered are tried first.
func (o *optimiser) dfs(start, depth int) {
	parent := o.evals[depth]
	for j := start; j < len(o.locs); j++ {
		if o.prune(parent, j, depth) {
			return
		}
		if o.steps >= o.budget {
			o.stopped = true
			return
		}
		o.set = append(o.set[:depth], j)
		ev, ok := o.eval(o.set)
		if !ok {
			continue // a member ships nothing here, and in every superset
		}
		o.consider(o.set, ev)
		if depth+1 < o.limit {
			o.evals[depth+1] = ev
			o.dfs(j+1, depth+1)
			if o.stopped {
				return
			}
		}
	}
}

// prune reports whether no combination adding 1 to limit-depth locations
// from locs[from:] to the current one (priced ev) can beat the best found.
func (o *optimiser) prune(ev optEval, from, depth int) bool {
	r := o.limit - depth
	if r <= 0 || from >= len(o.locs) {
		return true
	}
	if !o.found {
		return false
	}
	ub := ev.units + min(o.total-ev.units, o.top[from][r])
	if ub != o.bestEv.units || !o.bounds {
		return ub < o.bestEv.units
	}
	rem := o.bestEv.units - ev.units
	t := 1
	for t < r && o.top[from][t] < rem {
		t++
	}
	lb := optEval{unknown: ev.unknown, ships: ev.ships + t}
	lb.cost = costAdd(ev.fixed, costMul(int64(t), o.minFixed[from]))
	lb.cost = costAdd(lb.cost, costMul(int64(lb.ships-1), o.penalty))
	lb.cost = costAdd(lb.cost, costMul(ev.units, min(ev.minUnit, o.minUnit[from])))
	lb.cost = costAdd(lb.cost, costMul(rem, o.minUnit[from]))
	lb.cost = max(lb.cost, o.rateBound(ev, from, rem))
	return !lessCost(lb, o.bestEv)
}

// rateBound is a lower bound on the cost of adding locations from
// locs[from:] that cover rem more units: each unit they ship costs at least
// the best rate among them, and the units already covered cost at least
// the cheaper of that rate and the members' cheapest per-unit handling.
func (o *optimiser) rateBound(ev optEval, from int, rem int64) int64 {
	rate := o.minRate[from]
	lb := costAdd(ev.fixed, costMul(int64(max(ev.ships-1, 0)), o.penalty))
	if ev.ships == 0 {
		lb = -o.penalty // the first shipment pays no split penalty
	}
	added := costMul(rem, rate) / rateScale
	kept := costMul(ev.units, min(rate, costMul(ev.minUnit, rateScale))) / rateScale
	return costAdd(lb, costAdd(added, kept))
}

// eval prices a combination: each SKU's units go to the members with the
// cheapest per-unit handling first (ties by rank), which is optimal for a
// fixed combination. ok is false when a member would ship nothing.
func (o *optimiser) eval(set []int) (optEval, bool) {
	o.order = append(o.order[:0], set...)
	for i := 1; i < len(o.order); i++ {
		for k := i; k > 0 && o.unitBefore(o.order[k], o.order[k-1]); k-- {
			o.order[k], o.order[k-1] = o.order[k-1], o.order[k]
		}
	}
	ev := optEval{ships: len(set), minUnit: math.MaxInt64}
	var shipped [64]int64
	units := shipped[:0]
	if len(set) > len(shipped) {
		units = make([]int64, 0, len(set))
	}
	units = units[:len(set)]
	for s, need := range o.demand {
		for k, i := range o.order {
			if need == 0 {
				break
			}
			q := min(need, o.avail[i][s])
			need -= q
			units[k] = addSat(units[k], q)
		}
		ev.units = addSat(ev.units, o.demand[s]-need)
	}
	o.steps += int64(len(set)*len(o.demand) + 1)
	o.combos++
	for k, i := range o.order {
		if units[k] == 0 {
			return ev, false
		}
		l := &o.locs[i]
		ev.fixed = costAdd(ev.fixed, l.fixed)
		ev.cost = costAdd(ev.cost, costMul(units[k], l.unit))
		ev.minUnit = min(ev.minUnit, l.unit)
		if l.unknown {
			ev.unknown++
		}
	}
	ev.cost = costAdd(costAdd(ev.cost, ev.fixed), costMul(int64(len(set)-1), o.penalty))
	return ev, true
}

// unitBefore orders locations by handling per unit, then rank.
func (o *optimiser) unitBefore(i, j int) bool {
	a, b := &o.locs[i], &o.locs[j]
	return a.unit < b.unit || (a.unit == b.unit && a.pos < b.pos)
}

// consider keeps a combination when it beats the best found, or equals it
// and comes first in ranked order.
func (o *optimiser) consider(set []int, ev optEval) {
	var pos []int
	if o.found && !betterEval(ev, o.bestEv) {
		if betterEval(o.bestEv, ev) {
			return
		}
		if pos = o.positions(set); !positionsBefore(pos, o.bestPos) {
			return
		}
	}
	if pos == nil {
		pos = o.positions(set)
	}
	o.best, o.bestPos, o.bestEv, o.found = append([]int(nil), set...), pos, ev, true
}

// positions lists the ranked positions of a combination's members, ascending.
func (o *optimiser) positions(set []int) []int {
	pos := make([]int, len(set))
	for k, i := range set {
		pos[k] = o.locs[i].pos
	}
	slices.Sort(pos)
	return pos
}

// seedGreedy starts from the greedy assignment's locations, priced with
// the best split of units among them.
func (o *optimiser) seedGreedy(e *engine) {
	g := e.assign()
	if len(g.ships) == 0 {
		return
	}
	index := make([]int, len(o.locs)) // ranked position to search index
	for i := range o.locs {
		index[o.locs[i].pos] = i
	}
	var set []int
	for _, sp := range g.ships {
		set = append(set, index[sp.c.position-1])
	}
	slices.Sort(set)
	ev, ok := o.eval(set)
	if !ok {
		set = o.shipping(set)
		ev, _ = o.eval(set)
	}
	o.consider(set, ev)
}

// shipping keeps the members of a combination that ship something.
func (o *optimiser) shipping(set []int) []int {
	units := o.distribute(set)
	var out []int
	for k, i := range set {
		var u int64
		for _, q := range units[k] {
			u += q
		}
		if u > 0 {
			out = append(out, i)
		}
	}
	return out
}

// distribute gives each member of set its units per SKU, cheapest
// per-unit handling first (ties by rank).
func (o *optimiser) distribute(set []int) [][]int64 {
	byCost := o.sortedByUnit(set)
	out := make([][]int64, len(set))
	for k := range out {
		out[k] = make([]int64, len(o.demand))
	}
	for s, need := range o.demand {
		for _, k := range byCost {
			q := min(need, o.avail[set[k]][s])
			need -= q
			out[k][s] = q
		}
	}
	return out
}

// sortedByUnit returns the indices into set ordered by per-unit handling,
// then rank, as eval distributes.
func (o *optimiser) sortedByUnit(set []int) []int {
	ks := make([]int, len(set))
	for k := range ks {
		ks[k] = k
	}
	slices.SortFunc(ks, func(a, b int) int {
		if o.unitBefore(set[a], set[b]) {
			return -1
		}
		return 1
	})
	return ks
}

// applySet turns the chosen combination into ship plans, in ranked order,
// filling each SKU's lines in order from each member's share.
func (e *engine) applySet(p *plan, o *optimiser, set []int) {
	set = slices.Clone(set)
	slices.SortFunc(set, func(a, b int) int { return cmp.Compare(o.locs[a].pos, o.locs[b].pos) })
	share := o.distribute(set)
	for k, i := range set {
		c := o.locs[i].c
		sp := shipPlan{c: c, qty: make([]int64, len(e.o.lines))}
		left := share[k]
		for li, l := range e.o.lines {
			q := min(p.rem[li], left[l.s])
			if q <= 0 {
				continue
			}
			left[l.s] -= q
			p.rem[li] -= q
			p.remUnits -= q
			sp.qty[li] = q
			sp.units += q
		}
		if sp.units > 0 {
			p.ships = append(p.ships, sp)
		}
	}
}

// betterEval orders combinations: more units, then fewer shipments without
// a known rate, then lower cost, then fewer shipments.
func betterEval(a, b optEval) bool {
	if a.units != b.units {
		return a.units > b.units
	}
	return lessCost(a, b)
}

// lessCost compares at equal units: fewer unknown rates, cost, shipments.
func lessCost(a, b optEval) bool {
	switch {
	case a.unknown != b.unknown:
		return a.unknown < b.unknown
	case a.cost != b.cost:
		return a.cost < b.cost
	}
	return a.ships < b.ships
}

// positionsBefore reports whether combination a comes before b in
// lexicographic order of ranked positions.
func positionsBefore(a, b []int) bool {
	for k := range min(len(a), len(b)) {
		if a[k] != b[k] {
			return a[k] < b[k]
		}
	}
	return len(a) < len(b)
}

// costAdd adds amounts, saturating at the int64 limits.
func costAdd(a, b int64) int64 {
	s := a + b
	switch {
	case a > 0 && b > 0 && s < 0:
		return math.MaxInt64
	case a < 0 && b < 0 && s >= 0:
		return math.MinInt64
	}
	return s
}

// costMul multiplies amounts, saturating at the int64 limits.
func costMul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	p := a * b
	if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		if (a < 0) != (b < 0) {
			return math.MinInt64
		}
		return math.MaxInt64
	}
	return p
}
