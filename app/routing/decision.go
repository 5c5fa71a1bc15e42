package routing

import "time"

// DefaultRuleName is Decision.Rule when no published rule matched.
const DefaultRuleName = "default"

// Decision is what the engine decided and why; it is stored as JSON.
type Decision struct {
	RuleVersion int    `json:"rule_version"`
	Rule        string `json:"rule"`
	// RuleIndex is the index of the deciding rule in the rule set, -1 for the default.
	RuleIndex  int               `json:"rule_index"`
	Shipments  []Shipment        `json:"shipments"`
	Backorders []Backorder       `json:"backorders"`
	Unrouted   []Allocation      `json:"unrouted"`
	Hold       bool              `json:"hold"`
	HoldReason string            `json:"hold_reason,omitempty"`
	Candidates []CandidateReport `json:"candidates"`
	// PromiseShipBy and PromiseDeliverBy are the latest over the shipments
	// (zero when nothing ships).
	PromiseShipBy    time.Time `json:"promise_ship_by,omitzero"`
	PromiseDeliverBy time.Time `json:"promise_deliver_by,omitzero"`
	Explanation      string    `json:"explanation"`
	// Cost prices the shipments under the cost model (see CostOf).
	Cost Cost `json:"cost"`
}

// Shipment is the part of the order one location ships (a fulfillment).
type Shipment struct {
	Location     string       `json:"location"`
	LocationName string       `json:"location_name"`
	Lines        []Allocation `json:"lines"`
	DistanceKm   float64      `json:"distance_km"`
	// Cost is the zone-rate shipping cost in minor units, when CostKnown;
	// a pickup costs nothing to ship (0, known).
	Cost      int64 `json:"cost"`
	CostKnown bool  `json:"cost_known"`
	// ShipBy and DeliverBy end the local day at the location (23:59:59), in
	// UTC; for a pickup, DeliverBy is when it is ready, equal to ShipBy.
	ShipBy    time.Time `json:"ship_by"`
	DeliverBy time.Time `json:"deliver_by"`
}

// Allocation is a quantity of one order line.
type Allocation struct {
	LineID   int64  `json:"line_id"`
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
	// Parts, for a kit split over several locations (Split.KitComponents),
	// are the parts of the Quantity kits this location ships; the other
	// parts ship from the other shipments naming the same line with parts.
	// Nil: the whole kits (or a plain SKU).
	Parts []KitPart `json:"parts,omitempty"`
}

// Backorder is a quantity of a line that waits for stock at a location.
type Backorder struct {
	LineID       int64  `json:"line_id"`
	SKU          string `json:"sku"`
	Quantity     int64  `json:"quantity"`
	Location     string `json:"location"`
	LocationName string `json:"location_name"`
}

// CandidateReport is one candidate as the engine saw it: figures, and why
// it was excluded or where it ranked.
type CandidateReport struct {
	Location     string   `json:"location"`
	LocationName string   `json:"location_name"`
	Excluded     bool     `json:"excluded"`
	Reasons      []string `json:"reasons"`
	// Position is the 1-based place in the ranking of eligible candidates (0 when excluded).
	Position int     `json:"position"`
	Figures  Figures `json:"figures"`
	Chosen   bool    `json:"chosen"`
}

// Figures are the numbers a candidate was judged on; rankers compare them
// exactly as reported here.
type Figures struct {
	// DistanceKm is the great-circle distance to the destination, rounded to
	// 0.1 km; 0 with DistanceKnown false when a point is unknown.
	DistanceKm    float64 `json:"distance_km"`
	DistanceKnown bool    `json:"distance_known"`
	// Cost is the zone-rate cost in minor units, when CostKnown.
	Cost      int64 `json:"cost"`
	CostKnown bool  `json:"cost_known"`
	// TransitDays comes from the zone rate; TransitDefault says no rate
	// matched and the default (3 working days) was used.
	TransitDays    int  `json:"transit_days"`
	TransitDefault bool `json:"transit_default"`
	// Timezone is the zone the promise was computed in ("UTC" on fallback).
	Timezone  string    `json:"timezone"`
	ShipBy    time.Time `json:"ship_by"`
	DeliverBy time.Time `json:"deliver_by"`
	// LinesFull counts the order lines it can serve in full (taking lines of
	// one SKU in order from one pool), of LinesTotal lines with a quantity.
	LinesFull  int `json:"lines_full"`
	LinesTotal int `json:"lines_total"`
	// UnitsAvailable is how many of the order's units it has available
	// (per SKU, capped at what the order needs), of UnitsOrdered.
	UnitsAvailable int64 `json:"units_available"`
	UnitsOrdered   int64 `json:"units_ordered"`
	// CapacityLeft is today's remaining capacity, -1 when unlimited.
	CapacityLeft int64 `json:"capacity_left"`
	Rank         int64 `json:"rank"`
}
