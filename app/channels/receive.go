package channels

import (
	"switchyard/app"

	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	store "switchyard/sql"
)

// Placeholders the channel mappers (mapped.go) use for what a
// channel did not send, so that the order is taken in and held, never lost.
const (
	NoSKU         = "(no SKU)"
	NoAddressLine = "(no shipping address sent)"
)

// ChannelOrder is an order as a channel sent it, mapped to Switchyard's terms.
type ChannelOrder struct {
	Order        app.NewOrder
	Cancelled    bool      // the channel already shows it cancelled
	CancelReason string    // words for the timeline when Cancelled
	Modified     time.Time // when the channel last changed it; zero when it did not say
	Refunds      []Refund  // refunds the channel shows on it, recorded once each (refunds_in.go)
}

// webhookIn is one delivery a channel sent to Switchyard. Verify and Decode
// come from the channel's adapter: Verify checks the signature against the
// channel's secrets, Decode maps the body (a nil order: a topic to ignore).
type webhookIn struct {
	Channel  string // the channel's code, from the URL
	Kind     string // shopify or woocommerce: which kind of channel may send it
	SourceID string // the delivery's id (the same on every retry)
	Topic    string
	Verify   func(secrets []string) bool
	Decode   func() (*ChannelOrder, error)
}

// WebhookResult is what Switchyard did with a delivery.
type WebhookResult struct {
	Result    string `json:"result"`
	Order     string `json:"order,omitempty"` // the order's number
	Duplicate bool   `json:"duplicate,omitempty"`
}

// unknownChannelSecret is what a delivery to an unknown channel is checked against.
const unknownChannelSecret = "no channel has this secret"

// ErrBadSignature is the answer to a delivery whose signature does not verify.
var ErrBadSignature = app.Unauthorized("the webhook signature is missing or does not match")

// receive takes in one delivery from a channel: it checks the signature
// before anything else (nothing is stored when it fails), deduplicates by the
// delivery's id, then takes the order in, cancels it, or changes its address.
// A delivery that cannot be taken in (its body is not a valid order) is
// recorded as refused and answered without error: sending it again would not help.
func (a *Service) receive(ctx context.Context, in webhookIn) (WebhookResult, error) {
	ch, err := a.verified(ctx, in.Channel, in.Kind, in.Verify)
	if err != nil {
		// The channel in the path is the sender's word until verified: it is
		// not a label (anybody could make up as many as they like).
		a.core.Metrics().WebhookDelivery("unverified", "rejected")
		return WebhookResult{}, err
	}
	co, decodeErr := in.Decode()
	t, err := a.takeDelivery(ctx, ch, delivery{sourceID: in.SourceID, topic: in.Topic, order: co, decodeErr: decodeErr})
	a.core.Metrics().WebhookDelivery(ch.Code, deliveryResult(t, decodeErr, err))
	return t.WebhookResult, err
}

// deliveryResult names what a verified delivery came to, for the metrics.
func deliveryResult(t taken, decodeErr, err error) string {
	switch {
	case err != nil:
		return "error"
	case t.Duplicate:
		return "duplicate"
	case t.created:
		return "taken"
	case t.changed:
		return "updated"
	case decodeErr != nil:
		return "refused"
	default:
		return "ignored"
	}
}

// delivery is one order a channel delivered, decoded: by webhook or by a pull.
type delivery struct {
	sourceID  string        // names it for deduplication: the same on every repeat
	topic     string        // what the channel said it is
	order     *ChannelOrder // nil: nothing to take in (a topic to ignore)
	decodeErr error         // the body is not a valid order: recorded as refused
}

// taken is what taking a delivery in did.
type taken struct {
	WebhookResult
	orderID int64
	created bool // a new order was taken in
	changed bool // the order taken in before was cancelled or given a new address
}

