package returns

import (
	"context"
	"fmt"

	"switchyard/app"
	"switchyard/app/money"
	store "switchyard/sql"
)

// The refund statuses (API.md): pending (not asked of anyone yet), sent
// (asked of the channel), succeeded, failed.
const (
	RefundPending   = "pending"
	RefundSent      = "sent"
	RefundSucceeded = "succeeded"
	RefundFailed    = "failed"
)

// The refund kinds and sources.
const (
	KindRefund       = "refund"
	KindStoreCredit  = "store_credit"
	SourceSwitchyard = "switchyard"
	SourceChannel    = "channel"
)

// Due is what a return refunds, computed exactly in minor units.
type Due struct {
	Items    int64 // the goods: unit price × units, less the missing ones
	Fee      int64 // the restocking fee kept
	Shipping int64 // the shipping refunded
	Already  int64 // refunded on this return before (not failed), goods only
	Amount   int64 // what is refunded now: items - fee - already + shipping, capped by Left
	Left     int64 // what was paid and not yet refunded on the order
}

// computeDue is the pure arithmetic of a refund. The fee is rounded half up
// to the minor unit; the amount never exceeds what is left of the payment.
func computeDue(items, feePct, shipping, already, left int64) Due {
	d := Due{Items: items, Fee: (items*feePct + 50) / 100, Shipping: shipping, Already: already, Left: left}
	goods := max(0, d.Items-d.Fee-d.Already)
	d.Amount = min(goods+d.Shipping, max(0, left))
	return d
}

// dueOf computes what return r refunds now, under its channel's policy.
func dueOf(ctx context.Context, q *store.Queries, o store.Order, r store.Return) (Due, error) {
	policy, err := policyOf(ctx, q, o.ChannelID)
	if err != nil {
		return Due{}, err
	}
	lines, err := q.ListReturnLines(ctx, r.ID)
	if err != nil {
		return Due{}, fmt.Errorf("return lines: %w", err)
	}
	var items int64
	for _, l := range lines {
		items += l.UnitPrice * (l.Quantity - l.Missing)
	}
	refunds, err := q.ListOrderRefunds(ctx, o.ID)
	if err != nil {
		return Due{}, fmt.Errorf("refunds: %w", err)
	}
	var already, shippingRefunded int64
	for _, f := range refunds {
		if f.Status == RefundFailed {
			continue
		}
		shippingRefunded += f.Shipping
		if f.ReturnID.Valid && f.ReturnID.Int64 == r.ID {
			already += f.Amount - f.Shipping
		}
	}
	var shipping int64
	whole, err := wholeOrderBack(ctx, q, o.ID)
	if err != nil {
		return Due{}, err
	}
	if policy.RefundShipping == "always" || policy.RefundShipping == "whole_order" && whole {
		shipping = max(0, o.ShippingPrice-shippingRefunded)
	}
	return computeDue(items, policy.RestockingFeePct, shipping, already, o.Total-o.Refunded), nil
}

// wholeOrderBack reports whether every unit of the order that was not
// cancelled is on a return or back.
func wholeOrderBack(ctx context.Context, q *store.Queries, orderID int64) (bool, error) {
	lines, err := q.ListOrderLines(ctx, orderID)
	if err != nil {
		return false, fmt.Errorf("order lines: %w", err)
	}
	for _, l := range lines {
		if l.ReturnOpen+l.Returned < l.Quantity-l.Cancelled {
			return false, nil
		}
	}
	return true, nil
}

