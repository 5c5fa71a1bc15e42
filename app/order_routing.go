package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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
}

// StoredDecision is a routing decision as recorded, with what the engine saw.
type StoredDecision struct {
	ID       int64
	At       time.Time
	Trigger  string
	Decision routing.Decision
	Input    routing.Input
}

// orderFulfillments reads an order's fulfillments with their lines.
func orderFulfillments(ctx context.Context, q *store.Queries, orderID int64) ([]Fulfillment, error) {
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
			PromisedShipBy: optTime(r.PromisedShipBy), PromisedBy: optTime(r.PromisedDeliveryBy),
			RejectReason: r.RejectReason, RejectNote: r.RejectNote, CreatedAt: fromMS(r.CreatedAt)}
		for _, l := range lines {
			if l.FulfillmentID == r.ID {
				out[i].Lines = append(out[i].Lines, FulfillmentLine{LineNo: l.LineNo, SKU: l.Sku, Quantity: l.Quantity, Shipped: l.Shipped, Released: l.Released})
			}
		}
	}
	return out, nil
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
	return &RoutingSummary{DecisionID: d.ID, At: fromMS(d.At), Trigger: d.Trigger, Rule: d.RuleName, RuleVersion: d.RuleVersion, Explanation: d.Explanation}, nil
}

// Decisions returns every routing decision of an order, oldest first, with
// the candidates and figures the engine saw.
func (a *App) Decisions(ctx context.Context, number string) ([]StoredDecision, error) {
	o, err := a.read().GetOrderByNumber(ctx, number)
	if store.IsNoRows(err) {
		return nil, NotFound("no order %s", number)
	} else if err != nil {
		return nil, fmt.Errorf("get order: %w", err)
	}
	rows, err := a.read().ListDecisions(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	out := make([]StoredDecision, len(rows))
	for i, r := range rows {
		out[i] = StoredDecision{ID: r.ID, At: fromMS(r.At), Trigger: r.Trigger}
		if err := json.Unmarshal([]byte(r.Decision), &out[i].Decision); err != nil {
			return nil, fmt.Errorf("decision %d: %w", r.ID, err)
		}
		if err := json.Unmarshal([]byte(r.Input), &out[i].Input); err != nil {
			return nil, fmt.Errorf("decision %d input: %w", r.ID, err)
		}
	}
	return out, nil
}

// optTime reads an optional stored instant.
func optTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

// Shipment is what left a location in one parcel (or was handed over for pickup).
type Shipment struct {
	ID             int64
	FulfillmentID  int64
	Location       string
	LocationName   string
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
			Carrier: r.Carrier, CarrierName: CarrierName(r.Carrier), TrackingNumber: r.TrackingNumber, TrackingURL: r.TrackingUrl,
			Warning: r.TrackingWarning, ShippedAt: fromMS(r.ShippedAt), DeliveredAt: optTime(r.DeliveredAt)}
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
