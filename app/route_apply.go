package app

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"switchyard/app/metrics"
	"switchyard/app/routing"
	store "switchyard/sql"
)

// routeInTx routes what is left to route of an order, inside tx, on what the
// transaction sees, so the reservations below never oversell.
func routeInTx(ctx context.Context, tx Tx, orderID int64, trigger string, actor Actor, exclude map[string]bool) error {
	o, lines, ch, err := loadForRoute(ctx, tx, orderID)
	if err != nil {
		return err
	}
	return routeLoaded(ctx, tx, o, lines, ch, trigger, actor, exclude, false)
}

// loadForRoute reads, in tx, an order with its lines and channel: what routing it again starts from.
func loadForRoute(ctx context.Context, tx Tx, orderID int64) (store.Order, []store.OrderLine, store.Channel, error) {
	o, err := tx.Q.GetOrder(ctx, orderID)
	if err != nil {
		return o, nil, store.Channel{}, fmt.Errorf("get order: %w", err)
	}
	lines, err := tx.Q.ListOrderLines(ctx, orderID)
	if err != nil {
		return o, nil, store.Channel{}, fmt.Errorf("order lines: %w", err)
	}
	ch, err := tx.Q.GetChannel(ctx, o.ChannelID)
	if err != nil {
		return o, nil, ch, fmt.Errorf("order channel: %w", err)
	}
	return o, lines, ch, nil
}

// forceRequest asks a route to use one routing rule by name, and says on the
// timeline why (both empty: the rules' own conditions choose).
type forceRequest struct {
	rule string // the routing rule to force
	note string // the sentence opening the decision's timeline entry
}

// routeForced is routeInTx with a routing rule forced (see forceRequest).
func routeForced(ctx context.Context, tx Tx, orderID int64, trigger string, actor Actor, force forceRequest) error {
	o, lines, ch, err := loadForRoute(ctx, tx, orderID)
	if err != nil {
		return err
	}
	facts, err := orderRouteFacts(ctx, tx, o, lines, ch)
	if err != nil {
		return err
	}
	facts.forceRule = force.rule
	return routeWithFacts(ctx, tx, o, lines, facts, trigger, actor, nil, false, force.note)
}

// routeLoaded is routeInTx on an order already read (or just written: fresh,
// with no fulfillments yet, so its status follows from the decision alone).
func routeLoaded(ctx context.Context, tx Tx, o store.Order, lines []store.OrderLine, ch store.Channel,
	trigger string, actor Actor, exclude map[string]bool, fresh bool) error {
	facts, err := orderRouteFacts(ctx, tx, o, lines, ch)
	if err != nil {
		return err
	}
	return routeWithFacts(ctx, tx, o, lines, facts, trigger, actor, exclude, fresh, "")
}

// routeWithFacts routes an order whose routing facts are read; note, when
// set, opens the decision's timeline entry.
func routeWithFacts(ctx context.Context, tx Tx, o store.Order, lines []store.OrderLine, facts routeFacts,
	trigger string, actor Actor, exclude map[string]bool, fresh bool, note string) error {
	if len(routeOrder(facts).Lines) == 0 {
		return nil // nothing left to route
	}
	view, err := tx.network(ctx)
	if err != nil {
		return err
	}
	plan, err := planRoute(ctx, view, facts, tx.Now, exclude)
	if err != nil {
		return err
	}
	plan.note = note
	return applyRoute(ctx, tx, o, lines, plan, trigger, actor, fresh)
}

// orderRouteFacts reads what routing needs of an order; each line routes what
// is neither shipped, cancelled nor reserved (backorders are decided again).
func orderRouteFacts(ctx context.Context, tx Tx, o store.Order, lines []store.OrderLine, ch store.Channel) (routeFacts, error) {
	f := routeFacts{
		channel: ch.Code, channelName: ch.Name, country: o.ShipCountry, region: o.ShipRegion, postal: o.ShipPostalCode,
		tags: SplitTags(o.Tags), value: o.Subtotal, cur: orderFromRow(o).Currency, delivery: o.Delivery,
	}
	if o.ShipLat.Valid && o.ShipLon.Valid {
		lat, lon := o.ShipLat.Float64, o.ShipLon.Float64
		f.lat, f.lon = &lat, &lon
	}
	if o.PickupLocationID.Valid {
		loc, err := tx.Q.GetLocation(ctx, o.PickupLocationID.Int64)
		if err != nil {
			return routeFacts{}, fmt.Errorf("pickup location: %w", err)
		}
		f.pickup = loc.Code
	}
	broken, err := brokenSplitKits(ctx, tx, o.ID)
	if err != nil {
		return routeFacts{}, err
	}
	for _, l := range lines {
		if !l.SkuID.Valid {
			continue // an unknown SKU cannot be routed; the order is held for it
		}
		open := l.Quantity - l.Shipped - l.Cancelled - l.Reserved
		f.lines = append(f.lines, routeLine{no: l.LineNo, sku: l.Sku, quantity: max(0, open-broken[l.ID])})
	}
	return f, nil
}

