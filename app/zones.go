package app

import (
	"sync"
	"time"
)

// zoneCache loads each IANA time zone once: loading one reads and parses the
// zone database, which costs more than routing an order.
type zoneCache struct{ m sync.Map }

// location returns the zone named tz, UTC when empty or unknown. A nil cache
// loads every time.
func (z *zoneCache) location(tz string) *time.Location {
	if z != nil {
		if loc, ok := z.m.Load(tz); ok {
			return loc.(*time.Location)
		}
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" {
		loc = time.UTC
	}
	if z != nil {
		z.m.Store(tz, loc)
	}
	return loc
}
