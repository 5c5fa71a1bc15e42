package desk

import (
	"switchyard/app"

	"cmp"
	"context"
	"fmt"
	"slices"
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

// ExceptionQuery selects a list of the queue.
type ExceptionQuery struct {
	Kind ExceptionKind // "" for every kind
	Mine bool          // only those the viewer took
}

// ExceptionList is the queue: how many of each kind, and one list.
type ExceptionList struct {
	Query  ExceptionQuery
	Counts map[ExceptionKind]int64 // per tab; late orders are also counted in their other tab
	Total  int64                   // every exception once
	Items  []Exception
	More   bool // there are more than the list shows
}

// ExceptionLimit is how many exceptions one list shows.
const ExceptionLimit = 200

// waitingStatuses are the statuses of orders with stock still to place.
var waitingStatuses = []app.Status{app.StatusReceived, app.StatusPartiallyRouted, app.StatusBackordered}

// ExceptionCount is how many exceptions there are, each once (for the navigation).
func (a *Service) ExceptionCount(ctx context.Context) (int64, error) {
	t, err := a.core.Read().ExceptionTotals(ctx, app.NullInt(app.Millis(a.core.Now())))
	if err != nil {
		return 0, fmt.Errorf("exception totals: %w", err)
	}
	return t.Stuck + t.Late + t.Short, nil
}

// Exceptions lists the counts per kind and the exceptions of one tab (or all, or the viewer's) for the viewer.
func (a *Service) Exceptions(ctx context.Context, viewer app.Actor, q ExceptionQuery) (ExceptionList, error) {
	if q.Kind != "" && !slices.Contains(ExceptionKinds, q.Kind) {
		return ExceptionList{}, app.InvalidField("kind", "must be one of: "+kindList())
	}
	out := ExceptionList{Query: q}
	now := a.core.Now()
	err := a.core.DB().Snapshot(ctx, func(qs *store.Queries) error {
		var err error
		if out.Counts, out.Total, err = exceptionCounts(ctx, qs, now); err != nil {
			return err
		}
		c, err := listCandidates(ctx, qs, q, viewer.ID, now)
		if err != nil {
			return err
		}
		items, err := describeExceptions(ctx, qs, now, viewer.ID, c)
		if err != nil {
			return err
		}
		out.Items, out.More = limitTab(items, q.Kind, c.more)
		return nil
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

// limitTab keeps the exceptions of the tab, at most ExceptionLimit of them.
func limitTab(items []Exception, k ExceptionKind, more bool) ([]Exception, bool) {
	var out []Exception
	for _, e := range items {
		if e.inTab(k) {
			out = append(out, e)
		}
	}
	if len(out) > ExceptionLimit {
		return out[:ExceptionLimit], true
	}
	return out, more
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

// candidates are the orders and stock levels a list shows, before their reasons are read.
type candidates struct {
	orders []int64
	levels []store.ShortLevelsRow
	quota  int  // how many of each kind to show
	more   bool // a kind had more than the quota
}

// addOrders appends order ids not seen yet, noting when a kind had more than the quota.
func (c *candidates) addOrders(ids []int64) {
	if len(ids) > c.quota {
		ids, c.more = ids[:c.quota], true
	}
	for _, id := range ids {
		if !slices.Contains(c.orders, id) {
			c.orders = append(c.orders, id)
		}
	}
}

// listCandidates reads the orders and levels of the list asked for.
func listCandidates(ctx context.Context, qs *store.Queries, q ExceptionQuery, viewer int64, now time.Time) (candidates, error) {
	if q.Mine {
		return takenCandidates(ctx, qs, viewer)
	}
	c := candidates{quota: ExceptionLimit}
	if q.Kind == "" {
		c.quota = ExceptionLimit / len(ExceptionKinds) // a few of each kind
	}
	for _, k := range ExceptionKinds {
		if q.Kind != "" && q.Kind != k {
			continue
		}
		if err := addKind(ctx, qs, &c, k, now); err != nil {
			return c, err
		}
	}
	return c, nil
}

// addKind adds the first exceptions of kind k up to the quota, reading one more to know if there are more.
func addKind(ctx context.Context, qs *store.Queries, c *candidates, k ExceptionKind, now time.Time) error {
	lim := int64(c.quota + 1)
	var ids []int64
	var err error
	switch k {
	case ExceptionHeld:
		ids, err = ordersInStatuses(ctx, qs, []app.Status{app.StatusOnHold}, lim)
	case ExceptionWaiting:
		ids, err = ordersInStatuses(ctx, qs, waitingStatuses, lim)
	case ExceptionRejected:
		ids, err = qs.RejectedOrderIDs(ctx, lim)
	case ExceptionLate:
		ids, err = qs.LateOrderIDs(ctx, store.LateOrderIDsParams{Now: app.NullInt(app.Millis(now)), Lim: lim})
	case ExceptionShort:
		c.levels, err = qs.ShortLevels(ctx, lim)
		if len(c.levels) > c.quota {
			c.levels, c.more = c.levels[:c.quota], true
		}
	}
	if err != nil {
		return fmt.Errorf("%s exceptions: %w", k, err)
	}
	c.addOrders(ids)
	return nil
}

// ordersInStatuses lists the oldest orders in statuses without a pending rejection, one index range per status.
func ordersInStatuses(ctx context.Context, qs *store.Queries, statuses []app.Status, lim int64) ([]int64, error) {
	var rows []store.ExceptionOrdersInStatusRow
	for _, s := range statuses {
		r, err := qs.ExceptionOrdersInStatus(ctx, store.ExceptionOrdersInStatusParams{Status: string(s), Lim: lim})
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	slices.SortFunc(rows, func(x, y store.ExceptionOrdersInStatusRow) int {
		if x.PlacedAt != y.PlacedAt {
			return cmp.Compare(x.PlacedAt, y.PlacedAt)
		}
		return cmp.Compare(x.ID, y.ID)
	})
	ids := make([]int64, 0, min(len(rows), int(lim)))
	for _, r := range rows[:min(len(rows), int(lim))] {
		ids = append(ids, r.ID)
	}
	return ids, nil
}

// takenCandidates are the orders and short levels the viewer took.
func takenCandidates(ctx context.Context, qs *store.Queries, viewer int64) (candidates, error) {
	c := candidates{quota: ExceptionLimit}
	ids, err := qs.AssignedOrderIDs(ctx, store.AssignedOrderIDsParams{UserID: viewer, Lim: ExceptionLimit + 1})
	if err != nil {
		return c, fmt.Errorf("taken orders: %w", err)
	}
	orders := make([]int64, 0, len(ids))
	for _, id := range ids {
		orders = append(orders, id.Int64)
	}
	c.addOrders(orders)
	levels, err := qs.ShortLevelsOf(ctx, store.ShortLevelsOfParams{UserID: viewer, Lim: ExceptionLimit + 1})
	if err != nil {
		return c, fmt.Errorf("taken stock levels: %w", err)
	}
	for _, l := range levels {
		c.levels = append(c.levels, store.ShortLevelsRow(l))
	}
	return c, nil
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

// describeExceptions gives candidates their reasons and takers, leaving out orders that need nobody.
func describeExceptions(ctx context.Context, qs *store.Queries, now time.Time, viewer int64, c candidates) ([]Exception, error) {
	f, err := readExceptionFacts(ctx, qs, c.orders)
	if err != nil {
		return nil, err
	}
	var out []Exception
	for _, id := range c.orders {
		o, ok := f.orders[id]
		if !ok {
			continue
		}
		var rej *store.ExceptionRejectionsRow
		if r, ok := f.rejections[id]; ok {
			rej = &r
		}
		if e := orderException(o, rej, f.lines[id], now); len(e.Reasons) > 0 {
			out = append(out, e)
		}
	}
	for _, l := range c.levels {
		out = append(out, levelException(l))
	}
	return out, addTakers(ctx, qs, viewer, out)
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
	items, err := describeExceptions(ctx, tx.Q, tx.Now, actor.ID, candidates{orders: []int64{o.ID}, quota: 1})
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
		out, err = describeExceptions(ctx, qs, a.core.Now(), viewer.ID, c)
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
func keyCandidates(ctx context.Context, qs *store.Queries, k exceptionKey) (candidates, error) {
	if k.order != "" {
		o, err := qs.GetOrderByNumber(ctx, k.order)
		if store.IsNoRows(err) {
			return candidates{}, app.NotFound("no order %s", k.order)
		}
		return candidates{orders: []int64{o.ID}, quota: 1}, wrapErr("get order", err)
	}
	l, err := qs.GetShortLevel(ctx, store.GetShortLevelParams{Location: k.location, Sku: k.sku})
	if store.IsNoRows(err) || (err == nil && l.OnHand >= l.Reserved) {
		return candidates{}, nil
	}
	return candidates{levels: []store.ShortLevelsRow{store.ShortLevelsRow(l)}}, wrapErr("get stock level", err)
}

// wrapErr wraps err with what was being done; nil stays nil.
func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
