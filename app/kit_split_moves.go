package app

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	store "switchyard/sql"
)

// The stock moves of a kit split over locations (kit_split.go): giving back
// one of its lines gives back its siblings; shipping one counts the kits on
// the order line only when every line of the split has shipped them.

// releaseSplitKit gives back take kits of a line carrying part of a split
// kit, and as many of each of its siblings still open, so that the kits
// route again whole; the order line's reserved count falls once. With
// reroute (a rejection, a reroute; not a cancellation) the timeline says
// which other locations gave their parts back, and when a sibling has
// already shipped some, the rest cannot simply route again (its parts
// left): the order is held for a person, the kits are never routed again
// (route_apply.go brokenSplitKits), and the timeline says what to do.
func releaseSplitKit(ctx context.Context, tx Tx, fulfillmentID, lineID int64, group int64, take int64, reference string, reroute bool) error {
	sibs, err := tx.Q.KitSplitSiblings(ctx, store.KitSplitSiblingsParams{OrderLineID: lineID, PartOf: sql.NullInt64{Int64: group, Valid: true}})
	if err != nil {
		return fmt.Errorf("kit split of line %d: %w", lineID, err)
	}
	var shippedAt, alsoAt []string
	for _, s := range sibs {
		open := s.Quantity - s.Shipped - s.Released
		if s.Shipped > 0 {
			shippedAt = append(shippedAt, s.LocationName)
		}
		if open <= 0 || (s.Status != string(FulfillmentPending) && s.Status != string(FulfillmentAccepted)) {
			continue
		}
		n := min(take, open)
		if err := releaseUnits(ctx, tx, s.FulfillmentID, lineID, LevelKey{Location: s.LocationID}, n, reference); err != nil {
			return err
		}
		if err := tx.Q.ReleaseFulfillmentLine(ctx, store.ReleaseFulfillmentLineParams{Released: n, FulfillmentID: s.FulfillmentID, OrderLineID: lineID}); err != nil {
			return fmt.Errorf("release fulfillment line: %w", err)
		}
		if s.FulfillmentID != fulfillmentID {
			alsoAt = append(alsoAt, s.LocationName)
			if err := closeIfDone(ctx, tx, s.FulfillmentID, FulfillmentCancelled); err != nil {
				return err
			}
		}
	}
	if err := tx.Q.AddLineRouting(ctx, store.AddLineRoutingParams{Reserved: -take, ID: lineID}); err != nil {
		return fmt.Errorf("release line: %w", err)
	}
	if !reroute || (len(shippedAt) == 0 && len(alsoAt) == 0) {
		return nil
	}
	return splitKitReleased(ctx, tx, lineID, take, shippedAt, alsoAt)
}

// splitKitReleased says in the timeline what giving back part of a split
// kit did; when another part had shipped already, it holds the order for a
// person to decide how to send the rest.
func splitKitReleased(ctx context.Context, tx Tx, lineID, take int64, shippedAt, alsoAt []string) error {
	l, err := tx.Q.SplitKitLine(ctx, lineID)
	if err != nil {
		return fmt.Errorf("order line %d: %w", lineID, err)
	}
	o, err := tx.Q.GetOrder(ctx, l.OrderID)
	if err != nil {
		return fmt.Errorf("get order: %w", err)
	}
	if len(shippedAt) == 0 {
		msg := fmt.Sprintf("%d × %s: the parts reserved at %s were given back too, so that the set is routed again whole.",
			take, l.Name, andList(alsoAt))
		return AppendEvent(ctx, tx, o.ID, System, NewEvent{Kind: "kit_split_released", Message: msg, Data: map[string]any{"line": l.LineNo}})
	}
	if o.OnHold == 0 {
		if err := setFlags(ctx, tx, o, 1, HoldStockReview, o.Cancelled); err != nil {
			return err
		}
		if err := refreshStatus(ctx, tx, o.ID); err != nil {
			return err
		}
	}
	msg := fmt.Sprintf("%d × %s: part of the set already left %s, and the rest was given back; "+
		"the order is held: it will not be routed again, as a whole set would send the shipped parts twice. "+
		"Cancel what is left of the line and send the missing parts in a new order, or refund them.",
		take, l.Name, andList(shippedAt))
	return AppendEvent(ctx, tx, o.ID, System, NewEvent{Kind: "kit_split_broken", Message: msg, Data: map[string]any{"line": l.LineNo}})
}

// shipSplitKit records q kits of a line carrying part of a split kit as
// shipped from its fulfillment, and returns how many kits this completes:
// those every line of the split has now shipped (the order line's shipped
// count rises by them only).
func shipSplitKit(ctx context.Context, tx Tx, fulfillmentID, lineID, group, q int64) (int64, error) {
	before, err := splitShipped(ctx, tx, lineID, group)
	if err != nil {
		return 0, err
	}
	if err := tx.Q.ShipFulfillmentLine(ctx, store.ShipFulfillmentLineParams{Shipped: q, FulfillmentID: fulfillmentID, OrderLineID: lineID}); err != nil {
		return 0, fmt.Errorf("ship fulfillment line: %w", err)
	}
	after, err := splitShipped(ctx, tx, lineID, group)
	if err != nil {
		return 0, err
	}
	return after - before, nil
}

// splitShipped is how many kits of a split every one of its lines has shipped.
func splitShipped(ctx context.Context, tx Tx, lineID, group int64) (int64, error) {
	sibs, err := tx.Q.KitSplitSiblings(ctx, store.KitSplitSiblingsParams{OrderLineID: lineID, PartOf: sql.NullInt64{Int64: group, Valid: true}})
	if err != nil {
		return 0, fmt.Errorf("kit split of line %d: %w", lineID, err)
	}
	least := int64(-1)
	for _, s := range sibs {
		if least < 0 || s.Shipped < least {
			least = s.Shipped
		}
	}
	return max(least, 0), nil
}

// shipSplitLine ships q kits' worth of the parts a line carries: the order
// line, and the shipment line the channel is told of, count only the kits
// this completes (every line of the split has shipped them).
func shipSplitLine(ctx context.Context, tx Tx, f store.GetFulfillmentRow, shipmentID int64, l store.ListFulfillmentLinesRow, q int64) error {
	done, err := shipSplitKit(ctx, tx, f.ID, l.OrderLineID, l.PartOf.Int64, q)
	if err != nil || done == 0 {
		return err
	}
	if err := tx.Q.ShipOrderLine(ctx, store.ShipOrderLineParams{Qty: done, ID: l.OrderLineID}); err != nil {
		return fmt.Errorf("ship order line: %w", err)
	}
	return tx.Q.InsertShipmentLine(ctx, store.InsertShipmentLineParams{ShipmentID: shipmentID, OrderLineID: l.OrderLineID, SkuID: l.SkuID, Quantity: done})
}

// splitShipWords says what left of q kits of a split kit's line: "4 × MUG
// (part of 2 × SET)".
func splitShipWords(ctx context.Context, tx Tx, fulfillmentID int64, l store.ListFulfillmentLinesRow, q int64) (string, error) {
	parts, err := tx.Q.FulfillmentLineParts(ctx, store.FulfillmentLinePartsParams{FulfillmentID: fulfillmentID, OrderLineID: l.OrderLineID})
	if err != nil {
		return "", fmt.Errorf("kit parts of fulfillment %d: %w", fulfillmentID, err)
	}
	items := make([]string, len(parts))
	for i, p := range parts {
		items[i] = fmt.Sprintf("%d × %s", q*p.PerKit, p.Code)
	}
	return fmt.Sprintf("%s (part of %d × %s)", strings.Join(items, ", "), q, l.Sku), nil
}
