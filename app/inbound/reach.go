package inbound

import (
	"context"
	"fmt"

	"switchyard/app"
	store "switchyard/sql"
)

// A store or warehouse lead (role warehouse) reaches the inbound to or from
// their own locations only: another location's inbound is NotFound to them,
// exactly as an unknown number, so that numbers cannot be probed. They
// receive only at their locations and ship transfers only from them. Ops
// managers, admins, support and API keys reach every inbound.

// lead reports whether actor is a user bound to their locations.
func lead(actor app.Actor) bool {
	return actor.Kind == app.ActorUser && actor.Role == app.RoleWarehouse
}

// hasLocation reports whether the lead actor has location id.
func hasLocation(ctx context.Context, q *store.Queries, actor app.Actor, id int64) (bool, error) {
	if id == 0 {
		return false, nil
	}
	n, err := q.UserHasLocation(ctx, store.UserHasLocationParams{UserID: actor.ID, LocationID: id})
	if err != nil {
		return false, fmt.Errorf("user location: %w", err)
	}
	return n > 0, nil
}

// seeable refuses, as NotFound, an inbound neither to nor from a lead's locations.
func seeable(ctx context.Context, q *store.Queries, actor app.Actor, row store.GetInboundByNumberRow) error {
	if !lead(actor) {
		return nil
	}
	for _, id := range []int64{row.ToLocationID, row.FromLocationID.Int64} {
		ok, err := hasLocation(ctx, q, actor, id)
		if err != nil || ok {
			return err
		}
	}
	return app.NotFound("no inbound %s", row.Number)
}

// mayAt refuses a lead acting at a location that is not theirs (what: in
// words); they may see the inbound (it comes from or goes to theirs), so the
// refusal is Forbidden.
func mayAt(ctx context.Context, q *store.Queries, actor app.Actor, locationID int64, what string) error {
	if !lead(actor) {
		return nil
	}
	ok, err := hasLocation(ctx, q, actor, locationID)
	if err != nil || ok {
		return err
	}
	return app.Forbidden("only the leads of the location %s", what)
}

// inReach reads the inbound number inside tx, as far as actor reaches.
func inReach(ctx context.Context, tx app.Tx, actor app.Actor, number string) (store.GetInboundByNumberRow, error) {
	row, err := getRow(ctx, tx.Q, number)
	if err != nil {
		return row, err
	}
	return row, seeable(ctx, tx.Q, actor, row)
}
