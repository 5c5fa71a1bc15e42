package desk

import (
	"switchyard/app"

	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	store "switchyard/sql"
)

// ExceptionKind is why an order or a stock level needs a person.
type ExceptionKind string

// The kinds of exception, each a tab of the queue.
const (
	ExceptionHeld     ExceptionKind = "held"     // on hold
	ExceptionWaiting  ExceptionKind = "waiting"  // backordered, partly routed or not routed
	ExceptionRejected ExceptionKind = "rejected" // a location rejected it and it is not placed again
	ExceptionLate     ExceptionKind = "late"     // its promised ship-by has passed
	ExceptionShort    ExceptionKind = "short"    // a stock level with less on hand than reserved
)

// ExceptionKinds lists the kinds in the order of the queue's tabs.
var ExceptionKinds = []ExceptionKind{ExceptionHeld, ExceptionWaiting, ExceptionRejected, ExceptionLate, ExceptionShort}

// Fix is the page where an exception is put right.
type Fix string

// The pages that fix exceptions.
const (
	FixOrder   Fix = "order"   // the order's page: release, cancel, change
	FixRouting Fix = "routing" // the order's routing page: reroute, move
	FixLedger  Fix = "ledger"  // the stock level's ledger: count, adjust
)

// Reason is one reason an exception needs a person, in words, and where to fix it.
type Reason struct {
	Kind ExceptionKind
	Text string
	Fix  Fix
}

// Exception is an order or a stock level that needs a person.
type Exception struct {
	Key          string        // "order:SY-000123" or "stock:LYS-WH/TEE-BLK-M"
	Kind         ExceptionKind // the kind of its first reason
	Order        string        // the order's number; "" for a stock level
	Customer     string
	Channel      string
	Location     string // the stock level's location code and name; "" for an order
	LocationName string
	SKU          string
	Since        time.Time // when the order was placed, or the level last changed
	Reasons      []Reason
	TakenBy      string // the name of who took it; "" when nobody has
	TakenAt      time.Time
	Mine         bool // the viewer took it
}

// Has reports whether one of the exception's reasons is of kind k.
func (e Exception) Has(k ExceptionKind) bool {
	return slices.ContainsFunc(e.Reasons, func(r Reason) bool { return r.Kind == k })
}

// inTab reports whether the exception is in kind k's tab: its first reason's, or late when late ("" is all).
func (e Exception) inTab(k ExceptionKind) bool {
	return k == "" || e.Kind == k || (k == ExceptionLate && e.Has(ExceptionLate))
}

// ExceptionQuery selects a page of one list of the queue.
type ExceptionQuery struct {
	Kind  ExceptionKind // "" for every kind
	Mine  bool          // only those the viewer took
	After string        // the cursor of the page to continue from ("" for the first)
	Limit int           // the page size (0: ExceptionPage)
}

// ExceptionList is the queue: how many of each kind, and one page of one list.
type ExceptionList struct {
	Query  ExceptionQuery
	Counts map[ExceptionKind]int64 // per tab; late orders are also counted in their other tab
	Total  int64                   // every exception once
	Items  []Exception
	Next   string // the cursor of the next page; "" on the last
	// Count is how many the list holds over all its pages; Capped: more than Count
	// (the viewer's own list, counted no further than ExceptionMineCap).
	Count  int64
	Capped bool
}

// ExceptionPage is how many exceptions a page shows unless asked otherwise; at most 500.
const ExceptionPage = 50

// ExceptionMineCap is how far "assigned to me" is counted.
const ExceptionMineCap = 500

// waitingStatuses are the statuses of orders with stock still to place.
var waitingStatuses = []app.Status{app.StatusReceived, app.StatusPartiallyRouted, app.StatusBackordered}

// ExceptionCount is how many exceptions there are, each once, late returns
// and failed refunds included (for the navigation).
func (a *Service) ExceptionCount(ctx context.Context) (int64, error) {
	t, err := a.core.Read().ExceptionTotals(ctx, app.NullInt(app.Millis(a.core.Now())))
	if err != nil {
		return 0, fmt.Errorf("exception totals: %w", err)
	}
	returns, err := a.ReturnExceptionCount(ctx)
	if err != nil {
		return 0, err
	}
	return t.Stuck + t.Late + t.Short + returns, nil
}