// brokenSplitKits is, by order line id, the kits of a split some of whose
// parts shipped while the rest was given back: they never route again (a
// whole kit would send the shipped parts twice); a person cancels them or
// sends the rest (kit_split_moves.go says so on the timeline).
func brokenSplitKits(ctx context.Context, tx Tx, orderID int64) (map[int64]int64, error) {
	rows, err := tx.Q.BrokenSplitKits(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("broken kit splits: %w", err)
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.OrderLineID] = r.Kits
	}
	return out, nil
}

// encode writes the plan's input and decision as JSON, once: a plan decided
// before its transaction arrives with them encoded, which keeps the writer quick.
// The decision goes without its candidates' reports, which would double its
// size and follow from the input (see withCandidates), and the input without
// the rules, named by their version.
func (p *routePlan) encode() error {
	if p.inJSON != "" && p.dJSON != "" {
		return nil
	}
	// Published rules never change: their version names them, and the
	// locations' lasting facts are named by their hash (see encodeInput).
	// (json v2 is the quicker encoder; the JSON reads back the same.)
	in, err := encodeInput(p.in, p.sites)
	if err != nil {
		return err
	}
	stored := p.d
	stored.Candidates = nil // they follow from the input: see withCandidates
	d, err := jsonv2.Marshal(stored)
	if err != nil {
		return fmt.Errorf("routing decision: %w", err)
	}
	p.inJSON, p.dJSON = string(in), string(d)
	return nil
}

// applyRoute writes a decision (see writeDecision), then the order's
// promise, its hold when the decision holds it, and its status.
func applyRoute(ctx context.Context, tx Tx, o store.Order, lines []store.OrderLine, p *routePlan, trigger string, actor Actor, fresh bool) error {
	if _, err := writeDecision(ctx, tx, o, lines, p, trigger, actor, linesToRoute); err != nil {
		return err
	}
	d := p.d
	if err := notePromise(ctx, tx, o, d); err != nil {
		return err
	}
	if d.Hold && o.OnHold == 0 {
		if err := setFlags(ctx, tx, o, 1, HoldStockReview, o.Cancelled); err != nil {
			return err
		}
		o.OnHold, o.HoldReason = 1, HoldStockReview
	}
	if fresh {
		if err := storeStatus(ctx, tx, o, freshFacts(o, lines, d)); err != nil {
			return err
		}
	} else if err := refreshStatus(ctx, tx, o.ID); err != nil {
		return err
	}
	if trigger == TriggerIntake {
		return nil // intake runs the rules once the order is in (automateIntake)
	}
	_, err := automateAll(ctx, tx, o.ID, decisionTriggers(d)...)
	return err
}

// written is what writeDecision stored: the decision's id, the
// fulfillments' ids (one per shipment of the decision, in its order) and the
// timeline entry.
type written struct {
	decisionID   int64
	fulfillments []int64
	event        store.OrderEvent
}

// Whether writeDecision must add what it reserves and backorders to the
// order's lines, or the lines were written with it (a new order's).
const (
	linesToRoute = false
	linesRouted  = true
)

