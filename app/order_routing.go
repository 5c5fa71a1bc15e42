package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"switchyard/app/routing"
	store "switchyard/sql"
)

// Fulfillment is the part of an order one location ships.
type Fulfillment struct {
	ID             int64
	Location       string
	LocationName   string
	Status         FulfillmentStatus
	Lines          []FulfillmentLine
	PromisedShipBy *time.Time
	PromisedBy     *time.Time
	RejectReason   string
	RejectNote     string
	CreatedAt      time.Time
}

// FulfillmentLine is what a fulfillment ships of one order line.
type FulfillmentLine struct {
	LineNo   int64
	SKU      string
	Quantity int64
	Shipped  int64
	Released int64 // given back: rejected, cancelled or routed elsewhere
	// Parts are a kit line's parts as reserved (kit_lines.go); nil for a plain SKU.
	Parts []LinePart
}

// Open is what is still to ship of the line.
func (l FulfillmentLine) Open() int64 { return l.Quantity - l.Shipped - l.Released }

// RoutingSummary is the latest routing decision of an order, in short.
type RoutingSummary struct {
	DecisionID  int64
	At          time.Time
	Trigger     string
	Rule        string
	RuleVersion int64
	Explanation string
	// Cost is what the decision's shipments cost under the cost model; nil
	// for decisions recorded before it, and for those that ship nothing.
	Cost *routing.Cost
}

// StoredDecision is a routing decision as recorded, with what the engine saw.
type StoredDecision struct {
	ID       int64
	At       time.Time
	Trigger  string
	Decision routing.Decision
	Input    routing.Input
	// Recomputed says that the candidates' figures were worked out again
	// from the input (decisions are stored without them).
	Recomputed bool
}

// OrderFulfillments reads an order's fulfillments with their lines.
func OrderFulfillments(ctx context.Context, q *store.Queries, orderID int64) ([]Fulfillment, error) {
	rows, err := q.ListOrderFulfillments(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("order fulfillments: %w", err)
	}
	lines, err := q.ListOrderFulfillmentLines(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("order fulfillment lines: %w", err)
	}
	out := make([]Fulfillment, len(rows))
	for i, r := range rows {
		out[i] = Fulfillment{ID: r.ID, Location: r.Location, LocationName: r.LocationName, Status: FulfillmentStatus(r.Status),
			PromisedShipBy: OptTime(r.PromisedShipBy), PromisedBy: OptTime(r.PromisedDeliveryBy),
			RejectReason: r.RejectReason, RejectNote: r.RejectNote, CreatedAt: FromMillis(r.CreatedAt)}
		for _, l := range lines {
			if l.FulfillmentID == r.ID {
				out[i].Lines = append(out[i].Lines, FulfillmentLine{LineNo: l.LineNo, SKU: l.Sku, Quantity: l.Quantity, Shipped: l.Shipped, Released: l.Released})
			}
		}
	}
	return out, orderLineParts(ctx, q, orderID, out)
}

// latestRouting summarises an order's latest decision, or nil.
func latestRouting(ctx context.Context, q *store.Queries, orderID int64) (*RoutingSummary, error) {
	d, err := q.LatestDecision(ctx, orderID)
	if store.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("latest decision: %w", err)
	}
	return &RoutingSummary{DecisionID: d.ID, At: FromMillis(d.At), Trigger: d.Trigger, Rule: d.RuleName, RuleVersion: d.RuleVersion,
		Explanation: d.Explanation, Cost: decisionCost(d.Decision)}, nil
}

// decisionCost reads the cost of a stored decision; nil when it has none
// (recorded before the cost model) or ships nothing.
func decisionCost(raw string) *routing.Cost {
	var d struct {
		Shipments []json.RawMessage `json:"shipments"`
		Cost      *routing.Cost     `json:"cost"`
	}
	if err := json.Unmarshal([]byte(raw), &d); err != nil || d.Cost == nil {
		return nil
	}
	return shownCost(*d.Cost, len(d.Shipments))
}

// shownCost is a decision's cost as an order shows it: nil when it has none
// (no strategy: recorded before the cost model) or ships nothing.
func shownCost(c routing.Cost, shipments int) *routing.Cost {
	if c.Strategy == "" || shipments == 0 {
		return nil
	}
	return &c
}

