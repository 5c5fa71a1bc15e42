package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"switchyard/app/metrics"
	"switchyard/app/tracking"
	store "switchyard/sql"
)

// Outbox message kinds.
const (
	KindShopifyFulfillment = "shopify.fulfillment_create"
	KindShopifyCancel      = "shopify.order_cancel"
	KindShopifyTracking    = "shopify.tracking_update"
	KindWooComplete        = "woocommerce.order_complete"
	KindWooCancel          = "woocommerce.order_cancel"
	KindWooTrackingNote    = "woocommerce.tracking_note"
	KindAvailability       = "availability"
	KindWebhook            = "webhook"
	KindShopifyRefund      = "shopify.refund"
	KindWooRefund          = "woocommerce.refund"
)

// Outbox message statuses.
const (
	OutboxPending    = "pending"
	OutboxDelivering = "delivering"
	OutboxDelivered  = "delivered"
	OutboxDead       = "dead"
)

// Generic webhook event types admins may subscribe to.
const (
	EventOrderShipped   = "order.shipped"
	EventOrderCancelled = "order.cancelled"
	// EventOrderTrackingUpdated: a shipment's carrier or tracking number was corrected.
	EventOrderTrackingUpdated = "order.tracking_updated"
	EventReturnRequested      = "return.requested"
	EventReturnApproved       = "return.approved"
	EventReturnReceived       = "return.received"
	EventRefundCreated        = "refund.created"
	// The order's life as its timeline tells it (see timelineWebhooks).
	EventOrderCreated        = "order.created"
	EventOrderRouted         = "order.routed"
	EventOrderHeld           = "order.held"
	EventOrderReleased       = "order.released"
	EventFulfillmentAccepted = "fulfillment.accepted"
	EventFulfillmentRejected = "fulfillment.rejected"
	EventStockShort          = "stock.short"
)

// WebhookEvents are the event types an endpoint may subscribe to.
var WebhookEvents = []string{EventOrderCreated, EventOrderRouted, EventOrderHeld, EventOrderReleased,
	EventFulfillmentAccepted, EventFulfillmentRejected, EventOrderShipped, EventOrderCancelled, EventOrderTrackingUpdated,
	EventStockShort, EventReturnRequested, EventReturnApproved, EventReturnReceived, EventRefundCreated, EventAutomation}

// AvailabilityDelay is how long a pending availability message waits for more
// changes of the same (channel, SKU) before it is due: a burst sends one message.
const AvailabilityDelay = time.Second

// OutboxMsg is one message about to be written to the outbox.
type OutboxMsg struct {
	OrderID    int64 // 0: not about an order
	ChannelID  int64
	EndpointID int64
	SKUID      int64
	Kind       string
	Payload    any
}

// kick nudges this process's dispatcher without blocking, after a message was
// written. It is a hint only: the dispatcher polls anyway (the row may not be
// committed yet when it wakes, so it looks again shortly after). A Tx made by
// hand has no channel to kick.
func (tx Tx) KickOutbox() {
	if tx.kick == nil {
		return
	}
	select {
	case tx.kick <- struct{}{}:
	default:
	}
}

// Enqueue writes one message inside tx, in the same transaction as the change
// that causes it. Nothing is sent here: the dispatcher delivers it after commit.
func Enqueue(ctx context.Context, tx Tx, m OutboxMsg) error {
	body := []byte("{}")
	if m.Payload != nil {
		var err error
		if body, err = json.Marshal(m.Payload); err != nil {
			return fmt.Errorf("outbox payload: %w", err)
		}
	}
	_, err := tx.Q.InsertOutboxMessage(ctx, store.InsertOutboxMessageParams{
		OrderID: optID(m.OrderID), ChannelID: optID(m.ChannelID), EndpointID: optID(m.EndpointID), SkuID: optID(m.SKUID),
		Kind: m.Kind, Payload: string(body), NextAttemptAt: Millis(tx.Now), CreatedAt: Millis(tx.Now),
	})
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", m.Kind, err)
	}
	tx.KickOutbox()
	return nil
}

// optID stores 0 as NULL.
func optID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// ShipmentPayload is what a channel is told of a shipment.
type ShipmentPayload struct {
	Order          string         `json:"order"`
	ExternalID     string         `json:"external_id"`
	ShipmentID     int64          `json:"shipment_id"`
	Carrier        string         `json:"carrier"`
	Company        string         `json:"company"`
	TrackingNumber string         `json:"tracking_number"`
	TrackingURL    string         `json:"tracking_url"`
	Lines          []ShipmentLine `json:"lines"`
}

