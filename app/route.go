package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"switchyard/app/geo"
	"switchyard/app/money"
	"switchyard/app/routing"
	store "switchyard/sql"
)

// Routing triggers: why an order was routed.
const (
	TriggerIntake    = "intake"
	TriggerRelease   = "release"
	TriggerRejection = "rejection"
	TriggerCount     = "count"
	TriggerAddress   = "address"
	TriggerManual    = "manual"
	TriggerRestock   = "restock"
	// TriggerAutomation: an automation rule routed the order again.
	TriggerAutomation = "automation"
)

// routeFacts is what routing needs to know of an order.
type routeFacts struct {
	channel     string
	channelName string
	country     string
	region      string
	postal      string
	lat, lon    *float64
	tags        []string
	value       int64
	cur         money.Currency
	delivery    string
	pickup      string
	forceRule   string // a routing rule to route with whatever its conditions (see routing.Order.ForceRule)
	lines       []routeLine
	skus        []store.SKUsForRoutingRow // the lines' SKUs when already read; nil: planRoute reads them
}

// routeLine is an order line and how much of it is to route now.
type routeLine struct {
	no       int64 // the line number: routing's line id
	sku      string
	quantity int64
}

// routePlan is a decision with its input and what the codes in it name.
type routePlan struct {
	in     routing.Input
	d      routing.Decision
	locIDs map[string]int64
	skuIDs map[string]int64
	capOf  map[string]int64 // daily capacity by location code
	dayOf  map[string]string
	cache  *routeCache
	sites  *siteFacts // the candidates' lasting facts, as the stored input names them
	// inJSON and dJSON are in and d encoded, once (see encode).
	inJSON, dJSON string
	// kits are the order's kits by code and partIDs their parts' ids by
	// code (route_kits.go); nil when the order has no kit.
	kits    map[string]*routeKit
	partIDs map[string]int64
	// note, when set, opens the decision's timeline entry (why it was routed so).
	note string
}

// planRoute reads the network through view and decides where the order ships.
// exclude names locations that must not be used (they just rejected the work).
// view reads the network (see routeCache) in the caller's transaction.
func planRoute(ctx context.Context, view *networkView, f routeFacts, now time.Time, exclude map[string]bool) (*routePlan, error) {
	p, err := readRouteInput(ctx, view, f, now, exclude)
	if err != nil {
		return nil, err
	}
	p.d = routing.Decide(p.in)
	p.explainKits()
	return p, nil
}

// readRouteInput reads through view what the engine needs to decide where
// the order ships: the plan's input, without its decision.
func readRouteInput(ctx context.Context, view *networkView, f routeFacts, now time.Time, exclude map[string]bool) (*routePlan, error) {
	q := view.q
	rules, err := view.activeRules(ctx)
	if err != nil {
		return nil, err
	}
	p := &routePlan{locIDs: map[string]int64{}, skuIDs: map[string]int64{}, capOf: map[string]int64{}, dayOf: map[string]string{}, cache: view.c}
	p.in = routing.Input{Order: routeOrder(f), Rules: rules, Now: now}
	skuTags, err := p.readSKUs(ctx, q, f)
	if err != nil {
		return nil, err
	}
	for i := range p.in.Order.Lines {
		p.in.Order.Lines[i].SKUTags = skuTags[p.in.Order.Lines[i].SKU]
	}
	p.giveKitParts()
	if err := p.readCandidates(ctx, view, exclude); err != nil {
		return nil, err
	}
	if err := p.readStock(ctx, q); err != nil {
		return nil, err
	}
	p.deriveKitStock()
	if err := p.readRates(ctx, view, f); err != nil {
		return nil, err
	}
	if err := p.readDestination(ctx, q, f); err != nil {
		return nil, err
	}
	p.in.Zones = make(map[string]*time.Location, len(p.in.Candidates))
	for _, c := range p.in.Candidates {
		p.in.Zones[c.Timezone] = view.c.location(c.Timezone)
	}
	return p, nil
}

// routeOrder is the order as the engine sees it.
func routeOrder(f routeFacts) routing.Order {
	o := routing.Order{
		Channel: f.channel, ChannelName: f.channelName, Country: f.country, Region: f.region, Tags: f.tags,
		Value: f.value, ValueExponent: f.cur.Exponent, Currency: f.cur.Code, Delivery: f.delivery, PickupLocation: f.pickup,
		ForceRule: f.forceRule,
	}
	for _, l := range f.lines {
		if l.quantity > 0 {
			o.Lines = append(o.Lines, routing.Line{ID: l.no, SKU: l.sku, Quantity: l.quantity})
		}
	}
	return o
}

// activeRules returns the published rules, or none (the default rule) before the first publication.
func activeRules(ctx context.Context, q *store.Queries) (routing.RuleSet, error) {
	row, err := q.GetPublishedRules(ctx)
	if store.IsNoRows(err) {
		return routing.RuleSet{Rules: []routing.Rule{}}, nil
	}
	if err != nil {
		return routing.RuleSet{}, fmt.Errorf("read routing rules: %w", err)
	}
	return ParseRules(row)
}

// ParseRules reads a stored rule set.
func ParseRules(row store.RoutingRule) (routing.RuleSet, error) {
	var rs routing.RuleSet
	if err := json.Unmarshal([]byte(row.Rules), &rs); err != nil {
		return routing.RuleSet{}, fmt.Errorf("routing rules version %d: %w", row.Version, err)
	}
	rs.Version = int(row.Version)
	return rs, nil
}

