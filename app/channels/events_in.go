package channels

import (
	"context"
	"errors"
	"fmt"

	"switchyard/app"
	store "switchyard/sql"
)

// event is one delivery that is not an order (a return, a refund), named for
// deduplication like an order's delivery.
type event struct {
	sourceID   string // the delivery's id (the same on every retry)
	topic      string
	externalID string // the channel's id of what it is about, for the delivery list
}

// eventFunc applies an event inside the transaction that claims its delivery.
// It answers what was done and the order it touched; an error of kind
// invalid, conflict or forbidden refuses the event (recorded, not retried).
type eventFunc func(tx app.Tx, actor app.Actor) (result string, orderID int64, err error)

// refusal carries a refused event's words out of the rolled-back transaction.
type refusal struct{ err error }

func (r refusal) Error() string { return r.err.Error() }

// verified is the active channel of kind with the code, once the delivery's
// signature verifies against its secrets. An unknown channel or one of
// another kind answers as a bad signature, after the same work, so that
// channel codes cannot be probed.
func (a *Service) verified(ctx context.Context, code, kind string, verify func(secrets []string) bool) (store.Channel, error) {
	ch, err := a.core.Read().GetChannelByCode(ctx, code)
	if store.IsNoRows(err) || (err == nil && ch.Kind != kind) {
		if verify != nil {
			verify([]string{unknownChannelSecret})
		}
		return store.Channel{}, ErrBadSignature
	} else if err != nil {
		return store.Channel{}, fmt.Errorf("get channel: %w", err)
	}
	if verify == nil || !verify(splitSecrets(ch.WebhookSecrets)) {
		return store.Channel{}, ErrBadSignature
	}
	if ch.Active == 0 {
		return store.Channel{}, app.Conflict("channel %q is inactive", code)
	}
	return ch, nil
}

// takeEvent claims the delivery and applies the event in one transaction,
// recording what was done: a delivery seen before is a duplicate and nothing
// is done. A refused event is rolled back and recorded as refused (answered
// 200: sending it again would not help); any other failure is an error, the
// claim undone, so the channel sends it again.
func (a *Service) takeEvent(ctx context.Context, ch store.Channel, ev event, apply eventFunc) (WebhookResult, error) {
	actor := app.Actor{Kind: app.ActorChannel, Name: ch.Name, Channel: ch.Code}
	var res WebhookResult
	claimAndFinish := func(tx app.Tx, do eventFunc) error {
		res = WebhookResult{}
		claim, err := tx.Q.ClaimWebhookDelivery(ctx, store.ClaimWebhookDeliveryParams{ChannelID: ch.ID,
			SourceID: clipText(ev.sourceID, 200), Topic: clipText(ev.topic, 100), ExternalID: clipText(ev.externalID, 200),
			ReceivedAt: app.Millis(tx.Now)})
		if store.IsNoRows(err) {
			res = WebhookResult{Result: "duplicate delivery: nothing done", Duplicate: true}
			return nil
		} else if err != nil {
			return fmt.Errorf("record webhook delivery: %w", err)
		}
		result, orderID, err := do(tx, actor)
		if err != nil {
			if isRefusal(err) {
				return refusal{err}
			}
			return err
		}
		res.Result = result
		if orderID != 0 {
			if o, err := tx.Q.GetOrder(ctx, orderID); err == nil {
				res.Order = o.Number
			}
		}
		return tx.Q.FinishWebhookDelivery(ctx, store.FinishWebhookDeliveryParams{Result: clipText(result, 1000),
			OrderID: nullOrderID(orderID), ID: claim})
	}
	err := a.core.Write(ctx, func(tx app.Tx) error { return claimAndFinish(tx, apply) })
	var ref refusal
	if errors.As(err, &ref) {
		words := "refused: " + ref.err.Error()
		a.core.Log().Info("channel event refused", "channel", ch.Code, "topic", ev.topic, "why", ref.err)
		err = a.core.Write(ctx, func(tx app.Tx) error {
			return claimAndFinish(tx, func(app.Tx, app.Actor) (string, int64, error) { return words, 0, nil })
		})
	}
	return res, err
}
