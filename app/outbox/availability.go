package outbox

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
func (d *dispatcher) availability(ctx context.Context, m store.OutboxMessage) Result {
	ch, err := d.a.Read().GetChannel(ctx, m.ChannelID.Int64)
	if err != nil {
		return Result{Err: fmt.Errorf("channel: %w", err)}
	}
	if ch.CallbackBaseUrl == "" {
		return Result{Note: "no callback URL: nothing to send"}
	}
	if ch.Kind == "shopify" && ch.InventoryLocation == "" {
		return Result{Note: "no Shopify location set in the channel settings: nothing to update"}
	}
	sku, err := d.a.Read().SkuCode(ctx, m.SkuID.Int64)
	if err != nil {
		return Result{Err: fmt.Errorf("sku: %w", err)}
	}
	atp, err := d.a.ATP(ctx, ch, []string{sku})
	if err != nil {
		return Result{Err: err}
	}
	if r, ok := d.s.channels.Stock(ctx, d.o.Client, m, ch, sku, atp[0].Available); ok {
		return r
	}
	return d.postAvailability(ctx, ch, sku, atp[0].Available)
}

// postAvailability posts the generic availability JSON to a channel.
func (d *dispatcher) postAvailability(ctx context.Context, ch store.Channel, sku string, available int64) Result {
	body, _ := json.Marshal(availabilityPayload{Channel: ch.Code, SKU: sku, Available: available, At: d.a.Now().Format(time.RFC3339)})
	hdr := http.Header{"Content-Type": {"application/json"}}
	if ch.CallbackToken != "" {
		hdr.Set("Authorization", "Bearer "+ch.CallbackToken)
	}
	code, _, err := d.do(ctx, http.MethodPost, strings.TrimRight(ch.CallbackBaseUrl, "/")+"/switchyard/availability", hdr, body)
	return HTTPFailure(code, err)
}
