package demo

import (
	"switchyard/app"

	"context"
	"fmt"

	store "switchyard/sql"
)

// ReadyDemoForLoad readies the demo network for a load test of n orders
// today, so that every order can be routed and reserved as in a well-stocked
// business: every limited daily capacity is raised by n, and every stock level
// of a warehouse or 3PL receives units units (a receipt in the ledger, as any).
func (a *Service) ReadyDemoForLoad(ctx context.Context, actor app.Actor, n, units int64) error {
	return a.core.Write(ctx, func(tx app.Tx) error {
		if err := tx.Q.RaiseDailyCapacities(ctx, store.RaiseDailyCapacitiesParams{N: n, At: app.Millis(tx.Now)}); err != nil {
			return fmt.Errorf("raise capacities: %w", err)
		}
		if _, err := tx.Q.ReceiveAtWarehouses(ctx, store.ReceiveAtWarehousesParams{
			Qty: units, Reference: "load test", Actor: actor.Label(), At: app.Millis(tx.Now),
		}); err != nil {
			return fmt.Errorf("receive stock: %w", err)
		}
		return nil
	})
}
