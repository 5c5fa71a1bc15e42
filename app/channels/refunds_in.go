package channels

import (
	"context"
	"fmt"
	"strings"

	"switchyard/app"
	"switchyard/app/money"
	"switchyard/app/returns"
	store "switchyard/sql"
)

// takeRefunds records, once each, the refunds a channel shows on the order a
// delivery took in or updated (WooCommerce's order.updated and its pull):
// a refund Switchyard asked for is settled, not counted again (settleOrRecord).
// A duplicate delivery or one that touched no order records nothing.
func (a *Service) takeRefunds(ctx context.Context, ch store.Channel, t taken, d delivery) error {
	if d.order == nil || len(d.order.Refunds) == 0 || t.orderID == 0 {
		return nil
	}
	actor := app.Actor{Kind: app.ActorChannel, Name: ch.Name, Channel: ch.Code}
	return a.core.Write(ctx, func(tx app.Tx) error {
		for _, f := range d.order.Refunds {
			o, err := tx.Q.GetOrder(ctx, t.orderID) // refunded changes with each
			if err != nil {
				return fmt.Errorf("get order: %w", err)
			}
			amount, err := money.Parse(f.Amount, orderCurrency(o))
			if err != nil {
				a.core.Log().Warn("channel refund with an amount that is not money", "channel", ch.Code, "refund", f.ID, "amount", f.Amount)
				continue
			}
			cr := returns.ChannelRefund{ExternalID: f.ID, Amount: amount, Note: f.Reason}
			if _, _, err := settleOrRecord(ctx, tx, actor, o, cr, markedRefund(f.Reason)); err != nil {
				if isRefusal(err) {
					a.core.Log().Warn("channel refund refused", "channel", ch.Code, "refund", f.ID, "err", err)
					continue
				}
				return fmt.Errorf("record refund %s: %w", strings.TrimSpace(f.ID), err)
			}
		}
		return nil
	})
}
