package routing

// Assignment strategies of a rule ("assign" in rules JSON).
const (
	// AssignGreedy takes one full location when there is one, else
	// locations in ranked or most-units order (the default; "" means it).
	AssignGreedy = "greedy"
	// AssignOptimalCost minimises the cost model exactly, within a time budget.
	AssignOptimalCost = "optimal_cost"
)

// Cost is what an assignment costs under the cost model, in minor units of
// the order's currency: zone-rate shipping per shipment, the location's
// handling per shipment and per unit, and the rule's split penalty for each
// shipment beyond the first.
type Cost struct {
	Shipping     int64 `json:"shipping"`
	Handling     int64 `json:"handling"`
	SplitPenalty int64 `json:"split_penalty"`
	Total        int64 `json:"total"`
	// Known is false when a shipping location had no zone rate (its shipping
	// then counts as zero, and the total is a lower bound).
	Known bool `json:"known"`
	// Strategy is the rule's assignment strategy that produced the shipments.
	Strategy string `json:"strategy"`
	// Exact says the optimiser proved the assignment cost-optimal; false with
	// StoppedEarly when it ran out of its time budget (best found is used).
	Exact        bool `json:"exact,omitempty"`
	StoppedEarly bool `json:"stopped_early,omitempty"`
}

// splitPenaltyMinor is the rule's split penalty in minor units (0 when unset
// or unreadable).
func splitPenaltyMinor(r Rule, exp int) int64 {
	if r.Split.Penalty == nil {
		return 0
	}
	v, ok := r.Split.Penalty.minor(exp, false)
	if !ok || v < 0 {
		return 0
	}
	return v
}

// CostOf prices shipments under the cost model of in's order and the given
// rule, with in's zone rates and candidates' handling costs; shipments from
// a location that is not a candidate count shipping and handling as zero
// and make the cost unknown. A pickup ships nothing (no shipping cost).
func CostOf(in *Input, rule Rule, ships []Shipment) Cost {
	byCode := make(map[string]int, len(in.Candidates))
	for i := range in.Candidates {
		if _, dup := byCode[in.Candidates[i].Code]; !dup {
			byCode[in.Candidates[i].Code] = i
		}
	}
	slots := matchRates(in.Rates, in.Order.Country, in.Order.Region, byCode, len(in.Candidates))
	return priceShipments(&in.Order, rule, ships, func(code string) (*Candidate, int64, bool) {
		i, ok := byCode[code]
		if !ok {
			return nil, 0, false
		}
		if slots != nil && slots[i].spec > 0 {
			return &in.Candidates[i], slots[i].rate.Cost, true
		}
		return &in.Candidates[i], 0, false
	})
}

// costOf is CostOf for the engine's own decision, from the figures it has
// already measured (rates are not matched again).
func (e *engine) costOf(ships []Shipment) Cost {
	return priceShipments(&e.in.Order, e.rule, ships, func(code string) (*Candidate, int64, bool) {
		i, ok := e.byCode[code]
		if !ok {
			return nil, 0, false
		}
		c := &e.cands[i]
		return c.src, c.fig.Cost, c.fig.CostKnown
	})
}

// priceShipments adds up the cost model over ships; look finds a shipping
// location's candidate (nil when none) and its zone-rate cost, when known.
func priceShipments(o *Order, rule Rule, ships []Shipment, look func(code string) (*Candidate, int64, bool)) Cost {
	c := Cost{Known: true, Strategy: rule.AssignStrategy()}
	pickup := o.Delivery == DeliveryPickup
	n := 0
	for _, s := range ships {
		var units int64
		for _, a := range s.Lines {
			units += a.Quantity
		}
		if units <= 0 {
			continue
		}
		n++
		cd, shipping, rateKnown := look(s.Location)
		if cd == nil {
			c.Known = false
			continue
		}
		c.Handling += cd.HandlingPerShipment + cd.HandlingPerUnit*units
		c.Known = c.Known && !cd.HandlingUnknown
		switch {
		case pickup:
		case rateKnown:
			c.Shipping += shipping
		default:
			c.Known = false
		}
	}
	if n > 1 {
		c.SplitPenalty = int64(n-1) * splitPenaltyMinor(rule, o.ValueExponent)
	}
	c.Total = c.Shipping + c.Handling + c.SplitPenalty
	return c
}

// AssignStrategy is the rule's assignment strategy, AssignGreedy when unset.
func (r Rule) AssignStrategy() string {
	if r.Assign == "" {
		return AssignGreedy
	}
	return r.Assign
}