// writeDecision writes a decision's own rows: the decision itself, a
// fulfillment per shipment with its stock reserved, the backorders (on the
// lines, unless routed says they carry them already) and the timeline entry.
// A reservation or daily count that no longer holds fails with errStalePlan.
func writeDecision(ctx context.Context, tx Tx, o store.Order, lines []store.OrderLine, p *routePlan, trigger string, actor Actor,
	routed bool) (written, error) {
	d := p.d
	decisionID, err := storeDecision(ctx, tx, o.ID, p, trigger)
	if err != nil {
		return written{}, err
	}
	w := written{decisionID: decisionID, fulfillments: make([]int64, 0, len(d.Shipments))}
	lineByNo := make(map[int64]store.OrderLine, len(lines))
	for _, l := range lines {
		lineByNo[l.LineNo] = l
	}
	if !routed {
		if err := clearBackorders(ctx, tx, lines); err != nil {
			return written{}, err
		}
	}
	filters := ruleFilters(p.in.Rules, d.RuleIndex)
	for _, s := range d.Shipments {
		fid, err := createFulfillment(ctx, tx, o, s, p, lineByNo, decisionID, filters, routed)
		if err != nil {
			return written{}, err
		}
		w.fulfillments = append(w.fulfillments, fid)
	}
	if err := reserveSplitKits(ctx, tx, d, lineByNo, routed); err != nil {
		return written{}, err
	}
	for _, b := range d.Backorders {
		if routed {
			break
		}
		locID := sql.NullInt64{Int64: p.locIDs[b.Location], Valid: b.Location != ""}
		if err := tx.Q.AddLineRouting(ctx, store.AddLineRoutingParams{Backordered: b.Quantity, BackorderLocationID: locID, ID: lineByNo[b.LineID].ID}); err != nil {
			return written{}, fmt.Errorf("backorder line %d: %w", b.LineID, err)
		}
	}
	if w.event, err = writeEvent(ctx, tx, o.ID, actor, routedEvent(d, trigger, decisionID, p.note)); err != nil {
		return written{}, err
	}
	return w, nil
}

// freshFacts are the status facts of a new order right after its first
// decision: what it reserved and backordered, in pending fulfillments only.
func freshFacts(o store.Order, lines []store.OrderLine, d routing.Decision) orderFacts {
	reserved, backordered := map[int64]int64{}, map[int64]int64{}
	facts := orderFacts{cancelled: o.Cancelled == 1, onHold: o.OnHold == 1}
	for range d.Shipments {
		facts.fulfillments = append(facts.fulfillments, FulfillmentPending)
	}
	maps.Copy(reserved, ReservedByLine(d))
	for _, b := range d.Backorders {
		backordered[b.LineID] += b.Quantity
	}
	for _, l := range lines {
		facts.lines = append(facts.lines, lineFacts{quantity: l.Quantity, reserved: reserved[l.LineNo], backordered: backordered[l.LineNo]})
	}
	return facts
}

// HoldStockReview is the hold reason routing gives when it cannot place the stock.
const HoldStockReview = "stock_review"

// storeDecision records a decision with its input, for explaining and replaying it.
func storeDecision(ctx context.Context, tx Tx, orderID int64, p *routePlan, trigger string) (int64, error) {
	if err := p.encode(); err != nil {
		return 0, err
	}
	if err := tx.Q.RecordRoutingSites(ctx, store.RecordRoutingSitesParams{Hash: p.sites.hash, Facts: p.sites.facts}); err != nil {
		return 0, fmt.Errorf("store location facts: %w", err)
	}
	id, err := tx.Q.InsertDecision(ctx, store.InsertDecisionParams{
		OrderID: orderID, At: Millis(tx.Now), Trigger: trigger, RuleVersion: int64(p.d.RuleVersion), RuleName: p.d.Rule,
		Input: p.inJSON, Decision: p.dJSON, Explanation: p.d.Explanation,
	})
	if err != nil {
		return 0, fmt.Errorf("store decision: %w", err)
	}
	rule, outcome := p.d.Rule, decisionOutcome(p.d)
	tx.OnCommit(func(m *metrics.Metrics) {
		m.Decision(rule, outcome)
		if trigger != TriggerIntake {
			m.Reroute(trigger)
		}
	})
	return id, nil
}

// decisionOutcome names a decision for the metrics: held, routed (one
// location), split (several), or partial (some units backordered).
func decisionOutcome(d routing.Decision) string {
	switch {
	case d.Hold:
		return "held"
	case len(d.Backorders) > 0:
		return "partial"
	case len(d.Shipments) > 1:
		return "split"
	default:
		return "routed"
	}
}

// clearBackorders forgets earlier backorders: the new decision places them again.
func clearBackorders(ctx context.Context, tx Tx, lines []store.OrderLine) error {
	for _, l := range lines {
		if l.Backordered > 0 {
			if err := tx.Q.AddLineRouting(ctx, store.AddLineRoutingParams{Backordered: -l.Backordered, ID: l.ID}); err != nil {
				return fmt.Errorf("clear backorder of line %d: %w", l.LineNo, err)
			}
		}
	}
	return nil
}

