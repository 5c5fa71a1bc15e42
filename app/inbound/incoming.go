package inbound

import (
	"context"
	"fmt"

	"switchyard/app"
)

// incomingChanged tells the channels that sell incoming stock (pre-orders)
// from the destination of inbound id that what is on its way there changed:
// it was sent, cancelled, closed or received.
func incomingChanged(ctx context.Context, tx app.Tx, id, toLocationID int64) error {
	lines, err := tx.Q.ListInboundLines(ctx, id)
	if err != nil {
		return fmt.Errorf("inbound lines: %w", err)
	}
	for _, l := range lines {
		if err := app.IncomingChanged(ctx, tx, app.LevelKey{SKU: l.SkuID, Location: toLocationID}); err != nil {
			return err
		}
	}
	return nil
}
