package floor

import (
	"switchyard/app"
	"switchyard/app/automation"

	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	store "switchyard/sql"
)

// queuePage is how many fulfillments a queue tab lists: late ones, then higher priority, then the oldest first.
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
	Priority     int64 // set by automation rules: higher first, after the late ones
	Lines        []app.FulfillmentLine
}

// Queue is a location's work: counts per tab and a page of the fulfillments of one tab.
type Queue struct {
	Location app.Location
	Status   app.FulfillmentStatus
	Counts   map[app.FulfillmentStatus]int64
	Items    []QueueItem
	After    string // the cursor this page continues from ("" for the first page)
	Next     string // the cursor of the next page; "" on the last
	Limit    int    // the page size asked for (0: queuePage)
}

// LocationQueue returns a location's queue for one tab (pending by default).
// Warehouse users see only their own locations; others get NotFound.
func (a *Service) LocationQueue(ctx context.Context, actor app.Actor, code string, status app.FulfillmentStatus) (Queue, error) {
	return a.LocationQueuePage(ctx, actor, code, status, "", 0)
}

// LocationQueuePage is one page of a location's queue tab (the open tabs:
// late ones first, then the others, each by priority, higher first, then
// oldest first; the closed tabs oldest first), continuing after the cursor
// after ("" for the first page), limit at a time (0: 200).
func (a *Service) LocationQueuePage(ctx context.Context, actor app.Actor, code string, status app.FulfillmentStatus, after string, limit int) (Queue, error) {
	if status == "" {
		status = app.FulfillmentPending
	}
	if !slices.Contains(QueueTabs, status) {
		return Queue{}, app.InvalidField("status", "must be pending, accepted, shipped or rejected")
	}
	if _, err := parseQueueCursor(after); err != nil {
		return Queue{}, err
	}
	q := Queue{Status: status, Counts: map[app.FulfillmentStatus]int64{}, After: after, Limit: limit}
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
	since := app.Millis(a.startOfLocalDay(now, q.Location.Timezone))
	counts, err := qs.QueueCounts(ctx, store.QueueCountsParams{LocationID: q.Location.ID, Since: since})
	if err != nil {
		return fmt.Errorf("queue counts: %w", err)
	}
	for _, c := range counts {
		q.Counts[app.FulfillmentStatus(c.Status)] = c.N
	}
	rows, err := queueRows(ctx, qs, q, now, since)
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
	if err := app.AttachLineParts(ctx, qs, ids, func(id int64) []app.FulfillmentLine { return byID[id] }); err != nil {
		return err
	}
	for _, r := range rows {
		item := QueueItem{ID: r.ID, OrderNumber: r.Number, Status: app.FulfillmentStatus(r.Status), ShipBy: app.OptTime(r.PromisedShipBy),
			Held: r.OnHold == 1, HoldReason: app.HoldWhy(r.HoldReason), Customer: r.CustomerName, Pickup: r.Delivery == "pickup",
			Destination: app.OneLine(r.ShipCity, r.ShipCountry), CreatedAt: app.FromMillis(r.CreatedAt), RejectReason: r.RejectReason, Priority: r.Priority, Lines: byID[r.ID]}
		item.Late = item.ShipBy != nil && item.ShipBy.Before(now) && (item.Status == app.FulfillmentPending || item.Status == app.FulfillmentAccepted)
		q.Items = append(q.Items, item)
	}
	return nil
}

// queueCursor is a place in an open queue tab: among the late ones or the
// others, and the priority, created_at and id of the last fulfillment shown
// (the closed tabs read created_at and id only).
type queueCursor struct {
	late        int64 // 1: among the late ones
	priority    int64 // queueTop: above every priority (the start of a group)
	created, id int64
}

// queueTop is above every priority: a cursor at the start of a group.
const queueTop = automation.MaxPriority + 1

// String is the cursor as a page's address carries it.
func (c queueCursor) String() string {
	return fmt.Sprintf("%d~%d~%d~%d", c.late, c.priority, c.created, c.id)
}

// groupStart is the start of the group of late ones (late 1) or the others (late 0).
func groupStart(late int64) queueCursor {
	return queueCursor{late: late, priority: queueTop, created: math.MinInt64}
}

// parseQueueCursor reads a queue page cursor; "" is the start, among the late ones.
func parseQueueCursor(s string) (queueCursor, error) {
	if s == "" {
		return groupStart(1), nil
	}
	var c queueCursor
	n, err := fmt.Sscanf(s, "%d~%d~%d~%d", &c.late, &c.priority, &c.created, &c.id)
	if err != nil || n != 4 || (c.late != 0 && c.late != 1) || c.priority < 0 || c.priority > queueTop {
		return c, app.InvalidField("after", "is not a page cursor")
	}
	return c, nil
}

