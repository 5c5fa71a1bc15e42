package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"switchyard/app/money"
	"switchyard/app/routing"
	store "switchyard/sql"
)

// TriggerReevaluate is the routing trigger of a re-evaluation: stock moved
// since the order was routed, and a cheaper assignment was found.
const TriggerReevaluate = "reevaluate"

// DefaultReevaluateMinSaving is the saving, in major units of an order's
// currency, that a re-evaluation must beat to move an order.
const DefaultReevaluateMinSaving = "1.00"

// reevaluateBatch is how many orders the pass reads per page.
const reevaluateBatch = 100

// errReevalMoved says the order changed between the plan and its write (a
// fulfillment was accepted, cancelled or rejected, a line was cancelled, a
// hold was put on): the re-evaluation leaves it as it is.
var errReevalMoved = errors.New("the order changed under the re-evaluation")

// ReevaluateOptions tunes a re-evaluation pass.
type ReevaluateOptions struct {
	// MinSaving is what a move must save, strictly more, in major units of
	// each order's currency ("1.00"); "" is DefaultReevaluateMinSaving.
	MinSaving string
	// Batch is how many orders are read per page (0: 100).
	Batch int
	// Limit stops the pass after that many orders (0: all of them).
	Limit int
}

// ReevaluateReport is what a re-evaluation pass did.
type ReevaluateReport struct {
	Considered int              // orders with fulfillments not yet accepted, looked at
	Moved      int              // orders given a cheaper assignment
	Skipped    int              // orders a concurrent change won (accepted, stock taken, held)
	Saved      map[string]int64 // what the moves save, in minor units by currency code
	Orders     []string         // the numbers of the orders moved
}

