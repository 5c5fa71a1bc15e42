package routing

import (
	"time"

	"switchyard/app/geo"
)

// zoneCache loads each time zone at most once per call, preferring the
// caller's preloaded zones.
type zoneCache struct {
	given  map[string]*time.Location
	loaded map[string]*time.Location
}

// get returns the zone for name, UTC when empty or unknown.
func (z *zoneCache) get(name string) *time.Location {
	if loc, ok := z.given[name]; ok && loc != nil {
		return loc
	}
	if loc, ok := z.loaded[name]; ok {
		return loc
	}
	if z.loaded == nil {
		z.loaded = make(map[string]*time.Location)
	}
	loc := loadZone(name)
	z.loaded[name] = loc
	return loc
}

// measure computes every candidate's figures, whatever its verdict.
func (e *engine) measure() {
	e.byCode = make(map[string]int, len(e.in.Candidates))
	for i := len(e.in.Candidates) - 1; i >= 0; i-- {
		e.byCode[e.in.Candidates[i].Code] = i // the first entry of a code wins
	}
	rates := matchRates(e.in.Rates, e.in.Order.Country, e.in.Order.Region, e.byCode, len(e.in.Candidates))
	zones := zoneCache{given: e.in.Zones}
	n := len(e.o.skus)
	buf := make([]int64, len(e.in.Candidates)*n)
	pool := make([]int64, n)
	e.cands = make([]cand, len(e.in.Candidates))
	for i := range e.cands {
		c := &e.cands[i]
		c.src, c.idx = &e.in.Candidates[i], i
		c.avail = buf[i*n : (i+1)*n : (i+1)*n]
		c.loc = zones.get(c.src.Timezone)
		e.measureStock(c, pool)
		e.measureTrip(c, rates)
		c.fig.Rank = c.src.Rank
		c.fig.CapacityLeft = capacityLeft(c.src)
	}
}

// measureStock fills availability per SKU and the stock figures.
func (e *engine) measureStock(c *cand, pool []int64) {
	safety := e.rule.Filters.RespectSafetyStock
	c.full = true
	for s, sku := range e.o.skus {
		var a int64
		if st, ok := c.src.Stock[sku]; ok {
			a = st.Available(safety)
		}
		c.avail[s] = a
		c.fig.UnitsAvailable += min(a, e.o.demand[s])
		c.some = c.some || a > 0
		c.full = c.full && a >= e.o.demand[s]
	}
	copy(pool, c.avail)
	for _, l := range e.o.lines {
		if pool[l.s] >= l.qty {
			pool[l.s] -= l.qty
			c.fig.LinesFull++
		}
	}
	c.fig.LinesTotal = len(e.o.lines)
	c.fig.UnitsOrdered = e.o.units
}

// measureTrip fills distance, rate and promise figures.
func (e *engine) measureTrip(c *cand, rates []rateSlot) {
	f := &c.fig
	if e.o.destKnown && c.src.Point.Valid() {
		f.DistanceKm, f.DistanceKnown = round1(geo.DistanceKm(c.src.Point, e.o.dest)), true
	}
	f.TransitDays, f.TransitDefault = defaultTransitDays, true
	if rates != nil && rates[e.byCode[c.src.Code]].spec > 0 {
		r := rates[e.byCode[c.src.Code]].rate
		f.Cost, f.CostKnown = r.Cost, true
		f.TransitDays, f.TransitDefault = max(r.TransitDays, 0), false
	}
	f.Timezone = c.loc.String()
	f.ShipBy, f.DeliverBy = promise(e.in.Now, c.loc, c.src.Cutoff, c.src.HandlingDays, f.TransitDays)
}

// capacityLeft is today's remaining capacity, -1 when unlimited.
func capacityLeft(c *Candidate) int64 {
	if c.DailyCapacity <= 0 {
		return -1
	}
	return max(c.DailyCapacity-max(c.UsedToday, 0), 0)
}
