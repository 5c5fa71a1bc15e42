package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"switchyard/app/geo"
	"switchyard/app/routing"
	store "switchyard/sql"
)

// routeCache is what routing keeps in memory between orders: the time zones,
// and the parts of the network that change rarely (locations with the
// channels they serve, the published rules, zone rates). The
// network parts hold for one network version (migrations/0011): a reader
// checks the version in its own transaction, so what it gets from the cache
// is what that transaction would have read.
type routeCache struct {
	zones zoneCache

	mu      sync.Mutex
	version int64
	places  []routing.Candidate // every location, without stock or usage; nil until read
	ids     map[string]int64    // location id by code, with places
	// handling is each location's handling costs by code, with places (not
	// in places: they count only for orders in their currency)
	handling map[string]Handling
	sites    *siteFacts // places encoded for decisions' inputs, with places
	rules    *routing.RuleSet
	rates    map[string][]store.ZoneRatesToRow // by destination country
	// locations whose stock changes are told to a channel; nil until read
	announce map[int64]bool

	endpoints endpointCache
	auto      automationCache // the automation rules in force, compiled
}

// endpointsFresh is how long the active webhook endpoints read once are
// trusted. This process forgets them as soon as it changes one (see
// WebhookEndpointsChanged); the bound is for a change made by another process
// (a cluster's leader that moved).
const endpointsFresh = time.Second

// endpointCache is the active generic webhook endpoints, read once for the
// many transactions that ask whether anybody listens to an event.
type endpointCache struct {
	mu   sync.Mutex
	eps  []store.ListActiveWebhookEndpointsRow
	read time.Time // zero: not read
}

// webhookEndpoints is the active endpoints, read through q when not fresh; a
// nil cache reads them every time.
func (c *routeCache) webhookEndpoints(ctx context.Context, q *store.Queries) ([]store.ListActiveWebhookEndpointsRow, error) {
	if c == nil {
		return q.ListActiveWebhookEndpoints(ctx)
	}
	c.endpoints.mu.Lock()
	defer c.endpoints.mu.Unlock()
	if !c.endpoints.read.IsZero() && time.Since(c.endpoints.read) < endpointsFresh {
		return c.endpoints.eps, nil
	}
	eps, err := q.ListActiveWebhookEndpoints(ctx)
	if err != nil {
		return nil, err
	}
	c.endpoints.eps, c.endpoints.read = eps, time.Now()
	return eps, nil
}

// forgetEndpoints has the next reader read the endpoints again.
func (c *routeCache) forgetEndpoints() {
	if c == nil {
		return
	}
	c.endpoints.mu.Lock()
	c.endpoints.read = time.Time{}
	c.endpoints.mu.Unlock()
}

// newRouteCache returns an empty cache.
func newRouteCache() *routeCache {
	return &routeCache{}
}

// location returns the time zone named tz (UTC when empty or unknown); a nil
// cache loads it every time.
func (c *routeCache) location(tz string) *time.Location {
	if c == nil {
		return (*zoneCache)(nil).location(tz)
	}
	return c.zones.location(tz)
}

// networkView is the cache as of one transaction's network version. A nil
// view reads everything through its queries.
type networkView struct {
	c       *routeCache
	q       *store.Queries
	version int64
}

// view reads the network version through q and returns the cache's view for
// it, emptying the cache when the network changed since it was filled.
func (c *routeCache) view(ctx context.Context, q *store.Queries) (*networkView, error) {
	v, err := q.NetworkVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("network version: %w", err)
	}
	if c == nil {
		return &networkView{q: q, version: v}, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != v {
		c.version, c.places, c.ids, c.handling, c.sites, c.rules, c.rates, c.announce = v, nil, nil, nil, nil, nil, map[string][]store.ZoneRatesToRow{}, nil
	}
	return &networkView{c: c, q: q, version: v}, nil
}

// current runs fill under the cache's lock when the cache still holds the
// view's version; otherwise (or without a cache) it reports false and the
// caller reads for itself.
func (v *networkView) current(fill func()) bool {
	if v.c == nil {
		return false
	}
	v.c.mu.Lock()
	defer v.c.mu.Unlock()
	if v.c.version != v.version {
		return false
	}
	fill()
	return true
}

