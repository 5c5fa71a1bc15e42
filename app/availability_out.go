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
	ch, err := d.a.Read().GetChannel(ctx, m.ChannelID.Int64)
	if err != nil {
		return sendResult{err: fmt.Errorf("channel: %w", err)}
	}
	if ch.CallbackBaseUrl == "" {
		return sendResult{note: "no callback URL: nothing to send"}
	}
	if ch.Kind == "shopify" && ch.InventoryLocation == "" {
		return sendResult{note: "no Shopify location set in the channel settings: nothing to update"}
	}
	sku, err := d.a.Read().SkuCode(ctx, m.SkuID.Int64)
	if err != nil {
		return sendResult{err: fmt.Errorf("sku: %w", err)}
	}
	atp, err := d.a.ATP(ctx, ch, []string{sku})
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