// Exceptions lists the counts per kind and one page of a tab (or of all, or of
// the viewer's), for the viewer: each exception once, in the order of its list.
func (a *Service) Exceptions(ctx context.Context, viewer app.Actor, q ExceptionQuery) (ExceptionList, error) {
	if q.Kind != "" && !slices.Contains(ExceptionKinds, q.Kind) {
		return ExceptionList{}, app.InvalidField("kind", "must be one of: "+kindList())
	}
	l := listing{query: q, viewer: viewer.ID, now: a.core.Now(), limit: app.ClampLimit(q.Limit)}
	if q.Limit == 0 {
		l.limit = ExceptionPage
	}
	from, err := l.parseCursor(q.After)
	if err != nil {
		return ExceptionList{}, err
	}
	out := ExceptionList{Query: q}
	err = a.core.DB().Snapshot(ctx, func(qs *store.Queries) error {
		var err error
		if out.Counts, out.Total, err = exceptionCounts(ctx, qs, a.core.Now()); err != nil {
			return err
		}
		if out.Items, out.Next, err = l.page(ctx, qs, from); err != nil {
			return err
		}
		if err := addTakers(ctx, qs, viewer.ID, out.Items); err != nil {
			return err
		}
		out.Count, out.Capped, err = l.count(ctx, qs, out)
		return err
	})
	return out, err
}

