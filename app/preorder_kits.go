package app

import (
	"context"
	"database/sql"
	"fmt"

	store "switchyard/sql"
)

// Pre-orders of kits. A kit holds no stock, so nothing of it is ever
// "coming": what a channel may pre-order of a kit follows its parts. Each
// part's room is what is coming of it less every unit of it already waiting
// (its own backorders and those of the kits it is in, WaitingOfSKU), in
// kits (divided by the units one kit takes); the kit's room is the fewest of
// those, within the channel's limit less its pre-orders of the kit still
// waiting. The next kit is expected when the last of its parts is.

// kitIncoming is what a channel may still pre-order of a kit.
type kitIncoming struct {
	kit  bool  // false: a plain SKU (the rest is empty)
	room int64 // kits that may still be pre-ordered
	held int64 // the channel's pre-orders of the kit still waiting
	// last is the inbound line that brings the last part of the next kit;
	// dated is false when a part has none.
	last  store.OpenInboundOfSKURow
	dated bool
}

// kitIncomingOf reads what ch may pre-order of skuID when it is a kit; own
// kits of it (a line being taken) are already counted among the waiting and
// are left out.
func kitIncomingOf(ctx context.Context, q *store.Queries, ch store.Channel, skuID, own int64) (kitIncoming, error) {
	leaves, err := q.KitLeavesOfSKU(ctx, skuID)
	if err != nil || len(leaves) == 0 {
		return kitIncoming{}, err
	}
	out := kitIncoming{kit: true, dated: true}
	if ch.SellIncoming == 0 || ch.Active == 0 {
		return out, nil
	}
	out.held, err = q.PreorderedOfChannelSKU(ctx, store.PreorderedOfChannelSKUParams{ChannelID: ch.ID, SkuID: sql.NullInt64{Int64: skuID, Valid: true}})
	if err != nil {
		return out, fmt.Errorf("pre-orders of the channel: %w", err)
	}
	out.room = max(0, ch.IncomingLimit-out.held)
	for _, p := range leaves {
		if p.Dead != 0 {
			out.room = 0
		}
		waiting, err := q.WaitingOfSKU(ctx, sql.NullInt64{Int64: p.PartSkuID, Valid: true})
		if err != nil {
			return out, fmt.Errorf("backorders of %s: %w", p.Code, err)
		}
		waiting -= own * p.PerKit
		in := incoming{after: waiting}
		in.rows, err = q.OpenInboundOfSKU(ctx, store.OpenInboundOfSKUParams{ChannelID: ch.ID, SkuID: p.PartSkuID})
		if err != nil {
			return out, fmt.Errorf("incoming stock of %s: %w", p.Code, err)
		}
		var coming int64
		for _, r := range in.rows {
			coming += r.Remaining
		}
		out.room = min(out.room, max(0, coming-waiting)/p.PerKit)
		c, ok := in.cover(waiting + p.PerKit)
		out.dated = out.dated && ok
		if ok && c.ExpectedOn > out.last.ExpectedOn {
			out.last = c
		}
	}
	return out, nil
}

// takeKitPreorder is takePreorder for a kit line: what fits of its backorder
// becomes a pre-order, and the timeline says so.
func takeKitPreorder(ctx context.Context, tx Tx, ch store.Channel, l store.OrderLine, in kitIncoming) (NewEvent, int64, error) {
	take := min(l.Backordered, in.room)
	if take > 0 {
		if err := tx.Q.SetLinePreordered(ctx, store.SetLinePreorderedParams{Preordered: take, ID: l.ID}); err != nil {
			return NewEvent{}, 0, fmt.Errorf("take pre-order: %w", err)
		}
		if l.BackorderLocationID.Valid { // the channels' pre-order room of the kit shrank
			if err := markAvailability(ctx, tx, LevelKey{SKU: l.SkuID.Int64, Location: l.BackorderLocationID.Int64}); err != nil {
				return NewEvent{}, 0, err
			}
		}
	}
	return kitPreorderEvent(ch, l, take, in), take, nil
}

// kitPreorderEvent says what became of one backordered kit line on a channel
// that sells incoming stock.
func kitPreorderEvent(ch store.Channel, l store.OrderLine, take int64, in kitIncoming) NewEvent {
	data := map[string]any{"line": l.LineNo, "sku": l.Sku, "preordered": take, "limit": ch.IncomingLimit}
	var msg string
	if take > 0 {
		msg = fmt.Sprintf("Pre-order: %d × %s taken against its parts on their way in.", take, l.Sku)
		if in.dated && in.last.Number != "" {
			data["inbound"], data["expected_at"] = in.last.Number, in.last.ExpectedOn
			msg = fmt.Sprintf("Pre-order: %d × %s taken against its parts on their way in, expected around %s, when the last of them arrives (inbound %s).",
				take, l.Sku, day(in.last.ExpectedOn), in.last.Number)
		}
		msg += " The order is routed when they are received."
	}
	short := fmt.Sprintf("not enough of its parts is on its way to the locations that serve %s beyond what already waits for them", ch.Name)
	msg = withoutPreorder(msg, ch, l, take, in.held, short)
	return NewEvent{Kind: "preorder", Message: msg, Data: data}
}

// addKitIncoming adds to a kit's availability what may be pre-ordered of it
// and when the next one is expected.
func (s *SKUAvailability) addKitIncoming(in kitIncoming) {
	if in.room == 0 {
		return
	}
	s.Incoming = in.room
	s.Available += in.room
	if in.dated && in.last.Number != "" {
		s.PromiseDate = in.last.ExpectedOn
	}
}
