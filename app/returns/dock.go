package returns

import (
	"context"
	"fmt"
	"time"

	"switchyard/app"
	store "switchyard/sql"
)

// maxExpected bounds the returns one location's receiving page lists.
const maxExpected = 200

// Dock is what a location expects back: its open, approved returns, the
// late ones first.
type Dock struct {
	Location app.LocationRef
	Returns  []Expected
	Total    int64  // every return expected, also those past the list's limit
	Timezone string // the location's: its pages write times in it
}

// Expected is one return a location waits for.
type Expected struct {
	Return
	CustomerName string
	Late         bool // approved more than ReceiveWithin ago
	Barcodes     map[int64]string
}

// Expected lists the returns coming back to the location code (its
// warehouse users, ops managers and admins): approved or partly received,
// the longest approved first, so that the late ones lead.
func (s *Service) Expected(ctx context.Context, actor app.Actor, code string) (Dock, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleWarehouse); err != nil {
		return Dock{}, err
	}
	q := s.core.Read()
	loc, err := dockLocation(ctx, q, actor, code)
	if err != nil {
		return Dock{}, err
	}
	rows, err := q.ExpectedReturns(ctx, store.ExpectedReturnsParams{LocationID: loc.ID, Lim: maxExpected})
	if err != nil {
		return Dock{}, fmt.Errorf("expected returns: %w", err)
	}
	total, err := q.CountExpectedReturns(ctx, loc.ID)
	if err != nil {
		return Dock{}, fmt.Errorf("count expected returns: %w", err)
	}
	d := Dock{Location: app.LocationRef{ID: loc.ID, Code: loc.Code, Name: loc.Name}, Timezone: loc.Timezone,
		Returns: make([]Expected, 0, len(rows)), Total: total}
	now := s.core.Now()
	for _, row := range rows {
		e, err := s.expected(ctx, q, row, now)
		if err != nil {
			return Dock{}, err
		}
		d.Returns = append(d.Returns, e)
	}
	return d, nil
}

// ExpectedCount is how many returns the location code expects (for the
// queue page's link); the same reach as Expected.
func (s *Service) ExpectedCount(ctx context.Context, actor app.Actor, code string) (int64, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleWarehouse); err != nil {
		return 0, err
	}
	loc, err := dockLocation(ctx, s.core.Read(), actor, code)
	if err != nil {
		return 0, err
	}
	n, err := s.core.Read().CountExpectedReturns(ctx, loc.ID)
	if err != nil {
		return 0, fmt.Errorf("count expected returns: %w", err)
	}
	return n, nil
}

// dockLocation reads the location code if actor may receive there; another
// location is NotFound for a warehouse user, as an unknown code.
func dockLocation(ctx context.Context, q *store.Queries, actor app.Actor, code string) (store.Location, error) {
	if err := actor.KnowsLocation(ctx, app.Tx{Q: q}, code); err != nil {
		return store.Location{}, err
	}
	loc, err := q.GetLocationByCode(ctx, code)
	if store.IsNoRows(err) {
		return store.Location{}, app.NotFound("no location %q", code)
	} else if err != nil {
		return store.Location{}, fmt.Errorf("get location: %w", err)
	}
	return loc, nil
}

// expected loads one expected return with its SKUs' barcodes.
func (s *Service) expected(ctx context.Context, q *store.Queries, row store.ExpectedReturnsRow, now time.Time) (Expected, error) {
	rt, err := q.GetReturn(ctx, row.ID)
	if err != nil {
		return Expected{}, fmt.Errorf("get return: %w", err)
	}
	r, err := load(ctx, q, rt)
	if err != nil {
		return Expected{}, err
	}
	e := Expected{Return: r, CustomerName: row.CustomerName, Barcodes: map[int64]string{}}
	if row.ApprovedAt.Valid && now.Sub(app.FromMillis(row.ApprovedAt.Int64)) > ReceiveWithin {
		e.Late = true
	}
	for _, l := range r.Lines {
		sku, err := q.GetSKUByCode(ctx, l.SKU)
		if store.IsNoRows(err) {
			continue
		} else if err != nil {
			return Expected{}, fmt.Errorf("get SKU: %w", err)
		}
		if sku.Barcode != "" {
			e.Barcodes[l.OrderLineID] = sku.Barcode
		}
	}
	return e, nil
}

// ExpectedOne reads one return expected at the location code (the same
// reach as Expected); a return expected elsewhere, or not expected any more,
// is NotFound here.
func (s *Service) ExpectedOne(ctx context.Context, actor app.Actor, code, number string) (Expected, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleWarehouse); err != nil {
		return Expected{}, err
	}
	q := s.core.Read()
	loc, err := dockLocation(ctx, q, actor, code)
	if err != nil {
		return Expected{}, err
	}
	rt, err := q.GetReturnByNumber(ctx, number)
	if store.IsNoRows(err) || err == nil && rt.LocationID != loc.ID {
		return Expected{}, app.NotFound("no return %s expected at %s", number, loc.Name)
	} else if err != nil {
		return Expected{}, fmt.Errorf("get return %s: %w", number, err)
	}
	o, err := q.GetOrder(ctx, rt.OrderID)
	if err != nil {
		return Expected{}, fmt.Errorf("return's order: %w", err)
	}
	return s.expected(ctx, q, store.ExpectedReturnsRow{ID: rt.ID, Number: rt.Number, Status: rt.Status,
		ApprovedAt: rt.ApprovedAt, RequestedAt: rt.RequestedAt, OrderNumber: o.Number, CustomerName: o.CustomerName}, s.core.Now())
}
