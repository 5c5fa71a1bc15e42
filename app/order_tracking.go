package app

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// shortDate writes a day the way people say it: "3 Dec".
func shortDate(t time.Time) string { return t.UTC().Format("2 Jan") }

// Late reports whether the order has passed its promised ship-by date with
// something still to ship.
func (o Order) Late(now time.Time) bool {
	if o.PromisedShipBy == nil || o.PromisedShipBy.After(now) {
		return false
	}
	switch o.Status {
	case StatusShipped, StatusDelivered, StatusCancelled, StatusReturned, StatusPartiallyReturned:
		return false
	}
	return true
}

// CustomerSentence is what support may tell the customer, with the facts:
// "Shipped on 3 Dec from Lyon warehouse with UPS, tracking 1Z…, expected by 5 Dec."
func (o Order) CustomerSentence(now time.Time) string {
	switch o.Status {
	case StatusShipped, StatusPartiallyShipped, StatusDelivered:
		if s := o.lastShipment(); s != nil {
			return o.shippedSentence(*s)
		}
	case StatusOnHold:
		return "Your order is being reviewed; we will update you shortly."
	case StatusCancelled:
		return "Your order was cancelled."
	case StatusBackordered:
		return "Part of your order is waiting for stock; we will ship it as soon as it arrives" + o.expected() + "."
	case StatusReturned, StatusPartiallyReturned:
		return "We have received your return."
	}
	sentence := "We have your order and are preparing it"
	if o.PromisedShipBy != nil {
		sentence += "; it should leave by " + shortDate(*o.PromisedShipBy)
	}
	return sentence + o.expected() + "."
}

// shippedSentence describes the latest shipment.
func (o Order) shippedSentence(s Shipment) string {
	if s.Carrier == CarrierPickup {
		if s.DeliveredAt != nil {
			return fmt.Sprintf("Collected on %s at %s.", shortDate(*s.DeliveredAt), s.LocationName)
		}
		return fmt.Sprintf("Ready for pickup at %s since %s.", s.LocationName, shortDate(s.ShippedAt))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Shipped on %s from %s with %s", shortDate(s.ShippedAt), s.LocationName, s.CarrierName)
	if s.TrackingNumber != "" {
		b.WriteString(", tracking " + s.TrackingNumber)
	}
	if s.DeliveredAt != nil {
		b.WriteString(", delivered on " + shortDate(*s.DeliveredAt))
	} else {
		b.WriteString(o.expected())
	}
	if o.Status == StatusPartiallyShipped {
		b.WriteString("; the rest of the order follows")
	}
	return b.String() + "."
}

// expected is ", expected by 5 Dec" when the order has a delivery promise.
func (o Order) expected() string {
	if o.PromisedBy == nil {
		return ""
	}
	return ", expected by " + shortDate(*o.PromisedBy)
}

// lastShipment is the newest shipment, or nil.
func (o Order) lastShipment() *Shipment {
	if len(o.Shipments) == 0 {
		return nil
	}
	return &o.Shipments[len(o.Shipments)-1]
}

// TrackingView is what the customer's tracking page shows: no email, phone or full address.
type TrackingView struct {
	Number     string
	ChannelRef string
	Status     Status
	Sentence   string
	PlacedAt   time.Time
	PromisedBy *time.Time
	City       string // the destination city and country only
	Country    string
	Shipments  []Shipment
	Events     []Event // customer-visible ones only
}

// TrackOrder returns the tracking view of the order with this token; a wrong
// token is NotFound.
func (a *App) TrackOrder(ctx context.Context, token string) (TrackingView, error) {
	if len(token) != tokenLen && len(token) != oldTokenLen {
		return TrackingView{}, NotFound("no such tracking page")
	}
	row, err := a.Read().GetOrderByTrackingToken(ctx, token)
	if err != nil {
		return TrackingView{}, NotFound("no such tracking page")
	}
	o, err := a.completeOrder(ctx, row)
	if err != nil {
		return TrackingView{}, err
	}
	v := TrackingView{Number: o.Number, ChannelRef: o.ChannelRef, Status: o.Status, Sentence: o.CustomerSentence(a.Now()),
		PlacedAt: o.PlacedAt, PromisedBy: o.PromisedBy, Shipments: o.Shipments}
	if o.ShippingAddress != nil {
		v.City, v.Country = o.ShippingAddress.City, o.ShippingAddress.Country
	}
	for _, e := range o.Events {
		if e.CustomerVisible {
			// Who did it and the details stay inside; some messages are said in other words.
			e.ActorName, e.Data, e.Message = "", nil, customerMessage(e)
			v.Events = append(v.Events, e)
		}
	}
	return v, nil
}

// customerMessage is a timeline entry in words for the customer, without
// anything personal (the address change names no address).
func customerMessage(e Event) string {
	switch e.Kind {
	case "received":
		return "We received your order."
	case "address_changed":
		return "The shipping address was updated."
	}
	return e.Message
}
