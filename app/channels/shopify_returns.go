package channels

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"switchyard/app"
	"switchyard/app/money"
	"switchyard/app/returns"
	store "switchyard/sql"
)

// ShopifyReturnTopics are the Shopify webhook topics about returns and
// refunds that Switchyard takes in (each delivery exactly once).
var ShopifyReturnTopics = []string{"returns/request", "returns/approve", "returns/decline", "refunds/create"}

// shopifyReasons maps Shopify's ReturnReason codes to Switchyard's reasons.
var shopifyReasons = map[string]string{
	"SIZE_TOO_SMALL": "too_small", "SIZE_TOO_LARGE": "too_large", "NOT_AS_DESCRIBED": "not_as_described",
	"DEFECTIVE": "defective", "WRONG_ITEM": "wrong_item", "UNWANTED": "changed_mind", "STYLE": "changed_mind",
	"COLOR": "changed_mind", "OTHER": "other", "UNKNOWN": "other",
}

// shopifyReason is Switchyard's reason for a Shopify return reason (any case);
// an unknown or missing one is "other".
func shopifyReason(code string) string {
	if r, ok := shopifyReasons[strings.ToUpper(strings.TrimSpace(code))]; ok {
		return r
	}
	return "other"
}

// shopifyRef is a Shopify object named by its id and GraphQL id.
type shopifyRef struct {
	ID  id     `json:"id"`
	GID string `json:"admin_graphql_api_id"`
}

// number is the object's id as a decimal string: the GraphQL id's number
// when the numeric id went through a float64 on its way (see shopifyID).
func (r *shopifyRef) number() string {
	if r == nil {
		return ""
	}
	n := gidNumber(r.GID)
	if r.GID == "" || n == "" {
		return string(r.ID)
	}
	if r.ID == "" || string(r.ID) == n || roundedCopy(string(r.ID), n) {
		return n
	}
	return string(r.ID)
}

// shopifyReturn is the part of a Shopify return webhook body Switchyard reads.
type shopifyReturn struct {
	shopifyRef
	Status string      `json:"status"`
	Order  *shopifyRef `json:"order"`
	Lines  []struct {
		shopifyRef
		Quantity     quantity `json:"quantity"`
		ReturnReason str      `json:"return_reason"`
		// Later versions name the reason by a definition; its handle
		// (size-too-small) is read like a code when return_reason is not sent.
		ReasonDefinition *struct {
			Handle str `json:"handle"`
		} `json:"return_reason_definition"`
		ReturnReasonNote    str `json:"return_reason_note"`
		CustomerNote        str `json:"customer_note"`
		FulfillmentLineItem *struct {
			shopifyRef
			LineItem *shopifyRef `json:"line_item"`
		} `json:"fulfillment_line_item"`
		LineItem *shopifyRef `json:"line_item"`
	} `json:"return_line_items"`
	Decline *struct {
		Reason str `json:"reason"`
		Note   str `json:"note"`
	} `json:"decline"`
}

// gid is the return's GraphQL id, Switchyard's external id for it.
func (r shopifyReturn) gid() string {
	if n := r.number(); n != "" {
		return "gid://shopify/Return/" + n
	}
	return ""
}

// shopifyRefund is the part of a Shopify refunds/create body Switchyard reads.
type shopifyRefund struct {
	shopifyRef
	OrderID      id          `json:"order_id"`
	Note         str         `json:"note"`
	Return       *shopifyRef `json:"return"`
	Transactions []struct {
		Kind   string        `json:"kind"`
		Status string        `json:"status"`
		Amount money.Decimal `json:"amount"`
	} `json:"transactions"`
	ShippingLines []struct {
		Subtotal *struct {
			ShopMoney struct {
				Amount money.Decimal `json:"amount"`
			} `json:"shop_money"`
		} `json:"subtotal_amount_set"`
	} `json:"refund_shipping_lines"`
	Adjustments []struct {
		Kind   string        `json:"kind"`
		Amount money.Decimal `json:"amount"`
	} `json:"order_adjustments"`
}