// queueRows reads a page of a tab's fulfillments, one more than the page to
// know whether there is a next: the open ones (pending, accepted) late ones
// first, then the higher priority (automation rules set it), then the
// oldest, across pages; or those shipped or rejected since the start of the
// day, oldest first.
func queueRows(ctx context.Context, qs *store.Queries, q *Queue, now time.Time, since int64) ([]store.QueueFulfillmentsRow, error) {
	limit := q.Limit
	if limit <= 0 || limit > queuePage {
		limit = queuePage
	}
	from, _ := parseQueueCursor(q.After)
	open := q.Status == app.FulfillmentPending || q.Status == app.FulfillmentAccepted
	var rows []store.QueueFulfillmentsRow
	if !open {
		r, err := qs.QueueFulfillments(ctx, store.QueueFulfillmentsParams{LocationID: q.Location.ID, Status: string(q.Status), Since: since,
			AfterCreated: from.created, AfterID: from.id, Lim: int64(limit + 1)})
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		rows = r
	} else {
		for at := from; at.late >= 0 && len(rows) <= limit; at = groupStart(at.late - 1) {
			more, err := openRows(ctx, qs, q, now, at, int64(limit+1-len(rows)))
			if err != nil {
				return nil, err
			}
			rows = append(rows, more...)
		}
	}
	if len(rows) > limit {
		last := rows[limit-1]
		late := int64(0)
		if open && last.PromisedShipBy.Valid && last.PromisedShipBy.Int64 < app.Millis(now) {
			late = 1
		}
		q.Next, rows = queueCursor{late: late, priority: last.Priority, created: last.CreatedAt, id: last.ID}.String(), rows[:limit]
	}
	return rows, nil
}

// openRows reads up to lim open fulfillments of the cursor's group (late or
// not) after it: the rest of its priority, then the lower priorities, each
// walking the open fulfillments' index in its order.
func openRows(ctx context.Context, qs *store.Queries, q *Queue, now time.Time, at queueCursor, lim int64) ([]store.QueueFulfillmentsRow, error) {
	var rows []store.QueueFulfillmentsRow
	if at.priority < queueTop {
		same, err := qs.QueueOpenFulfillments(ctx, store.QueueOpenFulfillmentsParams{LocationID: q.Location.ID, Status: string(q.Status),
			Priority: at.priority, Now: app.Millis(now), Late: at.late, AfterCreated: at.created, AfterID: at.id, Lim: lim})
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		for _, r := range same {
			rows = append(rows, store.QueueFulfillmentsRow(r))
		}
	}
	if int64(len(rows)) >= lim || at.priority == 0 {
		return rows, nil
	}
	lower, err := qs.QueueOpenLowerFulfillments(ctx, store.QueueOpenLowerFulfillmentsParams{LocationID: q.Location.ID, Status: string(q.Status),
		Below: at.priority, Now: app.Millis(now), Late: at.late, Lim: lim - int64(len(rows))})
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	for _, r := range lower {
		rows = append(rows, store.QueueFulfillmentsRow(r))
	}
	return rows, nil
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
	Parts    []PickPart // a kit's parts, to pick and pack together; nil for a plain SKU
}

// PickPart is one part of the kits of a PickSKU and how many units of it.
type PickPart struct {
	SKU      string
	Name     string
	Quantity int64
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
			pl.BySKU[i].addParts(l)
		}
	}
	slices.SortFunc(pl.BySKU, func(x, y PickSKU) int { return cmp.Compare(x.SKU, y.SKU) })
	return pl, nil
}

// AcceptMany accepts the ticked fulfillments that are waiting at location
// code, on whatever page of the queue they were ticked; the others (another
// location's, no longer waiting, unknown) are skipped and counted. It stops
// at the first one refused for another reason.
func (a *Service) AcceptMany(ctx context.Context, actor app.Actor, code string, ids []int64) (accepted, skipped int, err error) {
	loc, err := a.core.Read().GetLocationByCode(ctx, code)
	if store.IsNoRows(err) {
		return 0, 0, app.NotFound("no location %q", code)
	} else if err != nil {
		return 0, 0, fmt.Errorf("get location: %w", err)
	}
	for _, id := range ids {
		f, err := a.core.Read().GetFulfillment(ctx, id)
		if store.IsNoRows(err) || err == nil && (f.LocationID != loc.ID || app.FulfillmentStatus(f.Status) != app.FulfillmentPending) {
			skipped++
			continue
		} else if err != nil {
			return accepted, skipped, fmt.Errorf("get fulfillment %d: %w", id, err)
		}
		if _, err := a.core.AcceptFulfillment(ctx, actor, id); err != nil {
			return accepted, skipped, fmt.Errorf("fulfillment %d: %w", id, err)
		}
		accepted++
	}
	return accepted, skipped, nil
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
func (a *Service) startOfLocalDay(now time.Time, tz string) time.Time {
	loc, _ := a.core.Zone(tz)
	l := now.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc).UTC()
}

// addParts counts the parts of a kit line's open kits.
func (p *PickSKU) addParts(l app.FulfillmentLine) {
	for _, part := range l.Parts {
		i := slices.IndexFunc(p.Parts, func(x PickPart) bool { return x.SKU == part.SKU })
		if i < 0 {
			i = len(p.Parts)
			p.Parts = append(p.Parts, PickPart{SKU: part.SKU, Name: part.Name})
		}
		p.Parts[i].Quantity += part.Units(l.Open())
	}
}