// takeDelivery claims a delivery for ch (one seen before is a duplicate and
// nothing is done), takes its order in or applies it to the order taken in
// before, and records what was done. Only failures worth retrying are errors.
// Text that is not text is removed first (cleanChannelOrder), never refused.
func (a *Service) takeDelivery(ctx context.Context, ch store.Channel, d delivery) (taken, error) {
	if d.order != nil {
		co := *d.order
		cleanChannelOrder(&co)
		d.order = &co
	}
	if d.order != nil && d.decodeErr == nil {
		if t, done := a.takeNewOrder(ctx, ch, d); done {
			return t, a.takeRefunds(ctx, ch, t, d)
		}
	}
	claim, dup, err := a.claimDelivery(ctx, ch.ID, d)
	if err != nil {
		return taken{}, err
	}
	if dup {
		return taken{WebhookResult: WebhookResult{Result: "duplicate delivery: nothing done", Duplicate: true}}, nil
	}
	var t taken
	switch {
	case d.decodeErr != nil:
		t.Result = "refused: " + d.decodeErr.Error()
	case d.order == nil:
		t.Result = "ignored: topic " + app.Quote(d.topic)
	default:
		actor := app.Actor{Kind: app.ActorChannel, Name: ch.Name, Channel: ch.Code}
		t, err = a.intake(ctx, actor, *d.order)
		if err != nil && !isRefusal(err) {
			a.finishDelivery(ctx, claim, "error: "+err.Error(), 0)
			return taken{}, err
		}
		if err != nil {
			t.Result = "refused: " + err.Error()
		}
	}
	a.finishDelivery(ctx, claim, t.Result, t.orderID)
	return t, a.takeRefunds(ctx, ch, t, d)
}

// claimDelivery records a delivery as being processed; dup reports one seen
// before (claimed again only when its processing failed or stalled).
func (a *Service) claimDelivery(ctx context.Context, channelID int64, d delivery) (claim int64, dup bool, err error) {
	err = a.core.Write(ctx, func(tx app.Tx) error {
		var err error
		claim, dup, err = claimInTx(ctx, tx, channelID, d)
		return err
	})
	return claim, dup, err
}

// claimInTx is claimDelivery inside the caller's transaction.
func claimInTx(ctx context.Context, tx app.Tx, channelID int64, d delivery) (claim int64, dup bool, err error) {
	extID, modified := "", time.Time{}
	if d.order != nil {
		extID, modified = d.order.Order.ExternalID, d.order.Modified
	}
	claim, err = tx.Q.ClaimWebhookDelivery(ctx, store.ClaimWebhookDeliveryParams{
		ChannelID: channelID, SourceID: clipText(d.sourceID, 200), Topic: clipText(d.topic, 100), ExternalID: extID,
		ChannelModified: app.NullTime(modified), ReceivedAt: app.Millis(tx.Now),
	})
	if store.IsNoRows(err) {
		return 0, true, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("record webhook delivery: %w", err)
	}
	return claim, false, nil
}

// intake takes one channel order in, or applies it to the order already taken in.
func (a *Service) intake(ctx context.Context, actor app.Actor, co ChannelOrder) (taken, error) {
	in, err := a.channelOrderInput(ctx, co)
	if err != nil {
		return taken{}, err
	}
	o, created, err := a.core.PlaceOrder(ctx, actor, in)
	if err != nil {
		return taken{}, err
	}
	var done []string
	changed := false
	if created {
		done = append(done, "took in order "+o.Number)
		if o.OnHold {
			done = append(done, "held")
		}
		if o.Status == app.StatusCancelled {
			done = append(done, "cancelled as the channel shows it")
		}
	}
	switch {
	case co.Cancelled && o.Status != app.StatusCancelled:
		c, err := a.core.Cancel(ctx, actor, o.Number, app.CancelInput{Reason: co.CancelReason})
		switch {
		case err == nil:
			o, changed = c, true
			done = append(done, "cancelled it")
		case app.ErrorKind(err) == app.KindConflict || app.ErrorKind(err) == app.KindInvalid:
			done = append(done, "could not cancel it: "+err.Error())
		default:
			return taken{}, err
		}
	case !created && !co.Cancelled && o.Status != app.StatusCancelled && addressChanged(o.ShippingAddress, in.ShippingAddress):
		c, err := a.core.ChangeAddress(ctx, actor, o.Number, *in.ShippingAddress)
		switch {
		case err == nil:
			o, changed = c, true
			done = append(done, "changed the address of order "+o.Number)
		case app.ErrorKind(err) == app.KindConflict || app.ErrorKind(err) == app.KindInvalid:
			done = append(done, "could not change the address: "+err.Error())
		default:
			return taken{}, err
		}
	}
	if len(done) == 0 {
		done = append(done, "order "+o.Number+" already up to date")
	}
	res := WebhookResult{Result: strings.Join(done, ", "), Order: o.Number}
	return taken{WebhookResult: res, orderID: o.ID, created: created, changed: changed && !created}, nil
}

