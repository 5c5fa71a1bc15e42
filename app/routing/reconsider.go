package routing

import "math"

// Reconsideration is what re-evaluating an order's open assignment found.
type Reconsideration struct {
	// Decision is the fresh decision; the caller counts the order's own
	// reservations as available in the input's stock.
	Decision Decision `json:"decision"`
	// Current prices the shipments the order has now.
	Current Cost `json:"current"`
	// Saving is Current.Total less Decision.Cost.Total (negative when dearer).
	Saving int64 `json:"saving"`
	// Better says the fresh decision should replace the current one: it
	// ships every unit the current one ships, both costs are known, and it
	// saves more than the threshold.
	Better bool `json:"better"`
}

// Reconsider decides the order again and compares the result with the
// shipments it has now, under the rule the order selects; minSaving is the
// threshold in minor units (a move must save strictly more; a negative
// threshold counts as 0). It never proposes a decision that holds the
// order, backorders or leaves anything, or ships fewer units of any line
// than the current shipments do; a pickup is never reconsidered.
func Reconsider(in Input, current []Shipment, minSaving int64) Reconsideration {
	d := Decide(in)
	rule, _ := selectRule(in.Rules, &in.Order)
	r := Reconsideration{Decision: d, Current: CostOf(&in, rule, current)}
	r.Saving = costAdd(r.Current.Total, -max(d.Cost.Total, -math.MaxInt64))
	r.Better = !d.Hold && len(d.Backorders) == 0 && len(d.Unrouted) == 0 &&
		deliveryOf(&in.Order) == DeliveryShip && len(d.Shipments) > 0 &&
		r.Current.Known && d.Cost.Known && coversLines(d.Shipments, current) &&
		r.Saving > max(minSaving, 0)
	return r
}

// coversLines reports whether fresh ships at least as many units of every
// line as current does.
func coversLines(fresh, current []Shipment) bool {
	got := map[int64]int64{}
	for _, s := range fresh {
		for _, a := range s.Lines {
			got[a.LineID] += a.Quantity
		}
	}
	for _, s := range current {
		for _, a := range s.Lines {
			got[a.LineID] -= a.Quantity
		}
	}
	for _, q := range got {
		if q < 0 {
			return false
		}
	}
	return shippedUnits(fresh) >= shippedUnits(current)
}

// shippedUnits counts the units of shipments.
func shippedUnits(ships []Shipment) int64 {
	var n int64
	for _, s := range ships {
		for _, a := range s.Lines {
			n += a.Quantity
		}
	}
	return n
}
