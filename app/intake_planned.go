package app

import (
	"context"
	"errors"

	store "switchyard/sql"
)

// errStalePlan says that the stock or daily capacity a decision was made on
// changed before it was written: a conditional reservation or daily count
// refused it. The decision is made again on what the transaction sees.
var errStalePlan = errors.New("the stock or capacity changed under the decision")

// Placed is what placeOrder did: the order's id, whether it is new, and the
// order as written when it was routed as planned (nil: read it back), whose
// timeline entries are turned into Events after the transaction.
type Placed struct {
	ID      int64
	Created bool
	order   *Order
	events  []store.OrderEvent
	Row     store.Order // the order row as the transaction left it (new orders only)
}

// result is the order placed, complete with its timeline.
func (p *Placed) result() Order {
	o := *p.order
	o.Events = make([]Event, len(p.events))
	for i, e := range p.events {
		o.Events[i] = eventFromRow(e)
	}
	return o
}

// placePlanned writes a new order together with the decision made for it
// before the transaction: the order row already carries the status, hold and
// promise the decision gives it, so nothing is written twice. The
// conditional reservations and daily counts are the check that the stock and
// capacity the decision saw still hold; when one refuses, placePlanned fails
// with errStalePlan and the caller's transaction must be rolled back.
func placePlanned(ctx context.Context, tx Tx, actor Actor, in NewOrder, v ValidOrder, r ResolvedOrder, plan *routePlan) (*Placed, error) {
	tx, err := tx.withNetwork(ctx) // each reservation asks who is told of it
	if err != nil {
		return nil, err
	}
	o, lines, err := insertOrder(ctx, tx, in, v, r, &plan.d, plan.locIDs)
	if err != nil {
		return nil, err
	}
	received, err := writeEvent(ctx, tx, o.ID, actor, receivedEvent(in, v, r))
	if err != nil {
		return nil, err
	}
	events := []store.OrderEvent{received}
	for _, ev := range intakeTextEvents(in) {
		written, err := writeEvent(ctx, tx, o.ID, System, ev)
		if err != nil {
			return nil, err
		}
		events = append(events, written)
	}
	w, err := writeDecision(ctx, tx, o, lines, plan, TriggerIntake, System, linesRouted)
	if err != nil {
		return nil, err
	}
	order := plannedOrder(tx, o, lines, r.channel, plan, w)
	return &Placed{ID: o.ID, order: &order, events: append(events, w.event), Row: o}, nil
}

// plannedOrder is the order placePlanned wrote, as orderByID would read it
// back right after the commit (the timeline is added by placed.result).
func plannedOrder(tx Tx, row store.Order, lines []store.OrderLine, ch store.Channel, plan *routePlan, w written) Order {
	d := plan.d
	o := orderFromRow(row)
	o.Channel, o.ChannelName, o.ChannelKind = ch.Code, ch.Name, ch.Kind
	o.Shipments = []Shipment{}
	o.Delivery.Location = plan.in.Order.PickupLocation
	byNo := make(map[int64]*OrderLine, len(lines))
	o.Lines = make([]OrderLine, len(lines))
	for i, l := range lines {
		o.Lines[i] = lineFromRow(l) // reserved and backordered as written
		byNo[l.LineNo] = &o.Lines[i]
	}
	names := make(map[string]string, len(plan.in.Candidates))
	for _, c := range plan.in.Candidates {
		names[c.Code] = c.Name
	}
	o.Fulfillments = make([]Fulfillment, 0, len(d.Shipments))
	for i, s := range d.Shipments {
		f := Fulfillment{ID: w.fulfillments[i], Location: s.Location, LocationName: names[s.Location], Status: FulfillmentPending,
			PromisedShipBy: OptTime(NullTime(s.ShipBy)), PromisedBy: OptTime(NullTime(s.DeliverBy)), CreatedAt: FromMillis(Millis(tx.Now))}
		for _, a := range s.Lines {
			f.Lines = append(f.Lines, FulfillmentLine{LineNo: a.LineID, SKU: a.SKU, Quantity: a.Quantity, Parts: plan.lineParts(a)})
		}
		o.Fulfillments = append(o.Fulfillments, f)
	}
	for _, b := range d.Backorders {
		if l := byNo[b.LineID]; b.Location != "" && l.Backordered > 0 {
			l.BackorderedAt = b.Location
		}
	}
	o.Routing = &RoutingSummary{DecisionID: w.decisionID, At: FromMillis(Millis(tx.Now)), Trigger: TriggerIntake, Rule: d.Rule,
		RuleVersion: int64(d.RuleVersion), Explanation: d.Explanation, Cost: shownCost(d.Cost, len(d.Shipments))}
	return o
}
