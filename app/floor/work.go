package floor

import (
	"switchyard/app"

	"context"
	"fmt"
	"time"

	store "switchyard/sql"
)

// FulfillmentWork is one fulfillment as the floor sees it on the ship page.
type FulfillmentWork struct {
	QueueItem
	Location     string // the location's code
	LocationName string
	Timezone     string         // the location's IANA time zone, for its times
	Warning      string         // the tracking warning of its latest shipment, if any
	Shipped      string         // the latest shipment's carrier code, "" before any
	Notes        []app.Event    // the order's internal notes, oldest first
	Shipments    []app.Shipment // what already left this fulfillment, oldest first
}

// Work reads one fulfillment the actor may act on, with its order's facts:
// warehouse users only at their own locations (others' ids are not found).
func (a *Service) Work(ctx context.Context, actor app.Actor, id int64) (FulfillmentWork, error) {
	var f store.GetFulfillmentRow
	err := a.core.DB().Snapshot(ctx, func(qs *store.Queries) error {
		var err error
		f, err = a.core.FulfillmentFor(ctx, app.Tx{Q: qs}, actor, id)
		return err
	})
	if err != nil {
		return FulfillmentWork{}, err
	}
	o, err := a.core.OrderByID(ctx, f.OrderID)
	if err != nil {
		return FulfillmentWork{}, err
	}
	loc, err := a.core.Location(ctx, f.Location)
	if err != nil {
		return FulfillmentWork{}, err
	}
	w, err := workOf(o, f, a.core.Now())
	w.Timezone = loc.Timezone
	return w, err
}

// workOf picks the fulfillment out of its order.
func workOf(o app.Order, f store.GetFulfillmentRow, now time.Time) (FulfillmentWork, error) {
	w := FulfillmentWork{Location: f.Location, LocationName: f.LocationName}
	for _, x := range o.Fulfillments {
		if x.ID != f.ID {
			continue
		}
		w.QueueItem = QueueItem{ID: x.ID, OrderNumber: o.Number, Status: x.Status, ShipBy: x.PromisedShipBy,
			Held: o.OnHold, HoldReason: o.HoldWhy(), Customer: o.Customer.Name, Pickup: o.Delivery.Method == "pickup",
			CreatedAt: x.CreatedAt, RejectReason: x.RejectReason, Lines: x.Lines}
		if o.ShippingAddress != nil {
			w.Destination = app.OneLine(o.ShippingAddress.City, o.ShippingAddress.Country)
		}
		w.Late = w.ShipBy != nil && w.ShipBy.Before(now) && (w.Status == app.FulfillmentPending || w.Status == app.FulfillmentAccepted)
		if s := o.LatestShipment(f.ID); s != nil {
			w.Warning, w.Shipped = s.Warning, s.Carrier
		}
		w.Notes = notesOf(o.Events)
		for _, s := range o.Shipments {
			if s.FulfillmentID == f.ID {
				w.Shipments = append(w.Shipments, s)
			}
		}
		return w, nil
	}
	return w, fmt.Errorf("fulfillment %d is not among the fulfillments of order %s", f.ID, o.Number)
}

// notesOf picks the internal notes out of a timeline.
func notesOf(events []app.Event) []app.Event {
	var out []app.Event
	for _, e := range events {
		if e.Kind == "note" {
			out = append(out, e)
		}
	}
	return out
}

// QueueCounts counts a location's queue per tab (shipped and rejected: today only).
func (a *Service) QueueCounts(ctx context.Context, actor app.Actor, code string) (map[app.FulfillmentStatus]int64, error) {
	out := map[app.FulfillmentStatus]int64{}
	err := a.core.DB().Snapshot(ctx, func(qs *store.Queries) error {
		loc, err := ownLocation(ctx, qs, actor, code)
		if err != nil {
			return err
		}
		since := app.Millis(a.startOfLocalDay(a.core.Now(), loc.Timezone))
		counts, err := qs.QueueCounts(ctx, store.QueueCountsParams{LocationID: loc.ID, Since: since})
		if err != nil {
			return fmt.Errorf("queue counts: %w", err)
		}
		for _, c := range counts {
			out[app.FulfillmentStatus(c.Status)] = c.N
		}
		return nil
	})
	return out, err
}

// NamePickList fills in the names of the pick list's SKUs that have none.
func (a *Service) NamePickList(ctx context.Context, pl *PickList) error {
	for i, p := range pl.BySKU {
		if p.Name != "" {
			continue
		}
		sku, err := a.core.SKU(ctx, p.SKU)
		if app.ErrorKind(err) == app.KindNotFound {
			continue
		} else if err != nil {
			return err
		}
		pl.BySKU[i].Name = sku.Name
	}
	return nil
}