// ShipmentLine is one line that left, with the channel's line id.
type ShipmentLine struct {
	ExternalID string `json:"external_id,omitempty"`
	SKU        string `json:"sku"`
	Quantity   int64  `json:"quantity"`
}

// TrackingUpdatePayload is what a channel is told of a corrected shipment:
// the shipment as it is now, and the carrier and number it had.
type TrackingUpdatePayload struct {
	ShipmentPayload
	PreviousCarrier        string `json:"previous_carrier"`
	PreviousTrackingNumber string `json:"previous_tracking_number"`
}

// CancelPayload is what a channel is told of a cancellation.
type CancelPayload struct {
	Order      string `json:"order"`
	ExternalID string `json:"external_id"`
	Reason     string `json:"reason"`
}

// enqueueShipment writes the messages a shipment causes, inside the shipment's
// transaction: the channel's own update (Shopify, WooCommerce) and the generic
// webhooks subscribed to order.shipped. Pickups tell no channel of a parcel,
// and a channel that is not connected (ChannelConnected) is told nothing.
func enqueueShipment(ctx context.Context, tx Tx, orderID, shipmentID int64, carrier, number, url string) error {
	if carrier == CarrierPickup {
		return nil
	}
	o, err := tx.Q.OrderOutboxFacts(ctx, orderID)
	if err != nil {
		return fmt.Errorf("order for outbox: %w", err)
	}
	rows, err := tx.Q.ShipmentOutboxLines(ctx, shipmentID)
	if err != nil {
		return fmt.Errorf("shipment lines for outbox: %w", err)
	}
	p := ShipmentPayload{Order: o.Number, ExternalID: o.ExternalID, ShipmentID: shipmentID, Carrier: carrier,
		Company: CarrierName(carrier), TrackingNumber: number, TrackingURL: url}
	for _, r := range rows {
		p.Lines = append(p.Lines, ShipmentLine{ExternalID: r.ExternalID, SKU: r.Sku, Quantity: r.Quantity})
	}
	kind := map[string]string{"shopify": KindShopifyFulfillment, "woocommerce": KindWooComplete}[o.ChannelKind]
	// A shipment of parts of a split kit that completes no kit has no line
	// the channel knows: the channel hears of the kit with its last part.
	if kind != "" && len(rows) > 0 && ChannelConnected(o.ChannelKind, o.CallbackBaseUrl, o.CallbackToken) {
		if err := Enqueue(ctx, tx, OutboxMsg{OrderID: o.ID, ChannelID: o.ChannelID, Kind: kind, Payload: p}); err != nil {
			return err
		}
	}
	return enqueueWebhooks(ctx, tx, o.ID, EventOrderShipped, map[string]any{"channel": o.ChannelCode, "shipment": p})
}

// enqueueTrackingUpdate writes the messages a tracking correction causes,
// inside its transaction: Shopify's fulfillment tracking updated, a
// WooCommerce order note, and the generic webhooks subscribed to
// order.tracking_updated. As for a shipment, a channel that is not connected
// is told nothing (its message could never be sent, and would hold back the
// order's later messages behind it).
func enqueueTrackingUpdate(ctx context.Context, tx Tx, s store.GetShipmentRow, carrier string, check tracking.Check) error {
	o, err := tx.Q.OrderOutboxFacts(ctx, s.OrderID)
	if err != nil {
		return fmt.Errorf("order for outbox: %w", err)
	}
	rows, err := tx.Q.ShipmentOutboxLines(ctx, s.ID)
	if err != nil {
		return fmt.Errorf("shipment lines for outbox: %w", err)
	}
	p := TrackingUpdatePayload{ShipmentPayload: ShipmentPayload{Order: o.Number, ExternalID: o.ExternalID, ShipmentID: s.ID,
		Carrier: carrier, Company: CarrierName(carrier), TrackingNumber: check.Number, TrackingURL: check.URL},
		PreviousCarrier: s.Carrier, PreviousTrackingNumber: s.TrackingNumber}
	for _, r := range rows {
		p.Lines = append(p.Lines, ShipmentLine{ExternalID: r.ExternalID, SKU: r.Sku, Quantity: r.Quantity})
	}
	kind := map[string]string{"shopify": KindShopifyTracking, "woocommerce": KindWooTrackingNote}[o.ChannelKind]
	if kind != "" && ChannelConnected(o.ChannelKind, o.CallbackBaseUrl, o.CallbackToken) {
		if err := Enqueue(ctx, tx, OutboxMsg{OrderID: o.ID, ChannelID: o.ChannelID, Kind: kind, Payload: p}); err != nil {
			return err
		}
	}
	return enqueueWebhooks(ctx, tx, o.ID, EventOrderTrackingUpdated, map[string]any{"channel": o.ChannelCode, "shipment": p})
}

