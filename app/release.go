package app

import (
	"context"
	"fmt"

	store "switchyard/sql"
)

// takeFromLine takes qty of what is open on an order line, for a cancellation:
// first what is not routed, then what is backordered, then what is reserved
// (given back to stock from its fulfillments, newest first).
func takeFromLine(ctx context.Context, tx Tx, l store.OrderLine, qty int64, reference string) error {
	unrouted := l.Quantity - l.Shipped - l.Cancelled - l.Reserved - l.Backordered
	qty -= min(qty, max(unrouted, 0))
	if fromBackorder := min(qty, l.Backordered); fromBackorder > 0 {
		if err := tx.Q.AddLineRouting(ctx, store.AddLineRoutingParams{Backordered: -fromBackorder, ID: l.ID}); err != nil {
			return fmt.Errorf("reduce backorder of line %d: %w", l.LineNo, err)
		}
		if err := preorderGiven(ctx, tx, l); err != nil {
			return err
		}
		qty -= fromBackorder
	}
	if qty > 0 {
		return releaseLine(ctx, tx, l, qty, reference)
	}
	return nil
}

// releaseLine gives back qty of a line's reservations, newest fulfillment first,
// and closes fulfillments that have nothing left to do.
func releaseLine(ctx context.Context, tx Tx, l store.OrderLine, qty int64, reference string) error {
	parts, err := tx.Q.OpenFulfillmentLinesOf(ctx, l.ID)
	if err != nil {
		return fmt.Errorf("open fulfillment lines: %w", err)
	}
	groups := map[int64]bool{} // splits given back already, with all their lines
	kits := map[int64]int64{}  // a split's kits still open: the most any of its lines has open
	for _, p := range parts {
		if p.PartOf.Valid {
			kits[p.PartOf.Int64] = max(kits[p.PartOf.Int64], p.Quantity-p.Shipped-p.Released)
		}
	}
	for _, p := range parts {
		if qty == 0 {
			break
		}
		if p.PartOf.Valid && groups[p.PartOf.Int64] {
			continue
		}
		take := min(qty, p.Quantity-p.Shipped-p.Released)
		if p.PartOf.Valid {
			take = min(qty, kits[p.PartOf.Int64])
			groups[p.PartOf.Int64] = true // a kit split over locations: its siblings go with it, the line counts once
			if err := releaseSplitKit(ctx, tx, p.FulfillmentID, l.ID, p.PartOf.Int64, take, reference, false); err != nil {
				return err
			}
			if err := closeIfDone(ctx, tx, p.FulfillmentID, FulfillmentCancelled); err != nil {
				return err
			}
			qty -= take
			continue
		}
		if err := releasePart(ctx, tx, p.FulfillmentID, l.ID, LevelKey{SKU: p.SkuID, Location: p.LocationID}, take, reference); err != nil {
			return err
		}
		qty -= take
	}
	if qty > 0 {
		return fmt.Errorf("line %d: %d more to release than is reserved", l.LineNo, qty)
	}
	return nil
}

// releasePart gives back take units of one fulfillment line: the stock's
// reservation, the order line's reserved count, and the fulfillment line.
func releasePart(ctx context.Context, tx Tx, fulfillmentID, lineID int64, key LevelKey, take int64, reference string) error {
	if err := releaseUnits(ctx, tx, fulfillmentID, lineID, key, take, reference); err != nil {
		return err
	}
	if err := tx.Q.ReleaseFulfillmentLine(ctx, store.ReleaseFulfillmentLineParams{Released: take, FulfillmentID: fulfillmentID, OrderLineID: lineID}); err != nil {
		return fmt.Errorf("release fulfillment line: %w", err)
	}
	if err := tx.Q.AddLineRouting(ctx, store.AddLineRoutingParams{Reserved: -take, ID: lineID}); err != nil {
		return fmt.Errorf("release line: %w", err)
	}
	return closeIfDone(ctx, tx, fulfillmentID, FulfillmentCancelled)
}

// closeIfDone moves a fulfillment with nothing open to status (when nothing
// shipped) or to shipped (when what remained was released after a partial shipment).
func closeIfDone(ctx context.Context, tx Tx, fulfillmentID int64, status FulfillmentStatus) error {
	u, err := tx.Q.FulfillmentOpenUnits(ctx, fulfillmentID)
	if err != nil {
		return fmt.Errorf("fulfillment units: %w", err)
	}
	if u.Open > 0 {
		return nil
	}
	if u.Shipped > 0 {
		status = FulfillmentShipped
	}
	f, err := tx.Q.GetFulfillment(ctx, fulfillmentID)
	if err != nil {
		return fmt.Errorf("get fulfillment: %w", err)
	}
	if FulfillmentStatus(f.Status) == status {
		return nil
	}
	if err := checkFulfillmentMove(FulfillmentStatus(f.Status), status); err != nil {
		return err
	}
	return tx.Q.SetFulfillmentStatus(ctx, store.SetFulfillmentStatusParams{Status: string(status), UpdatedAt: Millis(tx.Now), ID: fulfillmentID})
}

// releaseFulfillment gives back everything still open in a fulfillment.
func releaseFulfillment(ctx context.Context, tx Tx, fulfillmentID int64, reference string) error {
	lines, err := tx.Q.ListFulfillmentLines(ctx, fulfillmentID)
	if err != nil {
		return fmt.Errorf("fulfillment lines: %w", err)
	}
	f, err := tx.Q.GetFulfillment(ctx, fulfillmentID)
	if err != nil {
		return fmt.Errorf("get fulfillment: %w", err)
	}
	for _, l := range lines {
		if open := l.Quantity - l.Shipped - l.Released; open > 0 && l.PartOf.Valid {
			if err := releaseSplitKit(ctx, tx, fulfillmentID, l.OrderLineID, l.PartOf.Int64, open, reference, true); err != nil {
				return err
			}
		} else if open > 0 {
			if err := releaseUnits(ctx, tx, fulfillmentID, l.OrderLineID, LevelKey{SKU: l.SkuID, Location: f.LocationID}, open, reference); err != nil {
				return err
			}
			if err := tx.Q.ReleaseFulfillmentLine(ctx, store.ReleaseFulfillmentLineParams{Released: open, FulfillmentID: fulfillmentID, OrderLineID: l.OrderLineID}); err != nil {
				return fmt.Errorf("release fulfillment line: %w", err)
			}
			if err := tx.Q.AddLineRouting(ctx, store.AddLineRoutingParams{Reserved: -open, ID: l.OrderLineID}); err != nil {
				return fmt.Errorf("release line: %w", err)
			}
		}
	}
	return nil
}
