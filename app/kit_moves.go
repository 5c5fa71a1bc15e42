package app

import (
	"context"
	"database/sql"
	"fmt"

	store "switchyard/sql"
)

// The stock of a kit line. A fulfillment line of a kit keeps the kit's SKU
// and the kit quantity, as the order line does; the kit holds no stock of its
// own (migrations/0032_kits.sql). When it is reserved, each plain part of the
// kit (through kits inside kits) is reserved at the fulfillment's location,
// per_kit units per kit, and the parts are written beside the line
// (fulfillment_line_parts, migrations/0035_kit_reservations.sql). The
// invariant: for each open kit of a fulfillment line (quantity - shipped -
// released), per_kit units of each of its parts are reserved at the
// fulfillment's location (queries/invariants.sql). Releasing, shipping and a
// return's restock move those parts, read from that table, so a kit whose
// components change after the order was placed moves what was reserved.

// unitMove is one stock level a unit of a fulfillment line moves, and by how
// many units: the line's own SKU by 1, or each part of a kit by its per_kit.
type unitMove struct {
	key  LevelKey
	per  int64
	code string
}

// lineMoves is what one unit of a fulfillment line moves at its location.
func lineMoves(ctx context.Context, tx Tx, fulfillmentID, orderLineID int64, key LevelKey, code string) ([]unitMove, error) {
	parts, err := tx.Q.FulfillmentLineParts(ctx, store.FulfillmentLinePartsParams{FulfillmentID: fulfillmentID, OrderLineID: orderLineID})
	if err != nil {
		return nil, fmt.Errorf("kit parts of fulfillment %d: %w", fulfillmentID, err)
	}
	if len(parts) == 0 {
		return []unitMove{{key: key, per: 1, code: code}}, nil
	}
	out := make([]unitMove, len(parts))
	for i, p := range parts {
		out[i] = unitMove{key: LevelKey{SKU: p.SkuID, Location: key.Location}, per: p.PerKit, code: p.Code}
	}
	return out, nil
}

// reserveFulfillmentLine reserves qty of an order line at locID and writes
// the fulfillment line: a plain SKU reserves its own stock; a kit (parts not
// nil) reserves each part and records it; partOf marks a line carrying part
// of a kit split over locations (kit_split.go). A reservation refused (the stock
// moved, or lines of the order share a part the plan counted twice) fails
// with errStalePlan, and the caller's transaction is rolled back.
func reserveFulfillmentLine(ctx context.Context, tx Tx, fid, locID int64, line store.OrderLine, qty int64, parts []routeKitPart,
	partOf sql.NullInt64, respectSafety bool, reference string) error {
	if parts == nil {
		key := LevelKey{SKU: line.SkuID.Int64, Location: locID}
		ok, err := reserve(ctx, tx, key, qty, respectSafety, reference, System.Label())
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("reserve %d x %s for %s: %w", qty, line.Sku, reference, errStalePlan)
		}
	}
	if err := tx.Q.InsertFulfillmentLine(ctx, store.InsertFulfillmentLineParams{
		FulfillmentID: fid, OrderLineID: line.ID, SkuID: line.SkuID.Int64, Quantity: qty, PartOf: partOf,
	}); err != nil {
		return fmt.Errorf("fulfillment line: %w", err)
	}
	if parts == nil {
		return nil
	}
	if len(parts) == 0 {
		return fmt.Errorf("kit %s has no parts: %w", line.Sku, errStalePlan)
	}
	for _, part := range parts {
		ok, err := reserve(ctx, tx, LevelKey{SKU: part.id, Location: locID}, qty*part.per, respectSafety, reference, System.Label())
		if err != nil {
			return err
		}
		if !ok || !part.active {
			return fmt.Errorf("reserve %d x %s (of kit %s) for %s: %w", qty*part.per, part.code, line.Sku, reference, errStalePlan)
		}
		if err := tx.Q.InsertFulfillmentLinePart(ctx, store.InsertFulfillmentLinePartParams{
			FulfillmentID: fid, OrderLineID: line.ID, SkuID: part.id, PerKit: part.per,
		}); err != nil {
			return fmt.Errorf("kit part of fulfillment line: %w", err)
		}
	}
	return nil
}

// releaseUnits gives back the reservation of qty units of a fulfillment line
// (its parts' for a kit); key is the line's SKU at the fulfillment's location.
func releaseUnits(ctx context.Context, tx Tx, fulfillmentID, orderLineID int64, key LevelKey, qty int64, reference string) error {
	moves, err := lineMoves(ctx, tx, fulfillmentID, orderLineID, key, "")
	if err != nil {
		return err
	}
	for _, m := range moves {
		if err := release(ctx, tx, m.key, qty*m.per, reference, System.Label()); err != nil {
			return err
		}
	}
	return nil
}

// shipUnits takes qty units of a fulfillment line off the shelf (its parts'
// for a kit): on hand and reserved down, with ledger rows of reason shipment.
func shipUnits(ctx context.Context, tx Tx, f store.GetFulfillmentRow, o store.Order, l store.ListFulfillmentLinesRow, qty int64) error {
	moves, err := lineMoves(ctx, tx, f.ID, l.OrderLineID, LevelKey{SKU: l.SkuID, Location: f.LocationID}, l.Sku)
	if err != nil {
		return err
	}
	for _, m := range moves {
		n, err := tx.Q.AppendLedgerIf(ctx, store.AppendLedgerIfParams{
			DeltaOnHand: -qty * m.per, DeltaReserved: -qty * m.per, Reason: ReasonShipment, Reference: o.Number, Actor: f.LocationName,
			At: Millis(tx.Now), SkuID: m.key.SKU, LocationID: f.LocationID,
		})
		if err != nil {
			return fmt.Errorf("stock leaves: %w", err)
		}
		if n == 0 {
			return Conflict("the stock of %s at %s says fewer than %d on hand: count it before confirming the shipment", m.code, f.LocationName, qty*m.per)
		}
	}
	return nil
}

// RestockReturnLine puts qty units of an order line that came back on hand
// at the location (see RestockReturn): a kit's parts, as its latest
// fulfillment that shipped it reserved them, else the kit's parts now; a
// plain SKU itself.
func RestockReturnLine(ctx context.Context, tx Tx, orderLineID int64, key LevelKey, qty int64, reference, actor string) error {
	rows, err := tx.Q.ShippedPartsOfOrderLine(ctx, orderLineID)
	if err != nil {
		return fmt.Errorf("kit parts of order line %d: %w", orderLineID, err)
	}
	if len(rows) == 0 {
		parts, err := KitParts(ctx, tx.Q, key.SKU)
		if err != nil {
			return err
		}
		for _, p := range parts {
			rows = append(rows, store.ShippedPartsOfOrderLineRow{SkuID: p.SKUID, PerKit: p.Quantity, Code: p.Code})
		}
	}
	if len(rows) == 0 {
		return RestockReturn(ctx, tx, key, qty, reference, actor)
	}
	for _, r := range rows {
		if err := RestockReturn(ctx, tx, LevelKey{SKU: r.SkuID, Location: key.Location}, qty*r.PerKit, reference, actor); err != nil {
			return err
		}
	}
	return nil
}