// enqueueCancel writes the messages a whole-order cancellation causes, inside
// its transaction. The order's channel is not told of a cancellation it made
// itself (actor is that channel), nor anything when it is not connected.
func enqueueCancel(ctx context.Context, tx Tx, actor Actor, orderID int64, reason string) error {
	o, err := tx.Q.OrderOutboxFacts(ctx, orderID)
	if err != nil {
		return fmt.Errorf("order for outbox: %w", err)
	}
	p := CancelPayload{Order: o.Number, ExternalID: o.ExternalID, Reason: reason}
	kind := map[string]string{"shopify": KindShopifyCancel, "woocommerce": KindWooCancel}[o.ChannelKind]
	if actor.Kind == ActorChannel && actor.Channel == o.ChannelCode || !ChannelConnected(o.ChannelKind, o.CallbackBaseUrl, o.CallbackToken) {
		kind = ""
	}
	if kind != "" {
		if err := Enqueue(ctx, tx, OutboxMsg{OrderID: o.ID, ChannelID: o.ChannelID, Kind: kind, Payload: p}); err != nil {
			return err
		}
	}
	return enqueueWebhooks(ctx, tx, o.ID, EventOrderCancelled, map[string]any{"channel": o.ChannelCode, "cancellation": p})
}

// webhookPayload is the body of a generic webhook (Standard Webhooks' suggested shape).
type webhookPayload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// WebhookEndpointsChanged says that tx adds, changes or stops a generic
// webhook endpoint: once it has committed, the endpoints are read again.
func (tx Tx) WebhookEndpointsChanged() {
	c := tx.cache
	tx.OnCommit(func(*metrics.Metrics) { c.forgetEndpoints() })
}

// enqueueWebhooks writes one message per active endpoint subscribed to event.
func enqueueWebhooks(ctx context.Context, tx Tx, orderID int64, event string, data any) error {
	return enqueueWebhooksOf(ctx, tx, orderID, event, func() (any, error) { return data, nil })
}

// enqueueWebhooksOf is enqueueWebhooks with the data built by build, only
// when an endpoint is subscribed to event, and once for all of them.
func enqueueWebhooksOf(ctx context.Context, tx Tx, orderID int64, event string, build func() (any, error)) error {
	eps, err := tx.cache.webhookEndpoints(ctx, tx.Q)
	if err != nil {
		return fmt.Errorf("webhook endpoints: %w", err)
	}
	var data any
	built := false
	for _, ep := range eps {
		if !slices.Contains(strings.Fields(ep.Events), event) {
			continue
		}
		if !built {
			if data, err = build(); err != nil {
				return err
			}
			built = true
		}
		m := OutboxMsg{OrderID: orderID, EndpointID: ep.ID, Kind: KindWebhook,
			Payload: webhookPayload{Type: event, Timestamp: tx.Now, Data: data}}
		if err := Enqueue(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}

// markAvailability records, inside the transaction that changed a stock level,
// that the ATP of the SKU may have changed for every active channel the
// location serves. It only marks (channel, SKU) as pending: a pending message
// already there absorbs the change (coalescing), and the dispatcher computes
// the ATP when it sends. A location that serves no connected channel
// has nobody to tell: the cached network says so without the statement.
func markAvailability(ctx context.Context, tx Tx, key LevelKey) error {
	view, err := tx.network(ctx)
	if err != nil {
		return err
	}
	if tell, err := view.announces(ctx, key.Location); err != nil || !tell {
		return err
	}
	n, err := tx.Q.MarkAvailabilityPending(ctx, store.MarkAvailabilityPendingParams{
		SkuID: optID(key.SKU), Due: Millis(tx.Now.Add(AvailabilityDelay)), Now: Millis(tx.Now), LocationID: key.Location,
	})
	if err != nil {
		return fmt.Errorf("mark availability: %w", err)
	}
	if n > 0 {
		tx.KickOutbox()
	}
	return markKitsAtLocation(ctx, tx, key) // the kits holding the SKU follow its stock
}

// KickOutbox nudges the dispatcher after a commit that made a message due
// (see Tx.KickOutbox).
func (a *App) KickOutbox() { Tx{kick: a.outboxKick}.KickOutbox() }
