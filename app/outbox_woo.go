package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	store "switchyard/sql"
)

// wooHeaders authenticates with the channel's token: "key:secret" as HTTP
// Basic (WooCommerce REST API keys over HTTPS), anything else as a bearer token.
func wooHeaders(token string) http.Header {
	h := http.Header{"Content-Type": {"application/json"}}
	if k, s, ok := strings.Cut(token, ":"); ok {
		r := http.Request{Header: http.Header{}}
		r.SetBasicAuth(k, s)
		h.Set("Authorization", r.Header.Get("Authorization"))
	} else if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	return h
}

// wooOrder sets a WooCommerce order to completed with a note carrying the
// tracking (shipments), or to cancelled (cancellations). The PUT is idempotent.
func (d *dispatcher) wooOrder(ctx context.Context, m store.OutboxMessage) sendResult {
	ch, err := d.a.read().GetChannel(ctx, m.ChannelID.Int64)
	if err != nil {
		return sendResult{err: fmt.Errorf("channel: %w", err)}
	}
	if ch.CallbackBaseUrl == "" {
		return sendResult{err: fmt.Errorf("channel %s has no callback base URL", ch.Code)}
	}
	var p shipmentPayload
	if err := json.Unmarshal([]byte(m.Payload), &p); err != nil {
		return sendResult{err: fmt.Errorf("payload: %w", err)}
	}
	orderURL := strings.TrimRight(ch.CallbackBaseUrl, "/") + "/wp-json/wc/v3/orders/" + url.PathEscape(p.ExternalID)
	status, note := "completed", ""
	if m.Kind == KindWooCancel {
		status = "cancelled"
	} else {
		note = fmt.Sprintf("Shipped with %s, tracking number %s", p.Company, p.TrackingNumber)
		if p.TrackingURL != "" {
			note += ": " + p.TrackingURL
		}
	}
	body, _ := json.Marshal(map[string]any{"status": status})
	code, _, err := d.do(ctx, http.MethodPut, orderURL, wooHeaders(ch.CallbackToken), body)
	if r := httpFailure(code, err); r.err != nil {
		return r
	}
	if note == "" {
		return sendResult{status: code}
	}
	body, _ = json.Marshal(map[string]any{"note": note, "customer_note": true})
	code, _, err = d.do(ctx, http.MethodPost, orderURL+"/notes", wooHeaders(ch.CallbackToken), body)
	if r := httpFailure(code, err); r.err != nil {
		r.err = fmt.Errorf("order completed, but the tracking note failed: %w", r.err)
		return r
	}
	return sendResult{status: code}
}
