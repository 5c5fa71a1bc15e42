package returns

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"switchyard/app"
	store "switchyard/sql"
)

// change runs one move on the return number in one write transaction, after
// checking the actor's role and reach, and answers the return afterwards.
func (s *Service) change(ctx context.Context, actor app.Actor, number string, roles []app.Role,
	fn func(tx app.Tx, o store.Order, r store.Return) error) (Return, error) {
	if err := actor.Require(roles...); err != nil {
		return Return{}, err
	}
	var id int64
	err := s.core.Write(ctx, func(tx app.Tx) error {
		r, o, err := returnInReach(ctx, tx, actor.Reach(), number)
		if err != nil {
			return err
		}
		id = r.ID
		return fn(tx, o, r)
	})
	if err != nil {
		return Return{}, err
	}
	return s.byID(ctx, id)
}

// returnInReach reads a return and its order inside tx; a return of another
// channel is NotFound for a key bound to a channel.
func returnInReach(ctx context.Context, tx app.Tx, reach app.Reach, number string) (store.Return, store.Order, error) {
	r, err := tx.Q.GetReturnByNumber(ctx, number)
	if store.IsNoRows(err) {
		return store.Return{}, store.Order{}, app.NotFound("no return %s", number)
	} else if err != nil {
		return store.Return{}, store.Order{}, fmt.Errorf("get return %s: %w", number, err)
	}
	o, err := tx.Q.GetOrder(ctx, r.OrderID)
	if err != nil {
		return store.Return{}, store.Order{}, fmt.Errorf("return's order: %w", err)
	}
	if reach.Limited() {
		ch, err := tx.Q.GetChannel(ctx, r.ChannelID)
		if err != nil {
			return store.Return{}, store.Order{}, fmt.Errorf("return's channel: %w", err)
		}
		if !reach.Allows(ch.Code) {
			return store.Return{}, store.Order{}, app.NotFound("no return %s", number)
		}
	}
	return r, o, nil
}

// staff are the roles that decide on returns.
var staff = []app.Role{app.RoleAdmin, app.RoleOps, app.RoleSupport}

// Approve approves a requested return: the goods may come back, and an
// exchange's new order is placed and reserved now.
func (s *Service) Approve(ctx context.Context, actor app.Actor, number string) (Return, error) {
	return s.change(ctx, actor, number, staff, func(tx app.Tx, o store.Order, r store.Return) error {
		return ApproveTx(ctx, tx, actor, o, r)
	})
}

// ApproveTx is Approve inside tx.
func ApproveTx(ctx context.Context, tx app.Tx, actor app.Actor, o store.Order, r store.Return) error {
	if err := checkMove(r.Number, Status(r.Status), StatusApproved); err != nil {
		return err
	}
	r.Status, r.ApprovedAt = string(StatusApproved), app.NullInt(app.Millis(tx.Now))
	if err := storeState(ctx, tx, r); err != nil {
		return err
	}
	return approved(ctx, tx, actor, o, r)
}

// approved is the work of an approval: the exchange order, the timeline and
// the return.approved webhook.
func approved(ctx context.Context, tx app.Tx, actor app.Actor, o store.Order, r store.Return) error {
	loc, err := tx.Q.GetLocation(ctx, r.LocationID)
	if err != nil {
		return fmt.Errorf("return's location: %w", err)
	}
	msg := fmt.Sprintf("Return %s approved: the goods come back to %s.", r.Number, loc.Name)
	if r.Resolution == ResolutionExchange {
		number, err := placeExchange(ctx, tx, o, r)
		if err != nil {
			return err
		}
		msg += fmt.Sprintf(" The exchange goes out as order %s.", number)
	}
	if err := app.AppendEvent(ctx, tx, o.ID, actor, app.NewEvent{Kind: "return_approved", Message: msg, Customer: true,
		Data: map[string]any{"return": r.Number}}); err != nil {
		return err
	}
	return webhook(ctx, tx, o, r, app.EventReturnApproved)
}

// Decline declines a requested return, with a reason the customer is told.
func (s *Service) Decline(ctx context.Context, actor app.Actor, number, reason string) (Return, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Return{}, app.InvalidField("reason", "say why the return is declined")
	}
	if utf8.RuneCountInString(reason) > 500 {
		return Return{}, app.InvalidField("reason", "must be at most 500 characters")
	}
	if !app.IsText(reason, true) {
		return Return{}, app.InvalidField("reason", app.NotTextProblem)
	}
	return s.change(ctx, actor, number, staff, func(tx app.Tx, o store.Order, r store.Return) error {
		return DeclineTx(ctx, tx, actor, o, r, reason)
	})
}

// DeclineTx is Decline inside tx: the units come off the return.
func DeclineTx(ctx context.Context, tx app.Tx, actor app.Actor, o store.Order, r store.Return, reason string) error {
	if err := checkMove(r.Number, Status(r.Status), StatusDeclined); err != nil {
		return err
	}
	if err := releaseUnits(ctx, tx, r.ID); err != nil {
		return err
	}
	r.Status, r.DeclineReason, r.ClosedAt = string(StatusDeclined), reason, app.NullInt(app.Millis(tx.Now))
	if err := storeState(ctx, tx, r); err != nil {
		return err
	}
	return app.AppendEvent(ctx, tx, o.ID, actor, app.NewEvent{Kind: "return_declined", Customer: true,
		Message: fmt.Sprintf("Return %s declined: %s", r.Number, reason), Data: map[string]any{"return": r.Number, "reason": reason}})
}

