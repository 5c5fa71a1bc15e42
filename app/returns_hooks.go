package app

import (
	"context"
	"fmt"

	store "switchyard/sql"
)

// Customer is the actor for what a customer does on their own, on the
// tracking page (starting a return).
var Customer = Actor{Kind: ActorSystem, Name: "the customer"}

// RefreshStatus derives an order's status again from its lines, fulfillments
// and flags and stores it, inside tx (after a return changed its lines).
func RefreshStatus(ctx context.Context, tx Tx, orderID int64) error {
	return refreshStatus(ctx, tx, orderID)
}

// RestockReturn puts qty units that came back on hand at the level key,
// through the ledger (reason return, reference the return's number). The
// channels hear of the new availability through the outbox, and orders
// waiting for the SKU are routed again, as after any restock.
func RestockReturn(ctx context.Context, tx Tx, key LevelKey, qty int64, reference, actor string) error {
	if err := tx.Q.EnsureStockLevel(ctx, store.EnsureStockLevelParams{SkuID: key.SKU, LocationID: key.Location, UpdatedAt: Millis(tx.Now)}); err != nil {
		return fmt.Errorf("create stock level: %w", err)
	}
	n, err := tx.Q.AppendLedgerIf(ctx, store.AppendLedgerIfParams{
		DeltaOnHand: qty, Reason: ReasonReturn, Reference: reference, Actor: actor, At: Millis(tx.Now),
		SkuID: key.SKU, LocationID: key.Location,
	})
	if err != nil {
		return fmt.Errorf("restock return: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("restock return: no stock level for SKU %d at location %d", key.SKU, key.Location)
	}
	if err := markAvailability(ctx, tx, key); err != nil {
		return err
	}
	return afterStockChange(ctx, tx, key)
}

// EnqueueWebhooks writes one Standard Webhooks message per active endpoint
// subscribed to event, inside tx.
func EnqueueWebhooks(ctx context.Context, tx Tx, orderID int64, event string, data any) error {
	return enqueueWebhooks(ctx, tx, orderID, event, data)
}

// EnqueueWebhooksOf is EnqueueWebhooks with data that costs reads to build:
// build runs only when an endpoint is subscribed to event, once.
func EnqueueWebhooksOf(ctx context.Context, tx Tx, orderID int64, event string, build func() (any, error)) error {
	return enqueueWebhooksOf(ctx, tx, orderID, event, build)
}
