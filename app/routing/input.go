package routing

import (
	"time"

	"switchyard/app/geo"
)

// Delivery methods of an order.
const (
	DeliveryShip   = "ship"
	DeliveryPickup = "pickup"
)

// Location kinds.
const (
	KindWarehouse = "warehouse"
	KindStore     = "store"
	Kind3PL       = "3pl"
	KindDropship  = "dropship"
	KindPartner   = "partner"
)

// Input is everything Decide needs to route one order; it is plain data and
// may be stored as JSON to replay the decision later.
type Input struct {
	Order      Order       `json:"order"`
	Candidates []Candidate `json:"candidates"`
	Rules      RuleSet     `json:"rules"`
	Rates      []ZoneRate  `json:"rates"`
	Now        time.Time   `json:"now"`
	// Zones optionally holds time zones the caller has already loaded, by
	// IANA name (see LoadZones); zones missing from it are loaded with
	// time.LoadLocation during the call. It changes speed, never results.
	Zones map[string]*time.Location `json:"-"`
	// OptimiseBudget bounds the optimal_cost search, in steps (one location
	// and SKU examined); 0 means DefaultOptimiseBudget. Counting steps
	// rather than time keeps the decision identical for identical input.
	OptimiseBudget int `json:"-"`
}

// Order is the part of an order that routing reads.
type Order struct {
	Number      string `json:"number"`
	Channel     string `json:"channel"`
	ChannelName string `json:"channel_name"`
	Country     string `json:"country"`
	Region      string `json:"region"`
	// Dest is the delivery point; when DestKnown is false the centroid of
	// Country is used instead (and distances are unknown if that is unknown).
	Dest      geo.Point `json:"dest"`
	DestKnown bool      `json:"dest_known"`
	Tags      []string  `json:"tags"`
	// Value is the order value in minor units of Currency; ValueExponent is
	// the currency exponent (2 for EUR), used to compare with rule amounts.
	Value         int64  `json:"value"`
	ValueExponent int    `json:"value_exponent"`
	Currency      string `json:"currency"`
	// Delivery is "pickup", or "ship" (anything else, including empty, ships).
	Delivery       string `json:"delivery"`
	PickupLocation string `json:"pickup_location"`
	Lines          []Line `json:"lines"`
	// ForceRule names the rule to route with whatever its conditions say
	// (DefaultRuleName for the default rule); empty lets the rules' own
	// conditions choose. A rule that is not in the set, or is disabled, is
	// not forced: the conditions choose and the explanation says so.
	ForceRule string `json:"force_rule,omitempty"`
}

// Line is one order line; Quantity is what remains to route (lines with a
// quantity of zero or less are ignored).
type Line struct {
	ID       int64    `json:"id"`
	SKU      string   `json:"sku"`
	SKUTags  []string `json:"sku_tags"`
	Quantity int64    `json:"quantity"`
	// Parts are a kit's plain parts, given only when a rule may ship them
	// from several locations (Split.KitComponents); nil otherwise.
	Parts []KitPart `json:"parts,omitempty"`
}

// Candidate is a location that might fulfil the order, with what it has.
type Candidate struct {
	Code    string    `json:"code"`
	Name    string    `json:"name"`
	Kind    string    `json:"kind"`
	Country string    `json:"country"`
	Region  string    `json:"region"`
	Point   geo.Point `json:"point"`
	Tags    []string  `json:"tags"`
	Active  bool      `json:"active"`
	Ships   bool      `json:"ships"`
	Pickup  bool      `json:"pickup"`
	// Channels lists the channel codes this location serves; empty serves none.
	Channels []string `json:"channels"`
	Rank     int64    `json:"rank"`
	// DailyCapacity is the number of fulfillments a day (0 = no limit);
	// UsedToday counts those already created today.
	DailyCapacity int64 `json:"daily_capacity"`
	UsedToday     int64 `json:"used_today"`
	// Timezone is an IANA name; empty or unknown means UTC.
	Timezone string `json:"timezone"`
	// Cutoff is the local dispatch cut-off "15:00"; empty or malformed means
	// orders dispatch the same working day whatever the hour.
	Cutoff       string           `json:"cutoff"`
	HandlingDays int              `json:"handling_days"`
	Stock        map[string]Stock `json:"stock"`
	// HandlingPerShipment and HandlingPerUnit are what the location charges
	// to pick and pack, in minor units of the order's currency (the caller
	// converts, as for zone rates); zero when not stated.
	HandlingPerShipment int64 `json:"handling_per_shipment,omitempty"`
	HandlingPerUnit     int64 `json:"handling_per_unit,omitempty"`
	// HandlingUnknown says the location states handling costs the caller
	// could not count for this order (another currency): they count as zero,
	// the cost is then unknown, and the optimiser uses the location only when
	// it must, as one with no zone rate.
	HandlingUnknown bool `json:"handling_unknown,omitempty"`
}

// Stock is one SKU's stock level at a location.
type Stock struct {
	OnHand   int64 `json:"on_hand"`
	Reserved int64 `json:"reserved"`
	Safety   int64 `json:"safety"`
}

// Available returns what can be promised: on hand less reserved, less the
// safety stock when respectSafety; never negative (negative reserved or
// safety figures count as zero).
func (s Stock) Available(respectSafety bool) int64 {
	a := s.OnHand - max(s.Reserved, 0)
	if respectSafety {
		a -= max(s.Safety, 0)
	}
	return max(a, 0)
}

// ZoneRate is the shipping cost and transit time from a location to a
// country (or one region of it). Cost is in minor units of the order's
// currency; the caller converts rates kept in another currency.
type ZoneRate struct {
	Origin      string `json:"origin"`
	Country     string `json:"country"`
	Region      string `json:"region"`
	Cost        int64  `json:"cost"`
	TransitDays int    `json:"transit_days"`
}

// LoadZones loads the time zone of every candidate once, for Input.Zones;
// empty or unknown names map to UTC, as Decide would treat them.
func LoadZones(cands []Candidate) map[string]*time.Location {
	zones := make(map[string]*time.Location)
	for i := range cands {
		name := cands[i].Timezone
		if _, done := zones[name]; !done {
			zones[name] = loadZone(name)
		}
	}
	return zones
}

// loadZone loads an IANA time zone, falling back to UTC when empty or unknown.
func loadZone(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}
