package channels

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"switchyard/app"
	"switchyard/app/outbox"
	"switchyard/app/returns"
	store "switchyard/sql"
)

// refundMarker is how Switchyard names its refund in the note (Shopify) or
// reason (WooCommerce) it sends: the channel's refund then says whose it is,
// so a retry finds it instead of refunding twice, and a refunds/create
// webhook for it is recognised.
func refundMarker(refundID int64) string { return fmt.Sprintf("(Switchyard refund %d)", refundID) }

// markerRE finds refundMarker in a note.
var markerRE = regexp.MustCompile(`\(Switchyard refund (\d+)\)`)

// markedRefund is the Switchyard refund id a channel's note names, or 0.
func markedRefund(note string) int64 {
	m := markerRE.FindStringSubmatch(note)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// refundNote is the note or reason sent with a refund.
func refundNote(p returns.RefundPayload) string {
	return clip(strings.TrimSpace(p.Note+" "+refundMarker(p.Refund)), 255)
}

// refundPayload reads a refund message's channel and payload.
func (d *push) refundPayload(ctx context.Context, m store.OutboxMessage) (store.Channel, returns.RefundPayload, outbox.Result) {
	var p returns.RefundPayload
	ch, err := d.a.Read().GetChannel(ctx, m.ChannelID.Int64)
	if err != nil {
		return ch, p, outbox.Result{Err: fmt.Errorf("channel: %w", err)}
	}
	if !app.ChannelConnected(ch.Kind, ch.CallbackBaseUrl, ch.CallbackToken) {
		return ch, p, notConnected(ch)
	}
	if err := json.Unmarshal([]byte(m.Payload), &p); err != nil {
		return ch, p, outbox.Result{Err: fmt.Errorf("payload: %w", err), Final: true}
	}
	return ch, p, outbox.Result{}
}

// shopifyRefundState reads what refundCreate needs: the order's payments (the
// parent transaction and its gateway) and its refunds (ours, if a timed-out
// attempt landed).
const shopifyRefundState = `query SwitchyardOrderRefunds($id: ID!) {
  order(id: $id) {
    id
    transactions(first: 50) { id kind status gateway }
    refunds(first: 100) { id note }
  }
}`

// shopifyRefundCreate is refundCreate with the @idempotent key Shopify
// requires on it from 2026-04.
const shopifyRefundCreate = `mutation refundCreate($input: RefundInput!, $idempotencyKey: String!) {
  refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
    refund { id }
    userErrors { field message }
  }
}`

// shopifyRefundKey is the idempotency key of Switchyard refund id: the same
// on every attempt, so a refund that landed is never made twice.
func shopifyRefundKey(refundID int64) string { return fmt.Sprintf("switchyard-refund-%d", refundID) }

// shopifyRefund asks Shopify for a refund: it reads the order (our refund
// already there is success with its id; the sale or capture to refund
// against), then runs refundCreate with the line items, the shipping, one
// REFUND transaction and an idempotency key per refund. A refusal (user
// errors) is final: retrying the same refund cannot succeed.
func (d *push) shopifyRefund(ctx context.Context, m store.OutboxMessage) outbox.Result {
	ch, p, r := d.refundPayload(ctx, m)
	if r.Err != nil {
		return r
	}
	var st struct {
		Order *struct {
			Transactions []struct {
				ID      string `json:"id"`
				Kind    string `json:"kind"`
				Status  string `json:"status"`
				Gateway string `json:"gateway"`
			} `json:"transactions"`
			Refunds []struct {
				ID   string `json:"id"`
				Note string `json:"note"`
			} `json:"refunds"`
		} `json:"order"`
	}
	orderGID := shopifyOrderGID(p.ExternalID)
	if r := d.shopifyCall(ctx, ch, shopifyRefundState, map[string]any{"id": orderGID}, &st); r.Err != nil {
		return r
	}
	if st.Order == nil {
		return outbox.Result{Status: 200, Final: true, Err: fmt.Errorf("Shopify has no order %s", p.ExternalID)}
	}
	for _, f := range st.Order.Refunds {
		if markedRefund(f.Note) == p.Refund {
			return outbox.Result{Status: 200, Ref: gidNumber(f.ID), Note: "the refund was already there"}
		}
	}
	parent, gateway := "", ""
	for _, t := range st.Order.Transactions {
		if t.Status == "SUCCESS" && (t.Kind == "SALE" || t.Kind == "CAPTURE") {
			parent, gateway = t.ID, t.Gateway
		}
	}
	if parent == "" {
		return outbox.Result{Status: 200, Final: true, Err: errors.New("Shopify shows no successful payment on the order to refund")}
	}
	input := map[string]any{"orderId": orderGID, "note": refundNote(p), "notify": true,
		"transactions":    []map[string]any{{"orderId": orderGID, "parentId": parent, "gateway": gateway, "kind": "REFUND", "amount": p.Amount}},
		"refundLineItems": shopifyRefundLines(p)}
	if p.Shipping != "" && p.Shipping != "0" && strings.Trim(p.Shipping, "0.") != "" {
		input["shipping"] = map[string]any{"amount": p.Shipping}
	}
	var out struct {
		RefundCreate struct {
			Refund *struct {
				ID string `json:"id"`
			} `json:"refund"`
			UserErrors []gqlError `json:"userErrors"`
		} `json:"refundCreate"`
	}
	vars := map[string]any{"input": input, "idempotencyKey": shopifyRefundKey(p.Refund)}
	if r := d.shopifyCall(ctx, ch, shopifyRefundCreate, vars, &out); r.Err != nil {
		return r
	}
	if ue := out.RefundCreate.UserErrors; len(ue) > 0 {
		return outbox.Result{Status: 200, Final: true, Err: fmt.Errorf("Shopify refused the refund: %s", ue[0].Message)}
	}
	if out.RefundCreate.Refund == nil {
		return outbox.Result{Status: 200, Err: errors.New("Shopify answered without a refund")}
	}
	return outbox.Result{Status: 200, Ref: gidNumber(out.RefundCreate.Refund.ID)}
}

// shopifyRefundLines are the returned lines by Shopify line item id, not restocked
// there (Switchyard restocks what comes back).
func shopifyRefundLines(p returns.RefundPayload) []map[string]any {
	out := []map[string]any{}
	for _, l := range p.Lines {
		if l.ExternalID == "" {
			continue
		}
		out = append(out, map[string]any{"lineItemId": "gid://shopify/LineItem/" + gidNumber(l.ExternalID),
			"quantity": l.Quantity, "restockType": "NO_RESTOCK"})
	}
	return out
}

// gidNumber is the number at the end of a Shopify GraphQL id (or the id itself).
func gidNumber(gid string) string {
	if i := strings.LastIndex(gid, "/"); i >= 0 {
		return gid[i+1:]
	}
	return gid
}

// wooRefund asks WooCommerce for a refund (POST orders/{id}/refunds with
// api_refund, so the payment gateway pays it back). WooCommerce has no
// idempotency key: the order's refunds are read first, and one whose reason
// names our refund is success with its id.
func (d *push) wooRefund(ctx context.Context, m store.OutboxMessage) outbox.Result {
	ch, p, r := d.refundPayload(ctx, m)
	if r.Err != nil {
		return r
	}
	hdr, err := wooHeaders(ch)
	if err != nil {
		return outbox.Result{Err: err, Final: true}
	}
	refundsURL := strings.TrimRight(ch.CallbackBaseUrl, "/") + "/wp-json/wc/v3/orders/" + url.PathEscape(p.ExternalID) + "/refunds"
	code, resp, err := d.do(ctx, http.MethodGet, refundsURL, hdr, nil)
	if r := wooFailure(code, err); r.Err != nil {
		r.Err = fmt.Errorf("read the order's refunds: %w", r.Err)
		return r
	}
	var have []struct {
		ID     id     `json:"id"`
		Reason string `json:"reason"`
	}
	if err := json.Unmarshal(resp, &have); err != nil {
		return outbox.Result{Status: code, Err: fmt.Errorf("%d but the answer is not a refund list: %v", code, err)}
	}
	for _, f := range have {
		if markedRefund(f.Reason) == p.Refund {
			return outbox.Result{Status: code, Ref: string(f.ID), Note: "the refund was already there"}
		}
	}
	lines := []map[string]any{}
	for _, l := range p.Lines {
		if l.ExternalID != "" {
			lines = append(lines, map[string]any{"id": l.ExternalID, "quantity": l.Quantity})
		}
	}
	body, _ := json.Marshal(map[string]any{"amount": p.Amount, "reason": refundNote(p), "line_items": lines, "api_refund": true})
	code, resp, err = d.do(ctx, http.MethodPost, refundsURL, hdr, body)
	if r := wooFailure(code, err); r.Err != nil {
		if msg := wooMessage(resp); msg != "" {
			r.Err = fmt.Errorf("%w: %s", r.Err, msg)
		}
		return r
	}
	var made struct {
		ID id `json:"id"`
	}
	if err := json.Unmarshal(resp, &made); err != nil || made.ID == "" {
		return outbox.Result{Status: code, Err: fmt.Errorf("%d but the answer names no refund", code)}
	}
	return outbox.Result{Status: code, Ref: string(made.ID)}
}

// wooFailure is outbox.HTTPFailure where a 4xx other than 408, 409 and 429 is
// final: WooCommerce refused the refund, and the same request would be refused again.
func wooFailure(code int, err error) outbox.Result {
	r := outbox.HTTPFailure(code, err)
	if r.Err != nil && code >= 400 && code < 500 && code != 408 && code != 409 && code != 429 {
		r.Final = true
	}
	return r
}

// wooMessage is the message of a WooCommerce REST error body, if any.
func wooMessage(body []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return clip(e.Message, 300)
}

// Answer records a refund message's outcome on the refund: made (with the
// channel's refund id) when delivered, failed with why when it went dead.
// Other messages need nothing.
func (s sender) Answer(ctx context.Context, tx app.Tx, m store.OutboxMessage, ok bool, ref, why string) error {
	if m.Kind != app.KindShopifyRefund && m.Kind != app.KindWooRefund {
		return nil
	}
	var p returns.RefundPayload
	if err := json.Unmarshal([]byte(m.Payload), &p); err != nil || p.Refund == 0 {
		return nil // nothing to settle: the payload names no refund
	}
	if ok {
		why = ""
	}
	if ref != "" {
		// The id may be on a row of its own already, when a refunds/create
		// webhook could not be matched to this refund: the id stays there.
		other, err := tx.Q.GetRefundByExternal(ctx, store.GetRefundByExternalParams{OrderID: m.OrderID.Int64, ExternalID: app.NullString(ref)})
		switch {
		case err == nil && other.ID != p.Refund:
			s.core.Log().Warn("refund recorded twice: the channel's refund is on a row of its own", "refund", p.Refund, "channel_refund", ref)
			ref = ""
		case err != nil && !store.IsNoRows(err):
			return fmt.Errorf("look up refund %s: %w", ref, err)
		}
	}
	return returns.AnsweredTx(ctx, tx, p.Refund, ok, ref, why)
}
