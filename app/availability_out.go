package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	store "switchyard/sql"
)

// markAvailability records, inside the transaction that changed a stock level,
// that the ATP of the SKU may have changed for every active channel the
// location serves. It only marks (channel, SKU) as pending: a pending message
// already there absorbs the change (coalescing), and the dispatcher computes
// the ATP when it sends. A location that serves no channel with a callback URL
// has nobody to tell: the cached network says so without the statement.
func markAvailability(ctx context.Context, tx Tx, key levelKey) error {
	view, err := tx.network(ctx)
	if err != nil {
		return err
	}
	if tell, err := view.announces(ctx, key.location); err != nil || !tell {
		return err
	}
	n, err := tx.Q.MarkAvailabilityPending(ctx, store.MarkAvailabilityPendingParams{
		SkuID: optID(key.sku), Due: ms(tx.Now.Add(availabilityDelay)), Now: ms(tx.Now), LocationID: key.location,
	})
	if err != nil {
		return fmt.Errorf("mark availability: %w", err)
	}
	if n > 0 {
		tx.kickOutbox()
	}
	return nil
}

// availabilityPayload is what a channel is told of a SKU's ATP.
type availabilityPayload struct {
	Channel   string `json:"channel"`
	SKU       string `json:"sku"`
	Available int64  `json:"available"`
	At        string `json:"at"`
}

// availability tells a channel a SKU's ATP, computed now (not when the change
// was marked). A Shopify or WooCommerce store gets its stock set through its
// own API; any other channel gets JSON posted to
// <callback base URL>/switchyard/availability with the channel's token. A
// channel without a callback URL has nobody to tell.
func (d *dispatcher) availability(ctx context.Context, m store.OutboxMessage) sendResult {
	ch, err := d.a.read().GetChannel(ctx, m.ChannelID.Int64)
	if err != nil {
		return sendResult{err: fmt.Errorf("channel: %w", err)}
	}
	if ch.CallbackBaseUrl == "" {
		return sendResult{note: "no callback URL: nothing to send"}
	}
	if ch.Kind == "shopify" && ch.InventoryLocation == "" {
		return sendResult{note: "no Shopify location set in the channel settings: nothing to update"}
	}
	sku, err := d.a.read().SkuCode(ctx, m.SkuID.Int64)
	if err != nil {
		return sendResult{err: fmt.Errorf("sku: %w", err)}
	}
	atp, err := d.a.atp(ctx, ch, []string{sku})
	if err != nil {
		return sendResult{err: err}
	}
	switch ch.Kind {
	case "woocommerce":
		return d.wooStock(ctx, ch, sku, atp[0].Available)
	case "shopify":
		return d.shopifyStock(ctx, m, ch, sku, atp[0].Available)
	}
	return d.postAvailability(ctx, ch, sku, atp[0].Available)
}

// postAvailability posts the generic availability JSON to a channel.
func (d *dispatcher) postAvailability(ctx context.Context, ch store.Channel, sku string, available int64) sendResult {
	body, _ := json.Marshal(availabilityPayload{Channel: ch.Code, SKU: sku, Available: available, At: d.a.Now().Format(time.RFC3339)})
	hdr := http.Header{"Content-Type": {"application/json"}}
	if ch.CallbackToken != "" {
		hdr.Set("Authorization", "Bearer "+ch.CallbackToken)
	}
	code, _, err := d.do(ctx, http.MethodPost, strings.TrimRight(ch.CallbackBaseUrl, "/")+"/switchyard/availability", hdr, body)
	return httpFailure(code, err)
}
