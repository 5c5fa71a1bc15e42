package channels

import (
	"switchyard/app/outbox"

	"switchyard/app"

	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	store "switchyard/sql"
)

// wooHeaders authenticates with the channel's token, "consumer key:consumer
// secret", as HTTP Basic (the only way stock WooCommerce takes REST API keys),
// once the base URL is known to be https://. Anything else is refused before
// a byte is sent: credentials never travel in clear.
func wooHeaders(ch store.Channel) (http.Header, error) {
	if p := app.WooHTTPSProblem(ch.CallbackBaseUrl); p != "" {
		return nil, fmt.Errorf("nothing sent: the base URL of channel %s (%s) %s; set an https:// address in its settings", ch.Code, ch.CallbackBaseUrl, p)
	}
	k, s, ok := strings.Cut(ch.CallbackToken, ":")
	if !ok || k == "" || s == "" {
		return nil, fmt.Errorf("nothing sent: the token of channel %s is not a WooCommerce REST API key (consumer_key:consumer_secret); set it in its settings", ch.Code)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	r := http.Request{Header: http.Header{}}
	r.SetBasicAuth(k, s)
	h.Set("Authorization", r.Header.Get("Authorization"))
	return h, nil
}

// wooOrder sets a WooCommerce order to completed with a note carrying the
// tracking (shipments), or to cancelled (cancellations). The PUT is idempotent.
func (d *push) wooOrder(ctx context.Context, m store.OutboxMessage) outbox.Result {
	ch, err := d.a.Read().GetChannel(ctx, m.ChannelID.Int64)
	if err != nil {
		return outbox.Result{Err: fmt.Errorf("channel: %w", err)}
	}
	if !app.ChannelConnected(ch.Kind, ch.CallbackBaseUrl, ch.CallbackToken) {
		return notConnected(ch)
	}
	hdr, err := wooHeaders(ch)
	if err != nil {
		return outbox.Result{Err: err, Final: true}
	}
	var p app.ShipmentPayload
	if err := json.Unmarshal([]byte(m.Payload), &p); err != nil {
		return outbox.Result{Err: fmt.Errorf("payload: %w", err)}
	}
	orderURL := strings.TrimRight(ch.CallbackBaseUrl, "/") + "/wp-json/wc/v3/orders/" + url.PathEscape(p.ExternalID)
	status, note := "completed", ""
	if m.Kind == app.KindWooCancel {
		status = "cancelled"
	} else {
		note = fmt.Sprintf("Shipped with %s, tracking number %s", p.Company, p.TrackingNumber)
		if p.TrackingURL != "" {
			note += ": " + p.TrackingURL
		}
	}
	body, _ := json.Marshal(map[string]any{"status": status})
	code, _, err := d.do(ctx, http.MethodPut, orderURL, hdr, body)
	if r := outbox.HTTPFailure(code, err); r.Err != nil {
		return r
	}
	if note == "" {
		return outbox.Result{Status: code}
	}
	body, _ = json.Marshal(map[string]any{"note": note, "customer_note": true})
	code, _, err = d.do(ctx, http.MethodPost, orderURL+"/notes", hdr, body)
	if r := outbox.HTTPFailure(code, err); r.Err != nil {
		r.Err = fmt.Errorf("order completed, but the tracking note failed: %w", r.Err)
		return r
	}
	return outbox.Result{Status: code}
}

// wooProduct is what Switchyard reads of a product or variation in a
// WooCommerce product list.
type wooProduct struct {
	ID       int64  `json:"id"`
	Type     string `json:"type"`
	ParentID int64  `json:"parent_id"`
	SKU      string `json:"sku"`
}

// wooStock sets the stock of the product or variation with the SKU to
// available (turning stock management on). A SKU the store does not sell is
// nothing to update.
func (d *push) wooStock(ctx context.Context, ch store.Channel, sku string, available int64) outbox.Result {
	hdr, err := wooHeaders(ch)
	if err != nil {
		return outbox.Result{Err: err, Final: true}
	}
	base := strings.TrimRight(ch.CallbackBaseUrl, "/") + "/wp-json/wc/v3/products"
	p, r := d.wooFindSKU(ctx, hdr, base, sku)
	if r.Err != nil || p == nil {
		return r
	}
	target := base + "/" + strconv.FormatInt(p.ID, 10)
	if p.Type == "variation" && p.ParentID > 0 {
		target = base + "/" + strconv.FormatInt(p.ParentID, 10) + "/variations/" + strconv.FormatInt(p.ID, 10)
	}
	body, _ := json.Marshal(map[string]any{"manage_stock": true, "stock_quantity": available})
	code, _, err := d.do(ctx, http.MethodPut, target, hdr, body)
	if r := outbox.HTTPFailure(code, err); r.Err != nil {
		r.Err = fmt.Errorf("set the stock of %s: %w", sku, r.Err)
		return r
	}
	return outbox.Result{Status: code}
}

// wooFindSKU looks the SKU up (GET products?sku=, which lists variations too
// on recent WooCommerce). No product: nil, with the result saying so.
func (d *push) wooFindSKU(ctx context.Context, hdr http.Header, base, sku string) (*wooProduct, outbox.Result) {
	code, resp, err := d.do(ctx, http.MethodGet, base+"?"+url.Values{"sku": {sku}}.Encode(), hdr, nil)
	if r := outbox.HTTPFailure(code, err); r.Err != nil {
		r.Err = fmt.Errorf("find SKU %s: %w", sku, r.Err)
		return nil, r
	}
	var list []wooProduct
	if err := json.Unmarshal(resp, &list); err != nil {
		return nil, outbox.Result{Status: code, Err: fmt.Errorf("find SKU %s: %d but the answer is not a product list: %v", sku, code, err)}
	}
	for i := range list {
		if strings.EqualFold(list[i].SKU, sku) { // WooCommerce matches SKUs regardless of case
			return &list[i], outbox.Result{Status: code}
		}
	}
	return nil, outbox.Result{Status: code, Note: fmt.Sprintf("no product with SKU %s in the store: nothing to update", sku)}
}

// notConnected is the result of a message for a channel that was connected
// when it was written and is not any more (no base URL or token): retrying
// cannot help until its settings are set, so it goes to the dead letters at
// once, to be retried by hand.
func notConnected(ch store.Channel) outbox.Result {
	return outbox.Result{Final: true, Err: fmt.Errorf("nothing sent: channel %s is not connected (set its base URL and token in its settings)", ch.Code)}
}
