package views

import (
	"fmt"

	"switchyard/app"
	"switchyard/app/floor"
)

// ShippedNotice is what the queue says after a shipment was confirmed, from
// the fulfillment as it is now: everything gone, part of it (with what is
// left), ready for pickup, and the tracking check's warning when the number
// did not look right.
func ShippedNotice(w floor.FulfillmentWork) (kind, msg string) {
	var total, shipped int64
	for _, l := range w.Lines {
		total += l.Quantity - l.Released
		shipped += l.Shipped
	}
	left := openUnits(w.Lines)
	switch {
	case w.Shipped == app.CarrierPickup && left == 0:
		msg = "Saved: order " + w.OrderNumber + " is ready for pickup."
	case w.Shipped == app.CarrierPickup:
		msg = fmt.Sprintf("Saved: %d of %d items of order %s are ready for pickup; %d left to prepare.", shipped, total, w.OrderNumber, left)
	case left == 0:
		msg = "Saved: order " + w.OrderNumber + " has shipped."
	default:
		msg = fmt.Sprintf("Saved: %d of %d items of order %s have shipped; %d left to ship.", shipped, total, w.OrderNumber, left)
	}
	if w.Warning != "" {
		return "warn", msg + " Check the tracking number: " + w.Warning + "."
	}
	return "ok", msg
}