// Refund refunds a return: amount nil refunds what is due (see Due); an
// amount may be less, never more. The channel is asked through the outbox.
func (s *Service) Refund(ctx context.Context, actor app.Actor, number string, amount *money.Decimal) (Return, error) {
	return s.change(ctx, actor, number, staff, func(tx app.Tx, o store.Order, r store.Return) error {
		switch Status(r.Status) {
		case StatusApproved, StatusPartiallyReceived, StatusReceived:
		default:
			return app.Conflict("return %s is %s: it cannot be refunded", r.Number, Status(r.Status).Label())
		}
		if err := checkNoLiveExchange(ctx, tx, r); err != nil {
			return err
		}
		due, err := dueOf(ctx, tx.Q, o, r)
		if err != nil {
			return err
		}
		want := due.Amount
		if amount != nil && *amount != "" {
			cur := currency(o.Currency)
			v, err := money.Parse(string(*amount), cur)
			if err != nil {
				return app.InvalidField("amount", err.Error())
			}
			if v > due.Amount {
				return app.InvalidField("amount", fmt.Sprintf("at most %s %s can be refunded on this return", cur.Code, money.Format(due.Amount, cur)))
			}
			want = v
		}
		if want <= 0 {
			return app.InvalidField("amount", "nothing is left to refund on this return")
		}
		due.Shipping = min(due.Shipping, want)
		if _, err := issue(ctx, tx, actor, o, r, want, due, true); err != nil {
			return err
		}
		return closeIfSettled(ctx, tx, r.ID)
	})
}

// checkNoLiveExchange refuses a refund of a return whose exchange order
// stands: the customer gets the replacement, not the money as well.
func checkNoLiveExchange(ctx context.Context, tx app.Tx, r store.Return) error {
	if !r.ExchangeOrderID.Valid {
		return nil
	}
	x, err := tx.Q.GetOrder(ctx, r.ExchangeOrderID.Int64)
	if err != nil {
		return fmt.Errorf("exchange order: %w", err)
	}
	if x.Status != string(app.StatusCancelled) {
		return app.Conflict("return %s is exchanged for order %s: cancel that order before refunding", r.Number, x.Number)
	}
	return nil
}

// issue records a refund of amount for return r and asks the order's channel
// for it through the outbox: Shopify and WooCommerce when connected, and the
// refund.created webhook for everyone subscribed. Store credit is recorded
// as given. It answers the timeline's words for the refund, and writes
// them as an entry of their own when announce is set.
func issue(ctx context.Context, tx app.Tx, actor app.Actor, o store.Order, r store.Return, amount int64, due Due, announce bool) (string, error) {
	cur := currency(o.Currency)
	kind := KindRefund
	if r.Resolution == ResolutionStoreCredit {
		kind = KindStoreCredit
	}
	ch, err := tx.Q.GetChannel(ctx, o.ChannelID)
	if err != nil {
		return "", fmt.Errorf("order's channel: %w", err)
	}
	sender := channelKind(ch)
	status := RefundPending
	switch {
	case kind == KindStoreCredit:
		status = RefundSucceeded
	case sender != "":
		status = RefundSent
	}
	n, err := tx.Q.AddOrderRefunded(ctx, store.AddOrderRefundedParams{Amount: amount, UpdatedAt: app.Millis(tx.Now), ID: o.ID})
	if err != nil {
		return "", fmt.Errorf("record refunded: %w", err)
	}
	if n == 0 {
		return "", app.InvalidField("amount", fmt.Sprintf("at most %s %s is left to refund on order %s", cur.Code,
			money.Format(o.Total-o.Refunded, cur), o.Number))
	}
	f, err := tx.Q.InsertRefund(ctx, store.InsertRefundParams{OrderID: o.ID, ReturnID: app.NullInt(r.ID), Kind: kind,
		Amount: amount, Items: amount - due.Shipping, Shipping: due.Shipping, Fee: due.Fee, Currency: cur.Code, Status: status,
		Source: SourceSwitchyard, CreatedBy: actor.Label(), CreatedAt: app.Millis(tx.Now)})
	if err != nil {
		return "", fmt.Errorf("insert refund: %w", err)
	}
	if sender != "" && kind == KindRefund {
		if err := enqueueRefund(ctx, tx, o, r, f, sender, ch.ID); err != nil {
			return "", err
		}
	}
	words := refundWords(kind, status, amount, cur, ch)
	if !announce {
		// the caller's own timeline entry says it
	} else if err := app.AppendEvent(ctx, tx, o.ID, actor, app.NewEvent{Kind: "refund_created", Customer: true,
		Message: fmt.Sprintf("Return %s: %s.", r.Number, words), Data: refundData(r.Number, f, cur)}); err != nil {
		return "", err
	}
	full := refundFromRow(f, cur)
	full.Return = r.Number
	if err := app.EnqueueWebhooks(ctx, tx, o.ID, app.EventRefundCreated, map[string]any{"refund": full,
		"order": o.Number, "channel": ch.Code}); err != nil {
		return "", err
	}
	return words, nil
}