// Decisions returns every routing decision of an order, oldest first, with
// the candidates and figures the engine saw.
func (a *App) Decisions(ctx context.Context, number string) ([]StoredDecision, error) {
	o, err := a.Read().GetOrderByNumber(ctx, number)
	if store.IsNoRows(err) {
		return nil, NotFound("no order %s", number)
	} else if err != nil {
		return nil, fmt.Errorf("get order: %w", err)
	}
	rows, err := a.Read().ListDecisions(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	out := make([]StoredDecision, len(rows))
	rules := map[int64]routing.RuleSet{}
	inputs := NewInputReader(a.Read())
	for i, r := range rows {
		out[i] = StoredDecision{ID: r.ID, At: FromMillis(r.At), Trigger: r.Trigger}
		if err := json.Unmarshal([]byte(r.Decision), &out[i].Decision); err != nil {
			return nil, fmt.Errorf("decision %d: %w", r.ID, err)
		}
		if out[i].Input, err = inputs.Decode(ctx, []byte(r.Input)); err != nil {
			return nil, fmt.Errorf("decision %d input: %w", r.ID, err)
		}
		if err := a.withRules(ctx, &out[i].Input, rules); err != nil {
			return nil, fmt.Errorf("decision %d: %w", r.ID, err)
		}
		withCandidates(&out[i])
	}
	return out, nil
}

// withRules gives an input stored without its rules the published rules of
// its version (read once per version into known).
func (a *App) withRules(ctx context.Context, in *routing.Input, known map[int64]routing.RuleSet) error {
	v := int64(in.Rules.Version)
	if len(in.Rules.Rules) > 0 || v == 0 {
		return nil // stored with its rules, or decided before any publication (the default rule)
	}
	rs, ok := known[v]
	if !ok {
		row, err := a.Read().GetRules(ctx, v)
		if err != nil {
			return fmt.Errorf("rules version %d: %w", v, err)
		}
		if rs, err = ParseRules(row); err != nil {
			return err
		}
		known[v] = rs
	}
	in.Rules = rs
	return nil
}

// withCandidates gives a decision stored without its candidates (they take
// half its size, and follow from its input) the candidates the engine reports
// when it decides again on the same input. Should the engine now decide
// otherwise (it changed since), the candidates are left out and Recomputed
// stays false rather than showing figures that did not lead to the decision.
func withCandidates(sd *StoredDecision) {
	if len(sd.Decision.Candidates) > 0 || len(sd.Input.Candidates) == 0 {
		return
	}
	in := sd.Input
	in.Zones = routing.LoadZones(in.Candidates)
	again := routing.Decide(in)
	again.Candidates, sd.Decision.Candidates = sd.Decision.Candidates, again.Candidates
	if !sameOutcome(again, sd.Decision) {
		sd.Decision.Candidates = nil
		return
	}
	sd.Recomputed = true
}

// sameOutcome reports whether two decisions ship, backorder and hold the same.
func sameOutcome(a, b routing.Decision) bool {
	return reflect.DeepEqual(a.Shipments, b.Shipments) && reflect.DeepEqual(a.Backorders, b.Backorders) &&
		reflect.DeepEqual(a.Unrouted, b.Unrouted) && a.Hold == b.Hold && a.Rule == b.Rule && a.Explanation == b.Explanation
}

// OptTime reads an optional stored instant.
func OptTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := FromMillis(v.Int64)
	return &t
}

// Shipment is what left a location in one parcel (or was handed over for pickup).
type Shipment struct {
	ID             int64
	FulfillmentID  int64
	Location       string
	LocationName   string
	LocationCity   string // what the customer may be told of where it left from
	Carrier        string
	CarrierName    string
	TrackingNumber string
	TrackingURL    string
	Warning        string
	ShippedAt      time.Time
	DeliveredAt    *time.Time
	Lines          []ShipLine
}

// orderShipments reads an order's shipments with their lines.
func orderShipments(ctx context.Context, q *store.Queries, orderID int64) ([]Shipment, error) {
	rows, err := q.ListOrderShipments(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("order shipments: %w", err)
	}
	lines, err := q.ListOrderShipmentLines(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("order shipment lines: %w", err)
	}
	out := make([]Shipment, len(rows))
	for i, r := range rows {
		out[i] = Shipment{ID: r.ID, FulfillmentID: r.FulfillmentID, Location: r.Location, LocationName: r.LocationName,
			LocationCity: r.LocationCity, Carrier: r.Carrier, CarrierName: CarrierName(r.Carrier), TrackingNumber: r.TrackingNumber, TrackingURL: r.TrackingUrl,
			Warning: r.TrackingWarning, ShippedAt: FromMillis(r.ShippedAt), DeliveredAt: OptTime(r.DeliveredAt)}
		for _, l := range lines {
			if l.ShipmentID == r.ID {
				out[i].Lines = append(out[i].Lines, ShipLine{SKU: l.Sku, Quantity: l.Quantity})
			}
		}
	}
	return out, nil
}