// channelOrderInput is a channel's order as intake takes it: held when a line
// has a SKU Switchyard does not sell, cancelled (never routed) when the channel
// already shows it cancelled.
func (a *Service) channelOrderInput(ctx context.Context, co ChannelOrder) (app.NewOrder, error) {
	in := co.Order
	if err := a.holdUnknownSKUs(ctx, &in); err != nil {
		return in, err
	}
	if co.Cancelled {
		in.Cancelled = &app.CancelInput{Reason: co.CancelReason}
	}
	return in, nil
}

// holdUnknownSKUs holds an order with lines whose SKU Switchyard does not
// sell (unknown or inactive), naming each line, so that it is never refused.
func (a *Service) holdUnknownSKUs(ctx context.Context, in *app.NewOrder) error {
	codes := make([]string, 0, len(in.Lines))
	for _, l := range in.Lines {
		codes = append(codes, strings.TrimSpace(l.SKU))
	}
	rows, err := a.core.Read().SKUsForRouting(ctx, codes)
	if err != nil {
		return fmt.Errorf("look up SKUs: %w", err)
	}
	active := make(map[string]bool, len(rows))
	for _, r := range rows {
		active[r.Code] = r.Active == 1
	}
	var problems []string
	note := ""
	if in.Hold != nil {
		note = in.Hold.Note
	}
	for i, l := range in.Lines {
		sku := strings.TrimSpace(l.SKU)
		if active[sku] || sku == NoSKU || strings.Contains(note, fmt.Sprintf("line %d ", i+1)) {
			continue
		}
		why := "has unknown SKU " + app.Quote(sku)
		if _, known := active[sku]; known {
			why = "has inactive SKU " + app.Quote(sku)
		}
		problems = append(problems, fmt.Sprintf("line %d (%s) %s", i+1, clipText(l.Name, 120), why))
	}
	if len(problems) == 0 {
		return nil
	}
	if in.Hold == nil {
		in.Hold = &app.HoldInput{Reason: "other"}
	}
	if note != "" {
		problems = append([]string{note}, problems...)
	}
	in.Hold.Note = clipText(strings.Join(problems, "; "), 1000)
	return nil
}

// addressChanged reports whether a channel sent an address other than the order's.
func addressChanged(cur, sent *app.AddressInput) bool {
	if sent == nil || sent.Line1 == NoAddressLine {
		return false
	}
	if cur == nil {
		return true
	}
	same := func(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }
	sameF := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	return !(same(cur.Name, sent.Name) && same(cur.Line1, sent.Line1) && same(cur.Line2, sent.Line2) &&
		same(cur.City, sent.City) && same(cur.Region, sent.Region) && same(cur.PostalCode, sent.PostalCode) &&
		same(cur.Country, sent.Country) && same(cur.Phone, sent.Phone) && sameF(cur.Lat, sent.Lat) && sameF(cur.Lon, sent.Lon))
}

// isRefusal reports whether err refuses the order itself (sending it again would not help).
func isRefusal(err error) bool {
	k := app.ErrorKind(err)
	return k == app.KindInvalid || k == app.KindConflict || k == app.KindForbidden
}

