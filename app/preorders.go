package app

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	store "switchyard/sql"
)

// Pre-orders. A channel that sells incoming stock (sell_incoming, up to
// incoming_limit units of each SKU) adds to its ATP what is on its way in:
// the open inbound (sent or partly received) expected at the locations that
// ship and serve it, less every unit of the SKU already backordered (those
// orders were first), and never more than the limit less the channel's
// pre-orders still waiting. An order line backordered on such a channel
// takes as a pre-order what of its backorder fits in that room; its timeline
// says when it is expected and from which inbound. The order is routed by
// the restock path when the receipt arrives, like any backorder. Intake runs
// on the one writer, so concurrent orders see each other's pre-orders and
// the limit holds.

// MaxIncomingLimit is the largest pre-order limit a channel may have.
const MaxIncomingLimit = 1_000_000

// incoming is what a channel may still pre-order of a SKU, and when the
// next unit is expected.
type incoming struct {
	rows  []store.OpenInboundOfSKURow // what is coming, earliest first
	room  int64                       // units that may still be pre-ordered
	after int64                       // units of the SKU already waiting, lined up first
	held  int64                       // the channel's pre-orders of the SKU still waiting
}

// cover is the inbound line that brings the need-th unit coming (need ≥ 1).
func (in incoming) cover(need int64) (store.OpenInboundOfSKURow, bool) {
	var have int64
	for _, r := range in.rows {
		have += r.Remaining
		if have >= need {
			return r, true
		}
	}
	return store.OpenInboundOfSKURow{}, false
}

// incomingOf reads what ch may pre-order of skuID when waiting units of it
// are backordered already.
func incomingOf(ctx context.Context, q *store.Queries, ch store.Channel, skuID, waiting int64) (incoming, error) {
	out := incoming{after: waiting}
	if ch.SellIncoming == 0 || ch.Active == 0 {
		return out, nil
	}
	var err error
	out.held, err = q.PreorderedOfChannelSKU(ctx, store.PreorderedOfChannelSKUParams{ChannelID: ch.ID, SkuID: sql.NullInt64{Int64: skuID, Valid: true}})
	if err != nil {
		return out, fmt.Errorf("pre-orders of the channel: %w", err)
	}
	out.rows, err = q.OpenInboundOfSKU(ctx, store.OpenInboundOfSKUParams{ChannelID: ch.ID, SkuID: skuID})
	if err != nil {
		return out, fmt.Errorf("incoming stock: %w", err)
	}
	var coming int64
	for _, r := range out.rows {
		coming += r.Remaining
	}
	out.room = max(0, min(ch.IncomingLimit-out.held, coming-waiting))
	return out, nil
}

// addIncoming adds to each known SKU of out what ch may pre-order of it and
// the date the next unit is expected; nothing for a channel that does not
// sell incoming stock.
func (a *App) addIncoming(ctx context.Context, ch store.Channel, out []SKUAvailability) error {
	if ch.SellIncoming == 0 || ch.Active == 0 {
		return nil
	}
	return a.DB().Snapshot(ctx, func(q *store.Queries) error {
		for i := range out {
			sku, err := q.GetSKUByCode(ctx, out[i].SKU)
			if store.IsNoRows(err) || (err == nil && sku.Active == 0) {
				continue
			} else if err != nil {
				return fmt.Errorf("get SKU %s: %w", out[i].SKU, err)
			}
			if sku.IsKit == 1 {
				kit, err := kitIncomingOf(ctx, q, ch, sku.ID, 0)
				if err != nil {
					return err
				}
				out[i].addKitIncoming(kit)
				continue
			}
			waiting, err := q.WaitingOfSKU(ctx, sql.NullInt64{Int64: sku.ID, Valid: true})
			if err != nil {
				return fmt.Errorf("backorders of %s: %w", sku.Code, err)
			}
			in, err := incomingOf(ctx, q, ch, sku.ID, waiting)
			if err != nil {
				return err
			}
			if in.room == 0 {
				continue
			}
			out[i].Incoming = in.room
			out[i].Available += in.room
			if c, ok := in.cover(waiting + 1); ok {
				out[i].PromiseDate = c.ExpectedOn
			}
		}
		return nil
	})
}

// takePreorders marks, on a channel that sells incoming stock, what of the
// new order's backorders fits in the room left as pre-orders, and explains
// each line on the timeline: when the pre-order is expected, or why a
// backorder is not one (the limit is reached, or not enough is coming).
func takePreorders(ctx context.Context, tx Tx, ch store.Channel, p *Placed) error {
	if p.order != nil && !anyBackordered(p.order.Lines) {
		return nil
	}
	ch, err := tx.Q.GetChannel(ctx, ch.ID) // the setting as it is now, not as planned
	if err != nil {
		return fmt.Errorf("get channel: %w", err)
	}
	if ch.SellIncoming == 0 || ch.Active == 0 {
		return nil
	}
	lines, err := tx.Q.ListOrderLines(ctx, p.ID)
	if err != nil {
		return fmt.Errorf("order lines: %w", err)
	}
	for _, l := range lines {
		if l.Backordered == 0 || !l.SkuID.Valid {
			continue
		}
		e, take, err := takePreorder(ctx, tx, ch, l)
		if err != nil {
			return err
		}
		p.setPreordered(l.ID, take)
		written, err := writeEvent(ctx, tx, p.ID, System, e)
		if err != nil {
			return err
		}
		p.events = append(p.events, written)
	}
	return nil
}