// createFulfillment creates the fulfillment of one shipment, reserves its
// stock (and on the order's lines, unless routed) and returns its id.
func createFulfillment(ctx context.Context, tx Tx, o store.Order, s routing.Shipment, p *routePlan, lineByNo map[int64]store.OrderLine,
	decisionID int64, filters routing.Filters, routed bool) (int64, error) {
	locID := p.locIDs[s.Location]
	if err := countForToday(ctx, tx, locID, p.dayOf[s.Location], p.capOf[s.Location], filters.RespectCapacity); err != nil {
		return 0, err
	}
	fid, err := tx.Q.InsertFulfillment(ctx, store.InsertFulfillmentParams{
		OrderID: o.ID, LocationID: locID, DecisionID: sql.NullInt64{Int64: decisionID, Valid: true},
		PromisedShipBy: NullTime(s.ShipBy), PromisedDeliveryBy: NullTime(s.DeliverBy), CreatedAt: Millis(tx.Now), UpdatedAt: Millis(tx.Now),
	})
	if err != nil {
		return 0, fmt.Errorf("create fulfillment: %w", err)
	}
	for _, a := range s.Lines {
		line := lineByNo[a.LineID]
		parts := p.kitPartsFor(a.SKU)
		if a.Parts != nil {
			parts = p.splitPartsFor(a) // part of a kit split over locations (kit_split.go)
		}
		err := reserveFulfillmentLine(ctx, tx, fid, locID, line, a.Quantity, parts, partOf(a, decisionID), filters.RespectSafetyStock, o.Number)
		if err != nil {
			return 0, fmt.Errorf("at %s: %w", s.Location, err)
		}
		if routed || a.Parts != nil { // a split kit's lines reserve the order line once (writeDecision)
			continue
		}
		if err := tx.Q.AddLineRouting(ctx, store.AddLineRoutingParams{Reserved: a.Quantity, ID: line.ID}); err != nil {
			return 0, fmt.Errorf("reserve line %d: %w", a.LineID, err)
		}
	}
	return fid, nil
}

// countForToday counts a new fulfillment against the location's day, refusing
// to go over its capacity when the rule respects capacity.
func countForToday(ctx context.Context, tx Tx, locID int64, day string, capacity int64, respect bool) error {
	limit := int64(0)
	if respect {
		limit = capacity
	}
	n, err := tx.Q.BumpLocationDay(ctx, store.BumpLocationDayParams{LocationID: locID, Day: day, Cap: limit})
	if err != nil {
		return fmt.Errorf("count day: %w", err)
	}
	if n == 1 {
		return nil
	}
	n, err = tx.Q.StartLocationDay(ctx, store.StartLocationDayParams{LocationID: locID, Day: day})
	if err != nil {
		return fmt.Errorf("count day: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("location %d is over today's capacity: %w", locID, errStalePlan)
	}
	return nil
}

// ruleFilters are the filters of the rule that decided (the default rule's for -1).
func ruleFilters(rs routing.RuleSet, index int) routing.Filters {
	if index >= 0 && index < len(rs.Rules) {
		return rs.Rules[index].Filters
	}
	return routing.DefaultRule().Filters
}

// notePromise stores the order's promise when the decision makes one.
func notePromise(ctx context.Context, tx Tx, o store.Order, d routing.Decision) error {
	if d.PromiseShipBy.IsZero() {
		return nil
	}
	err := tx.Q.SetOrderPromise(ctx, store.SetOrderPromiseParams{
		PromisedShipBy: NullTime(d.PromiseShipBy), PromisedDeliveryBy: NullTime(d.PromiseDeliverBy), UpdatedAt: Millis(tx.Now), ID: o.ID,
	})
	if err != nil {
		return fmt.Errorf("store promise: %w", err)
	}
	return nil
}

// routedEvent is the timeline entry of a decision, opened by note when set.
func routedEvent(d routing.Decision, trigger string, decisionID int64, note string) NewEvent {
	kind := "routed"
	if trigger != TriggerIntake {
		kind = "rerouted"
	}
	if d.Hold {
		kind = "routing_held"
	}
	msg := d.Explanation
	if note != "" {
		msg = note + " " + msg
	}
	return NewEvent{Kind: kind, Message: msg,
		Data: map[string]any{"decision": decisionID, "rule": d.Rule, "rule_version": d.RuleVersion, "trigger": trigger}}
}

// NullTime stores an optional instant as Unix ms.
func NullTime(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: Millis(t), Valid: true}
}