// receiveShopifyReturn takes in a returns/... or refunds/create delivery.
func (a *Service) receiveShopifyReturn(ctx context.Context, d Delivery, topic, sourceID string) (WebhookResult, error) {
	ch, err := a.verified(ctx, d.Channel, "shopify", func(secrets []string) bool { return Verify(d.Body, d.Signature, secrets) })
	if err != nil {
		return WebhookResult{}, err
	}
	ev := event{sourceID: sourceID, topic: topic}
	if topic == "refunds/create" {
		var f shopifyRefund
		if err := decode(d.Body, &f); err != nil {
			return a.takeEvent(ctx, ch, ev, refused(err))
		}
		ev.externalID = string(f.OrderID)
		return a.takeEvent(ctx, ch, ev, func(tx app.Tx, actor app.Actor) (string, int64, error) {
			return a.shopifyRefundIn(ctx, tx, actor, ch, f)
		})
	}
	var r shopifyReturn
	if err := decode(d.Body, &r); err != nil {
		return a.takeEvent(ctx, ch, ev, refused(err))
	}
	ev.externalID = r.gid()
	return a.takeEvent(ctx, ch, ev, func(tx app.Tx, actor app.Actor) (string, int64, error) {
		return a.shopifyReturnIn(ctx, tx, actor, ch, topic, r)
	})
}

// refused is an event handler for a body that cannot be read.
func refused(err error) eventFunc {
	return func(app.Tx, app.Actor) (string, int64, error) { return "", 0, app.Invalid(err.Error(), nil) }
}

// shopifyReturnIn applies a returns/request, approve or decline to the return
// it names: created when new (requested, or approved for returns/approve),
// approved or declined when known.
func (a *Service) shopifyReturnIn(ctx context.Context, tx app.Tx, actor app.Actor, ch store.Channel, topic string, in shopifyReturn) (string, int64, error) {
	gid := in.gid()
	if gid == "" {
		return "", 0, app.InvalidField("id", "the return has no id")
	}
	r, err := tx.Q.GetReturnByExternal(ctx, store.GetReturnByExternalParams{ChannelID: ch.ID, ExternalID: app.NullString(gid)})
	known := err == nil
	if err != nil && !store.IsNoRows(err) {
		return "", 0, fmt.Errorf("look up return: %w", err)
	}
	if !known {
		if topic == "returns/decline" {
			return "ignored: return " + gid + " was never taken in, nothing to decline", 0, nil
		}
		return a.shopifyNewReturn(ctx, tx, actor, ch, topic == "returns/approve", in)
	}
	o, err := tx.Q.GetOrder(ctx, r.OrderID)
	if err != nil {
		return "", 0, fmt.Errorf("return's order: %w", err)
	}
	switch {
	case topic == "returns/approve" && returns.Status(r.Status) == returns.StatusRequested:
		if err := returns.ApproveTx(ctx, tx, actor, o, r); err != nil {
			return "", 0, err
		}
		return "approved return " + r.Number, o.ID, nil
	case topic == "returns/decline" && returns.Status(r.Status) == returns.StatusRequested:
		if err := returns.DeclineTx(ctx, tx, actor, o, r, declineWords(in)); err != nil {
			return "", 0, err
		}
		return "declined return " + r.Number, o.ID, nil
	}
	return fmt.Sprintf("return %s is %s already: nothing done", r.Number, returns.Status(r.Status).Label()), o.ID, nil
}

// declineWords is why Shopify declined a return: its reason code in words and its note.
func declineWords(in shopifyReturn) string {
	why := "declined in Shopify"
	if in.Decline != nil {
		if c := val(in.Decline.Reason); c != "" {
			why += " (" + strings.ReplaceAll(strings.ToLower(c), "_", " ") + ")"
		}
		if n := val(in.Decline.Note); n != "" {
			why += ": " + n
		}
	}
	return returnText(why, 500)
}

