package app

import (
	"context"
	"errors"
	"time"
)

// How long, and how often, intake asks again after a write failed in a way
// whose outcome it cannot know (see resolvePlaced).
const (
	resolveFor   = 10 * time.Second
	resolveEvery = 100 * time.Millisecond
)

// resolvePlaced answers the truth after placing an order failed with
// writeErr. A failure of Switchyard's own rules (an *Error) or of the
// caller (its context) undid the transaction: writeErr stands. Any other
// failure may have come after the commit reached the database (on a dqlite
// cluster, a leader that dies while its commit is replicated leaves the
// commit's outcome unknown), so the order is read again by its channel and
// external id, asking until the database answers (a new leader is elected
// within a second or two): found, it is the order this request placed; not
// found, writeErr stands, and the client's retry places it once.
func (a *App) resolvePlaced(ctx context.Context, in NewOrder, writeErr error) (Order, bool, error) {
	var ae *Error
	if errors.As(writeErr, &ae) || errors.Is(writeErr, errStalePlan) || ctx.Err() != nil {
		return Order{}, false, writeErr
	}
	deadline := time.Now().Add(resolveFor)
	for {
		o, err := a.OrderByExternal(ctx, in.Channel, in.ExternalID)
		switch {
		case err == nil:
			a.log.Warn("an order's write failed but the order is there: answering it", "channel", in.Channel,
				"external_id", in.ExternalID, "number", o.Number, "write_err", writeErr)
			return o, true, nil
		case ErrorKind(err) == KindNotFound:
			return Order{}, false, writeErr
		case time.Now().After(deadline):
			return Order{}, false, writeErr
		}
		select {
		case <-ctx.Done():
			return Order{}, false, writeErr
		case <-time.After(resolveEvery):
		}
	}
}