// kindList names the kinds for an error message.
func kindList() string {
	names := make([]string, len(ExceptionKinds))
	for i, k := range ExceptionKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// exceptionCounts counts each tab (held and waiting from order_counts, less rejections) and all exceptions once.
func exceptionCounts(ctx context.Context, qs *store.Queries, now time.Time) (map[ExceptionKind]int64, int64, error) {
	t, err := qs.ExceptionTotals(ctx, app.NullInt(app.Millis(now)))
	if err != nil {
		return nil, 0, fmt.Errorf("exception totals: %w", err)
	}
	byStatus, err := qs.OrderCounts(ctx, int64(0))
	if err != nil {
		return nil, 0, fmt.Errorf("order counts: %w", err)
	}
	rejected, err := qs.RejectionCounts(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("rejection counts: %w", err)
	}
	late, err := qs.LateCount(ctx, app.NullInt(app.Millis(now)))
	if err != nil {
		return nil, 0, fmt.Errorf("late count: %w", err)
	}
	counts := map[ExceptionKind]int64{ExceptionLate: late, ExceptionShort: t.Short}
	for _, c := range byStatus {
		counts[statusKind(app.Status(c.Status))] += c.N
	}
	for _, r := range rejected {
		counts[statusKind(app.Status(r.Status))] -= r.N
		counts[ExceptionRejected] += r.N
	}
	delete(counts, "")
	return counts, t.Stuck + t.Late + t.Short, nil
}

// statusKind is the tab of an order in status s without a pending rejection ("" for none).
func statusKind(s app.Status) ExceptionKind {
	switch {
	case s == app.StatusOnHold:
		return ExceptionHeld
	case slices.Contains(waitingStatuses, s):
		return ExceptionWaiting
	}
	return ""
}

// A list of the queue reads its sources one after the other, each in its own
// order: a tab reads its kind's; "all" reads every kind's in the order of the
// tabs, each exception under the first kind that lists it; "assigned to me"
// reads the viewer's taken orders, then their taken stock levels.
const (
	sourceMineOrders = "mine"
	sourceMineLevels = "mine-short"
)

// cursor is a place in a list: a source and the position of the last exception read from it.
type cursor struct {
	source string
	pos    [2]string
}

// String is the cursor as a page's address carries it.
func (c cursor) String() string { return c.source + "~" + c.pos[0] + "~" + c.pos[1] }

// candidate is an order or a stock level a source lists, and its place.
type candidate struct {
	order  int64
	status string // the order's status, when the source reads it
	level  *store.ShortLevelsRow
	at     cursor
}

// listing is one page being read.
type listing struct {
	query  ExceptionQuery
	viewer int64
	now    time.Time
	limit  int
}

// sources are the lists this listing reads, in order.
func (l listing) sources() []string {
	switch {
	case l.query.Mine:
		return []string{sourceMineOrders, sourceMineLevels}
	case l.query.Kind != "":
		return []string{string(l.query.Kind)}
	}
	out := make([]string, len(ExceptionKinds))
	for i, k := range ExceptionKinds {
		out[i] = string(k)
	}
	return out
}

// parseCursor reads a page cursor of this listing ("" is the start of its first source).
func (l listing) parseCursor(s string) (cursor, error) {
	if s == "" {
		return cursor{source: l.sources()[0]}, nil
	}
	parts := strings.SplitN(s, "~", 3)
	if len(parts) != 3 || !slices.Contains(l.sources(), parts[0]) {
		return cursor{}, app.InvalidField("after", "is not a page cursor of this list")
	}
	c := cursor{source: parts[0], pos: [2]string{parts[1], parts[2]}}
	if c.source != string(ExceptionShort) && c.source != sourceMineLevels {
		if _, err := strconv.ParseInt(c.pos[0], 10, 64); err != nil {
			return cursor{}, app.InvalidField("after", "is not a page cursor of this list")
		}
		if _, err := strconv.ParseInt(c.pos[1], 10, 64); err != nil && c.source != sourceMineOrders {
			return cursor{}, app.InvalidField("after", "is not a page cursor of this list")
		}
	}
	return c, nil
}

// page reads the exceptions after from, source after source, until one more
// than the page is found (so the next page is known not to be empty) or every
// source is read. It answers the page and the cursor of the next one.
func (l listing) page(ctx context.Context, qs *store.Queries, from cursor) ([]Exception, string, error) {
	var items []Exception
	var places []cursor
	srcs := l.sources()
	for _, src := range srcs[slices.Index(srcs, from.source):] {
		at := cursor{source: src}
		if src == from.source {
			at = from
		}
		for len(items) <= l.limit {
			batch, err := l.read(ctx, qs, at, int64(l.limit+1))
			if err != nil {
				return nil, "", err
			}
			found, err := l.describe(ctx, qs, batch)
			if err != nil {
				return nil, "", err
			}
			for i, e := range found {
				if e.Key != "" {
					items, places = append(items, e), append(places, batch[i].at)
				}
			}
			if len(batch) <= l.limit {
				break
			}
			at = batch[len(batch)-1].at
		}
	}
	if len(items) > l.limit {
		return items[:l.limit], places[l.limit-1].String(), nil
	}
	return items, "", nil
}

// read lists up to lim candidates of a source after the cursor at.
func (l listing) read(ctx context.Context, qs *store.Queries, at cursor, lim int64) ([]candidate, error) {
	var out []candidate
	n1, _ := strconv.ParseInt(at.pos[0], 10, 64)
	n2, _ := strconv.ParseInt(at.pos[1], 10, 64)
	if at.pos[0] == "" {
		n1 = math.MinInt64
	}
	place := func(a, b any) cursor { return cursor{source: at.source, pos: [2]string{fmt.Sprint(a), fmt.Sprint(b)}} }
	var err error
	switch at.source {
	case string(ExceptionHeld), string(ExceptionWaiting):
		statuses := waitingStatuses
		if at.source == string(ExceptionHeld) {
			statuses = []app.Status{app.StatusOnHold}
		}
		var rows []store.ExceptionOrdersInStatusRow
		rows, err = ordersInStatuses(ctx, qs, statuses, n1, n2, lim)
		for _, r := range rows {
			out = append(out, candidate{order: r.ID, at: place(r.PlacedAt, r.ID)})
		}
	case string(ExceptionRejected):
		var rows []store.RejectedOrderIDsRow
		rows, err = qs.RejectedOrderIDs(ctx, store.RejectedOrderIDsParams{AfterAt: n1, AfterID: n2, Lim: lim})
		for _, r := range rows {
			out = append(out, candidate{order: r.OrderID, at: place(r.RejectedAt, r.OrderID)})
		}
	case string(ExceptionLate):
		var rows []store.LateOrderIDsRow
		rows, err = qs.LateOrderIDs(ctx, store.LateOrderIDsParams{Now: app.NullInt(app.Millis(l.now)), AfterBy: app.NullInt(n1), AfterID: n2, Lim: lim})
		for _, r := range rows {
			out = append(out, candidate{order: r.ID, status: r.Status, at: place(r.PromisedShipBy, r.ID)})
		}
	case string(ExceptionShort):
		var rows []store.ShortLevelsRow
		rows, err = qs.ShortLevels(ctx, store.ShortLevelsParams{AfterLocation: at.pos[0], AfterSku: at.pos[1], Lim: lim})
		for i, r := range rows {
			out = append(out, candidate{level: &rows[i], at: place(r.Location, r.Sku)})
		}
	case sourceMineOrders:
		var rows []store.AssignedOrderIDsRow
		rows, err = qs.AssignedOrderIDs(ctx, store.AssignedOrderIDsParams{UserID: l.viewer, AfterAt: n1, AfterKey: at.pos[1], Lim: lim})
		for _, r := range rows {
			out = append(out, candidate{order: r.OrderID.Int64, at: place(r.TakenAt, r.Key)})
		}
	case sourceMineLevels:
		var rows []store.ShortLevelsOfRow
		rows, err = qs.ShortLevelsOf(ctx, store.ShortLevelsOfParams{UserID: l.viewer, AfterLocation: at.pos[0], AfterSku: at.pos[1], Lim: lim})
		for _, r := range rows {
			lv := store.ShortLevelsRow(r)
			out = append(out, candidate{level: &lv, at: place(r.Location, r.Sku)})
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s exceptions: %w", at.source, err)
	}
	return out, nil
}

// ordersInStatuses lists the oldest orders in statuses without a pending
// rejection after the keyset (placed, id), one index range per status.
func ordersInStatuses(ctx context.Context, qs *store.Queries, statuses []app.Status, placed, id, lim int64) ([]store.ExceptionOrdersInStatusRow, error) {
	var rows []store.ExceptionOrdersInStatusRow
	for _, s := range statuses {
		r, err := qs.ExceptionOrdersInStatus(ctx, store.ExceptionOrdersInStatusParams{Status: string(s), AfterPlaced: placed, AfterID: id, Lim: lim})
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	slices.SortFunc(rows, func(x, y store.ExceptionOrdersInStatusRow) int {
		return cmp.Or(cmp.Compare(x.PlacedAt, y.PlacedAt), cmp.Compare(x.ID, y.ID))
	})
	return rows[:min(len(rows), int(lim))], nil
}

// describe gives each candidate its reasons, in the same order; a candidate
// this list does not show (it needs nobody, belongs to another tab, or "all"
// listed it under an earlier kind) is left with an empty Key.
func (l listing) describe(ctx context.Context, qs *store.Queries, batch []candidate) ([]Exception, error) {
	var ids []int64
	for _, c := range batch {
		if c.level == nil {
			ids = append(ids, c.order)
		}
	}
	f, err := readExceptionFacts(ctx, qs, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Exception, len(batch))
	for i, c := range batch {
		if c.level != nil {
			out[i] = levelException(*c.level)
		} else if o, ok := f.orders[c.order]; ok {
			var rej *store.ExceptionRejectionsRow
			if r, ok := f.rejections[c.order]; ok {
				rej = &r
			}
			out[i] = orderException(o, rej, f.lines[c.order], l.now)
		}
		if !l.shows(out[i], c) {
			out[i] = Exception{}
		}
	}
	return out, nil
}

// shows reports whether this list shows e, found as c.
func (l listing) shows(e Exception, c candidate) bool {
	switch {
	case len(e.Reasons) == 0:
		return false
	case l.query.Mine:
		return e.inTab(l.query.Kind)
	case l.query.Kind == "" && c.at.source == string(ExceptionLate):
		// Held, waiting and rejected orders were listed under their own kind.
		return !slices.Contains(append([]app.Status{app.StatusOnHold}, waitingStatuses...), app.Status(c.status))
	}
	return e.inTab(l.query.Kind)
}

// count is how many the list holds: the tab's count, every exception for
// "all", and for "assigned to me" those read, up to ExceptionMineCap.
func (l listing) count(ctx context.Context, qs *store.Queries, out ExceptionList) (int64, bool, error) {
	switch {
	case !l.query.Mine && l.query.Kind == "":
		return out.Total, false, nil
	case !l.query.Mine:
		return out.Counts[l.query.Kind], false, nil
	}
	all := l
	all.limit = ExceptionMineCap
	items, next, err := all.page(ctx, qs, cursor{source: sourceMineOrders})
	return int64(len(items)), next != "", err
}

// exceptionFacts is what the reasons of the candidate orders are made of.
type exceptionFacts struct {
	orders     map[int64]store.ExceptionOrderFactsRow
	rejections map[int64]store.ExceptionRejectionsRow
	lines      map[int64][]store.ExceptionWaitingLinesRow
}

// readExceptionFacts reads the candidate orders, their pending rejections and waiting lines.
func readExceptionFacts(ctx context.Context, qs *store.Queries, ids []int64) (exceptionFacts, error) {
	f := exceptionFacts{orders: map[int64]store.ExceptionOrderFactsRow{}, rejections: map[int64]store.ExceptionRejectionsRow{},
		lines: map[int64][]store.ExceptionWaitingLinesRow{}}
	if len(ids) == 0 {
		return f, nil
	}
	orders, err := qs.ExceptionOrderFacts(ctx, ids)
	if err != nil {
		return f, fmt.Errorf("exception orders: %w", err)
	}
	for _, o := range orders {
		f.orders[o.ID] = o
	}
	rejections, err := qs.ExceptionRejections(ctx, ids)
	if err != nil {
		return f, fmt.Errorf("exception rejections: %w", err)
	}
	for _, r := range rejections {
		f.rejections[r.OrderID] = r
	}
	lines, err := qs.ExceptionWaitingLines(ctx, ids)
	if err != nil {
		return f, fmt.Errorf("exception lines: %w", err)
	}
	for _, l := range lines {
		f.lines[l.OrderID] = append(f.lines[l.OrderID], l)
	}
	return f, nil
}

// orderException is an order with every reason it needs a person, most pressing first.
func orderException(o store.ExceptionOrderFactsRow, rej *store.ExceptionRejectionsRow, lines []store.ExceptionWaitingLinesRow, now time.Time) Exception {
	e := Exception{Key: OrderExceptionKey(o.Number), Order: o.Number, Customer: o.CustomerName, Channel: o.ChannelName, Since: app.FromMillis(o.PlacedAt)}
	status := app.Status(o.Status)
	if rej != nil {
		e.Reasons = append(e.Reasons, Reason{Kind: ExceptionRejected, Text: rejectionText(*rej), Fix: FixRouting})
	}
	if status == app.StatusOnHold {
		e.Reasons = append(e.Reasons, Reason{Kind: ExceptionHeld, Text: "On hold " + app.HoldWhy(o.HoldReason), Fix: FixOrder})
	}
	if open := slices.Contains(openStatuses, status); open && (len(lines) > 0 || slices.Contains(waitingStatuses, status)) {
		e.Reasons = append(e.Reasons, Reason{Kind: ExceptionWaiting, Text: waitingText(lines), Fix: FixRouting})
	}
	if late := o.PromisedShipBy.Valid && o.PromisedShipBy.Int64 < app.Millis(now); late && slices.Contains(openStatuses, status) {
		e.Reasons = append(e.Reasons, Reason{Kind: ExceptionLate, Text: "Late: was to ship by " + shortDay(app.FromMillis(o.PromisedShipBy.Int64), now), Fix: FixOrder})
	}
	if len(e.Reasons) > 0 {
		e.Kind = e.Reasons[0].Kind
	}
	return e
}

// openStatuses are the statuses of orders with something still to ship.
var openStatuses = []app.Status{app.StatusReceived, app.StatusRouted, app.StatusPartiallyRouted, app.StatusBackordered, app.StatusInFulfillment,
	app.StatusPartiallyShipped, app.StatusOnHold}

// rejectionText says who rejected an order's work and why.
func rejectionText(r store.ExceptionRejectionsRow) string {
	why := strings.ReplaceAll(r.RejectReason, "_", " ")
	if r.RejectNote != "" {
		why += ": " + r.RejectNote
	}
	return fmt.Sprintf("Rejected by %s (%s); not routed again yet", r.LocationName, why)
}

// waitingText says what of an order waits for stock, and where.
func waitingText(lines []store.ExceptionWaitingLinesRow) string {
	var parts []string
	for _, l := range lines {
		if l.Backordered > 0 && l.BackorderLocation != "" {
			parts = append(parts, fmt.Sprintf("%d × %s backordered at %s", l.Backordered, l.Sku, l.BackorderLocation))
		} else if l.Backordered > 0 {
			parts = append(parts, fmt.Sprintf("%d × %s backordered", l.Backordered, l.Sku))
		}
		if rest := l.Waiting - l.Backordered; rest > 0 {
			parts = append(parts, fmt.Sprintf("%d × %s not routed", rest, l.Sku))
		}
	}
	if len(parts) == 0 {
		return "Not routed yet"
	}
	return "Waiting for stock: " + strings.Join(parts, ", ")
}

// shortDay is a day such as "3 Dec", with the year when it is not now's.
func shortDay(t, now time.Time) string {
	if t.Year() != now.Year() {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2 Jan")
}

// levelException is a short stock level as an exception.
func levelException(l store.ShortLevelsRow) Exception {
	text := fmt.Sprintf("%s has %d × %s on hand but %d reserved", l.LocationName, l.OnHand, l.Sku, l.Reserved)
	return Exception{
		Key: StockExceptionKey(l.Location, l.Sku), Kind: ExceptionShort, Location: l.Location, LocationName: l.LocationName,
		SKU: l.Sku, Since: app.FromMillis(l.UpdatedAt), Reasons: []Reason{{Kind: ExceptionShort, Text: text, Fix: FixLedger}},
	}
}

// addTakers notes who took each exception, and whether it is the viewer.
func addTakers(ctx context.Context, qs *store.Queries, viewer int64, items []Exception) error {
	if len(items) == 0 {
		return nil
	}
	keys := make([]string, len(items))
	for i, e := range items {
		keys[i] = e.Key
	}
	rows, err := qs.ExceptionAssignments(ctx, keys)
	if err != nil {
		return fmt.Errorf("exception assignments: %w", err)
	}
	byKey := make(map[string]store.ExceptionAssignmentsRow, len(rows))
	for _, r := range rows {
		byKey[r.Key] = r
	}
	for i := range items {
		if r, ok := byKey[items[i].Key]; ok {
			items[i].TakenBy, items[i].TakenAt, items[i].Mine = r.UserName, app.FromMillis(r.TakenAt), r.UserID == viewer
		}
	}
	return nil
}

// OrderExceptionKey is the key of an order's exception.
func OrderExceptionKey(number string) string { return "order:" + number }

// StockExceptionKey is the key of a short stock level's exception.
func StockExceptionKey(location, sku string) string { return "stock:" + location + "/" + sku }

// exceptionKey is a parsed exception key: an order number, or a location and a SKU.
type exceptionKey struct {
	order, location, sku string
}

// parseExceptionKey reads "order:<number>" or "stock:<location>/<sku>".
func parseExceptionKey(key string) (exceptionKey, error) {
	if number, ok := strings.CutPrefix(key, "order:"); ok && number != "" {
		return exceptionKey{order: number}, nil
	}
	if level, ok := strings.CutPrefix(key, "stock:"); ok {
		if loc, sku, ok := strings.Cut(level, "/"); ok && loc != "" && sku != "" {
			return exceptionKey{location: loc, sku: sku}, nil
		}
	}
	return exceptionKey{}, app.InvalidField("key", "must be order:<number> or stock:<location>/<sku>")
}

// TakeException gives the exception key to the actor (over whoever had it), noting it on the order's timeline.
func (a *Service) TakeException(ctx context.Context, actor app.Actor, key string) (Exception, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleSupport); err != nil {
		return Exception{}, err
	}
	k, err := parseExceptionKey(key)
	if err != nil {
		return Exception{}, err
	}
	err = a.core.Write(ctx, func(tx app.Tx) error {
		if k.order != "" {
			return takeOrder(ctx, tx, actor, key, k.order)
		}
		return takeLevel(ctx, tx, actor, key, k)
	})
	if err != nil {
		return Exception{}, err
	}
	return a.ExceptionByKey(ctx, actor, key)
}

// takeOrder gives an order that needs a person to the actor.
func takeOrder(ctx context.Context, tx app.Tx, actor app.Actor, key, number string) error {
	o, err := tx.Q.GetOrderByNumber(ctx, number)
	if store.IsNoRows(err) {
		return app.NotFound("no order %s", number)
	} else if err != nil {
		return fmt.Errorf("get order %s: %w", number, err)
	}
	items, err := describeCandidates(ctx, tx.Q, tx.Now, actor.ID, []candidate{{order: o.ID}})
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return app.Conflict("order %s needs nobody now: it is %s", number, app.Status(o.Status).Label())
	}
	if err := tx.Q.TakeException(ctx, store.TakeExceptionParams{Key: key, OrderID: app.NullInt(o.ID), UserID: actor.ID, TakenAt: app.Millis(tx.Now)}); err != nil {
		return fmt.Errorf("take exception: %w", err)
	}
	return app.AppendEvent(ctx, tx, o.ID, actor, app.NewEvent{Kind: "exception_taken",
		Message: actor.Label() + " took this order from the exceptions queue (" + strings.ToLower(items[0].Reasons[0].Text) + ")."})
}

// takeLevel gives a short stock level to the actor.
func takeLevel(ctx context.Context, tx app.Tx, actor app.Actor, key string, k exceptionKey) error {
	l, err := tx.Q.GetShortLevel(ctx, store.GetShortLevelParams{Location: k.location, Sku: k.sku})
	if store.IsNoRows(err) {
		return app.NotFound("no stock of %s at %s", k.sku, k.location)
	} else if err != nil {
		return fmt.Errorf("get stock level: %w", err)
	}
	if l.OnHand >= l.Reserved {
		return app.Conflict("%s at %s is not short now: %d on hand for %d reserved", k.sku, k.location, l.OnHand, l.Reserved)
	}
	err = tx.Q.TakeException(ctx, store.TakeExceptionParams{Key: key, LocationID: app.NullInt(l.LocationID), SkuID: app.NullInt(l.SkuID),
		UserID: actor.ID, TakenAt: app.Millis(tx.Now)})
	if err != nil {
		return fmt.Errorf("take exception: %w", err)
	}
	return nil
}

// ExceptionByKey reads one exception as the viewer sees it in the queue.
func (a *Service) ExceptionByKey(ctx context.Context, viewer app.Actor, key string) (Exception, error) {
	k, err := parseExceptionKey(key)
	if err != nil {
		return Exception{}, err
	}
	var out []Exception
	err = a.core.DB().Snapshot(ctx, func(qs *store.Queries) error {
		c, err := keyCandidates(ctx, qs, k)
		if err != nil {
			return err
		}
		out, err = describeCandidates(ctx, qs, a.core.Now(), viewer.ID, c)
		return err
	})
	if err != nil {
		return Exception{}, err
	}
	if len(out) == 0 {
		return Exception{}, app.NotFound("%s is not an exception now", key)
	}
	return out[0], nil
}

// keyCandidates is the order or short level a key names.
func keyCandidates(ctx context.Context, qs *store.Queries, k exceptionKey) ([]candidate, error) {
	if k.order != "" {
		o, err := qs.GetOrderByNumber(ctx, k.order)
		if store.IsNoRows(err) {
			return nil, app.NotFound("no order %s", k.order)
		}
		return []candidate{{order: o.ID}}, wrapErr("get order", err)
	}
	l, err := qs.GetShortLevel(ctx, store.GetShortLevelParams{Location: k.location, Sku: k.sku})
	if store.IsNoRows(err) || (err == nil && l.OnHand >= l.Reserved) {
		return nil, nil
	}
	lv := store.ShortLevelsRow(l)
	return []candidate{{level: &lv}}, wrapErr("get stock level", err)
}

// describeCandidates gives candidates their reasons and takers, leaving out those that need nobody.
func describeCandidates(ctx context.Context, qs *store.Queries, now time.Time, viewer int64, cands []candidate) ([]Exception, error) {
	found, err := listing{viewer: viewer, now: now}.describe(ctx, qs, cands)
	if err != nil {
		return nil, err
	}
	var out []Exception
	for _, e := range found {
		if e.Key != "" {
			out = append(out, e)
		}
	}
	return out, addTakers(ctx, qs, viewer, out)
}

// wrapErr wraps err with what was being done; nil stays nil.
func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
