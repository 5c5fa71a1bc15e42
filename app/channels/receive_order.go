package channels

import (
	"switchyard/app"

	"context"
	"errors"
	"strings"

	store "switchyard/sql"
)

// takeNewOrder takes a delivered order in with one commit: the delivery is
// claimed, the order placed and routed, and the delivery's result recorded
// in the same transaction. It reports done=false, having changed nothing,
// when the delivery needs the general path of takeDelivery: the order is
// refused, or was taken in before (an update), or something failed (the
// general path records the error).
func (a *Service) takeNewOrder(ctx context.Context, ch store.Channel, d delivery) (taken, bool) {
	actor := app.Actor{Kind: app.ActorChannel, Name: ch.Name, Channel: ch.Code}
	in, err := a.channelOrderInput(ctx, *d.order)
	if err != nil {
		return taken{}, false
	}
	v, err := app.CheckNewOrder(&in, a.core.Now())
	if err != nil {
		return taken{}, false
	}
	_, err = a.core.Read().GetOrderIDByExternal(ctx, store.GetOrderIDByExternalParams{ChannelID: ch.ID, ExternalID: in.ExternalID})
	if !store.IsNoRows(err) {
		return taken{}, false // taken in before (or unknown): an update for the general path
	}
	plan := a.core.Preplan(ctx, actor, in, v)
	var t taken
	err = a.core.WritePlanned(ctx, plan, func(tx app.Tx, plan *app.IntakePlan) error {
		t = taken{}
		claim, dup, err := claimInTx(ctx, tx, ch.ID, d)
		if err != nil || dup {
			t.WebhookResult = WebhookResult{Result: "duplicate delivery: nothing done", Duplicate: true}
			return err
		}
		p, err := app.PlaceOrderInTx(ctx, tx, actor, in, v, plan)
		if err != nil {
			return err
		}
		if !p.Created {
			return errTakenBefore // taken in meanwhile: undo the claim, the general path applies the update
		}
		t = takenNew(p.Row)
		return tx.Q.FinishWebhookDelivery(ctx, store.FinishWebhookDeliveryParams{
			Result: clipText(t.Result, 1000), OrderID: nullOrderID(p.ID), ID: claim,
		})
	})
	if err != nil {
		return taken{}, false
	}
	return t, true
}

// errTakenBefore undoes takeNewOrder's transaction when the order turns out
// to have been taken in by another delivery meanwhile.
var errTakenBefore = errors.New("the order was taken in before")

// takenNew is what taking a new order in did, in words for the channel's
// delivery list and the webhook's answer.
func takenNew(o store.Order) taken {
	done := []string{"took in order " + o.Number}
	if o.OnHold == 1 {
		done = append(done, "held")
	}
	if app.Status(o.Status) == app.StatusCancelled {
		done = append(done, "cancelled as the channel shows it")
	}
	return taken{WebhookResult: WebhookResult{Result: strings.Join(done, ", "), Order: o.Number}, orderID: o.ID, created: true}
}
