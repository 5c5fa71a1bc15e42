package desk

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"switchyard/app"
	"switchyard/app/geo"
)

// TrackingView is what the customer's tracking page shows: no email, phone or
// full address, no internal names (locations are a city, or the store where
// the customer collects), product names rather than SKU codes, and times in
// the zone of the address.
type TrackingView struct {
	Number         string
	ChannelRef     string
	ShopName       string // the channel's name
	ShopURL        string // the shop's address, https only; "" for none
	Status         app.Status
	HoldReason     string // for the sentence: a hold the customer asked for is said so
	PlacedAt       time.Time
	PromisedShipBy *time.Time // to say when it should leave
	PromisedBy     *time.Time
	City           string // the destination city and country only
	Country        string
	Zone           *time.Location // the zone times are shown in
	ZoneName       string         // "Europe/Paris", or "UTC"
	Lines          []TrackingLine
	Shipments      []app.Shipment // LocationName is the customer's word for where it left from
	Events         []app.Event    // customer-visible ones only, in the customer's words
}

// TrackingLine is one line of the order as the customer bought it.
type TrackingLine struct {
	Name      string
	Quantity  int64
	Shipped   int64
	Cancelled int64
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
	ch, err := a.core.Read().GetChannel(ctx, row.ChannelID)
	if err != nil {
		return TrackingView{}, fmt.Errorf("channel of order %s: %w", o.Number, err)
	}
	return trackingViewOf(o, ch.Name, ShopURL(ch.CallbackBaseUrl, ch.ShopDomain)), nil
}

// trackingViewOf puts an order in the customer's words.
func trackingViewOf(o app.Order, shopName, shopURL string) TrackingView {
	v := TrackingView{Number: o.Number, ChannelRef: o.ChannelRef, ShopName: shopName, ShopURL: shopURL, Status: o.Status, HoldReason: o.HoldReason,
		PromisedShipBy: o.PromisedShipBy, PlacedAt: o.PlacedAt, PromisedBy: o.PromisedBy}
	country := ""
	if o.ShippingAddress != nil {
		v.City, v.Country, country = o.ShippingAddress.City, o.ShippingAddress.Country, o.ShippingAddress.Country
	}
	v.Zone, v.ZoneName = CustomerZone(country)
	names := map[string]string{}
	for _, l := range o.Lines {
		name := strings.TrimSpace(l.Name)
		if name == "" {
			name = l.SKU
		}
		names[l.SKU] = name
		v.Lines = append(v.Lines, TrackingLine{Name: name, Quantity: l.Quantity, Shipped: l.Shipped, Cancelled: l.Cancelled})
	}
	byID := map[int64]app.Shipment{}
	for _, s := range o.Shipments {
		s.LocationName = CustomerPlace(s)
		for i := range s.Lines {
			s.Lines[i].SKU = names[s.Lines[i].SKU]
		}
		v.Shipments = append(v.Shipments, s)
		byID[s.ID] = s
	}
	for _, e := range o.Events {
		if e.CustomerVisible {
			// Who did it and the details stay inside; messages are said in the customer's words.
			msg := CustomerMessage(e, byID, o.Delivery.Method == "pickup")
			e.ActorName, e.Data, e.Message = "", nil, msg
			v.Events = append(v.Events, e)
		}
	}
	return v
}

// CustomerZone is the zone a customer in country reads times in: the
// country's when it has one obvious zone, else UTC (channels keep no zone).
func CustomerZone(country string) (*time.Location, string) {
	if z, ok := geo.CountryZone(country); ok {
		if loc, err := time.LoadLocation(z); err == nil {
			return loc, z
		}
	}
	return time.UTC, "UTC"
}

// ShopURL is the address of the shop to link back to: the channel's base URL,
// else its shop domain, when it is an https address with a host; "" otherwise.
func ShopURL(base, domain string) string {
	for _, raw := range []string{base, domain} {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		if !strings.Contains(raw, "://") {
			raw = "https://" + raw // a bare shop domain (example.myshopify.com)
		}
		u, err := url.Parse(raw)
		if err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil {
			return "https://" + u.Host + strings.TrimRight(u.EscapedPath(), "/")
		}
	}
	return ""
}