// finishDelivery records what was done with a claimed delivery; it uses its
// own context so that a delivery is recorded even when the request ended.
func (a *Service) finishDelivery(ctx context.Context, claim int64, result string, orderID int64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := a.core.Write(ctx, func(tx app.Tx) error {
		return tx.Q.FinishWebhookDelivery(ctx, store.FinishWebhookDeliveryParams{
			Result: clipText(result, 1000), OrderID: nullOrderID(orderID), ID: claim,
		})
	})
	if err != nil {
		a.core.Log().Error("record webhook delivery result", "delivery", claim, "err", err)
	}
}

// WebhookDelivery is one delivery received, for the channel's settings page.
type WebhookDelivery struct {
	SourceID   string
	Topic      string
	ExternalID string
	ReceivedAt time.Time
	Result     string
	Order      string // the order's number, when one was taken in or changed
}

// WebhookDeliveries lists the latest deliveries a channel sent, newest first.
func (a *Service) WebhookDeliveries(ctx context.Context, code string, limit int64) ([]WebhookDelivery, error) {
	ch, err := a.core.Read().GetChannelByCode(ctx, code)
	if store.IsNoRows(err) {
		return nil, app.NotFound("no channel %q", code)
	} else if err != nil {
		return nil, fmt.Errorf("get channel: %w", err)
	}
	rows, err := a.core.Read().ListWebhookDeliveries(ctx, store.ListWebhookDeliveriesParams{ChannelID: ch.ID, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("list webhook deliveries: %w", err)
	}
	out := make([]WebhookDelivery, len(rows))
	for i, r := range rows {
		out[i] = WebhookDelivery{SourceID: r.SourceID, Topic: r.Topic, ExternalID: r.ExternalID,
			ReceivedAt: app.FromMillis(r.ReceivedAt), Result: r.Result, Order: r.OrderNumber.String}
	}
	return out, nil
}

// splitSecrets reads the stored webhook secrets (newline-separated).
func splitSecrets(s string) []string {
	var out []string
	for v := range strings.SplitSeq(s, "\n") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// clipText shortens s to at most n characters.
func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// nullOrderID stores an optional order id (0: none).
func nullOrderID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// cleanChannelOrder removes from a channel's order what IsText refuses, noting
// the fields changed on the order (NewOrder.Cleaned) for its timeline: a
// channel's order is never refused for its text.
func cleanChannelOrder(co *ChannelOrder) {
	changed := app.CleanTextFields("", &co.Order)
	if s, ok := app.CleanText(co.CancelReason, false); ok {
		co.CancelReason = s
		changed = append(changed, "cancel_reason")
	}
	co.Order.Cleaned = append(co.Order.Cleaned, changed...)
	shortenChannelOrder(&co.Order)
}

// shortenChannelOrder cuts the free text of a channel's order to intake's
// limits (checkNewOrder), noting the fields cut (NewOrder.Shortened) for its
// timeline: a channel's order is never refused for the length of its text.
func shortenChannelOrder(o *app.NewOrder) {
	cut := func(path string, s *string, max int) {
		if len([]rune(*s)) > max {
			*s = clipText(*s, max)
			o.Shortened = append(o.Shortened, path)
		}
	}
	cut("channel_ref", &o.ChannelRef, 100)
	cut("note", &o.Note, 2000)
	cut("customer.name", &o.Customer.Name, 200)
	cut("customer.phone", &o.Customer.Phone, 50)
	if sa := o.ShippingAddress; sa != nil {
		cut("shipping_address.name", &sa.Name, 200)
		cut("shipping_address.line1", &sa.Line1, 200)
		cut("shipping_address.line2", &sa.Line2, 200)
		cut("shipping_address.city", &sa.City, 100)
		cut("shipping_address.region", &sa.Region, 100)
		cut("shipping_address.postal_code", &sa.PostalCode, 20)
		cut("shipping_address.phone", &sa.Phone, 50)
	}
	for i := range o.Lines {
		cut(fmt.Sprintf("lines[%d].name", i), &o.Lines[i].Name, 300)
	}
}
