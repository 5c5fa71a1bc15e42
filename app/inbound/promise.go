package inbound

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"switchyard/app"
	store "switchyard/sql"
)

// A backordered order line gets a promise date from the inbound that will
// bring its units. The backorders of a SKU (every location's, oldest order
// first) are lined up against what is still coming of it: the open inbound
// (sent or partly received), earliest expected date first, then by number.
// A backorder is covered by the first inbound at which the units coming add
// up to the units waiting up to and including it. Nothing is stored: the
// promise is computed when the order is read, so it follows every receipt,
// cancellation and new inbound.

// backorderWindow is how many backordered lines of one SKU are lined up.
const backorderWindow = 500

// announceLimit is how many orders one inbound writes a timeline entry on
// when it is sent.
const announceLimit = 200

// Promise is when a backordered order line should get its units, and why.
type Promise struct {
	Line        int64  `json:"line"` // the order line's number
	SKU         string `json:"sku"`
	Backordered int64  `json:"backordered"`
	ExpectedAt  string `json:"expected_at"` // a date, 2026-12-20
	Inbound     string `json:"inbound"`     // IN-000007
	Words       string `json:"words"`       // "Expected around 20 Dec 2026: purchase IN-000007 from Acme brings 100 TEE-1 to Lyon"
}

// coming is one open inbound line of a SKU.
type coming = store.OpenInboundOfSKURow

// PromisesOf answers the promises of the order number's backordered lines;
// a line no inbound covers has none. The order's number is not checked
// against any reach: the caller read the order already.
func (s *Service) PromisesOf(ctx context.Context, number string) ([]Promise, error) {
	var out []Promise
	err := s.core.DB().Snapshot(ctx, func(q *store.Queries) error {
		o, err := q.GetOrderByNumber(ctx, number)
		if store.IsNoRows(err) {
			return nil
		} else if err != nil {
			return fmt.Errorf("get order %s: %w", number, err)
		}
		lines, err := q.ListOrderLines(ctx, o.ID)
		if err != nil {
			return fmt.Errorf("order lines: %w", err)
		}
		if o.Cancelled != 0 {
			return nil
		}
		var waiting []string
		for _, l := range lines {
			if l.Backordered > 0 && l.SkuID.Valid {
				waiting = append(waiting, l.Sku)
			}
		}
		kits, err := kitRecipes(ctx, q, waiting)
		if err != nil {
			return err
		}
		for _, l := range lines {
			if l.Backordered == 0 || !l.SkuID.Valid {
				continue
			}
			p, ok, err := linePromise(ctx, q, o, l, kits[l.Sku])
			if err != nil {
				return err
			}
			if ok {
				out = append(out, p)
			}
		}
		return nil
	})
	return out, err
}

// linePromise is the promise of a backordered line of order o (kit: its
// recipe, nil for a plain SKU), if an inbound covers it.
func linePromise(ctx context.Context, q *store.Queries, o store.Order, l store.OrderLine, kit *kitRecipe) (Promise, bool, error) {
	var c coming
	var ok bool
	var err error
	if kit != nil {
		c, ok, err = kitCovering(ctx, q, o, kit, l.Backordered)
	} else {
		c, ok, err = covering(ctx, q, o, l.SkuID.Int64, l.ID)
	}
	if err != nil || !ok {
		return Promise{}, false, err
	}
	words := promiseWords(c)
	if kit != nil {
		words = kitPromiseWords(l.Sku, c)
	}
	return Promise{Line: l.LineNo, SKU: l.Sku, Backordered: l.Backordered, ExpectedAt: c.ExpectedOn,
		Inbound: c.Number, Words: words}, true, nil
}

// covering finds the open inbound that covers the backordered order line
// lineID of SKU skuID of order o, if any, among the inbound to the locations
// that serve the order's channel: only those route it when they receive. It
// waits behind older orders' lines of the SKU, and their kits holding it.
func covering(ctx context.Context, q *store.Queries, o store.Order, skuID, lineID int64) (coming, bool, error) {
	backorders, err := q.BackordersOfSKU(ctx, store.BackordersOfSKUParams{SkuID: sql.NullInt64{Int64: skuID, Valid: true}, Limit: backorderWindow})
	if err != nil {
		return coming{}, false, fmt.Errorf("backorders: %w", err)
	}
	var need int64
	found := false
	for _, b := range backorders {
		need += b.Backordered
		if b.ID == lineID {
			found = true
			break
		}
	}
	if !found {
		return coming{}, false, nil
	}
	kits, err := q.KitBackorderedAheadOfPart(ctx, store.KitBackorderedAheadOfPartParams{SkuID: skuID, PlacedAt: o.PlacedAt, OrderID: o.ID})
	if err != nil {
		return coming{}, false, fmt.Errorf("kits waiting ahead: %w", err)
	}
	need += kits
	incoming, err := q.OpenInboundOfSKU(ctx, store.OpenInboundOfSKUParams{ChannelID: o.ChannelID, SkuID: skuID})
	if err != nil {
		return coming{}, false, fmt.Errorf("inbound of SKU: %w", err)
	}
	c, ok := firstCovering(incoming, need)
	return c, ok, nil
}

// firstCovering is the inbound line of incoming (earliest first) that brings
// the need-th unit.
func firstCovering(incoming []coming, need int64) (coming, bool) {
	var have int64
	for _, c := range incoming {
		have += c.Remaining
		if have >= need {
			return c, true
		}
	}
	return coming{}, false
}

// promiseWords is the promise in words.
func promiseWords(c coming) string {
	return fmt.Sprintf("Expected around %s: %s", Day(c.ExpectedOn), bringsWords(c))
}

