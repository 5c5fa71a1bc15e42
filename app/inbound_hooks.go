package app

import (
	"context"
	"fmt"

	store "switchyard/sql"
)

// The stock primitives app/inbound moves stock with, inside its transaction.
// Each goes through the ledger, marks the availability the channels hear of
// (outbox), and, when stock became free, routes again the orders waiting for
// the SKU, as after any receipt or adjustment (afterStockChange).

// ReserveTransfer reserves qty free units at key for a transfer (reference:
// its number), with the same conditional ledger row as an order's
// reservation; the safety stock may leave (moving it is ops' decision). It
// reports false, writing nothing, when that much is not free.
func ReserveTransfer(ctx context.Context, tx Tx, key LevelKey, qty int64, reference, actor string) (bool, error) {
	return reserve(ctx, tx, key, qty, false, reference, actor)
}

// ReleaseTransfer gives back a transfer's reservation that will not ship,
// and routes orders waiting for the SKU again.
func ReleaseTransfer(ctx context.Context, tx Tx, key LevelKey, qty int64, reference, actor string) error {
	if err := release(ctx, tx, key, qty, reference, actor); err != nil {
		return err
	}
	return afterStockChange(ctx, tx, key)
}

// ShipTransfer takes a transfer's reserved units off the origin's shelf
// (reason transfer_out: on hand and reserved both down by qty).
func ShipTransfer(ctx context.Context, tx Tx, key LevelKey, qty int64, reference, actor string) error {
	n, err := tx.Q.AppendLedgerIf(ctx, store.AppendLedgerIfParams{
		DeltaOnHand: -qty, DeltaReserved: -qty, Reason: ReasonTransferOut, Reference: reference, Actor: actor,
		At: Millis(tx.Now), SkuID: key.SKU, LocationID: key.Location,
	})
	if err != nil {
		return fmt.Errorf("ship transfer: %w", err)
	}
	if n == 0 {
		return Conflict("cannot ship %d: fewer are on hand or reserved at the origin", qty)
	}
	return markAvailability(ctx, tx, key)
}

// ReceiveInbound puts qty units that arrived on hand at key, through the
// ledger with reason (receipt or transfer_in) and reference (the inbound's
// number). The channels hear of the new availability, and orders waiting for
// the SKU are routed again by the restock path, as after any receipt.
func ReceiveInbound(ctx context.Context, tx Tx, key LevelKey, qty int64, reason, reference, actor string) error {
	if reason != ReasonReceipt && reason != ReasonTransferIn {
		return fmt.Errorf("receive inbound: reason %q", reason)
	}
	if err := tx.Q.EnsureStockLevel(ctx, store.EnsureStockLevelParams{SkuID: key.SKU, LocationID: key.Location, UpdatedAt: Millis(tx.Now)}); err != nil {
		return fmt.Errorf("create stock level: %w", err)
	}
	n, err := tx.Q.AppendLedgerIf(ctx, store.AppendLedgerIfParams{
		DeltaOnHand: qty, Reason: reason, Reference: reference, Actor: actor, At: Millis(tx.Now),
		SkuID: key.SKU, LocationID: key.Location,
	})
	if err != nil {
		return fmt.Errorf("receive inbound: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("receive inbound: no stock level for SKU %d at location %d", key.SKU, key.Location)
	}
	if err := markAvailability(ctx, tx, key); err != nil {
		return err
	}
	return afterStockChange(ctx, tx, key)
}
