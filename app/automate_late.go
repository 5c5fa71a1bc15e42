package app

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"switchyard/app/automation"
	store "switchyard/sql"
)

// lateBatch is how many late orders one transaction of the sweep looks at.
const lateBatch = 200

// AutomateLate runs the order.late rules on the open orders past their
// promised ship-by that they have not run on yet, a batch a transaction,
// and reports how many orders it looked at. Nothing is read when no
// published rule runs on order.late.
func (a *App) AutomateLate(ctx context.Context) (int64, error) {
	var seen int64
	for {
		n, err := a.automateLateBatch(ctx)
		seen += n
		if err != nil || n < lateBatch {
			return seen, err
		}
	}
}

// automateLateBatch is one transaction of AutomateLate.
func (a *App) automateLateBatch(ctx context.Context) (int64, error) {
	var n int64
	err := a.Write(ctx, func(tx Tx) error {
		n = 0
		p, err := publishedAutomation(ctx, tx)
		if err != nil || p == nil || !p.Has(automation.OrderLate) {
			return err
		}
		ids, err := tx.Q.LateOrdersNotAutomated(ctx, store.LateOrdersNotAutomatedParams{
			Now: sql.NullInt64{Int64: Millis(tx.Now), Valid: true}, Lim: lateBatch})
		if err != nil {
			return fmt.Errorf("late orders: %w", err)
		}
		for _, id := range ids {
			if _, err := automateWith(ctx, tx, p, id, automation.OrderLate); err != nil {
				return fmt.Errorf("order.late rules of order %d: %w", id, err)
			}
		}
		n = int64(len(ids))
		return nil
	})
	return n, err
}

// RunAutomateLate sweeps for late orders now and then every interval until
// ctx ends (serve runs it on the leader).
func (a *App) RunAutomateLate(ctx context.Context, every time.Duration) {
	a.RunEvery(ctx, every, "automation rules on late orders", a.AutomateLate)
}