// channelKind is the outbox kind that asks the channel ch for a refund, or ""
// when Switchyard cannot ask it (not Shopify or WooCommerce, or not connected).
func channelKind(ch store.Channel) string {
	kind := map[string]string{"shopify": app.KindShopifyRefund, "woocommerce": app.KindWooRefund}[ch.Kind]
	if kind == "" || !app.ChannelConnected(ch.Kind, ch.CallbackBaseUrl, ch.CallbackToken) {
		return ""
	}
	return kind
}

// refundWords says what happened to a refund, for the timeline.
func refundWords(kind, status string, amount int64, cur money.Currency, ch store.Channel) string {
	sum := cur.Code + " " + money.Format(amount, cur)
	switch {
	case kind == KindStoreCredit:
		return "store credit of " + sum + " given"
	case status == RefundSent:
		return "refund of " + sum + " sent to " + ch.Name
	}
	return "refund of " + sum + " to be made in " + ch.Name + " by hand (Switchyard cannot ask this channel)"
}

// RefundPayload is what the outbox asks a channel to refund.
type RefundPayload struct {
	Refund           int64        `json:"refund"` // the refund's row id
	Order            string       `json:"order"`
	ExternalID       string       `json:"external_id"` // the channel's order id
	Return           string       `json:"return"`
	ReturnExternalID string       `json:"return_external_id,omitempty"` // the channel's return id (Shopify's gid)
	Currency         string       `json:"currency"`
	Amount           string       `json:"amount"`   // decimal, the whole refund
	Shipping         string       `json:"shipping"` // decimal, of which shipping
	Lines            []RefundLine `json:"lines"`
	Note             string       `json:"note"`
}

// RefundLine is one returned line of a refund, with the channel's line id.
type RefundLine struct {
	ExternalID string `json:"external_id,omitempty"`
	SKU        string `json:"sku"`
	Quantity   int64  `json:"quantity"`
}

// enqueueRefund writes the outbox message asking the channel for refund f.
func enqueueRefund(ctx context.Context, tx app.Tx, o store.Order, r store.Return, f store.Refund, kind string, channelID int64) error {
	cur := currency(o.Currency)
	p := RefundPayload{Refund: f.ID, Order: o.Number, ExternalID: o.ExternalID, Return: r.Number, Currency: cur.Code,
		Amount: money.Format(f.Amount, cur), Shipping: money.Format(f.Shipping, cur),
		Note: fmt.Sprintf("Switchyard return %s", r.Number)}
	if r.ExternalID.Valid {
		p.ReturnExternalID = r.ExternalID.String
	}
	lines, err := tx.Q.ListReturnLines(ctx, r.ID)
	if err != nil {
		return fmt.Errorf("return lines: %w", err)
	}
	for _, l := range lines {
		if q := l.Quantity - l.Missing; q > 0 {
			p.Lines = append(p.Lines, RefundLine{ExternalID: l.LineExternalID, SKU: l.Sku, Quantity: q})
		}
	}
	return app.Enqueue(ctx, tx, app.OutboxMsg{OrderID: o.ID, ChannelID: channelID, Kind: kind, Payload: p})
}

// Answered records the channel's answer to a refund Switchyard asked for:
// succeeded with the channel's refund id, or failed with why (the refund
// then shows in the exceptions, and the money counts as not refunded).
func (s *Service) Answered(ctx context.Context, refundID int64, ok bool, externalID, failure string) error {
	return s.core.Write(ctx, func(tx app.Tx) error {
		return AnsweredTx(ctx, tx, refundID, ok, externalID, failure)
	})
}

