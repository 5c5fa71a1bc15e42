package desk

import (
	"switchyard/app"

	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	store "switchyard/sql"
)

// DashboardDays is how many days the dashboard's charts cover, today included.
const DashboardDays = 30

// atRiskWindow is how soon a promised ship-by puts an open order at risk.
const atRiskWindow = 24 * time.Hour

// dayMS is one day in Unix milliseconds.
const dayMS = 24 * 60 * 60 * 1000

// Dashboard is what the ops dashboard shows, as of Now.
type Dashboard struct {
	Now          time.Time
	Channels     []ChannelRef // the channels of the intake figures, by code
	Today        []int64      // orders placed today (UTC), per channel of Channels
	TodayTotal   int64
	States       map[app.Status]int64 // orders per status
	Orders       int64                // every order
	Late         int64                // open orders past their promised ship-by
	AtRisk       int64                // open orders due to ship within 24 hours
	AtRiskOrders []PromisedOrder      // the soonest of them
	Locations    []LocationLoad       // active shipping locations: fulfillments today against capacity
	Days         []DayIntake          // orders per UTC day of the last DashboardDays days, oldest first
	Share        []LocationTotal      // fulfillments per location over those days, most first
	Returns      ReturnsPanel         // return rates by SKU and units by reason over those days
}

// ChannelRef names a channel.
type ChannelRef struct {
	Code, Name string
}

// PromisedOrder is an open order and when it was promised to ship.
type PromisedOrder struct {
	Number string
	Status app.Status
	ShipBy time.Time
}

// LocationLoad is a location's fulfillments of its local today and its daily capacity (0: no limit).
type LocationLoad struct {
	Code, Name string
	Today      int64
	Capacity   int64
}

// DayIntake is the orders placed on one UTC day, per channel of Dashboard.Channels.
type DayIntake struct {
	Day    time.Time
	Counts []int64
	Total  int64
}

// LocationTotal is the fulfillments one location took over the dashboard's days.
type LocationTotal struct {
	Code, Name   string
	Fulfillments int64
}

// atRiskShown is how many at-risk orders the dashboard names.
const atRiskShown = 20

// Dashboard gathers the ops dashboard from counter tables and small index ranges.
func (a *Service) Dashboard(ctx context.Context) (Dashboard, error) {
	d := Dashboard{Now: a.core.Now()}
	err := a.core.DB().Snapshot(ctx, func(qs *store.Queries) error {
		for _, read := range []func(context.Context, *store.Queries) error{d.readIntake, d.readStates, d.readPromises, d.readLocations,
			d.readReturns} {
			if err := read(ctx, qs); err != nil {
				return err
			}
		}
		return nil
	})
	return d, err
}

// readIntake reads the orders placed per day and channel, today's among them.
func (d *Dashboard) readIntake(ctx context.Context, qs *store.Queries) error {
	today := app.Millis(d.Now) / dayMS
	first := today - DashboardDays + 1
	rows, err := qs.IntakeByDay(ctx, store.IntakeByDayParams{FromDay: first, ToDay: today})
	if err != nil {
		return fmt.Errorf("intake by day: %w", err)
	}
	var index map[int64]int
	if d.Channels, index, err = intakeChannels(ctx, qs, rows); err != nil {
		return err
	}
	d.Days = make([]DayIntake, DashboardDays)
	for i := range d.Days {
		d.Days[i] = DayIntake{Day: app.FromMillis((first + int64(i)) * dayMS), Counts: make([]int64, len(d.Channels))}
	}
	for _, r := range rows {
		day := &d.Days[r.Day-first]
		day.Counts[index[r.ChannelID]] += r.N
		day.Total += r.N
	}
	last := d.Days[len(d.Days)-1]
	d.Today, d.TodayTotal = last.Counts, last.Total
	return nil
}

