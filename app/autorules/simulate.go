package autorules

import (
	"context"
	"fmt"
	"time"

	"switchyard/app"
	"switchyard/app/automation"
	store "switchyard/sql"
)

// MaxSimulated is the most orders a simulation replays.
const MaxSimulated = 500

// SimOrder is what the rules would have done to one past order.
type SimOrder struct {
	Number   string    `json:"number"`
	PlacedAt time.Time `json:"placed_at"`
	Status   string    `json:"status"`
	Fired    []SimFire `json:"fired"`
}

// SimFire is one rule that would have fired on one trigger, and its actions in words.
type SimFire struct {
	Trigger string   `json:"trigger"`
	Rule    string   `json:"rule"`
	Actions []string `json:"actions"`
}

// Simulation is the answer of Simulate: the orders replayed and, per rule,
// how many orders it would have fired on.
type Simulation struct {
	Orders  int            `json:"orders"`
	Matched []SimOrder     `json:"matched"`
	PerRule map[string]int `json:"per_rule"`
}

// Simulate replays the last n orders the actor reaches under rs, writing nothing: for each
// order, each trigger its history went through (received; routed,
// backordered, held, shipped, delivered, returned as its state shows; a
// fulfillment a location rejected; a count that left it short, as its
// timeline shows; late, when it was open past its promised ship-by) is
// evaluated on the order's facts as they are now.
func (s *Service) Simulate(ctx context.Context, actor app.Actor, rs automation.RuleSet, n int) (Simulation, error) {
	if n < 1 || n > MaxSimulated {
		return Simulation{}, app.InvalidField("orders", fmt.Sprintf("must be from 1 to %d", MaxSimulated))
	}
	sim := Simulation{PerRule: map[string]int{}, Matched: []SimOrder{}}
	err := s.core.DB().Snapshot(ctx, func(q *store.Queries) error {
		p, err := Check(ctx, q, rs)
		if err != nil {
			return err
		}
		channelID, err := actor.Reach().ChannelID(ctx, q)
		if err != nil {
			return err
		}
		ids, err := q.RecentOrderIDs(ctx, store.RecentOrderIDsParams{ChannelID: channelID, Lim: int64(n)})
		if err != nil {
			return fmt.Errorf("recent orders: %w", err)
		}
		tx := app.Tx{Q: q, Now: s.core.Now()}
		sim.Orders = len(ids)
		for _, id := range ids {
			so, err := simulateOrder(ctx, tx, p, id)
			if err != nil {
				return err
			}
			for _, f := range so.Fired {
				sim.PerRule[f.Rule]++
			}
			if len(so.Fired) > 0 {
				sim.Matched = append(sim.Matched, so)
			}
		}
		return nil
	})
	return sim, err
}

// simulateOrder evaluates every trigger the order went through.
func simulateOrder(ctx context.Context, tx app.Tx, p *automation.Program, id int64) (SimOrder, error) {
	o, err := tx.Q.GetOrder(ctx, id)
	if err != nil {
		return SimOrder{}, fmt.Errorf("get order: %w", err)
	}
	so := SimOrder{Number: o.Number, PlacedAt: app.FromMillis(o.PlacedAt), Status: o.Status}
	triggers, err := pastTriggers(ctx, tx.Q, o, tx.Now, p.Has)
	if err != nil {
		return SimOrder{}, err
	}
	for _, t := range triggers {
		if !p.Has(t) {
			continue
		}
		facts, err := app.AutomationFacts(ctx, tx, o, p.Needs(t))
		if err != nil {
			return SimOrder{}, err
		}
		for _, m := range p.Evaluate(t, facts) {
			f := SimFire{Trigger: t, Rule: m.Name}
			for _, a := range m.Actions {
				f.Actions = append(f.Actions, a.Words())
			}
			so.Fired = append(so.Fired, f)
		}
	}
	return so, nil
}

// pastTriggers are the triggers an order's state shows it went through; the
// timeline is read only for a trigger wanted reports rules on.
func pastTriggers(ctx context.Context, q *store.Queries, o store.Order, now time.Time, wanted func(string) bool) ([]string, error) {
	out := []string{automation.OrderReceived}
	fs, err := q.ListOrderFulfillments(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("order fulfillments: %w", err)
	}
	lines, err := q.ListOrderLines(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("order lines: %w", err)
	}
	var backordered, shipped, returned, rejected bool
	for _, f := range fs {
		rejected = rejected || f.Status == string(app.FulfillmentRejected)
	}
	for _, l := range lines {
		backordered = backordered || l.Backordered > 0
		shipped = shipped || l.Shipped > 0
		returned = returned || l.Returned > 0
	}
	add := func(ok bool, t string) {
		if ok {
			out = append(out, t)
		}
	}
	add(len(fs) > 0, automation.OrderRouted)
	add(backordered, automation.OrderBackordered)
	add(o.OnHold == 1, automation.OrderHeld)
	add(shipped, automation.OrderShipped)
	add(o.Status == string(app.StatusDelivered), automation.OrderDelivered)
	add(returned, automation.OrderReturned)
	add(rejected, automation.FulfillmentRejected)
	add(wentLate(o, fs, app.Millis(now)), automation.OrderLate)
	if wanted(automation.StockShort) {
		// A count that left the order short wrote a "stock_short" entry (app/reroute.go).
		short, err := q.OrderHasEventKind(ctx, store.OrderHasEventKindParams{OrderID: o.ID, Kind: "stock_short"})
		if err != nil {
			return nil, fmt.Errorf("order timeline: %w", err)
		}
		add(short, automation.StockShort)
	}
	return out, nil
}

// wentLate reports whether the order was ever past its promised ship-by
// while open, as the sweep of order.late sees it (app/automate_late.go):
// open and past it now, or a fulfillment of it shipped after it.
func wentLate(o store.Order, fs []store.ListOrderFulfillmentsRow, now int64) bool {
	if !o.PromisedShipBy.Valid {
		return false
	}
	due := o.PromisedShipBy.Int64
	switch app.Status(o.Status) {
	case app.StatusCancelled, app.StatusShipped, app.StatusDelivered, app.StatusReturned, app.StatusPartiallyReturned:
	default:
		if due < now {
			return true
		}
	}
	for _, f := range fs {
		if f.ShippedAt.Valid && f.ShippedAt.Int64 > due {
			return true
		}
	}
	return false
}