// AnsweredTx is Answered inside tx. A refund already settled is left as it is.
func AnsweredTx(ctx context.Context, tx app.Tx, refundID int64, ok bool, externalID, failure string) error {
	f, err := tx.Q.GetRefund(ctx, refundID)
	if err != nil {
		return fmt.Errorf("get refund %d: %w", refundID, err)
	}
	if f.Status == RefundSucceeded || f.Status == RefundFailed {
		return nil
	}
	o, err := tx.Q.GetOrder(ctx, f.OrderID)
	if err != nil {
		return fmt.Errorf("refund's order: %w", err)
	}
	cur := currency(o.Currency)
	status, msg := RefundSucceeded, fmt.Sprintf("The channel confirmed the refund of %s %s.", cur.Code, money.Format(f.Amount, cur))
	if !ok {
		status, msg = RefundFailed, fmt.Sprintf("The refund of %s %s failed: %s", cur.Code, money.Format(f.Amount, cur), failure)
		if err := tx.Q.SubOrderRefunded(ctx, store.SubOrderRefundedParams{Amount: f.Amount, UpdatedAt: app.Millis(tx.Now), ID: o.ID}); err != nil {
			return fmt.Errorf("undo refunded: %w", err)
		}
	}
	if err := tx.Q.SetRefundStatus(ctx, store.SetRefundStatusParams{Status: status, ExternalID: app.NullString(externalID),
		Failure: failure, UpdatedAt: app.Millis(tx.Now), ID: f.ID}); err != nil {
		return fmt.Errorf("set refund status: %w", err)
	}
	if err := app.AppendEvent(ctx, tx, o.ID, app.System, app.NewEvent{Kind: "refund_" + status, Message: msg, Customer: ok,
		Data: refundData("", f, cur)}); err != nil {
		return err
	}
	if ok && f.ReturnID.Valid {
		return closeIfSettled(ctx, tx, f.ReturnID.Int64)
	}
	return nil
}

// closeIfSettled closes a received return whose resolution is done: a
// refund that succeeded, store credit given, an exchange placed, or nothing owed.
func closeIfSettled(ctx context.Context, tx app.Tx, returnID int64) error {
	r, err := tx.Q.GetReturn(ctx, returnID)
	if err != nil {
		return fmt.Errorf("get return: %w", err)
	}
	if Status(r.Status) != StatusReceived {
		return nil
	}
	if r.Resolution == ResolutionRefund || r.Resolution == ResolutionStoreCredit {
		refunds, err := tx.Q.ListRefundsOfReturn(ctx, app.NullInt(r.ID))
		if err != nil {
			return fmt.Errorf("refunds of return: %w", err)
		}
		settled := false
		for _, f := range refunds {
			if f.Status == RefundSent || f.Status == RefundPending {
				return nil
			}
			settled = settled || f.Status == RefundSucceeded
		}
		if !settled {
			if owed, err := stillOwed(ctx, tx, r); err != nil || owed {
				return err
			}
		}
	}
	r.Status, r.ClosedAt = string(StatusClosed), app.NullInt(app.Millis(tx.Now))
	if err := storeState(ctx, tx, r); err != nil {
		return err
	}
	return app.AppendEvent(ctx, tx, r.OrderID, app.System, app.NewEvent{Kind: "return_closed",
		Message: fmt.Sprintf("Return %s closed: everything is settled.", r.Number), Data: map[string]any{"return": r.Number}})
}

// refundData is what a refund's timeline entry keeps: the return's number
// (if any), the refund's id, kind and amount ("EUR 19.90"), so that the
// customer's words need not read the staff's sentence.
func refundData(returnNumber string, f store.Refund, cur money.Currency) map[string]any {
	d := map[string]any{"refund": f.ID, "kind": f.Kind, "amount": cur.Code + " " + money.Format(f.Amount, cur)}
	if returnNumber != "" {
		d["return"] = returnNumber
	}
	return d
}

// stillOwed reports whether return r has money left to refund.
func stillOwed(ctx context.Context, tx app.Tx, r store.Return) (bool, error) {
	o, err := tx.Q.GetOrder(ctx, r.OrderID)
	if err != nil {
		return false, fmt.Errorf("return's order: %w", err)
	}
	due, err := dueOf(ctx, tx.Q, o, r)
	return due.Amount > 0, err
}
