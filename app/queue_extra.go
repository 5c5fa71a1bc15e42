package app

import (
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
	Warning      string  // the tracking warning of its latest shipment, if any
	Shipped      string  // the latest shipment's carrier code, "" before any
	Notes        []Event // the order's internal notes, oldest first
}

// Work reads one fulfillment the actor may act on, with its order's facts:
// warehouse users only at their own locations (others' ids are not found).
func (a *App) Work(ctx context.Context, actor Actor, id int64) (FulfillmentWork, error) {
	var f store.GetFulfillmentRow
	err := a.db.Snapshot(ctx, func(qs *store.Queries) error {
		var err error
		f, err = a.FulfillmentFor(ctx, Tx{Q: qs}, actor, id)
		return err
	})
	if err != nil {
		return FulfillmentWork{}, err
	}
	o, err := a.OrderByID(ctx, f.OrderID)
	if err != nil {
		return FulfillmentWork{}, err
	}
	return workOf(o, f, a.Now())
}

// workOf picks the fulfillment out of its order.
func workOf(o Order, f store.GetFulfillmentRow, now time.Time) (FulfillmentWork, error) {
	w := FulfillmentWork{Location: f.Location, LocationName: f.LocationName}
	for _, x := range o.Fulfillments {
		if x.ID != f.ID {
			continue
		}
		w.QueueItem = QueueItem{ID: x.ID, OrderNumber: o.Number, Status: x.Status, ShipBy: x.PromisedShipBy,
			Held: o.OnHold, HoldReason: o.HoldReasonLabel(), Customer: o.Customer.Name, Pickup: o.Delivery.Method == "pickup",
			CreatedAt: x.CreatedAt, RejectReason: x.RejectReason, Lines: x.Lines}
		if o.ShippingAddress != nil {
			w.Destination = OneLine(o.ShippingAddress.City, o.ShippingAddress.Country)
		}
		w.Late = w.ShipBy != nil && w.ShipBy.Before(now) && (w.Status == FulfillmentPending || w.Status == FulfillmentAccepted)
		if s := o.LatestShipment(f.ID); s != nil {
			w.Warning, w.Shipped = s.Warning, s.Carrier
		}
		w.Notes = notesOf(o.Events)
		return w, nil
	}
	return w, fmt.Errorf("fulfillment %d is not among the fulfillments of order %s", f.ID, o.Number)
}

// notesOf picks the internal notes out of a timeline.
func notesOf(events []Event) []Event {
	var out []Event
	for _, e := range events {
		if e.Kind == "note" {
			out = append(out, e)
		}
	}
	return out
}

// QueueCounts counts a location's queue per tab (shipped and rejected: today only).
func (a *App) QueueCounts(ctx context.Context, actor Actor, code string) (map[FulfillmentStatus]int64, error) {
	out := map[FulfillmentStatus]int64{}
	err := a.db.Snapshot(ctx, func(qs *store.Queries) error {
		loc, err := ownLocation(ctx, qs, actor, code)
		if err != nil {
			return err
		}
		since := Millis(startOfLocalDay(a.Now(), loc.Timezone))
		counts, err := qs.QueueCounts(ctx, store.QueueCountsParams{LocationID: loc.ID, Since: since})
		if err != nil {
			return fmt.Errorf("queue counts: %w", err)
		}
		for _, c := range counts {
			out[FulfillmentStatus(c.Status)] = c.N
		}
		return nil
	})
	return out, err
}

// NamePickList fills in the names of the pick list's SKUs that have none.
func (a *App) NamePickList(ctx context.Context, pl *PickList) error {
	for i, p := range pl.BySKU {
		if p.Name != "" {
			continue
		}
		sku, err := a.SKU(ctx, p.SKU)
		if ErrorKind(err) == KindNotFound {
			continue
		} else if err != nil {
			return err
		}
		pl.BySKU[i].Name = sku.Name
	}
	return nil
}
