package inbound

import (
	"context"
	"fmt"

	"switchyard/app"
	store "switchyard/sql"
)

// AtLocation is what a location's queue says of inbound stock.
type AtLocation struct {
	Expected int64 // inbound on its way to the location (sent or partly received)
	ToShip   int64 // transfers waiting to ship from it
}

// At counts the inbound expected at the location code and the transfers it
// has to ship, for its queue (a lead: their locations only, else NotFound).
func (s *Service) At(ctx context.Context, actor app.Actor, code string) (AtLocation, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleWarehouse); err != nil {
		return AtLocation{}, err
	}
	loc, err := s.core.Read().GetLocationByCode(ctx, code)
	if store.IsNoRows(err) {
		return AtLocation{}, app.NotFound("no location %s", code)
	} else if err != nil {
		return AtLocation{}, fmt.Errorf("get location %s: %w", code, err)
	}
	if lead(actor) {
		ok, err := hasLocation(ctx, s.core.Read(), actor, loc.ID)
		if err != nil {
			return AtLocation{}, err
		}
		if !ok {
			return AtLocation{}, app.NotFound("no location %s", code)
		}
	}
	n, err := s.core.Read().CountInboundAt(ctx, loc.ID)
	if err != nil {
		return AtLocation{}, fmt.Errorf("count inbound at %s: %w", code, err)
	}
	return AtLocation{Expected: n.Expected, ToShip: n.ToShip}, nil
}
