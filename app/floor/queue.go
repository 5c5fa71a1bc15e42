package floor

import (
	"switchyard/app"

	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	store "switchyard/sql"
)

// queuePage is how many fulfillments a queue tab lists: the oldest (and late) first.
const queuePage = 200

// QueueTabs are the tabs of a location's queue, in order.
var QueueTabs = []app.FulfillmentStatus{app.FulfillmentPending, app.FulfillmentAccepted, app.FulfillmentShipped, app.FulfillmentRejected}

// QueueItem is one fulfillment in a location's queue.
type QueueItem struct {
	ID           int64
	OrderNumber  string
	Status       app.FulfillmentStatus
	ShipBy       *time.Time
	Late         bool // the promised ship-by has passed
	Held         bool
	HoldReason   string
	Customer     string
	Pickup       bool
	Destination  string
	CreatedAt    time.Time
	RejectReason string
	Lines        []app.FulfillmentLine
}

// Queue is a location's work: counts per tab and the fulfillments of one tab.
type Queue struct {
	Location app.Location
	Status   app.FulfillmentStatus
	Counts   map[app.FulfillmentStatus]int64
	Items    []QueueItem
}

// LocationQueue returns a location's queue for one tab (pending by default).
// Warehouse users see only their own locations; others get NotFound.
func (a *Service) LocationQueue(ctx context.Context, actor app.Actor, code string, status app.FulfillmentStatus) (Queue, error) {
	if status == "" {
		status = app.FulfillmentPending
	}
	if !slices.Contains(QueueTabs, status) {
		return Queue{}, app.InvalidField("status", "must be pending, accepted, shipped or rejected")
	}
	q := Queue{Status: status, Counts: map[app.FulfillmentStatus]int64{}}
	err := a.core.DB().Snapshot(ctx, func(qs *store.Queries) error {
		if err := actor.KnowsLocation(ctx, app.Tx{Q: qs}, code); err != nil {
			return err
		}
		loc, err := a.core.Location(ctx, code)
		if err != nil {
			return err
		}
		q.Location = loc
		return a.fillQueue(ctx, qs, &q)
	})
	return q, err
}

