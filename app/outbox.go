package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	store "switchyard/sql"
)

// Outbox message kinds.
const (
	KindShopifyFulfillment = "shopify.fulfillment_create"
	KindShopifyCancel      = "shopify.order_cancel"
	KindWooComplete        = "woocommerce.order_complete"
	KindWooCancel          = "woocommerce.order_cancel"
	KindAvailability       = "availability"
	KindWebhook            = "webhook"
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
)

// WebhookEvents are the event types an endpoint may subscribe to.
var WebhookEvents = []string{EventOrderShipped, EventOrderCancelled}

// availabilityDelay is how long a pending availability message waits for more
// changes of the same (channel, SKU) before it is due: a burst sends one message.
const availabilityDelay = time.Second

// outboxMsg is one message about to be written to the outbox.
type outboxMsg struct {
	orderID    int64 // 0: not about an order
	channelID  int64
	endpointID int64
	skuID      int64
	kind       string
	payload    any
}

// kick nudges this process's dispatcher without blocking, after a message was
// written. It is a hint only: the dispatcher polls anyway (the row may not be
// committed yet when it wakes, so it looks again shortly after). A Tx made by
// hand has no channel to kick.
func (tx Tx) kickOutbox() {
	if tx.kick == nil {
		return
	}
	select {
	case tx.kick <- struct{}{}:
	default:
	}
}

// enqueue writes one message inside tx, in the same transaction as the change
// that causes it. Nothing is sent here: the dispatcher delivers it after commit.
func enqueue(ctx context.Context, tx Tx, m outboxMsg) error {
	body := []byte("{}")
	if m.payload != nil {
		var err error
		if body, err = json.Marshal(m.payload); err != nil {
			return fmt.Errorf("outbox payload: %w", err)
		}
	}
	_, err := tx.Q.InsertOutboxMessage(ctx, store.InsertOutboxMessageParams{
		OrderID: optID(m.orderID), ChannelID: optID(m.channelID), EndpointID: optID(m.endpointID), SkuID: optID(m.skuID),
		Kind: m.kind, Payload: string(body), NextAttemptAt: ms(tx.Now), CreatedAt: ms(tx.Now),
	})
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", m.kind, err)
	}
	tx.kickOutbox()
	return nil
}

// optID stores 0 as NULL.
func optID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// shipmentPayload is what a channel is told of a shipment.
type shipmentPayload struct {
	Order          string         `json:"order"`
	ExternalID     string         `json:"external_id"`
	ShipmentID     int64          `json:"shipment_id"`
	Carrier        string         `json:"carrier"`
	Company        string         `json:"company"`
	TrackingNumber string         `json:"tracking_number"`
	TrackingURL    string         `json:"tracking_url"`
	Lines          []shipmentLine `json:"lines"`
}

// shipmentLine is one line that left, with the channel's line id.
type shipmentLine struct {
	ExternalID string `json:"external_id,omitempty"`
	SKU        string `json:"sku"`
	Quantity   int64  `json:"quantity"`
}

// cancelPayload is what a channel is told of a cancellation.
type cancelPayload struct {
	Order      string `json:"order"`
	ExternalID string `json:"external_id"`
	Reason     string `json:"reason"`
}

// enqueueShipment writes the messages a shipment causes, inside the shipment's
// transaction: the channel's own update (Shopify, WooCommerce) and the generic
// webhooks subscribed to order.shipped. Pickups tell no channel of a parcel.
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
	p := shipmentPayload{Order: o.Number, ExternalID: o.ExternalID, ShipmentID: shipmentID, Carrier: carrier,
		Company: CarrierName(carrier), TrackingNumber: number, TrackingURL: url}
	for _, r := range rows {
		p.Lines = append(p.Lines, shipmentLine{ExternalID: r.ExternalID, SKU: r.Sku, Quantity: r.Quantity})
	}
	kind := map[string]string{"shopify": KindShopifyFulfillment, "woocommerce": KindWooComplete}[o.ChannelKind]
	if kind != "" {
		if err := enqueue(ctx, tx, outboxMsg{orderID: o.ID, channelID: o.ChannelID, kind: kind, payload: p}); err != nil {
			return err
		}
	}
	return enqueueWebhooks(ctx, tx, o.ID, EventOrderShipped, map[string]any{"channel": o.ChannelCode, "shipment": p})
}