// Cancel cancels a return nothing of which has arrived yet. An exchange
// already placed must be cancelled first; a return refunded already (a
// refund not failed) cannot be cancelled.
func (s *Service) Cancel(ctx context.Context, actor app.Actor, number string) (Return, error) {
	return s.change(ctx, actor, number, staff, func(tx app.Tx, o store.Order, r store.Return) error {
		return CancelTx(ctx, tx, actor, o, r)
	})
}

// CancelTx is Cancel inside tx.
func CancelTx(ctx context.Context, tx app.Tx, actor app.Actor, o store.Order, r store.Return) error {
	if err := checkMove(r.Number, Status(r.Status), StatusCancelled); err != nil {
		return err
	}
	if r.ExchangeOrderID.Valid {
		x, err := tx.Q.GetOrder(ctx, r.ExchangeOrderID.Int64)
		if err != nil {
			return fmt.Errorf("exchange order: %w", err)
		}
		if x.Status != string(app.StatusCancelled) {
			return app.Conflict("return %s has an exchange, order %s: cancel that order first", r.Number, x.Number)
		}
	}
	refunds, err := tx.Q.ListRefundsOfReturn(ctx, app.NullInt(r.ID))
	if err != nil {
		return fmt.Errorf("refunds of return: %w", err)
	}
	for _, f := range refunds {
		if f.Status != RefundFailed {
			return app.Conflict("return %s was refunded already (refund %d is %s): it cannot be cancelled", r.Number, f.ID, f.Status)
		}
	}
	if err := releaseUnits(ctx, tx, r.ID); err != nil {
		return err
	}
	r.Status, r.ClosedAt = string(StatusCancelled), app.NullInt(app.Millis(tx.Now))
	if err := storeState(ctx, tx, r); err != nil {
		return err
	}
	return app.AppendEvent(ctx, tx, o.ID, actor, app.NewEvent{Kind: "return_cancelled", Customer: true,
		Message: fmt.Sprintf("Return %s cancelled.", r.Number), Data: map[string]any{"return": r.Number}})
}

// releaseUnits takes every uncounted unit of a return off its order lines.
func releaseUnits(ctx context.Context, tx app.Tx, returnID int64) error {
	lines, err := tx.Q.ListReturnLines(ctx, returnID)
	if err != nil {
		return fmt.Errorf("return lines: %w", err)
	}
	for _, l := range lines {
		left := l.Quantity - l.Restocked - l.Quarantined - l.Scrapped - l.Missing
		if left == 0 {
			continue
		}
		if err := tx.Q.CloseReturnUnits(ctx, store.CloseReturnUnitsParams{Quantity: left, Back: 0, ID: l.OrderLineID}); err != nil {
			return fmt.Errorf("release return units: %w", err)
		}
	}
	return nil
}

// storeState writes a return's status and its times.
func storeState(ctx context.Context, tx app.Tx, r store.Return) error {
	if err := tx.Q.SetReturnState(ctx, store.SetReturnStateParams{Status: r.Status, ApprovedAt: r.ApprovedAt,
		ReceivedAt: r.ReceivedAt, ClosedAt: r.ClosedAt, DeclineReason: r.DeclineReason, UpdatedAt: app.Millis(tx.Now), ID: r.ID}); err != nil {
		return fmt.Errorf("store return status: %w", err)
	}
	return nil
}

// requestedEvents writes the new return's timeline entry and return.requested webhook.
func requestedEvents(ctx context.Context, tx app.Tx, actor app.Actor, o store.Order, r store.Return, p plan) error {
	var what []string
	for _, l := range p.lines {
		what = append(what, fmt.Sprintf("%d × %s (%s)", l.input.Quantity, itemName(l.line), ReasonLabel(l.input.Reason)))
	}
	msg := fmt.Sprintf("Return %s started by %s: %s, to come back to %s.", r.Number, originWords(r.StartedBy, actor),
		strings.Join(what, ", "), p.why)
	if p.override != "" {
		msg += " The " + p.override + "."
	}
	if err := app.AppendEvent(ctx, tx, o.ID, actor, app.NewEvent{Kind: "return_requested", Message: msg, Customer: true,
		Data: map[string]any{"return": r.Number, "resolution": r.Resolution}}); err != nil {
		return err
	}
	return webhook(ctx, tx, o, r, app.EventReturnRequested)
}

// itemName is a line's name for sentences: its product name, else its SKU.
func itemName(l store.OrderLine) string {
	if l.Name != "" {
		return l.Name
	}
	return l.Sku
}

// originWords says who started a return.
func originWords(origin string, actor app.Actor) string {
	switch origin {
	case OriginCustomer:
		return "the customer on the tracking page"
	case OriginChannel:
		return actor.Label()
	}
	return actor.Label()
}

// webhook writes the Standard Webhooks messages of a return event.
func webhook(ctx context.Context, tx app.Tx, o store.Order, r store.Return, event string) error {
	return app.EnqueueWebhooksOf(ctx, tx, o.ID, event, func() (any, error) {
		row, err := tx.Q.GetReturn(ctx, r.ID)
		if err != nil {
			return nil, fmt.Errorf("get return: %w", err)
		}
		full, err := load(ctx, tx.Q, row)
		return map[string]any{"return": full}, err
	})
}

// exchangeLines reads the lines a return's exchange sends.
func exchangeLines(r store.Return) ([]ExchangeInput, error) {
	var out []ExchangeInput
	if err := json.Unmarshal([]byte(r.ExchangeLines), &out); err != nil {
		return nil, fmt.Errorf("exchange lines of %s: %w", r.Number, err)
	}
	return out, nil
}
