package desk

import (
	"context"
	"switchyard/app"
	"time"
)

// TrackingView is what the customer's tracking page shows: no email, phone or full address.
type TrackingView struct {
	Number         string
	ChannelRef     string
	Status         app.Status
	PlacedAt       time.Time
	PromisedShipBy *time.Time // to say when it should leave
	PromisedBy     *time.Time
	City           string // the destination city and country only
	Country        string
	Shipments      []app.Shipment
	Events         []app.Event // customer-visible ones only
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
	v := TrackingView{Number: o.Number, ChannelRef: o.ChannelRef, Status: o.Status, PromisedShipBy: o.PromisedShipBy,
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
