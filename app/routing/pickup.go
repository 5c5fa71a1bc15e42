package routing

import "strconv"

// pickup routes a pickup order: everything at the chosen pickup location if
// it may serve the order and has all the stock, else the order is held.
func (e *engine) pickup() outcome {
	code := e.in.Order.PickupLocation
	var target *cand
	if i, ok := e.byCode[code]; ok && code != "" {
		target = &e.cands[i]
	}
	for i := range e.cands {
		if c := &e.cands[i]; c != target {
			c.reasons = append(c.reasons, "not the pickup location")
		}
	}
	if target == nil {
		return heldOutcome(e.unknownPickup(code), false)
	}
	target.reasons = e.baseReasons(target, nil, true)
	if lacks := e.pickupShortage(target); lacks != "" {
		target.reasons = append(target.reasons, lacks)
	}
	if len(target.reasons) > 0 {
		return heldOutcome("Pickup at "+target.name()+", which "+pickupWhich(target.reasons), false)
	}
	target.routable, target.eligible, target.position = true, true, 1
	e.ranked, e.eligible = []*cand{target}, []*cand{target}
	p := e.assign()
	return outcome{plan: p, pickup: true}
}

// unknownPickup says why a pickup order has no pickup location to go to.
func (e *engine) unknownPickup(code string) string {
	if code == "" {
		return "Pickup order without a pickup location"
	}
	return "Pickup at " + code + ", which is not one of the candidate locations"
}

// pickupShortage says what the pickup location lacks, "" when it has it all:
// "lacks TEE-BLK-M (needs 2, has 0)".
func (e *engine) pickupShortage(c *cand) string {
	var short []string
	for s, sku := range e.o.skus {
		if c.avail[s] < e.o.demand[s] {
			short = append(short, sku+" (needs "+strconv.FormatInt(e.o.demand[s], 10)+", has "+strconv.FormatInt(c.avail[s], 10)+")")
		}
	}
	if len(short) == 0 {
		return ""
	}
	return "lacks " + listAnd(short, 3)
}

// pickupWhich turns reasons into the tail of "Pickup at X, which …".
func pickupWhich(reasons []string) string {
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = r
		if r == "inactive" {
			parts[i] = "is inactive"
		}
	}
	return joinList(parts, len(parts), " and ")
}
