package views

import (
	"fmt"
	"strings"
	"time"

	"switchyard/app"
	"switchyard/app/desk"
)

// SentenceFacts are the facts of an order the customer sentence says.
type SentenceFacts struct {
	Status         app.Status
	Shipments      []app.Shipment
	PromisedShipBy *time.Time
	PromisedBy     *time.Time
	HoldReason     string         // the hold's reason code, when on hold
	Zone           *time.Location // the zone days are said in; nil: UTC
}

// OrderFacts are the sentence facts of an order.
func OrderFacts(o app.Order) SentenceFacts {
	country := ""
	if o.ShippingAddress != nil {
		country = o.ShippingAddress.Country
	}
	zone, _ := desk.CustomerZone(country)
	return SentenceFacts{Status: o.Status, Shipments: o.Shipments, PromisedShipBy: o.PromisedShipBy, PromisedBy: o.PromisedBy,
		HoldReason: o.HoldReason, Zone: zone}
}

// sentenceDate writes a day the way people say it, in the customer's zone: "3 Dec".
func (o SentenceFacts) sentenceDate(t time.Time) string {
	if o.Zone == nil {
		return t.UTC().Format("2 Jan")
	}
	return t.In(o.Zone).Format("2 Jan")
}

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
		return holdSentence(o.HoldReason)
	case app.StatusCancelled:
		return "Your order was cancelled."
	case app.StatusBackordered, app.StatusPartiallyRouted:
		return "Part of your order is waiting for stock; we will ship it as soon as it arrives" + o.expected() + "."
	case app.StatusReturned:
		return "We have received your return."
	case app.StatusPartiallyReturned:
		return "We have received part of your return."
	}
	sentence := "We have your order and are preparing it"
	if o.PromisedShipBy != nil {
		sentence += "; it should leave by " + o.sentenceDate(*o.PromisedShipBy)
	}
	return sentence + o.expected() + "."
}

// holdSentence is what the customer may be told of a hold, by its reason:
// a hold they asked for is theirs to lift, and other holds say what waits.
func holdSentence(reason string) string {
	switch reason {
	case "customer_request":
		return "Your order is on hold, as you asked; it goes ahead when you tell us."
	case "address_check":
		return "We are checking your shipping address; we will contact you if we need anything."
	case "payment":
		return "Your order is waiting for your payment to be confirmed."
	case app.HoldStockReview:
		return "Part of your order is not in stock yet; we will tell you when it ships."
	}
	return "Your order is being reviewed; we will update you shortly."
}

// shippedSentence describes the latest shipment.
func shippedSentence(o SentenceFacts, s app.Shipment) string {
	if s.Carrier == app.CarrierPickup {
		if s.DeliveredAt != nil {
			return fmt.Sprintf("Collected on %s at %s.", o.sentenceDate(*s.DeliveredAt), s.LocationName)
		}
		return fmt.Sprintf("Ready for pickup at %s since %s.", s.LocationName, o.sentenceDate(s.ShippedAt))
	}
	var b strings.Builder
	verb := "Shipped"
	if o.Status == app.StatusPartiallyShipped {
		verb = "Part of your order shipped"
	}
	fmt.Fprintf(&b, "%s on %s from %s with %s", verb, o.sentenceDate(s.ShippedAt), desk.CustomerPlace(s), s.CarrierName)
	if s.TrackingNumber != "" {
		b.WriteString(", tracking " + s.TrackingNumber)
	}
	if s.DeliveredAt != nil {
		b.WriteString(", delivered on " + o.sentenceDate(*s.DeliveredAt))
	} else {
		b.WriteString(o.expected())
	}
	if o.Status == app.StatusPartiallyShipped {
		b.WriteString("; the rest follows")
	}
	return b.String() + "."
}

// expected is ", expected by 5 Dec" when the order has a delivery promise.
func (o SentenceFacts) expected() string {
	if o.PromisedBy == nil {
		return ""
	}
	return ", expected by " + o.sentenceDate(*o.PromisedBy)
}

// lastShipment is the newest shipment, or nil.
func lastShipment(o SentenceFacts) *app.Shipment {
	if len(o.Shipments) == 0 {
		return nil
	}
	return &o.Shipments[len(o.Shipments)-1]
}

// zoned is a time in zone loc, the zone's abbreviation named: "6 Dec 2026, 05:47 CET".
func zoned(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2 Jan 2006, 15:04 MST")
}

// zoneWords names the zone times are shown in: "Paris time (Europe/Paris)", "UTC".
func zoneWords(name string) string {
	if name == "" || name == "UTC" {
		return "in UTC"
	}
	city := name[strings.LastIndex(name, "/")+1:]
	return strings.ReplaceAll(city, "_", " ") + " time (" + name + ")"
}

// lineProgress says how far a line has come, for the customer: "2 shipped, 1 cancelled".
func lineProgress(l desk.TrackingLine) string {
	var parts []string
	if l.Shipped > 0 {
		parts = append(parts, fmt.Sprintf("%d shipped", l.Shipped))
	}
	if l.Cancelled > 0 {
		parts = append(parts, fmt.Sprintf("%d cancelled", l.Cancelled))
	}
	return strings.Join(parts, ", ")
}