// fillQueue reads the counts and the items of the queue's tab.
func (a *Service) fillQueue(ctx context.Context, qs *store.Queries, q *Queue) error {
	now := a.core.Now()
	since := app.Millis(startOfLocalDay(now, q.Location.Timezone))
	counts, err := qs.QueueCounts(ctx, store.QueueCountsParams{LocationID: q.Location.ID, Since: since})
	if err != nil {
		return fmt.Errorf("queue counts: %w", err)
	}
	for _, c := range counts {
		q.Counts[app.FulfillmentStatus(c.Status)] = c.N
	}
	rows, err := queueRows(ctx, qs, q.Location.ID, q.Status, since)
	if err != nil {
		return err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var lines []store.QueueFulfillmentLinesRow
	if len(ids) > 0 {
		if lines, err = qs.QueueFulfillmentLines(ctx, ids); err != nil {
			return fmt.Errorf("queue lines: %w", err)
		}
	}
	byID := map[int64][]app.FulfillmentLine{}
	for _, l := range lines {
		byID[l.FulfillmentID] = append(byID[l.FulfillmentID], app.FulfillmentLine{LineNo: l.LineNo, SKU: l.Sku, Quantity: l.Quantity, Shipped: l.Shipped, Released: l.Released})
	}
	for _, r := range rows {
		item := QueueItem{ID: r.ID, OrderNumber: r.Number, Status: app.FulfillmentStatus(r.Status), ShipBy: app.OptTime(r.PromisedShipBy),
			Held: r.OnHold == 1, HoldReason: app.HoldWhy(r.HoldReason), Customer: r.CustomerName, Pickup: r.Delivery == "pickup",
			Destination: app.OneLine(r.ShipCity, r.ShipCountry), CreatedAt: app.FromMillis(r.CreatedAt), RejectReason: r.RejectReason, Lines: byID[r.ID]}
		item.Late = item.ShipBy != nil && item.ShipBy.Before(now) && (item.Status == app.FulfillmentPending || item.Status == app.FulfillmentAccepted)
		q.Items = append(q.Items, item)
	}
	// Late ones first, then the oldest (the query's order, kept by the stable sort).
	slices.SortStableFunc(q.Items, func(x, y QueueItem) int { return boolOrder(y.Late, x.Late) })
	return nil
}

// queueRows reads a tab's fulfillments: all open ones (pending, accepted) by
// their own index, or those shipped or rejected since the start of the day.
func queueRows(ctx context.Context, qs *store.Queries, locationID int64, status app.FulfillmentStatus, since int64) ([]store.QueueFulfillmentsRow, error) {
	if status == app.FulfillmentPending || status == app.FulfillmentAccepted {
		open, err := qs.QueueOpenFulfillments(ctx, store.QueueOpenFulfillmentsParams{LocationID: locationID, Status: string(status), Lim: queuePage})
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		rows := make([]store.QueueFulfillmentsRow, len(open))
		for i, r := range open {
			rows[i] = store.QueueFulfillmentsRow(r)
		}
		return rows, nil
	}
	rows, err := qs.QueueFulfillments(ctx, store.QueueFulfillmentsParams{LocationID: locationID, Status: string(status), Since: since, Lim: queuePage})
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return rows, nil
}

// boolOrder orders false before true.
func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// PickList is what to fetch from the shelves for the accepted fulfillments.
type PickList struct {
	Location app.Location
	BySKU    []PickSKU
	Orders   []QueueItem
}

// PickSKU is one SKU to pick and how many, over all accepted fulfillments.
type PickSKU struct {
	SKU      string
	Name     string
	Quantity int64
	Orders   int
}

// PickListFor gathers a location's accepted fulfillments by SKU, then per order.
func (a *Service) PickListFor(ctx context.Context, actor app.Actor, code string) (PickList, error) {
	q, err := a.LocationQueue(ctx, actor, code, app.FulfillmentAccepted)
	if err != nil {
		return PickList{}, err
	}
	pl := PickList{Location: q.Location, Orders: q.Items}
	index := map[string]int{}
	for _, it := range q.Items {
		if it.Held {
			continue
		}
		for _, l := range it.Lines {
			if l.Open() <= 0 {
				continue
			}
			i, ok := index[l.SKU]
			if !ok {
				i = len(pl.BySKU)
				index[l.SKU] = i
				pl.BySKU = append(pl.BySKU, PickSKU{SKU: l.SKU})
			}
			pl.BySKU[i].Quantity += l.Open()
			pl.BySKU[i].Orders++
		}
	}
	slices.SortFunc(pl.BySKU, func(x, y PickSKU) int { return cmp.Compare(x.SKU, y.SKU) })
	return pl, nil
}

// AcceptMany accepts several fulfillments at once; each is checked on its own.
func (a *Service) AcceptMany(ctx context.Context, actor app.Actor, ids []int64) (int, error) {
	n := 0
	for _, id := range ids {
		if _, err := a.core.AcceptFulfillment(ctx, actor, id); err != nil {
			return n, fmt.Errorf("fulfillment %d: %w", id, err)
		}
		n++
	}
	return n, nil
}

// locationFulfillmentIDs lists the ids of a location's fulfillments in a
// status, or its open ones when status is "", oldest first, at most 500; only
// those of channelID's orders unless it is 0 (filtered in SQL, before the limit).
func locationFulfillmentIDs(ctx context.Context, qs *store.Queries, locationID, channelID int64, status string) ([]int64, error) {
	const limit = 500
	switch app.FulfillmentStatus(status) {
	case "", app.FulfillmentPending, app.FulfillmentAccepted:
		return qs.ListOpenLocationFulfillments(ctx, store.ListOpenLocationFulfillmentsParams{
			LocationID: locationID, Status: status, ChannelID: channelID, Lim: limit})
	default:
		return qs.ListClosedLocationFulfillments(ctx, store.ListClosedLocationFulfillmentsParams{
			LocationID: locationID, Status: status, ChannelID: channelID, Lim: limit})
	}
}

// LocationFulfillments lists a location's fulfillments for the API (open ones
// when status is ""); a key bound to a channel sees only its channel's orders'.
func (a *Service) LocationFulfillments(ctx context.Context, actor app.Actor, code, status string) ([]app.Fulfillment, error) {
	if status != "" && !slices.Contains(app.FulfillmentStatuses, app.FulfillmentStatus(status)) {
		return nil, app.InvalidField("status", "is not a fulfillment status")
	}
	var out []app.Fulfillment
	err := a.core.DB().Snapshot(ctx, func(qs *store.Queries) error {
		loc, err := ownLocation(ctx, qs, actor, code)
		if err != nil {
			return err
		}
		channelID, err := actor.Reach().ChannelID(ctx, qs)
		if err != nil {
			return err
		}
		ids, err := locationFulfillmentIDs(ctx, qs, loc.ID, channelID, status)
		if err != nil {
			return fmt.Errorf("location fulfillments: %w", err)
		}
		for _, id := range ids {
			f, err := qs.GetFulfillment(ctx, id)
			if err != nil {
				return fmt.Errorf("get fulfillment: %w", err)
			}
			fs, err := app.OrderFulfillments(ctx, qs, f.OrderID)
			if err != nil {
				return err
			}
			for _, x := range fs {
				if x.ID == id {
					out = append(out, x)
				}
			}
		}
		return nil
	})
	return out, err
}

// ownLocation reads a location the actor may work at: warehouse users only
// their own, others any; unknown and foreign codes alike are NotFound.
func ownLocation(ctx context.Context, qs *store.Queries, actor app.Actor, code string) (store.Location, error) {
	if err := actor.KnowsLocation(ctx, app.Tx{Q: qs}, code); err != nil {
		return store.Location{}, err
	}
	loc, err := qs.GetLocationByCode(ctx, code)
	if store.IsNoRows(err) {
		return loc, app.NotFound("no location %q", code)
	}
	if err != nil {
		return loc, fmt.Errorf("get location: %w", err)
	}
	return loc, nil
}

// startOfLocalDay is midnight of now's day in the time zone tz, in UTC.
func startOfLocalDay(now time.Time, tz string) time.Time {
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" {
		loc = time.UTC
	}
	l := now.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc).UTC()
}
