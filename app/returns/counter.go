package returns

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"switchyard/app"
	store "switchyard/sql"
)

// CounterOffer finds an order a customer brings back to the location code
// (a store taking back an online order): by its number and the customer's
// email or postal code, and answers what may come back. The lead must work
// at the location, and it must take returns. A wrong proof answers as an
// unknown order, so that store staff cannot browse other people's orders.
//
// Each look-up counts against the customer's limits (per order number and
// per lead, as per token and per client address on the tracking page), so
// that a lead cannot guess postal codes either.
func (s *Service) CounterOffer(ctx context.Context, actor app.Actor, code, number, proof string) (CustomerOrder, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleWarehouse); err != nil {
		return CustomerOrder{}, err
	}
	key := "counter " + strings.ToUpper(strings.TrimSpace(number))
	if err := s.countAttempt(ctx, key, fmt.Sprintf("lead %d %s", actor.ID, actor.Name)); err != nil {
		return CustomerOrder{}, err
	}
	tx := app.Tx{Q: s.core.Read(), Now: s.core.Now()}
	o, err := counterOrder(ctx, tx, actor, code, number, proof)
	if err != nil {
		return CustomerOrder{}, err
	}
	offer, err := s.offer(ctx, tx, o)
	offer.Resolutions = CounterResolutions
	return offer, err
}

// CounterResolutions are what a customer may get at the counter.
var CounterResolutions = []string{ResolutionRefund, ResolutionStoreCredit, ResolutionNone}

// CounterStart takes goods back over the counter at the location code: a
// return of the order, approved, coming back to that location, started by
// the lead (the proof is checked again). The lead then receives it.
func (s *Service) CounterStart(ctx context.Context, actor app.Actor, code, number, proof string, in NewReturn) (Return, error) {
	if !slices.Contains(CounterResolutions, in.Resolution) {
		return Return{}, app.InvalidField("resolution", "choose a refund, store credit or nothing")
	}
	if _, err := counterOrder(ctx, app.Tx{Q: s.core.Read(), Now: s.core.Now()}, actor, code, number, proof); err != nil {
		return Return{}, err
	}
	yes := true
	in = NewReturn{Lines: in.Lines, Resolution: in.Resolution, Note: in.Note, Location: code, Approve: &yes}
	r, _, err := s.Create(ctx, actor, number, in)
	return r, err
}

// counterOrder checks the lead's location and the customer's proof, and
// reads the order.
func counterOrder(ctx context.Context, tx app.Tx, actor app.Actor, code, number, proof string) (store.Order, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleWarehouse); err != nil {
		return store.Order{}, err
	}
	loc, err := dockLocation(ctx, tx.Q, actor, code)
	if err != nil {
		return store.Order{}, err
	}
	if loc.AcceptsReturns != 1 {
		return store.Order{}, app.Conflict("%s does not take returns", loc.Name)
	}
	number = strings.ToUpper(strings.TrimSpace(number))
	o, err := tx.Q.GetOrderByNumber(ctx, number)
	found := err == nil
	if err != nil && !store.IsNoRows(err) {
		return store.Order{}, fmt.Errorf("get order: %w", err)
	}
	if !proves(o, found, proof) {
		return store.Order{}, app.InvalidField("proof", fmt.Sprintf("no order %s with this email address or postal code", number))
	}
	return o, nil
}
