package channels

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"switchyard/app"
	"switchyard/app/outbox"
	store "switchyard/sql"
)

// shopifyTrackingInfoUpdate is the documented mutation that replaces a
// fulfillment's tracking (fulfillmentTrackingInfoUpdate, which replaced
// fulfillmentTrackingInfoUpdateV2); notifyCustomer sends the shipping update email.
const shopifyTrackingInfoUpdate = `mutation fulfillmentTrackingInfoUpdate($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
  fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) {
    fulfillment { id trackingInfo(first: 10) { company number url } }
    userErrors { field message }
  }
}`

// trackingPayload reads a tracking correction's channel and payload.
func (d *push) trackingPayload(ctx context.Context, m store.OutboxMessage) (store.Channel, app.TrackingUpdatePayload, outbox.Result) {
	var p app.TrackingUpdatePayload
	ch, err := d.a.Read().GetChannel(ctx, m.ChannelID.Int64)
	if err != nil {
		return ch, p, outbox.Result{Err: fmt.Errorf("channel: %w", err)}
	}
	if ch.CallbackBaseUrl == "" {
		return ch, p, outbox.Result{Err: fmt.Errorf("channel %s has no callback base URL", ch.Code)}
	}
	if err := json.Unmarshal([]byte(m.Payload), &p); err != nil {
		return ch, p, outbox.Result{Err: fmt.Errorf("payload: %w", err)}
	}
	return ch, p, outbox.Result{}
}

// shopifyTracking tells Shopify of a corrected tracking number: it finds the
// fulfillment that carries the previous number (nothing to do when one
// already carries the new number) and replaces its tracking. No fulfillment
// with the previous number yet (its creation still waits in the outbox) is a
// failed attempt, tried again later.
func (d *push) shopifyTracking(ctx context.Context, m store.OutboxMessage) outbox.Result {
	ch, p, r := d.trackingPayload(ctx, m)
	if r.Err != nil {
		return r
	}
	st, r := d.shopifyOrder(ctx, ch, p.ExternalID)
	if r.Err != nil {
		return r
	}
	target := ""
	for _, f := range st.Order.Fulfillments {
		for _, t := range f.TrackingInfo {
			switch t.Number {
			case p.TrackingNumber:
				return outbox.Result{Status: 200, Note: "the fulfillment already had the corrected number"}
			case p.PreviousTrackingNumber:
				target = f.ID
			}
		}
	}
	if target == "" {
		return outbox.Result{Status: 200, Err: fmt.Errorf("Shopify has no fulfillment with tracking %s yet", p.PreviousTrackingNumber)}
	}
	vars := map[string]any{"fulfillmentId": target, "notifyCustomer": true,
		"trackingInfoInput": map[string]any{"company": p.Company, "number": p.TrackingNumber, "url": p.TrackingURL}}
	return d.shopifyMutate(ctx, ch, shopifyTrackingInfoUpdate, "fulfillmentTrackingInfoUpdate", vars)
}

// wooTrackingNote adds a customer note with the corrected tracking to a
// WooCommerce order (the order stays completed).
func (d *push) wooTrackingNote(ctx context.Context, m store.OutboxMessage) outbox.Result {
	ch, p, r := d.trackingPayload(ctx, m)
	if r.Err != nil {
		return r
	}
	hdr, err := wooHeaders(ch)
	if err != nil {
		return outbox.Result{Err: err, Final: true}
	}
	note := fmt.Sprintf("Tracking corrected: shipped with %s, tracking number %s (not %s)", p.Company, p.TrackingNumber, p.PreviousTrackingNumber)
	if p.TrackingURL != "" {
		note += ": " + p.TrackingURL
	}
	body, _ := json.Marshal(map[string]any{"note": note, "customer_note": true})
	orderURL := strings.TrimRight(ch.CallbackBaseUrl, "/") + "/wp-json/wc/v3/orders/" + url.PathEscape(p.ExternalID)
	code, _, err := d.do(ctx, http.MethodPost, orderURL+"/notes", hdr, body)
	if r := outbox.HTTPFailure(code, err); r.Err != nil {
		return r
	}
	return outbox.Result{Status: code}
}