// enqueueCancel writes the messages a whole-order cancellation causes, inside
// its transaction. The order's channel is not told of a cancellation it made
// itself (actor is that channel).
func enqueueCancel(ctx context.Context, tx Tx, actor Actor, orderID int64, reason string) error {
	o, err := tx.Q.OrderOutboxFacts(ctx, orderID)
	if err != nil {
		return fmt.Errorf("order for outbox: %w", err)
	}
	p := cancelPayload{Order: o.Number, ExternalID: o.ExternalID, Reason: reason}
	kind := map[string]string{"shopify": KindShopifyCancel, "woocommerce": KindWooCancel}[o.ChannelKind]
	if actor.Kind == ActorChannel && actor.Channel == o.ChannelCode {
		kind = ""
	}
	if kind != "" {
		if err := enqueue(ctx, tx, outboxMsg{orderID: o.ID, channelID: o.ChannelID, kind: kind, payload: p}); err != nil {
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

// enqueueWebhooks writes one message per active endpoint subscribed to event.
func enqueueWebhooks(ctx context.Context, tx Tx, orderID int64, event string, data any) error {
	eps, err := tx.Q.ListActiveWebhookEndpoints(ctx)
	if err != nil {
		return fmt.Errorf("webhook endpoints: %w", err)
	}
	for _, ep := range eps {
		if !slices.Contains(strings.Fields(ep.Events), event) {
			continue
		}
		m := outboxMsg{orderID: orderID, endpointID: ep.ID, kind: KindWebhook,
			payload: webhookPayload{Type: event, Timestamp: tx.Now, Data: data}}
		if err := enqueue(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}

// OutboxMessage is one message of the outbox, for the admin page.
type OutboxMessage struct {
	ID            int64
	Kind          string
	Status        string
	Order         string // the order number, when about an order
	Channel       string // the channel code, for channel messages
	Endpoint      string // the URL, for generic webhooks
	Attempts      int64
	LastStatus    int64
	LastError     string
	NextAttemptAt time.Time
	CreatedAt     time.Time
	DeliveredAt   time.Time
}

// OutboxMessages lists the latest messages with a status (pending, delivering, delivered, dead).
func (a *App) OutboxMessages(ctx context.Context, status string, limit int) ([]OutboxMessage, error) {
	rows, err := a.read().ListOutboxByStatus(ctx, store.ListOutboxByStatusParams{Status: status, Limit: int64(limit)})
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	out := make([]OutboxMessage, 0, len(rows))
	for _, r := range rows {
		m := OutboxMessage{ID: r.ID, Kind: r.Kind, Status: r.Status, Order: r.OrderNumber, Channel: r.ChannelCode, Endpoint: r.EndpointUrl,
			Attempts: r.Attempts, LastStatus: r.LastStatus, LastError: r.LastError, NextAttemptAt: fromMS(r.NextAttemptAt), CreatedAt: fromMS(r.CreatedAt)}
		if r.DeliveredAt.Valid {
			m.DeliveredAt = fromMS(r.DeliveredAt.Int64)
		}
		out = append(out, m)
	}
	return out, nil
}

// RetryOutbox puts a dead message back in the queue, due now, with its attempts reset.
func (a *App) RetryOutbox(ctx context.Context, actor Actor, id int64) error {
	if err := actor.requireAdmin(); err != nil {
		return err
	}
	err := a.write(ctx, func(tx Tx) error {
		n, err := tx.Q.RetryDeadOutbox(ctx, store.RetryDeadOutboxParams{Now: ms(tx.Now), ID: id})
		if err != nil {
			return fmt.Errorf("retry message: %w", err)
		}
		if n == 0 {
			return NotFound("there is no dead message %d", id)
		}
		return nil
	})
	if err == nil {
		Tx{kick: a.outboxKick}.kickOutbox()
	}
	return err
}