// CustomerPlace is where a shipment left from in the customer's words: the
// store's name for a pickup (the customer goes there), else the location's
// city, or "our warehouse" when it has none. Internal names stay inside.
func CustomerPlace(s app.Shipment) string {
	switch {
	case s.Carrier == app.CarrierPickup:
		return s.LocationName
	case strings.TrimSpace(s.LocationCity) != "":
		return s.LocationCity
	}
	return "our warehouse"
}

// CustomerMessage is a timeline entry in words for the customer, without
// anything personal or internal: no address, no location names but the
// store they collect from, product names rather than SKU codes, and the
// shipment's tracking as it is now (after a correction).
func CustomerMessage(e app.Event, shipments map[int64]app.Shipment, pickup bool) string {
	switch e.Kind {
	case "received":
		return "We received your order."
	case "address_changed":
		return "The shipping address was updated."
	case "fulfillment_accepted":
		return "We are preparing your order."
	case "cancelled":
		return "Your order was cancelled."
	case "lines_cancelled":
		return "Part of your order was cancelled."
	case "delivered":
		if pickup {
			return "You collected your order."
		}
		return "Your parcel was delivered."
	case "shipped", "ready_for_pickup":
		if s, ok := shipments[eventShipment(e)]; ok {
			return parcelSentence(s)
		}
		if e.Kind == "ready_for_pickup" {
			return "Your order is ready for pickup."
		}
		return "Your order was shipped."
	}
	if msg, ok := returnMessage(e); ok {
		return msg
	}
	return e.Message
}

// returnMessage is a return's or a refund's timeline entry in words for the
// customer: never staff's names, locations' reasons or how a refund is made.
func returnMessage(e app.Event) (string, bool) {
	number, _ := e.Data["return"].(string)
	amount, _ := e.Data["amount"].(string)
	of := ""
	if number != "" {
		of = " for return " + number
	}
	switch e.Kind {
	case "return_requested":
		return "We received your return request " + number + ".", true
	case "return_approved":
		return "Your return " + number + " was approved.", true
	case "return_declined":
		reason, _ := e.Data["reason"].(string)
		return strings.TrimSuffix("Your return "+number+" was declined: "+reason, ": ") + ".", true
	case "return_cancelled":
		return "Your return " + number + " was cancelled.", true
	case "return_received":
		msg := "We received the items you sent back (return " + number + ")."
		if refund, _ := e.Data["refund_amount"].(string); refund != "" {
			if kind, _ := e.Data["refund_kind"].(string); kind == "store_credit" {
				msg += " Your store credit of " + refund + " was issued."
			} else {
				msg += " Your refund of " + refund + " is on its way."
			}
		}
		return msg, true
	case "refund_created":
		if kind, _ := e.Data["kind"].(string); kind == "store_credit" {
			return "Your store credit of " + amount + of + " was issued.", true
		}
		return "Your refund of " + amount + of + " is on its way.", true
	case "refund_succeeded", "refund_recorded":
		return "You were refunded " + amount + of + ".", true
	}
	return "", false
}

// eventShipment is the shipment id a timeline entry names, 0 when none.
func eventShipment(e app.Event) int64 {
	switch id := e.Data["shipment"].(type) {
	case float64:
		return int64(id)
	case int64:
		return id
	case int:
		return int64(id)
	}
	return 0
}

// parcelSentence says what left, from where, with which tracking (s is in the customer's words).
func parcelSentence(s app.Shipment) string {
	var items []string
	for _, l := range s.Lines {
		items = append(items, fmt.Sprintf("%d × %s", l.Quantity, l.SKU))
	}
	what := strings.Join(items, ", ")
	if s.Carrier == app.CarrierPickup {
		return fmt.Sprintf("Ready for pickup at %s: %s.", s.LocationName, what)
	}
	msg := fmt.Sprintf("Shipped from %s with %s", s.LocationName, s.CarrierName)
	if s.TrackingNumber != "" {
		msg += ", tracking " + s.TrackingNumber
	}
	return msg + ": " + what + "."
}