// intakeChannels lists, by code, the active channels and those with orders in rows, and each id's position.
func intakeChannels(ctx context.Context, qs *store.Queries, rows []store.OrderDayCount) ([]ChannelRef, map[int64]int, error) {
	chans, err := qs.ListChannels(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("list channels: %w", err)
	}
	chans = slices.DeleteFunc(chans, func(c store.Channel) bool {
		return c.Active == 0 && !slices.ContainsFunc(rows, func(r store.OrderDayCount) bool { return r.ChannelID == c.ID })
	})
	slices.SortFunc(chans, func(x, y store.Channel) int { return cmp.Compare(x.Code, y.Code) })
	refs := make([]ChannelRef, len(chans))
	index := make(map[int64]int, len(chans))
	for i, c := range chans {
		refs[i], index[c.ID] = ChannelRef{Code: c.Code, Name: c.Name}, i
	}
	return refs, index, nil
}

// readStates reads the orders per status, kept by triggers.
func (d *Dashboard) readStates(ctx context.Context, qs *store.Queries) error {
	rows, err := qs.OrderCounts(ctx, int64(0))
	if err != nil {
		return fmt.Errorf("order counts: %w", err)
	}
	d.States = make(map[app.Status]int64, len(rows))
	for _, r := range rows {
		d.States[app.Status(r.Status)] = r.N
		d.Orders += r.N
	}
	return nil
}

// readPromises counts the late and at-risk open orders and names the soonest at risk.
func (d *Dashboard) readPromises(ctx context.Context, qs *store.Queries) error {
	now, until := app.NullInt(app.Millis(d.Now)), app.NullInt(app.Millis(d.Now.Add(atRiskWindow)))
	c, err := qs.PromiseCounts(ctx, store.PromiseCountsParams{Now: now, Until: until})
	if err != nil {
		return fmt.Errorf("promise counts: %w", err)
	}
	d.Late, d.AtRisk = c.Late, c.AtRisk
	rows, err := qs.AtRiskOrders(ctx, store.AtRiskOrdersParams{Now: now, Until: until, Lim: atRiskShown})
	if err != nil {
		return fmt.Errorf("at-risk orders: %w", err)
	}
	for _, r := range rows {
		d.AtRiskOrders = append(d.AtRiskOrders, PromisedOrder{Number: r.Number, Status: app.Status(r.Status), ShipBy: app.FromMillis(r.PromisedShipBy.Int64)})
	}
	return nil
}

// readLocations reads each location's fulfillments of its local today (with its capacity) and of the days.
func (d *Dashboard) readLocations(ctx context.Context, qs *store.Queries) error {
	locs, err := qs.ListLocations(ctx)
	if err != nil {
		return fmt.Errorf("list locations: %w", err)
	}
	from, to := d.Now.AddDate(0, 0, 1-DashboardDays).Format(time.DateOnly), d.Now.AddDate(0, 0, 1).Format(time.DateOnly)
	rows, err := qs.FulfillmentsByLocationDays(ctx, store.FulfillmentsByLocationDaysParams{FromDay: from, ToDay: to})
	if err != nil {
		return fmt.Errorf("fulfillments by location: %w", err)
	}
	for _, l := range locs {
		share, today := locationCounts(rows, l.ID, app.LocalDay(d.Now, l.Timezone))
		if l.Active == 1 && l.Ships == 1 {
			d.Locations = append(d.Locations, LocationLoad{Code: l.Code, Name: l.Name, Today: today, Capacity: l.DailyCapacity})
		}
		if share > 0 {
			d.Share = append(d.Share, LocationTotal{Code: l.Code, Name: l.Name, Fulfillments: share})
		}
	}
	slices.SortStableFunc(d.Share, func(x, y LocationTotal) int { return cmp.Compare(y.Fulfillments, x.Fulfillments) })
	return nil
}

// locationCounts sums a location's fulfillments over rows, and those of its day today.
func locationCounts(rows []store.LocationDayCount, id int64, today string) (total, onToday int64) {
	for _, r := range rows {
		if r.LocationID != id || r.Day > today {
			continue
		}
		total += r.N
		if r.Day == today {
			onToday = r.N
		}
	}
	return total, onToday
}
