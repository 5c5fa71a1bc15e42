package desk

import (
	"context"
	"fmt"
	"strings"
	"switchyard/app"
	"time"
)

// shortDate writes a day the way people say it: "3 Dec".
func shortDate(t time.Time) string { return t.UTC().Format("2 Jan") }

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

// CustomerSentence is what support may tell the customer, with the facts:
// "Shipped on 3 Dec from Lyon warehouse with UPS, tracking 1Z…, expected by 5 Dec."
func CustomerSentence(o app.Order, now time.Time) string {
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
		sentence += "; it should leave by " + shortDate(*o.PromisedShipBy)
	}
	return sentence + expected(o) + "."
}

// shippedSentence describes the latest shipment.
func shippedSentence(o app.Order, s app.Shipment) string {
	if s.Carrier == app.CarrierPickup {
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
		b.WriteString(expected(o))
	}
	if o.Status == app.StatusPartiallyShipped {
		b.WriteString("; the rest of the order follows")
	}
	return b.String() + "."
}

// expected is ", expected by 5 Dec" when the order has a delivery promise.
func expected(o app.Order) string {
	if o.PromisedBy == nil {
		return ""
	}
	return ", expected by " + shortDate(*o.PromisedBy)
}

// lastShipment is the newest shipment, or nil.
func lastShipment(o app.Order) *app.Shipment {
	if len(o.Shipments) == 0 {
		return nil
	}
	return &o.Shipments[len(o.Shipments)-1]
}

// TrackingView is what the customer's tracking page shows: no email, phone or full address.
type TrackingView struct {
	Number     string
	ChannelRef string
	Status     app.Status
	Sentence   string
	PlacedAt   time.Time
	PromisedBy *time.Time
	City       string // the destination city and country only
	Country    string
	Shipments  []app.Shipment
	Events     []app.Event // customer-visible ones only
}

// TrackOrder returns the tracking view of the order with this token; a wrong
// token is NotFound.
func (a *Service) TrackOrder(ctx context.Context, token string) (TrackingView, error) {
	if len(token) != app.TrackingTokenLen && len(token) != app.OldTrackingTokenLen {
		return TrackingView{}, app.NotFound("no such tracking page")
	}
	row, err := a.core.Read().GetOrderByTrackingToken(ctx, token)
	if err != nil {
		return TrackingView{}, app.NotFound("no such tracking page")
	}
	o, err := a.core.CompleteOrder(ctx, row)
	if err != nil {
		return TrackingView{}, err
	}
	v := TrackingView{Number: o.Number, ChannelRef: o.ChannelRef, Status: o.Status, Sentence: CustomerSentence(o, a.core.Now()),
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
func customerMessage(e app.Event) string {
	switch e.Kind {
	case "received":
		return "We received your order."
	case "address_changed":
		return "The shipping address was updated."
	}
	return e.Message
}