// readSKUs finds the ids and tags of the order's SKUs.
func (p *routePlan) readSKUs(ctx context.Context, q *store.Queries, f routeFacts) (map[string][]string, error) {
	rows := f.skus
	if rows == nil {
		var codes []string
		for _, l := range f.lines {
			codes = append(codes, l.sku)
		}
		var err error
		if rows, err = q.SKUsForRouting(ctx, codes); err != nil {
			return nil, fmt.Errorf("routing SKUs: %w", err)
		}
	}
	tags := make(map[string][]string, len(rows))
	for _, r := range rows {
		p.skuIDs[r.Code] = r.ID
		tags[r.Code] = SplitTags(r.Tags)
	}
	return tags, p.readKits(ctx, q, rows)
}

// readCandidates takes every location as a candidate, without its stock.
func (p *routePlan) readCandidates(ctx context.Context, view *networkView, exclude map[string]bool) error {
	all, ids, sites, handling, err := view.candidates(ctx)
	if err != nil {
		return err
	}
	withHandlingFor(all, handling, p.in.Order.Currency)
	p.sites = sites
	var days []string
	for _, c := range all {
		if exclude[c.Code] {
			continue
		}
		p.locIDs[c.Code] = ids[c.Code]
		p.capOf[c.Code] = c.DailyCapacity
		p.dayOf[c.Code] = p.in.Now.In(p.cache.location(c.Timezone)).Format(time.DateOnly)
		days = append(days, p.dayOf[c.Code])
		c.Stock = map[string]routing.Stock{}
		p.in.Candidates = append(p.in.Candidates, c)
	}
	return p.readUsage(ctx, view.q, days)
}

// readUsage fills in how many fulfillments each candidate has taken today.
func (p *routePlan) readUsage(ctx context.Context, q *store.Queries, days []string) error {
	if len(days) == 0 {
		return nil
	}
	locations := make([]int64, 0, len(p.in.Candidates))
	for _, c := range p.in.Candidates {
		locations = append(locations, p.locIDs[c.Code])
	}
	rows, err := q.LocationDayCounts(ctx, store.LocationDayCountsParams{Locations: locations, Days: uniqueStrings(days)})
	if err != nil {
		return fmt.Errorf("location day counts: %w", err)
	}
	for i := range p.in.Candidates {
		c := &p.in.Candidates[i]
		c.UsedToday = 0
		for _, r := range rows {
			if r.LocationID == p.locIDs[c.Code] && r.Day == p.dayOf[c.Code] {
				c.UsedToday = r.N
			}
		}
	}
	return nil
}

// readStock fills in each candidate's stock of the order's SKUs.
func (p *routePlan) readStock(ctx context.Context, q *store.Queries) error {
	if len(p.skuIDs) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(p.skuIDs)+len(p.partIDs))
	codeOf := make(map[int64]string, len(p.skuIDs)+len(p.partIDs))
	for _, m := range []map[string]int64{p.skuIDs, p.partIDs} {
		for code, id := range m {
			if _, dup := codeOf[id]; !dup {
				ids = append(ids, id)
				codeOf[id] = code
			}
		}
	}
	rows, err := q.StockForSKUs(ctx, ids)
	if err != nil {
		return fmt.Errorf("routing stock: %w", err)
	}
	index := make(map[int64]int, len(p.in.Candidates))
	for i, c := range p.in.Candidates {
		index[p.locIDs[c.Code]] = i
		clear(p.in.Candidates[i].Stock)
	}
	for _, r := range rows {
		if i, ok := index[r.LocationID]; ok {
			p.in.Candidates[i].Stock[codeOf[r.SkuID]] = routing.Stock{OnHand: r.OnHand, Reserved: r.Reserved, Safety: r.SafetyStock}
		}
	}
	return nil
}

// readRates reads the zone rates to the destination country in the order's currency.
func (p *routePlan) readRates(ctx context.Context, view *networkView, f routeFacts) error {
	if f.country == "" {
		return nil
	}
	rows, err := view.ratesTo(ctx, f.country)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.Currency == f.cur.Code { // rates in another currency are not converted
			p.in.Rates = append(p.in.Rates, routing.ZoneRate{Origin: r.Origin, Country: r.Country, Region: r.Region, Cost: r.Cost, TransitDays: int(r.TransitDays)})
		}
	}
	return nil
}

// readDestination sets where the order goes: its coordinates, else its postal
// code's, else (DestKnown false) the country's centroid.
func (p *routePlan) readDestination(ctx context.Context, q *store.Queries, f routeFacts) error {
	if f.lat != nil && f.lon != nil {
		p.in.Order.Dest, p.in.Order.DestKnown = geo.Point{Lat: *f.lat, Lon: *f.lon}, true
		return nil
	}
	if f.postal == "" || f.country == "" {
		return nil
	}
	pt, err := q.PostalCodePoint(ctx, store.PostalCodePointParams{Country: f.country, PostalCode: strings.ToUpper(strings.ReplaceAll(f.postal, " ", ""))})
	if store.IsNoRows(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("postal code: %w", err)
	}
	p.in.Order.Dest, p.in.Order.DestKnown = geo.Point{Lat: pt.Lat, Lon: pt.Lon}, true
	return nil
}

// LocalDay is the date at now in the time zone tz (UTC when unknown).
func LocalDay(now time.Time, tz string) string {
	return now.In((*zoneCache)(nil).location(tz)).Format(time.DateOnly)
}

// uniqueStrings drops repeated strings, keeping the first of each.
func uniqueStrings(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
