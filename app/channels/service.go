// Package channels owns everything about the sales channels that have their
// own API, Shopify and WooCommerce, in both directions: it checks and maps
// their order webhooks (signatures in constant time), takes the orders in
// exactly once, pulls WooCommerce stores for the orders their webhooks
// missed, and delivers to their APIs what the outbox holds for them
// (shipments, cancellations, stock levels). Channel settings themselves
// (app.PutChannel) are part of the core, which every channel shares.
package channels

import (
	"context"
	"net/http"
	"sync"

	"switchyard/app"
	"switchyard/app/outbox"
	store "switchyard/sql"
)

// Service is the channel use cases over the core app.
type Service struct {
	core      *app.App
	wooClient *http.Client // reads the WooCommerce stores' REST APIs
	pulls     sync.Map     // ids of the channels being pulled now, so that none is pulled twice at once
}

// New returns the channel service over core. wooClient reads the WooCommerce
// stores' REST APIs; nil: a client with a timeout on every request.
func New(core *app.App, wooClient *http.Client) *Service {
	if wooClient == nil {
		wooClient = newWooPullClient()
	}
	return &Service{core: core, wooClient: wooClient}
}

// push is one outbox delivery to a channel's API, with the dispatcher's client.
type push struct {
	a      *app.App
	client *http.Client
}

// Sender is what the outbox dispatcher delivers channel messages with (see
// outbox.ChannelSender).
func (s *Service) Sender() outbox.ChannelSender { return sender{s.core} }

// sender delivers the outbox's channel messages to Shopify and WooCommerce.
type sender struct{ core *app.App }

// Deliver sends a shipment or a cancellation to the channel's API.
func (s sender) Deliver(ctx context.Context, client *http.Client, m store.OutboxMessage) outbox.Result {
	d := &push{a: s.core, client: client}
	switch m.Kind {
	case app.KindShopifyFulfillment:
		return d.shopifyFulfillment(ctx, m)
	case app.KindShopifyCancel:
		return d.shopifyCancel(ctx, m)
	case app.KindShopifyTracking:
		return d.shopifyTracking(ctx, m)
	case app.KindWooTrackingNote:
		return d.wooTrackingNote(ctx, m)
	case app.KindShopifyRefund:
		return d.shopifyRefund(ctx, m)
	case app.KindWooRefund:
		return d.wooRefund(ctx, m)
	}
	return d.wooOrder(ctx, m)
}

// Stock sets a SKU's available quantity in a Shopify or WooCommerce store.
func (s sender) Stock(ctx context.Context, client *http.Client, m store.OutboxMessage, ch store.Channel, sku string, available int64) (outbox.Result, bool) {
	d := &push{a: s.core, client: client}
	switch ch.Kind {
	case "woocommerce":
		return d.wooStock(ctx, ch, sku, available), true
	case "shopify":
		return d.shopifyStock(ctx, m, ch, sku, available), true
	}
	return outbox.Result{}, false
}