// candidates returns every location as a routing candidate (stock and usage
// not filled in: each caller gets its own copies), the location ids by code,
// the candidates' facts as decisions record them, and the locations'
// handling costs by code.
func (v *networkView) candidates(ctx context.Context) ([]routing.Candidate, map[string]int64, *siteFacts, map[string]Handling, error) {
	var places []routing.Candidate
	var ids map[string]int64
	var sites *siteFacts
	var handling map[string]Handling
	v.current(func() { places, ids, sites, handling = v.c.places, v.c.ids, v.c.sites, v.c.handling })
	if places == nil {
		rows, err := v.q.ListRoutingLocations(ctx)
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("routing locations: %w", err)
		}
		places, ids, handling = candidatesFromRows(rows), make(map[string]int64, len(rows)), make(map[string]Handling, len(rows))
		for _, r := range rows {
			ids[r.Code] = r.ID
			handling[r.Code] = Handling{PerShipment: r.HandlingPerShipment, PerUnit: r.HandlingPerUnit, Currency: r.HandlingCurrency}
		}
		if sites, err = newSiteFacts(places); err != nil {
			return nil, nil, nil, nil, err
		}
		v.current(func() { v.c.places, v.c.ids, v.c.sites, v.c.handling = places, ids, sites, handling })
	}
	out := make([]routing.Candidate, len(places))
	copy(out, places)
	return out, ids, sites, handling, nil
}

// candidatesFromRows maps the stored locations to routing candidates.
func candidatesFromRows(rows []store.ListRoutingLocationsRow) []routing.Candidate {
	out := make([]routing.Candidate, 0, len(rows))
	for _, r := range rows {
		out = append(out, routing.Candidate{
			Code: r.Code, Name: r.Name, Kind: r.Kind, Country: r.Country, Region: r.Region,
			Point: geo.Point{Lat: r.Lat, Lon: r.Lon}, Tags: SplitTags(r.Tags), Active: r.Active == 1,
			Ships: r.Ships == 1, Pickup: r.Pickup == 1, Channels: SplitTags(r.Channels), Rank: r.Rank,
			DailyCapacity: r.DailyCapacity, Timezone: r.Timezone, Cutoff: r.Cutoff, HandlingDays: int(r.HandlingDays),
		})
	}
	return out
}

// activeRules returns the published rules (the default rule before the first
// publication). Callers must not change them.
func (v *networkView) activeRules(ctx context.Context) (routing.RuleSet, error) {
	var rs *routing.RuleSet
	v.current(func() { rs = v.c.rules })
	if rs != nil {
		return *rs, nil
	}
	read, err := activeRules(ctx, v.q)
	if err != nil {
		return routing.RuleSet{}, err
	}
	v.current(func() { v.c.rules = &read })
	return read, nil
}

// ratesTo returns the zone rates to a country, in every currency.
func (v *networkView) ratesTo(ctx context.Context, country string) ([]store.ZoneRatesToRow, error) {
	var rows []store.ZoneRatesToRow
	found := false
	v.current(func() { rows, found = v.c.rates[country] })
	if found {
		return rows, nil
	}
	rows, err := v.q.ZoneRatesTo(ctx, country)
	if err != nil {
		return nil, fmt.Errorf("zone rates: %w", err)
	}
	v.current(func() { v.c.rates[country] = rows })
	return rows, nil
}

// announces reports whether a change of stock at a location is told to any
// channel: whether it serves an active channel with a callback URL.
func (v *networkView) announces(ctx context.Context, locationID int64) (bool, error) {
	var set map[int64]bool
	v.current(func() { set = v.c.announce })
	if set == nil {
		ids, err := v.q.LocationsAnnouncingAvailability(ctx)
		if err != nil {
			return false, fmt.Errorf("locations announcing availability: %w", err)
		}
		set = make(map[int64]bool, len(ids))
		for _, id := range ids {
			set[id] = true
		}
		v.current(func() { v.c.announce = set })
	}
	return set[locationID], nil
}

// zoneCache loads each IANA time zone once: loading one reads and parses the
// zone database, which costs more than routing an order.
type zoneCache struct{ m sync.Map }

// location returns the zone named tz, UTC when empty or unknown. A nil cache
// loads every time.
func (z *zoneCache) location(tz string) *time.Location {
	loc, _ := z.lookup(tz)
	return loc
}

// lookup returns the zone named tz and true, or UTC and false when tz names
// no zone: empty, "Local" (the server's), path-like, too long or unknown.
// Only zones found are kept, so names that are not zones cannot fill memory.
func (z *zoneCache) lookup(tz string) (*time.Location, bool) {
	if z != nil {
		if loc, ok := z.m.Load(tz); ok {
			return loc.(*time.Location), true
		}
	}
	if tz == "" || len(tz) > 64 || tz == "Local" || strings.HasPrefix(tz, "/") || strings.Contains(tz, "..") {
		return time.UTC, false
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC, false
	}
	if z != nil {
		z.m.Store(tz, loc)
	}
	return loc, true
}