// LatestShipment returns the newest shipment of a fulfillment, or nil.
func (o Order) LatestShipment(fulfillmentID int64) *Shipment {
	for i := len(o.Shipments) - 1; i >= 0; i-- {
		if o.Shipments[i].FulfillmentID == fulfillmentID {
			return &o.Shipments[i]
		}
	}
	return nil
}

// RuleCheck is which rule of a rule set decides an order now, and what the
// engine would decide if the order were routed again.
type RuleCheck struct {
	Number   string
	Draft    bool
	Version  int // the rule set's version; 0 for the draft
	Decision routing.Decision
	Input    routing.Input
}

// Matched reports whether a rule of the set matched (false: the default rule applies).
func (c RuleCheck) Matched() bool { return c.Decision.RuleIndex >= 0 }

// WhichRule finds the rule of the published rules (or the draft) that matches
// an order, and the decision the engine would make now: everything not shipped,
// cancelled or accepted by a location is routed again, the stock the order
// holds in pending fulfillments counting as available. Nothing is written.
func (a *App) WhichRule(ctx context.Context, number string, draft bool) (RuleCheck, error) {
	number = strings.TrimSpace(number)
	if number == "" {
		return RuleCheck{}, InvalidField("order", "is required")
	}
	chk := RuleCheck{Number: number, Draft: draft}
	err := a.db.Snapshot(ctx, func(q *store.Queries) error {
		tx := Tx{Q: q, Now: a.Now()}
		o, err := q.GetOrderByNumber(ctx, number)
		if store.IsNoRows(err) {
			return NotFound("no order %s", number)
		} else if err != nil {
			return fmt.Errorf("get order: %w", err)
		}
		plan, err := checkPlan(ctx, tx, o)
		if err != nil {
			return err
		}
		if draft {
			if plan.in.Rules, err = draftRules(ctx, q); err != nil {
				return err
			}
		}
		chk.Input, chk.Decision = plan.in, routing.Decide(plan.in)
		chk.Version = plan.in.Rules.Version
		return nil
	})
	return chk, err
}

// draftRules reads the draft rule set.
func draftRules(ctx context.Context, q *store.Queries) (routing.RuleSet, error) {
	row, err := q.GetRules(ctx, 0)
	if err != nil {
		return routing.RuleSet{}, fmt.Errorf("read draft rules: %w", err)
	}
	return ParseRules(row)
}

// checkPlan is the plan of routing an order again now: the open quantity of
// its pending fulfillments is routed with the rest, and the stock they hold
// is counted as available where it is.
func checkPlan(ctx context.Context, tx Tx, o store.Order) (*routePlan, error) {
	lines, err := tx.Q.ListOrderLines(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("order lines: %w", err)
	}
	ch, err := tx.Q.GetChannel(ctx, o.ChannelID)
	if err != nil {
		return nil, fmt.Errorf("order channel: %w", err)
	}
	facts, err := orderRouteFacts(ctx, tx, o, lines, ch)
	if err != nil {
		return nil, err
	}
	fs, err := OrderFulfillments(ctx, tx.Q, o.ID)
	if err != nil {
		return nil, err
	}
	byLine, held := pendingHolds(fs)
	for i := range facts.lines {
		facts.lines[i].quantity += byLine[facts.lines[i].no]
	}
	view, err := tx.network(ctx)
	if err != nil {
		return nil, err
	}
	plan, err := readRouteInput(ctx, view, facts, tx.Now, nil)
	if err != nil {
		return nil, err
	}
	countHeldAsAvailable(plan.in.Candidates, held)
	return plan, nil
}

// countHeldAsAvailable gives the candidates back what an order holds there
// (by location and SKU, see pendingHolds), so that the engine sees it as free.
func countHeldAsAvailable(cands []routing.Candidate, held map[string]map[string]int64) {
	for i := range cands {
		c := &cands[i]
		for sku, n := range held[c.Code] {
			s := c.Stock[sku]
			s.Reserved = max(s.Reserved-n, 0)
			c.Stock[sku] = s
		}
	}
}

// pendingHolds sums the open units of pending fulfillments by line number,
// and by location and SKU.
func pendingHolds(fs []Fulfillment) (map[int64]int64, map[string]map[string]int64) {
	byLine := map[int64]int64{}
	held := map[string]map[string]int64{}
	for _, f := range fs {
		if f.Status != FulfillmentPending {
			continue
		}
		for _, l := range f.Lines {
			open := l.Quantity - l.Shipped - l.Released
			if open <= 0 {
				continue
			}
			byLine[l.LineNo] += open
			if held[f.Location] == nil {
				held[f.Location] = map[string]int64{}
			}
			held[f.Location][l.SKU] += open
		}
	}
	return byLine, held
}
