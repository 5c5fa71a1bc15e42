package views

import (
	"fmt"
	"strings"
	"time"

	"switchyard/app"
)

// SentenceFacts are the facts of an order the customer sentence says.
type SentenceFacts struct {
	Status         app.Status
	Shipments      []app.Shipment
	PromisedShipBy *time.Time
	PromisedBy     *time.Time
}

// OrderFacts are the sentence facts of an order.
func OrderFacts(o app.Order) SentenceFacts {
	return SentenceFacts{Status: o.Status, Shipments: o.Shipments, PromisedShipBy: o.PromisedShipBy, PromisedBy: o.PromisedBy}
}

// sentenceDate writes a day the way people say it: "3 Dec".
func sentenceDate(t time.Time) string { return t.UTC().Format("2 Jan") }

// Late reports whether the order has passed its promised ship-by date with
// something still to ship.
func Late(o app.Order, now time.Time) bool {
	if o.PromisedShipBy == nil || o.PromisedShipBy.After(now) {
		return false
	}
	switch o.Status {
	case app.StatusShipped, app.StatusDelivered, app.StatusCancelled, app.StatusReturned, app.StatusPartiallyReturned:
		return false
	}
	return true
}

// CustomerSentence is what support may tell the customer about an order, with
// the facts: "Shipped on 3 Dec from Lyon warehouse with UPS, tracking 1Z…,
// expected by 5 Dec." The order page and the customer's tracking page say it.
func CustomerSentence(o SentenceFacts) string {
	switch o.Status {
	case app.StatusShipped, app.StatusPartiallyShipped, app.StatusDelivered:
		if s := lastShipment(o); s != nil {
			return shippedSentence(o, *s)
		}
	case app.StatusOnHold:
		return "Your order is being reviewed; we will update you shortly."
	case app.StatusCancelled:
		return "Your order was cancelled."
	case app.StatusBackordered:
		return "Part of your order is waiting for stock; we will ship it as soon as it arrives" + expected(o) + "."
	case app.StatusReturned, app.StatusPartiallyReturned:
		return "We have received your return."
	}
	sentence := "We have your order and are preparing it"
	if o.PromisedShipBy != nil {
		sentence += "; it should leave by " + sentenceDate(*o.PromisedShipBy)
	}
	return sentence + expected(o) + "."
}

// shippedSentence describes the latest shipment.
func shippedSentence(o SentenceFacts, s app.Shipment) string {
	if s.Carrier == app.CarrierPickup {
		if s.DeliveredAt != nil {
			return fmt.Sprintf("Collected on %s at %s.", sentenceDate(*s.DeliveredAt), s.LocationName)
		}
		return fmt.Sprintf("Ready for pickup at %s since %s.", s.LocationName, sentenceDate(s.ShippedAt))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Shipped on %s from %s with %s", sentenceDate(s.ShippedAt), s.LocationName, s.CarrierName)
	if s.TrackingNumber != "" {
		b.WriteString(", tracking " + s.TrackingNumber)
	}
	if s.DeliveredAt != nil {
		b.WriteString(", delivered on " + sentenceDate(*s.DeliveredAt))
	} else {
		b.WriteString(expected(o))
	}
	if o.Status == app.StatusPartiallyShipped {
		b.WriteString("; the rest of the order follows")
	}
	return b.String() + "."
}

// expected is ", expected by 5 Dec" when the order has a delivery promise.
func expected(o SentenceFacts) string {
	if o.PromisedBy == nil {
		return ""
	}
	return ", expected by " + sentenceDate(*o.PromisedBy)
}

// lastShipment is the newest shipment, or nil.
func lastShipment(o SentenceFacts) *app.Shipment {
	if len(o.Shipments) == 0 {
		return nil
	}
	return &o.Shipments[len(o.Shipments)-1]
}