// returnText is a channel's free text as a return holds it: what IsText
// refuses removed, then at most n bytes (a return counts bytes, clip runes),
// so that a channel's return is never refused for its text.
func returnText(s string, n int) string {
	s, _ = app.CleanText(s, true)
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// shopifyNewReturn creates the return Shopify started on one of our orders,
// its lines found through each return line item's line item id (our order
// line's external id).
func (a *Service) shopifyNewReturn(ctx context.Context, tx app.Tx, actor app.Actor, ch store.Channel, approve bool, in shopifyReturn) (string, int64, error) {
	orderExt := in.Order.number()
	if orderExt == "" {
		return "ignored: the return names no order", 0, nil
	}
	o, found, err := orderByExternal(ctx, tx, ch, orderExt)
	if err != nil || !found {
		if !found {
			a.core.Log().Info("shopify return for an order not taken in", "channel", ch.Code, "order", orderExt, "return", in.gid())
		}
		return "ignored: no order " + orderExt + " was taken in from " + ch.Name, 0, err
	}
	if len(in.Lines) == 0 {
		return "ignored: the return lists none of its line items", o.ID, nil
	}
	lines, err := tx.Q.ListOrderLines(ctx, o.ID)
	if err != nil {
		return "", 0, fmt.Errorf("order lines: %w", err)
	}
	nr := returns.NewReturn{Resolution: returns.ResolutionRefund, Approve: &approve, ExternalID: in.gid(),
		Note: "Started in Shopify"}
	for i, l := range in.Lines {
		li := l.LineItem
		if l.FulfillmentLineItem != nil && l.FulfillmentLineItem.LineItem != nil {
			li = l.FulfillmentLineItem.LineItem
		}
		ext := li.number()
		idx := slices.IndexFunc(lines, func(ol store.OrderLine) bool { return ext != "" && ol.ExternalID == ext })
		if idx < 0 {
			return "", 0, app.InvalidField(fmt.Sprintf("return_line_items[%d]", i), fmt.Sprintf("line item %q is not a line of order %s", ext, o.Number))
		}
		code := val(l.ReturnReason)
		if code == "" && l.ReasonDefinition != nil {
			code = strings.ReplaceAll(val(l.ReasonDefinition.Handle), "-", "_")
		}
		note := strings.TrimSpace(val(l.ReturnReasonNote) + " " + val(l.CustomerNote))
		nr.Lines = append(nr.Lines, returns.LineInput{Line: lines[idx].ID, Quantity: int64(l.Quantity),
			Reason: shopifyReason(code), Note: returnText(note, 500)})
	}
	r, created, err := returns.CreateTx(ctx, tx, actor, returns.OriginChannel, o, nr)
	if err != nil {
		return "", 0, err
	}
	if !created {
		return "return " + r.Number + " was taken in before", o.ID, nil
	}
	return fmt.Sprintf("took in return %s (%s)", r.Number, r.Status), o.ID, nil
}

// orderByExternal reads the channel's order with the external id inside tx.
func orderByExternal(ctx context.Context, tx app.Tx, ch store.Channel, ext string) (store.Order, bool, error) {
	oid, err := tx.Q.GetOrderIDByExternal(ctx, store.GetOrderIDByExternalParams{ChannelID: ch.ID, ExternalID: ext})
	if store.IsNoRows(err) {
		return store.Order{}, false, nil
	} else if err != nil {
		return store.Order{}, false, fmt.Errorf("look up order %s: %w", ext, err)
	}
	o, err := tx.Q.GetOrder(ctx, oid)
	if err != nil {
		return store.Order{}, false, fmt.Errorf("get order %s: %w", ext, err)
	}
	return o, true, nil
}

// shopifyRefundIn records a refund made in Shopify once. A refund Switchyard
// asked for (its note carries refundMarker, or, when Shopify dropped the note,
// an open sent refund of the same order and amount) is settled as made
// rather than counted again.
func (a *Service) shopifyRefundIn(ctx context.Context, tx app.Tx, actor app.Actor, ch store.Channel, in shopifyRefund) (string, int64, error) {
	o, found, err := orderByExternal(ctx, tx, ch, string(in.OrderID))
	if err != nil || !found {
		if !found {
			a.core.Log().Info("shopify refund for an order not taken in", "channel", ch.Code, "order", string(in.OrderID))
		}
		return "ignored: no order " + string(in.OrderID) + " was taken in from " + ch.Name, 0, err
	}
	cur := orderCurrency(o)
	cr := returns.ChannelRefund{ExternalID: in.number(), Note: clip(val(in.Note), 500)}
	if cr.ExternalID == "" {
		return "", 0, app.InvalidField("id", "the refund has no id")
	}
	for _, t := range in.Transactions {
		if strings.EqualFold(t.Kind, "refund") && strings.EqualFold(t.Status, "success") {
			v, err := money.Parse(strings.TrimPrefix(string(t.Amount), "-"), cur)
			if err != nil {
				return "", 0, app.InvalidField("transactions.amount", err.Error())
			}
			cr.Amount += v
		}
	}
	cr.Shipping = shopifyRefundShipping(in, cur)
	if in.Return != nil {
		if n := in.Return.number(); n != "" {
			cr.ReturnExternalID = "gid://shopify/Return/" + n
		}
	}
	return settleOrRecord(ctx, tx, actor, o, cr, markedRefund(cr.Note))
}

// shopifyRefundShipping is the shipping a Shopify refund gives back: its
// refund shipping lines, else its order adjustments of kind shipping_refund.
func shopifyRefundShipping(in shopifyRefund, cur money.Currency) int64 {
	var n int64
	for _, l := range in.ShippingLines {
		if l.Subtotal != nil {
			v, _ := money.Parse(strings.TrimPrefix(string(l.Subtotal.ShopMoney.Amount), "-"), cur)
			n += v
		}
	}
	if n > 0 {
		return n
	}
	for _, adj := range in.Adjustments {
		if adj.Kind == "shipping_refund" {
			v, _ := money.Parse(strings.TrimPrefix(string(adj.Amount), "-"), cur)
			n += v
		}
	}
	return n
}

// orderCurrency is an order's currency for parsing amounts.
func orderCurrency(o store.Order) money.Currency {
	cur, ok := money.LookupCurrency(o.Currency)
	if !ok {
		cur = money.Currency{Code: o.Currency, Exponent: 2}
	}
	return cur
}

// settleOrRecord records a refund the channel reports on order o: the one
// already recorded under its id is left alone; one of ours (marked, else the
// oldest sent refund of the same amount Switchyard is waiting to hear about)
// is settled as made with the channel's id; anything else is the channel's
// own refund, recorded once (returns.RecordChannelRefundTx).
func settleOrRecord(ctx context.Context, tx app.Tx, actor app.Actor, o store.Order, cr returns.ChannelRefund, marked int64) (string, int64, error) {
	if _, err := tx.Q.GetRefundByExternal(ctx, store.GetRefundByExternalParams{OrderID: o.ID, ExternalID: app.NullString(cr.ExternalID)}); err == nil {
		return "refund " + cr.ExternalID + " was recorded before: nothing done", o.ID, nil
	} else if !store.IsNoRows(err) {
		return "", 0, fmt.Errorf("look up refund: %w", err)
	}
	ours, err := ourRefund(ctx, tx, o, cr.Amount, marked)
	if err != nil {
		return "", 0, err
	}
	if ours != 0 {
		if err := returns.AnsweredTx(ctx, tx, ours, true, cr.ExternalID, ""); err != nil {
			return "", 0, err
		}
		return fmt.Sprintf("refund %s is Switchyard's refund %d: recorded as made", cr.ExternalID, ours), o.ID, nil
	}
	recorded, err := returns.RecordChannelRefundTx(ctx, tx, actor, o, cr)
	if err != nil {
		return "", 0, err
	}
	if !recorded {
		return "refund " + cr.ExternalID + " refunds no money: nothing recorded", o.ID, nil
	}
	return "recorded refund " + cr.ExternalID, o.ID, nil
}

// ourRefund is the id of the refund Switchyard asked for that the channel's
// refund answers, or 0: the one its note names, else the oldest one sent
// (not answered yet) of the same amount on the same order.
func ourRefund(ctx context.Context, tx app.Tx, o store.Order, amount, marked int64) (int64, error) {
	refunds, err := tx.Q.ListOrderRefunds(ctx, o.ID)
	if err != nil {
		return 0, fmt.Errorf("refunds: %w", err)
	}
	open := func(f store.Refund) bool {
		return f.Source == returns.SourceSwitchyard && (f.Status == returns.RefundSent || f.Status == returns.RefundPending)
	}
	for _, f := range refunds {
		if marked != 0 && f.ID == marked && open(f) {
			return f.ID, nil
		}
	}
	for _, f := range refunds {
		if marked == 0 && open(f) && f.Status == returns.RefundSent && f.Amount == amount && amount > 0 {
			return f.ID, nil
		}
	}
	return 0, nil
}