// bringsWords says what the inbound brings: "purchase IN-000007 from Acme
// brings 100 TEE-1 to Lyon".
func bringsWords(c coming) string {
	return fmt.Sprintf("%s %s from %s brings %d %s to %s", c.Kind, c.Number, source(c), c.Remaining, c.Sku, c.ToName)
}

// source names where an inbound comes from: its supplier, or its origin.
func source(c coming) string {
	if c.Kind == KindTransfer {
		return c.FromName
	}
	return c.Supplier
}

// Day writes a date of 2026-12-20 as "20 Dec 2026".
func Day(date string) string {
	d, err := time.Parse(DateLayout, date)
	if err != nil {
		return date
	}
	return d.Format("2 Jan 2006")
}

// announce writes, on the orders whose backorders the inbound id now covers
// (it was just sent), a timeline entry saying when their goods are expected
// and why. The work is bounded: the backorders lined up per SKU, and the
// orders told per inbound.
func announce(ctx context.Context, tx app.Tx, id int64) error {
	lines, err := tx.Q.ListInboundLines(ctx, id)
	if err != nil {
		return fmt.Errorf("inbound lines: %w", err)
	}
	told := map[int64]bool{}
	for _, l := range lines {
		if len(told) >= announceLimit {
			return nil
		}
		if err := announceSKU(ctx, tx, id, l.SkuID, told); err != nil {
			return err
		}
	}
	return nil
}

// announceSKU tells the orders waiting for one SKU that inbound id covers
// (it goes to a location that serves the order's channel).
func announceSKU(ctx context.Context, tx app.Tx, id, skuID int64, told map[int64]bool) error {
	return coveredBy(ctx, tx.Q, id, skuID, told, func(b store.BackordersOfSKURow, c coming) error {
		msg := fmt.Sprintf("%s %s from %s was sent: it brings %d %s to %s around %s, enough for the %d this order is waiting for.",
			capital(c.Kind), c.Number, source(c), c.Remaining, c.Sku, c.ToName, Day(c.ExpectedOn), b.Backordered)
		return app.AppendEvent(ctx, tx, b.OrderID, app.System, app.NewEvent{Kind: "inbound_promised", Message: msg,
			Data: map[string]any{"inbound": c.Number, "sku": c.Sku, "expected_at": c.ExpectedOn}})
	})
}

// coveredBy calls fn for each order waiting for skuID whose backorder
// inbound id covers, once an order (told), at most announceLimit orders.
func coveredBy(ctx context.Context, q *store.Queries, id, skuID int64, told map[int64]bool,
	fn func(store.BackordersOfSKURow, coming) error) error {
	backorders, err := q.BackordersOfSKU(ctx, store.BackordersOfSKUParams{SkuID: sql.NullInt64{Int64: skuID, Valid: true}, Limit: backorderWindow})
	if err != nil || len(backorders) == 0 {
		return err
	}
	incoming := map[int64][]coming{} // by channel
	var need int64
	for _, b := range backorders {
		need += b.Backordered
		if told[b.OrderID] || len(told) >= announceLimit {
			continue
		}
		list, ok := incoming[b.ChannelID]
		if !ok {
			list, err = q.OpenInboundOfSKU(ctx, store.OpenInboundOfSKUParams{ChannelID: b.ChannelID, SkuID: skuID})
			if err != nil {
				return fmt.Errorf("inbound of SKU: %w", err)
			}
			incoming[b.ChannelID] = list
		}
		kits, err := q.KitBackorderedAheadOfPart(ctx, store.KitBackorderedAheadOfPartParams{SkuID: skuID, PlacedAt: b.PlacedAt, OrderID: b.OrderID})
		if err != nil {
			return fmt.Errorf("kits waiting ahead: %w", err)
		}
		c, ok := firstCovering(list, need+kits)
		if !ok || c.ID != id {
			continue
		}
		told[b.OrderID] = true
		if err := fn(b, c); err != nil {
			return err
		}
	}
	return nil
}

// withdrawn is an order an inbound covered, before it was cancelled or closed.
type withdrawn struct {
	orderID, backordered int64
	c                    coming
}

// promised lists the orders inbound id covers now (call it before the
// inbound is cancelled or closed, then tell them with withdraw).
func promised(ctx context.Context, tx app.Tx, id int64) ([]withdrawn, error) {
	lines, err := tx.Q.ListInboundLines(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("inbound lines: %w", err)
	}
	var out []withdrawn
	told := map[int64]bool{}
	for _, l := range lines {
		err := coveredBy(ctx, tx.Q, id, l.SkuID, told, func(b store.BackordersOfSKURow, c coming) error {
			out = append(out, withdrawn{orderID: b.OrderID, backordered: b.Backordered, c: c})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// withdraw tells each order it was promised that the inbound will not bring
// it (what: "cancelled" or "closed").
func withdraw(ctx context.Context, tx app.Tx, orders []withdrawn, what string) error {
	for _, w := range orders {
		msg := fmt.Sprintf("%s %s from %s was %s: the %d %s this order waits for are not expected from it any more.",
			capital(w.c.Kind), w.c.Number, source(w.c), what, w.backordered, w.c.Sku)
		if err := app.AppendEvent(ctx, tx, w.orderID, app.System, app.NewEvent{Kind: "inbound_withdrawn", Message: msg,
			Data: map[string]any{"inbound": w.c.Number, "sku": w.c.Sku}}); err != nil {
			return err
		}
	}
	return nil
}

// capital is s with its first letter upper case (the kinds are ASCII).
func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
