package app

import (
	"context"
	"fmt"
	"time"

	"switchyard/app/money"
	store "switchyard/sql"
)

// Order is an order as people and the API see it.
type Order struct {
	ID              int64
	Number          string
	Channel         string
	ChannelName     string
	ChannelKind     string // the channel's kind now (shopify, woocommerce, ...)
	ExternalID      string
	ChannelRef      string
	PlacedAt        time.Time
	Currency        money.Currency
	Customer        CustomerInput
	ShippingAddress *AddressInput
	Delivery        DeliveryInput
	Subtotal        int64
	ShippingPrice   int64
	Total           int64
	Refunded        int64 // refunded so far, in minor units
	Tags            []string
	Note            string
	Test            bool
	Status          Status
	OnHold          bool
	HoldReason      string
	Priority        int64 // set by automation rules; the floor's queue puts higher first
	PromisedShipBy  *time.Time
	PromisedBy      *time.Time
	TrackingToken   string
	Lines           []OrderLine
	Fulfillments    []Fulfillment
	Shipments       []Shipment
	Routing         *RoutingSummary
	Events          []Event
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// OrderLine is one line of an order and how far it has come.
type OrderLine struct {
	ID         int64
	No         int64
	ExternalID string
	SKU        string
	KnownSKU   bool
	Name       string
	Quantity   int64
	UnitPrice  int64
	Reserved   int64
	Shipped    int64
	Cancelled  int64
	// Backordered waits for stock at BackorderedAt.
	Backordered   int64
	BackorderedAt string
	// Preordered units of the backorder were taken as a pre-order against
	// incoming stock (app/preorders.go).
	Preordered int64
	// ReturnOpen units are on open returns; Returned came back.
	ReturnOpen int64
	Returned   int64
}

// Returnable is how many units of the line a new return may still take.
func (l OrderLine) Returnable() int64 { return l.Shipped - l.ReturnOpen - l.Returned }

// Preorder is how many of the line's units wait as a pre-order: taken
// against incoming stock and still backordered.
func (l OrderLine) Preorder() int64 { return min(l.Preordered, l.Backordered) }

// Open is what is still to do on the line: neither shipped nor cancelled.
func (l OrderLine) Open() int64 { return l.Quantity - l.Shipped - l.Cancelled }

// Money formats an amount of the order's currency.
func (o Order) Money(minor int64) string { return money.Format(minor, o.Currency) }

// HoldReasonLabel says why the order is held, in words.
func (o Order) HoldReasonLabel() string { return HoldReasonLabel(o.HoldReason) }

// HoldWhy says why the order is held, to follow "On hold".
func (o Order) HoldWhy() string { return HoldWhy(o.HoldReason) }

// OrderByNumber returns an order with its lines and timeline.
func (a *App) OrderByNumber(ctx context.Context, number string) (Order, error) {
	return a.OrderFor(ctx, Everywhere, number)
}

// OrderFor returns an order the reach covers; another channel's is NotFound,
// exactly like an unknown number.
func (a *App) OrderFor(ctx context.Context, r Reach, number string) (Order, error) {
	q := a.Read()
	row, err := q.GetOrderByNumber(ctx, number)
	if store.IsNoRows(err) {
		return Order{}, NotFound("no order %s", number)
	}
	if err != nil {
		return Order{}, fmt.Errorf("get order %s: %w", number, err)
	}
	if ok, err := r.allowsChannelID(ctx, q, row.ChannelID); err != nil || !ok {
		if err != nil {
			return Order{}, err
		}
		return Order{}, NotFound("no order %s", number)
	}
	return a.CompleteOrder(ctx, row)
}

// OrderByExternal returns the order a channel knows by externalID.
func (a *App) OrderByExternal(ctx context.Context, channel, externalID string) (Order, error) {
	return a.OrderByExternalFor(ctx, Everywhere, channel, externalID)
}

// OrderByExternalFor returns the order a channel the reach covers knows by
// externalID; a channel out of reach is NotFound, exactly like an unknown one.
func (a *App) OrderByExternalFor(ctx context.Context, r Reach, channel, externalID string) (Order, error) {
	ch, err := a.Read().GetChannelByCode(ctx, channel)
	if store.IsNoRows(err) || (err == nil && !r.Allows(ch.Code)) {
		return Order{}, NotFound("no channel %q", channel)
	} else if err != nil {
		return Order{}, fmt.Errorf("get channel: %w", err)
	}
	id, err := a.Read().GetOrderIDByExternal(ctx, store.GetOrderIDByExternalParams{ChannelID: ch.ID, ExternalID: externalID})
	if store.IsNoRows(err) {
		return Order{}, NotFound("no order %q from channel %q", externalID, channel)
	} else if err != nil {
		return Order{}, fmt.Errorf("get order: %w", err)
	}
	return a.OrderByID(ctx, id)
}

// OrderByID returns an order by its row id.
func (a *App) OrderByID(ctx context.Context, id int64) (Order, error) {
	row, err := a.Read().GetOrder(ctx, id)
	if err != nil {
		return Order{}, fmt.Errorf("get order %d: %w", id, err)
	}
	return a.CompleteOrder(ctx, row)
}

// CompleteOrder maps an order row and adds its channel, lines and timeline.
func (a *App) CompleteOrder(ctx context.Context, row store.Order) (Order, error) {
	q := a.Read()
	o := orderFromRow(row)
	ch, err := q.GetChannel(ctx, row.ChannelID)
	if err != nil {
		return Order{}, fmt.Errorf("order channel: %w", err)
	}
	o.Channel, o.ChannelName, o.ChannelKind = ch.Code, ch.Name, ch.Kind
	if row.PickupLocationID.Valid {
		loc, err := q.GetLocation(ctx, row.PickupLocationID.Int64)
		if err != nil {
			return Order{}, fmt.Errorf("pickup location: %w", err)
		}
		o.Delivery.Location = loc.Code
	}
	lines, err := q.ListOrderLines(ctx, row.ID)
	if err != nil {
		return Order{}, fmt.Errorf("order lines: %w", err)
	}
	for _, l := range lines {
		ol := lineFromRow(l)
		if l.BackorderLocationID.Valid && l.Backordered > 0 {
			if loc, err := q.GetLocation(ctx, l.BackorderLocationID.Int64); err == nil {
				ol.BackorderedAt = loc.Code
			}
		}
		o.Lines = append(o.Lines, ol)
	}
	if o.Fulfillments, err = OrderFulfillments(ctx, q, row.ID); err != nil {
		return Order{}, err
	}
	if o.Shipments, err = orderShipments(ctx, q, row.ID); err != nil {
		return Order{}, err
	}
	if o.Routing, err = latestRouting(ctx, q, row.ID); err != nil {
		return Order{}, err
	}
	events, err := q.ListOrderEvents(ctx, row.ID)
	if err != nil {
		return Order{}, fmt.Errorf("order events: %w", err)
	}
	for _, e := range events {
		o.Events = append(o.Events, eventFromRow(e))
	}
	return o, nil
}

// orderFromRow maps the order row itself.
func orderFromRow(r store.Order) Order {
	cur, _ := money.LookupCurrency(r.Currency)
	if cur.Code == "" {
		cur = money.Currency{Code: r.Currency, Exponent: 2}
	}
	o := Order{
		ID: r.ID, Number: r.Number, ExternalID: r.ExternalID, ChannelRef: r.ChannelRef, PlacedAt: FromMillis(r.PlacedAt),
		Currency: cur, Customer: CustomerInput{Email: r.CustomerEmail, Name: r.CustomerName, Phone: r.CustomerPhone},
		Delivery: DeliveryInput{Method: r.Delivery}, Subtotal: r.Subtotal, ShippingPrice: r.ShippingPrice, Total: r.Total,
		Refunded: r.Refunded, Tags: SplitTags(r.Tags), Note: r.Note, Test: r.Test == 1, Status: Status(r.Status), OnHold: r.OnHold == 1,
		HoldReason: r.HoldReason, Priority: r.Priority, TrackingToken: r.TrackingToken, CreatedAt: FromMillis(r.CreatedAt), UpdatedAt: FromMillis(r.UpdatedAt),
	}
	if r.ShipLine1 != "" || r.ShipCity != "" || r.ShipCountry != "" {
		o.ShippingAddress = &AddressInput{
			Name: r.ShipName, Line1: r.ShipLine1, Line2: r.ShipLine2, City: r.ShipCity, Region: r.ShipRegion,
			PostalCode: r.ShipPostalCode, Country: r.ShipCountry, Phone: r.ShipPhone,
		}
		if r.ShipLat.Valid && r.ShipLon.Valid {
			lat, lon := r.ShipLat.Float64, r.ShipLon.Float64
			o.ShippingAddress.Lat, o.ShippingAddress.Lon = &lat, &lon
		}
	}
	if r.PromisedShipBy.Valid {
		t := FromMillis(r.PromisedShipBy.Int64)
		o.PromisedShipBy = &t
	}
	if r.PromisedDeliveryBy.Valid {
		t := FromMillis(r.PromisedDeliveryBy.Int64)
		o.PromisedBy = &t
	}
	return o
}

// lineFromRow maps an order line row.
func lineFromRow(l store.OrderLine) OrderLine {
	return OrderLine{
		ID: l.ID, No: l.LineNo, ExternalID: l.ExternalID, SKU: l.Sku, KnownSKU: l.SkuID.Valid, Name: l.Name,
		Quantity: l.Quantity, UnitPrice: l.UnitPrice, Reserved: l.Reserved, Shipped: l.Shipped, Cancelled: l.Cancelled,
		Backordered: l.Backordered, Preordered: l.Preordered, ReturnOpen: l.ReturnOpen, Returned: l.Returned,
	}
}

// IdempotentAnswer is the first answer to an API request with an Idempotency-Key.
type IdempotentAnswer struct {
	Status int
	Order  Order
}

// IdempotencyKeep is how long Idempotency-Keys are kept (at least 24 hours).
const IdempotencyKeep = 48 * time.Hour

// LookupIdempotency returns the answer already given to this key, if any: the
// same body gets the same answer, another body is refused.
func (a *App) LookupIdempotency(ctx context.Context, idem IdempotencyIn) (*IdempotentAnswer, error) {
	row, err := a.Read().GetIdempotencyKey(ctx, store.GetIdempotencyKeyParams{ApiKeyID: idem.APIKeyID, Key: idem.Key})
	if store.IsNoRows(err) || (err == nil && FromMillis(row.CreatedAt).Before(a.Now().Add(-IdempotencyKeep))) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up idempotency key: %w", err)
	}
	if string(row.RequestHash) != string(idem.Hash) {
		return nil, InvalidField("Idempotency-Key", "was already used with a different request body")
	}
	o, err := a.OrderByID(ctx, row.OrderID)
	if err != nil {
		return nil, err
	}
	return &IdempotentAnswer{Status: int(row.StatusCode), Order: o}, nil
}
