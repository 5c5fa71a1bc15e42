package returns

import (
	"context"
	"database/sql"
	"fmt"
	"unicode/utf8"

	"switchyard/app"
	"switchyard/app/money"
	store "switchyard/sql"
)

// ChannelRefund is a refund a channel made itself (Shopify's refunds/create,
// a WooCommerce refund seen on the order), recorded exactly once by its id.
type ChannelRefund struct {
	ExternalID       string // the channel's refund id
	Amount           int64  // minor units
	Shipping         int64  // of which shipping
	ReturnExternalID string // the channel's return it belongs to, if any
	Note             string
}

// RecordChannelRefundTx records, inside tx, a refund the channel made on
// order o. A refund already recorded (by its id, including one Switchyard
// asked for and the channel answered) is left alone: recorded is false.
// What the order can still refund never goes below zero: an amount above it
// is recorded as the channel said, and counts up to what was left.
func RecordChannelRefundTx(ctx context.Context, tx app.Tx, actor app.Actor, o store.Order, in ChannelRefund) (recorded bool, err error) {
	if in.ExternalID == "" {
		return false, app.InvalidField("id", "a channel refund needs its id")
	}
	if _, err := tx.Q.GetRefundByExternal(ctx, store.GetRefundByExternalParams{OrderID: o.ID, ExternalID: app.NullString(in.ExternalID)}); err == nil {
		return false, nil
	} else if !store.IsNoRows(err) {
		return false, fmt.Errorf("look up refund: %w", err)
	}
	if in.Amount <= 0 {
		return false, nil // a refund of nothing (a restock-only refund): nothing to record
	}
	var returnID int64
	var ret store.Return
	if in.ReturnExternalID != "" {
		ret, err = tx.Q.GetReturnByExternal(ctx, store.GetReturnByExternalParams{ChannelID: o.ChannelID, ExternalID: app.NullString(in.ReturnExternalID)})
		if err == nil && ret.OrderID == o.ID {
			returnID = ret.ID
		} else if err == nil {
			ret = store.Return{} // a return of another order: the refund is this order's, on no return
		} else if !store.IsNoRows(err) {
			return false, fmt.Errorf("look up return: %w", err)
		}
	}
	counted := min(in.Amount, max(0, o.Total-o.Refunded))
	if counted > 0 {
		if _, err := tx.Q.AddOrderRefunded(ctx, store.AddOrderRefundedParams{Amount: counted, UpdatedAt: app.Millis(tx.Now), ID: o.ID}); err != nil {
			return false, fmt.Errorf("record refunded: %w", err)
		}
	}
	cur := currency(o.Currency)
	f, err := tx.Q.InsertRefund(ctx, store.InsertRefundParams{OrderID: o.ID, ReturnID: sql.NullInt64{Int64: returnID, Valid: returnID != 0}, Kind: KindRefund, Amount: in.Amount,
		Items: max(0, in.Amount-in.Shipping), Shipping: min(in.Shipping, in.Amount), Currency: cur.Code, Status: RefundSucceeded,
		Source: SourceChannel, ExternalID: app.NullString(in.ExternalID), CreatedBy: actor.Label(), CreatedAt: app.Millis(tx.Now)})
	if err != nil {
		return false, fmt.Errorf("insert refund: %w", err)
	}
	msg := fmt.Sprintf("%s refunded %s %s (refund %s).", actorName(actor), cur.Code, money.Format(in.Amount, cur), in.ExternalID)
	if returnID != 0 {
		msg = fmt.Sprintf("Return %s: %s", ret.Number, msg)
	}
	if err := app.AppendEvent(ctx, tx, o.ID, actor, app.NewEvent{Kind: "refund_recorded", Message: msg, Customer: true,
		Data: refundData(ret.Number, f, cur)}); err != nil {
		return false, err
	}
	full := refundFromRow(f, cur)
	full.Return = ret.Number
	ch, err := tx.Q.GetChannel(ctx, o.ChannelID)
	if err != nil {
		return false, fmt.Errorf("order's channel: %w", err)
	}
	if err := app.EnqueueWebhooks(ctx, tx, o.ID, app.EventRefundCreated, map[string]any{"refund": full, "order": o.Number,
		"channel": ch.Code}); err != nil {
		return false, err
	}
	if returnID != 0 {
		return true, closeIfSettled(ctx, tx, returnID)
	}
	return true, nil
}

// actorName names who made a refund: the channel's name for a channel.
func actorName(a app.Actor) string {
	if a.Kind == app.ActorChannel {
		return "The channel " + a.Name
	}
	return a.Label()
}

// ConfirmRefund records by hand that a pending refund was made in the channel
// (for channels Switchyard cannot ask), with the channel's refund id if known.
func (s *Service) ConfirmRefund(ctx context.Context, actor app.Actor, number string, refundID int64, externalID string) (Return, error) {
	if utf8.RuneCountInString(externalID) > 200 {
		return Return{}, app.InvalidField("external_id", "must be at most 200 characters")
	}
	if !app.IsText(externalID, false) {
		return Return{}, app.InvalidField("external_id", app.NotTextProblem)
	}
	return s.change(ctx, actor, number, staff, func(tx app.Tx, o store.Order, r store.Return) error {
		f, err := tx.Q.GetRefund(ctx, refundID)
		if store.IsNoRows(err) || err == nil && (!f.ReturnID.Valid || f.ReturnID.Int64 != r.ID) {
			return app.NotFound("no refund %d on return %s", refundID, r.Number)
		} else if err != nil {
			return fmt.Errorf("get refund: %w", err)
		}
		if f.Status != RefundPending && f.Status != RefundSent {
			return app.Conflict("refund %d is %s already", refundID, f.Status)
		}
		return AnsweredTx(ctx, tx, f.ID, true, externalID, "")
	})
}