// anyBackordered reports whether a line waits for stock.
func anyBackordered(lines []OrderLine) bool {
	for _, l := range lines {
		if l.Backordered > 0 {
			return true
		}
	}
	return false
}

// takePreorder takes what fits of one backordered line as a pre-order and
// says so.
func takePreorder(ctx context.Context, tx Tx, ch store.Channel, l store.OrderLine) (NewEvent, int64, error) {
	kit, err := kitIncomingOf(ctx, tx.Q, ch, l.SkuID.Int64, l.Backordered)
	if err != nil {
		return NewEvent{}, 0, err
	}
	if kit.kit {
		return takeKitPreorder(ctx, tx, ch, l, kit)
	}
	waiting, err := tx.Q.WaitingOfSKU(ctx, l.SkuID)
	if err != nil {
		return NewEvent{}, 0, fmt.Errorf("backorders of %s: %w", l.Sku, err)
	}
	in, err := incomingOf(ctx, tx.Q, ch, l.SkuID.Int64, waiting-l.Backordered)
	if err != nil {
		return NewEvent{}, 0, err
	}
	take := min(l.Backordered, in.room)
	if take > 0 {
		if err := tx.Q.SetLinePreordered(ctx, store.SetLinePreorderedParams{Preordered: take, ID: l.ID}); err != nil {
			return NewEvent{}, 0, fmt.Errorf("take pre-order: %w", err)
		}
		key := LevelKey{SKU: l.SkuID.Int64, Location: l.BackorderLocationID.Int64}
		if l.BackorderLocationID.Valid {
			if err := markAvailability(ctx, tx, key); err != nil { // the channels' pre-order room shrank
				return NewEvent{}, 0, err
			}
		}
	}
	return preorderEvent(ch, l, take, in), take, nil
}

// setPreordered notes on the order as written (when it is kept, not read
// back) that line id took n units as a pre-order.
func (p *Placed) setPreordered(id, n int64) {
	if p.order == nil {
		return
	}
	for i := range p.order.Lines {
		if p.order.Lines[i].ID == id {
			p.order.Lines[i].Preordered = n
		}
	}
}

// preorderGiven tells the channels that a line holding pre-orders gave some
// back (cancelled): their pre-order room, and so their ATP, grew.
func preorderGiven(ctx context.Context, tx Tx, l store.OrderLine) error {
	if l.Preordered == 0 || !l.SkuID.Valid || !l.BackorderLocationID.Valid {
		return nil
	}
	return markAvailability(ctx, tx, LevelKey{SKU: l.SkuID.Int64, Location: l.BackorderLocationID.Int64})
}

// preorderEvent says what became of one backordered line on a channel that
// sells incoming stock.
func preorderEvent(ch store.Channel, l store.OrderLine, take int64, in incoming) NewEvent {
	data := map[string]any{"line": l.LineNo, "sku": l.Sku, "preordered": take, "limit": ch.IncomingLimit}
	var msg string
	if take > 0 {
		msg = fmt.Sprintf("Pre-order: %d × %s taken against stock on its way in.", take, l.Sku)
		if c, ok := in.cover(in.after + take); ok {
			data["inbound"], data["expected_at"] = c.Number, c.ExpectedOn
			msg = fmt.Sprintf("Pre-order: %d × %s taken against stock on its way in, expected around %s (inbound %s).",
				take, l.Sku, day(c.ExpectedOn), c.Number)
		}
		msg += " The order is routed when it is received."
	}
	short := fmt.Sprintf("not enough %s is on its way to the locations that serve %s beyond the %d already waiting", l.Sku, ch.Name, in.after)
	msg = withoutPreorder(msg, ch, l, take, in.held, short)
	return NewEvent{Kind: "preorder", Message: msg, Data: data}
}

// withoutPreorder adds to msg what of line l waits without a pre-order after
// take were taken, and why: the channel's limit reached (held already held),
// or short, not enough coming.
func withoutPreorder(msg string, ch store.Channel, l store.OrderLine, take, held int64, short string) string {
	rest := l.Backordered - take
	if rest <= 0 {
		return msg
	}
	why := short
	if held+take >= ch.IncomingLimit {
		why = fmt.Sprintf("%s's pre-orders of %s are at their limit of %d", ch.Name, l.Sku, ch.IncomingLimit)
	}
	if msg != "" {
		msg += " "
	}
	return msg + fmt.Sprintf("%d × %s wait for stock without a pre-order: %s.", rest, l.Sku, why)
}

// day writes a date of 2026-12-20 as "20 Dec 2026".
func day(date string) string {
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		return date
	}
	return d.Format("2 Jan 2006")
}

// IncomingChanged tells the channels that sell incoming stock and are served
// by key's location that what is on its way there of key's SKU changed (an
// inbound was sent, cancelled or closed): their ATP moved. app/inbound calls
// it inside its transaction.
func IncomingChanged(ctx context.Context, tx Tx, key LevelKey) error {
	n, err := tx.Q.MarkIncomingPending(ctx, store.MarkIncomingPendingParams{SkuID: sql.NullInt64{Int64: key.SKU, Valid: true},
		Due: Millis(tx.Now.Add(AvailabilityDelay)), Now: Millis(tx.Now), LocationID: key.Location})
	if err != nil {
		return fmt.Errorf("mark incoming availability: %w", err)
	}
	if n > 0 {
		tx.KickOutbox()
	}
	return nil
}