// Summary says what the pass did in a sentence:
// "Re-evaluated 12 orders: 3 moved, saving EUR 18.20; 1 skipped."
func (r ReevaluateReport) Summary() string {
	saved := "saving nothing"
	if len(r.Saved) > 0 {
		codes := make([]string, 0, len(r.Saved))
		for c := range r.Saved {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		var parts []string
		for _, c := range codes {
			parts = append(parts, moneyWords(r.Saved[c], c))
		}
		saved = "saving " + strings.Join(parts, ", ")
	}
	return fmt.Sprintf("Re-evaluated %d order%s: %d moved, %s; %d skipped.", r.Considered, Plural(r.Considered), r.Moved, saved, r.Skipped)
}

// moneyWords writes minor units of a currency as the timeline does: "EUR 6.40".
func moneyWords(minor int64, code string) string {
	cur, ok := money.LookupCurrency(code)
	if !ok {
		cur = money.Currency{Code: code, Exponent: 2}
	}
	return cur.Code + " " + money.Format(minor, cur)
}

// MinSaving is a re-evaluation's threshold, read once from its text.
type MinSaving struct {
	micro int64 // millionths of a major unit
}

// ParseMinSaving reads a threshold such as "1.00" ("" is the default).
func ParseMinSaving(s string) (MinSaving, error) {
	if s == "" {
		s = DefaultReevaluateMinSaving
	}
	v, err := money.Parse(s, money.Currency{Code: "XXX", Exponent: 6})
	if err != nil {
		return MinSaving{}, InvalidField("min_saving", "must be an amount such as 1.00")
	}
	return MinSaving{micro: v}, nil
}

// minor is the threshold in minor units of cur, rounded up.
func (m MinSaving) minor(cur money.Currency) int64 {
	div := int64(1)
	for range max(6-cur.Exponent, 0) {
		div *= 10
	}
	q := m.micro / div
	if m.micro%div != 0 {
		q++ // rounded up, without overflowing near the largest amount
	}
	return q
}

// Reevaluate reconsiders, order by order, the fulfillments no location has
// accepted yet: where the stock moved since (cancellations, receipts,
// returns) and a fresh decision, counting the order's own reservations as
// available, costs less by more than the threshold, the order is moved in one
// short write transaction that gives back the old reservations and reserves
// the new ones with the same conditional reservations as intake. An order a
// concurrent change won is left as it is and counted as skipped.
func (a *App) Reevaluate(ctx context.Context, actor Actor, opts ReevaluateOptions) (ReevaluateReport, error) {
	rep := ReevaluateReport{Saved: map[string]int64{}}
	if err := actor.Require(RoleAdmin, RoleOps); err != nil {
		return rep, err
	}
	threshold, err := ParseMinSaving(opts.MinSaving)
	if err != nil {
		return rep, err
	}
	batch := opts.Batch
	if batch <= 0 {
		batch = reevaluateBatch
	}
	for after := int64(0); ; {
		ids, err := a.Read().OrdersToReevaluate(ctx, store.OrdersToReevaluateParams{After: after, Lim: int64(batch)})
		if err != nil {
			return rep, fmt.Errorf("orders to re-evaluate: %w", err)
		}
		for _, id := range ids {
			if opts.Limit > 0 && rep.Considered >= opts.Limit {
				return rep, nil
			}
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			after = id
			rep.Considered++
			if err := a.reevaluateOrder(ctx, actor, id, threshold, &rep); err != nil {
				if ctx.Err() != nil {
					return rep, err
				}
				// One order that fails (a bad stored row, say) does not stop the
				// pass: it is logged and counted as skipped.
				a.Log().Warn("re-evaluation failed for an order", "order_id", id, "err", err)
				rep.Skipped++
			}
		}
		if len(ids) < batch {
			return rep, nil
		}
	}
}

// reevaluateOrder plans one order's re-evaluation on a snapshot and, when it
// is better, writes it, counting the outcome in rep.
func (a *App) reevaluateOrder(ctx context.Context, actor Actor, orderID int64, threshold MinSaving, rep *ReevaluateReport) error {
	r, err := a.planReevaluation(ctx, orderID, threshold)
	if err != nil || r == nil {
		return err
	}
	err = a.Write(ctx, func(tx Tx) error { return applyReevaluation(ctx, tx, actor, r) })
	if errors.Is(err, errStalePlan) || errors.Is(err, errReevalMoved) {
		rep.Skipped++
		return nil
	}
	if err != nil {
		return fmt.Errorf("re-evaluate %s: %w", r.number, err)
	}
	rep.Moved++
	rep.Saved[r.cur.Code] += r.rec.Saving
	rep.Orders = append(rep.Orders, r.number)
	return nil
}

// reevaluation is a better assignment found for an order on a snapshot.
type reevaluation struct {
	orderID int64
	number  string
	cur     money.Currency
	pending []Fulfillment // the fulfillments it replaces, as planned
	kept    []string      // the locations that accepted their part, which stays
	network int64         // the network's version the plan read (locations, rules, rates)
	plan    *routePlan
	rec     routing.Reconsideration
	why     string // what moved the stock, in words
}

// planReevaluation reconsiders one order on a snapshot; nil when it has
// nothing to reconsider or nothing better.
func (a *App) planReevaluation(ctx context.Context, orderID int64, threshold MinSaving) (*reevaluation, error) {
	select { // one of the planning slots, as intake's plans (see planningSlots)
	case a.planSlots <- struct{}{}:
		defer func() { <-a.planSlots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var r *reevaluation
	err := a.db.Snapshot(ctx, func(q *store.Queries) error {
		tx := Tx{Q: q, Now: a.Now(), cache: a.cache}
		var err error
		if r, err = reconsiderOrder(ctx, tx, orderID, threshold); err != nil || r == nil {
			return err
		}
		r.why, err = stockMovedWords(ctx, q, r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("re-evaluate order %d: %w", orderID, err)
	}
	return r, nil
}

// reconsiderOrder builds the order's routing input for what its pending
// fulfillments hold, with their reservations counted as available, and asks
// the engine whether a fresh decision saves more than the threshold. Orders
// with units still waiting for stock are left to the restock routing.
func reconsiderOrder(ctx context.Context, tx Tx, orderID int64, threshold MinSaving) (*reevaluation, error) {
	o, err := tx.Q.GetOrder(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("get order: %w", err)
	}
	if !reevaluable(o) {
		return nil, nil
	}
	if manual, err := placedByHand(ctx, tx, orderID); err != nil || manual {
		return nil, err // a person or an automation rule placed it last: re-evaluation does not undo that
	}
	if split, err := tx.Q.OrderHasOpenKitSplit(ctx, orderID); err != nil || split {
		return nil, err // a kit split over locations stays as it is (kit_split.go)
	}
	lines, err := tx.Q.ListOrderLines(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("order lines: %w", err)
	}
	ch, err := tx.Q.GetChannel(ctx, o.ChannelID)
	if err != nil {
		return nil, fmt.Errorf("order channel: %w", err)
	}
	fs, err := OrderFulfillments(ctx, tx.Q, orderID)
	if err != nil {
		return nil, err
	}
	pending, kept, exclude := splitFulfillments(fs)
	facts, err := orderRouteFacts(ctx, tx, o, lines, ch)
	if err != nil || len(pending) == 0 || len(facts.lines) != len(lines) {
		return nil, err
	}
	byLine, held := pendingHolds(fs)
	for i := range facts.lines {
		if facts.lines[i].quantity != 0 {
			return nil, nil // units wait for stock or are not routed: the restock routing decides them
		}
		facts.lines[i].quantity = byLine[facts.lines[i].no]
	}
	view, err := tx.network(ctx)
	if err != nil {
		return nil, err
	}
	p, err := readRouteInput(ctx, view, facts, tx.Now, exclude)
	if err != nil {
		return nil, err
	}
	countHeldAsAvailable(p.in.Candidates, held)
	p.countHeldKits(held)
	rec := routing.Reconsider(p.in, shipmentsOf(pending), threshold.minor(facts.cur))
	if !rec.Better || beyondMaxShipments(p.in.Rules, rec.Decision, len(kept), len(pending)) {
		return nil, nil
	}
	p.d = rec.Decision
	p.explainKits()
	if err := p.encode(); err != nil {
		return nil, err
	}
	return &reevaluation{orderID: o.ID, number: o.Number, cur: facts.cur, pending: pending, kept: kept, network: view.version, plan: p, rec: rec}, nil
}

// placedByHand says whether the order's latest routing decision was a
// person's (a move or a reroute from the order page) or an automation rule's
// reroute (which may force a routing rule the cheapest plan would not use).
func placedByHand(ctx context.Context, tx Tx, orderID int64) (bool, error) {
	trigger, err := tx.Q.LatestDecisionTrigger(ctx, orderID)
	if store.IsNoRows(err) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("latest decision: %w", err)
	}
	return trigger == TriggerManual || trigger == TriggerAutomation, nil
}

// beyondMaxShipments says whether a fresh decision for the pending part of
// an order, beside the kept locations that accepted theirs, would send the
// order in more shipments than its rule allows and than it has now: the
// engine counts only the pending part against max_shipments.
func beyondMaxShipments(rules routing.RuleSet, d routing.Decision, kept, pending int) bool {
	rule := routing.DefaultRule()
	if d.RuleIndex >= 0 && d.RuleIndex < len(rules.Rules) {
		rule = rules.Rules[d.RuleIndex]
	}
	limit := 1
	if rule.Split.Allow {
		limit = max(rule.Split.MaxShipments, 1)
	}
	return kept+len(d.Shipments) > limit && len(d.Shipments) > pending
}

// reevaluable says whether an order may be routed again by a re-evaluation:
// neither held nor cancelled, in a status that routing may change, and
// shipped (a pickup's location is the customer's choice, not a cost).
func reevaluable(o store.Order) bool {
	return o.OnHold == 0 && o.Cancelled == 0 && o.Delivery != routing.DeliveryPickup && CanMove(Status(o.Status), MoveRoute)
}

// splitFulfillments sorts an order's fulfillments: the pending ones with
// something open (to reconsider), the names of the locations that accepted
// their part (kept), and the locations that rejected a part (not to be
// offered it again).
func splitFulfillments(fs []Fulfillment) (pending []Fulfillment, kept []string, rejected map[string]bool) {
	rejected = map[string]bool{}
	for _, f := range fs {
		switch f.Status {
		case FulfillmentPending:
			if openUnits(f) > 0 {
				pending = append(pending, f)
			}
		case FulfillmentAccepted:
			kept = append(kept, f.LocationName)
		case FulfillmentRejected:
			rejected[f.Location] = true
		}
	}
	return pending, uniqueStrings(kept), rejected
}

// openUnits counts what a fulfillment still has to ship.
func openUnits(f Fulfillment) int64 {
	var n int64
	for _, l := range f.Lines {
		n += l.Open()
	}
	return n
}

// shipmentsOf is the fulfillments as the engine's shipments, to price them.
func shipmentsOf(fs []Fulfillment) []routing.Shipment {
	out := make([]routing.Shipment, 0, len(fs))
	for _, f := range fs {
		s := routing.Shipment{Location: f.Location, LocationName: f.LocationName}
		for _, l := range f.Lines {
			if l.Open() > 0 {
				s.Lines = append(s.Lines, routing.Allocation{LineID: l.LineNo, SKU: l.SKU, Quantity: l.Open()})
			}
		}
		out = append(out, s)
	}
	return out
}

// applyReevaluation writes a planned re-evaluation in one transaction, only
// while the order is as planned: its pending fulfillments are cancelled
// (each on the condition that no location accepted it meanwhile) and their
// reservations given back, the timeline says why, and the new decision is
// written with intake's conditional reservations (errStalePlan when the
// stock it counted on was taken meanwhile: the whole transaction is undone).
func applyReevaluation(ctx context.Context, tx Tx, actor Actor, r *reevaluation) error {
	tx, err := tx.withNetwork(ctx) // each reservation asks who is told of it
	if err != nil {
		return err
	}
	o, err := tx.Q.GetOrder(ctx, r.orderID)
	if err != nil {
		return fmt.Errorf("get order: %w", err)
	}
	if err := stillAsPlanned(ctx, tx, o, r); err != nil {
		return err
	}
	for _, f := range r.pending {
		n, err := tx.Q.CancelPendingFulfillment(ctx, store.CancelPendingFulfillmentParams{UpdatedAt: Millis(tx.Now), ID: f.ID})
		if err != nil {
			return fmt.Errorf("cancel fulfillment %d: %w", f.ID, err)
		}
		if n == 0 {
			return errReevalMoved
		}
		if err := releaseFulfillment(ctx, tx, f.ID, o.Number); err != nil {
			return err
		}
	}
	if err := AppendEvent(ctx, tx, o.ID, actor, reevaluatedEvent(r)); err != nil {
		return err
	}
	lines, err := tx.Q.ListOrderLines(ctx, o.ID)
	if err != nil {
		return fmt.Errorf("order lines: %w", err)
	}
	return applyRoute(ctx, tx, o, lines, r.plan, TriggerReevaluate, actor, false)
}

// stillAsPlanned refuses (errReevalMoved) an order that changed since the
// plan: held, cancelled, a line cancelled or waiting, or other pending
// fulfillments than the plan replaces; or a network that changed (a
// location, rule or rate the plan counted on).
func stillAsPlanned(ctx context.Context, tx Tx, o store.Order, r *reevaluation) error {
	if !reevaluable(o) || tx.net == nil || tx.net.version != r.network {
		return errReevalMoved
	}
	fs, err := OrderFulfillments(ctx, tx.Q, o.ID)
	if err != nil {
		return err
	}
	pending, _, _ := splitFulfillments(fs)
	if !slices.EqualFunc(pending, r.pending, sameOpenLines) {
		return errReevalMoved
	}
	lines, err := tx.Q.ListOrderLines(ctx, o.ID)
	if err != nil {
		return fmt.Errorf("order lines: %w", err)
	}
	for _, l := range lines {
		if l.Quantity-l.Shipped-l.Cancelled-l.Reserved != 0 {
			return errReevalMoved
		}
	}
	return nil
}

// sameOpenLines says two readings of a fulfillment hold the same open units.
func sameOpenLines(a, b Fulfillment) bool {
	return a.ID == b.ID && a.Location == b.Location && slices.EqualFunc(a.Lines, b.Lines, func(x, y FulfillmentLine) bool {
		return x.LineNo == y.LineNo && x.Open() == y.Open()
	})
}

// RunReevaluate runs a re-evaluation pass now and then every interval until
// ctx ends, as the system (serve's --reevaluate-every), logging how many
// orders each pass moved.
func (a *App) RunReevaluate(ctx context.Context, every time.Duration, opts ReevaluateOptions) {
	a.RunEvery(ctx, every, "re-evaluate open assignments", func(ctx context.Context) (int64, error) {
		rep, err := a.Reevaluate(ctx, System, opts)
		return int64(rep.Moved), err
	})
}
