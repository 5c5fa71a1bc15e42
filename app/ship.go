package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"switchyard/app/automation"
	"switchyard/app/tracking"
	store "switchyard/sql"
)

// CarrierPickup is the carrier of a pickup order handed over at the counter.
const CarrierPickup = "pickup"

// ShipInput confirms what left a location: the carrier and tracking number,
// and the lines (all that is open, when none are named).
type ShipInput struct {
	Carrier        string     `json:"carrier" form:"carrier"`
	TrackingNumber string     `json:"tracking_number" form:"tracking_number"`
	Lines          []ShipLine `json:"lines"`
	// Scans are the codes scanned, one per unit (a SKU's barcode or code):
	// required, matching what leaves, where the location requires scanning.
	Scans []string `json:"scans,omitempty" form:"-"`
}

// ShipLine is a quantity of a SKU that left.
type ShipLine struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// ShipResult is the order after a shipment and the tracking check's warning, if any.
type ShipResult struct {
	Order   Order
	Warning string
}

// Ship confirms a shipment from a fulfillment, in one transaction: the stock
// leaves (on hand and reserved down, with ledger rows), the lines and the
// fulfillment move, and the timeline says what left, from where, with which
// tracking. A tracking number that does not look like the carrier's is a
// warning, not a refusal.
func (a *App) Ship(ctx context.Context, actor Actor, fulfillmentID int64, in ShipInput) (ShipResult, error) {
	check, err := checkShipInput(&in)
	if err != nil {
		return ShipResult{}, err
	}
	o, err := a.changeFulfillment(ctx, actor, fulfillmentID, func(tx Tx, f store.GetFulfillmentRow) error {
		return ShipInTx(ctx, tx, f, in, check, actor)
	})
	return ShipResult{Order: o, Warning: check.Warning}, err
}

// checkShipInput checks the carrier and the lines' shape, and the tracking number's format.
func checkShipInput(in *ShipInput) (tracking.Check, error) {
	f := FieldsError{}
	checkTextFields(f, "", in)
	in.Carrier = strings.TrimSpace(in.Carrier)
	known := in.Carrier == CarrierPickup || slices.ContainsFunc(tracking.Carriers(), func(c tracking.Carrier) bool { return c.Code == in.Carrier })
	if !known {
		f.Add("carrier", "must be one of the carriers listed")
	}
	var check tracking.Check
	if in.Carrier != CarrierPickup && known {
		check = tracking.Validate(in.Carrier, in.TrackingNumber)
		if check.Number == "" {
			f.Add("tracking_number", "is required")
		}
	}
	for i, l := range in.Lines {
		if strings.TrimSpace(l.SKU) == "" {
			f.Add(fmt.Sprintf("lines[%d].sku", i), "is required")
		}
		if l.Quantity < 1 {
			f.Add(fmt.Sprintf("lines[%d].quantity", i), "must be 1 or more")
		}
	}
	return check, f.Err("shipment is invalid")
}

// ShipInTx is Ship inside its transaction.
func ShipInTx(ctx context.Context, tx Tx, f store.GetFulfillmentRow, in ShipInput, check tracking.Check, actor Actor) error {
	if err := checkFulfillmentMove(FulfillmentStatus(f.Status), FulfillmentShipped); err != nil {
		return err
	}
	o, err := tx.Q.GetOrder(ctx, f.OrderID)
	if err != nil {
		return fmt.Errorf("get order: %w", err)
	}
	if o.OnHold == 1 {
		return Conflict("order %s is on hold %s: release it before shipping", o.Number, HoldWhy(o.HoldReason))
	}
	lines, err := tx.Q.ListFulfillmentLines(ctx, f.ID)
	if err != nil {
		return fmt.Errorf("fulfillment lines: %w", err)
	}
	plan, err := planShipment(lines, in.Lines)
	if err != nil {
		return err
	}
	scanned, err := checkScans(ctx, tx, f, lines, plan, in.Scans)
	if err != nil {
		return err
	}
	sid, err := tx.Q.InsertShipment(ctx, store.InsertShipmentParams{
		FulfillmentID: f.ID, OrderID: o.ID, Carrier: in.Carrier, TrackingNumber: check.Number, TrackingUrl: check.URL,
		TrackingWarning: check.Warning, ShippedAt: Millis(tx.Now), CreatedBy: actor.Label(),
	})
	if err != nil {
		return fmt.Errorf("record shipment: %w", err)
	}
	var words []string
	for _, l := range lines {
		if q := plan[l.OrderLineID]; q > 0 {
			if err := shipLine(ctx, tx, f, o, sid, l, q); err != nil {
				return err
			}
			w := fmt.Sprintf("%d × %s", q, l.Sku)
			if l.PartOf.Valid { // part of a kit split over locations: what left of it
				if w, err = splitShipWords(ctx, tx, f.ID, l, q); err != nil {
					return err
				}
			}
			words = append(words, w)
		}
	}
	if err := finishShipment(ctx, tx, f); err != nil {
		return err
	}
	ev := shippedEvent(f, o, in.Carrier, check, words, sid)
	if scanned {
		ev.Data["scanned"] = true // every unit that left was scanned
	}
	if err := AppendEvent(ctx, tx, o.ID, actor, ev); err != nil {
		return err
	}
	// Outbox: tell the channel (Shopify, WooCommerce) and subscribed webhooks, after commit.
	if err := enqueueShipment(ctx, tx, o.ID, sid, in.Carrier, check.Number, check.URL); err != nil {
		return err
	}
	if err := refreshStatus(ctx, tx, o.ID); err != nil {
		return err
	}
	_, err = Automate(ctx, tx, o.ID, automation.OrderShipped)
	return err
}

// planShipment works out how much of each fulfillment line leaves: everything
// open when no lines are named, else the quantities named, per SKU in line order.
func planShipment(lines []store.ListFulfillmentLinesRow, want []ShipLine) (map[int64]int64, error) {
	plan := map[int64]int64{}
	if len(want) == 0 {
		for _, l := range lines {
			if open := l.Quantity - l.Shipped - l.Released; open > 0 {
				plan[l.OrderLineID] = open
			}
		}
		if len(plan) == 0 {
			return nil, Conflict("nothing is left to ship in this fulfillment")
		}
		return plan, nil
	}
	f := FieldsError{}
	for i, w := range want {
		left := w.Quantity
		for _, l := range lines {
			if l.Sku != w.SKU || left == 0 {
				continue
			}
			take := min(left, l.Quantity-l.Shipped-l.Released-plan[l.OrderLineID])
			plan[l.OrderLineID] += take
			left -= take
		}
		if left > 0 {
			f.Add(fmt.Sprintf("lines[%d].quantity", i), fmt.Sprintf("is more than is left to ship of %s", w.SKU))
		}
	}
	return plan, f.Err("shipment is invalid")
}

// shipLine moves one line's quantity out: stock (ledger), fulfillment line, order line, shipment line.
func shipLine(ctx context.Context, tx Tx, f store.GetFulfillmentRow, o store.Order, shipmentID int64, l store.ListFulfillmentLinesRow, q int64) error {
	if err := shipUnits(ctx, tx, f, o, l, q); err != nil { // a kit's parts leave (kit_moves.go)
		return err
	}
	if l.PartOf.Valid { // part of a kit split over locations (kit_split.go)
		return shipSplitLine(ctx, tx, f, shipmentID, l, q)
	}
	if err := tx.Q.ShipFulfillmentLine(ctx, store.ShipFulfillmentLineParams{Shipped: q, FulfillmentID: f.ID, OrderLineID: l.OrderLineID}); err != nil {
		return fmt.Errorf("ship fulfillment line: %w", err)
	}
	if err := tx.Q.ShipOrderLine(ctx, store.ShipOrderLineParams{Qty: q, ID: l.OrderLineID}); err != nil {
		return fmt.Errorf("ship order line: %w", err)
	}
	return tx.Q.InsertShipmentLine(ctx, store.InsertShipmentLineParams{ShipmentID: shipmentID, OrderLineID: l.OrderLineID, SkuID: l.SkuID, Quantity: q})
}

// finishShipment moves the fulfillment: shipped when nothing is left, else accepted (partly shipped).
func finishShipment(ctx context.Context, tx Tx, f store.GetFulfillmentRow) error {
	u, err := tx.Q.FulfillmentOpenUnits(ctx, f.ID)
	if err != nil {
		return fmt.Errorf("fulfillment units: %w", err)
	}
	status := FulfillmentShipped
	if u.Open > 0 {
		status = FulfillmentAccepted
	}
	return tx.Q.SetFulfillmentShipped(ctx, store.SetFulfillmentShippedParams{Status: string(status), ShippedAt: NullInt(Millis(tx.Now)), UpdatedAt: Millis(tx.Now), ID: f.ID})
}

// shippedEvent says what left, from where, with which tracking.
func shippedEvent(f store.GetFulfillmentRow, o store.Order, carrier string, check tracking.Check, what []string, shipmentID int64) NewEvent {
	items := strings.Join(what, ", ")
	if carrier == CarrierPickup {
		return NewEvent{Kind: "ready_for_pickup", Customer: true, Message: fmt.Sprintf("Ready for pickup at %s: %s.", f.LocationName, items),
			Data: map[string]any{"shipment": shipmentID}}
	}
	msg := fmt.Sprintf("Shipped %s from %s with %s, tracking %s.", items, f.LocationName, CarrierName(carrier), check.Number)
	return NewEvent{Kind: "shipped", Customer: true, Message: msg,
		Data: map[string]any{"shipment": shipmentID, "carrier": carrier, "tracking_number": check.Number, "tracking_url": check.URL, "warning": check.Warning}}
}

// CarrierName is a carrier's name for people.
func CarrierName(code string) string {
	if code == CarrierPickup {
		return "pickup"
	}
	for _, c := range tracking.Carriers() {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

// Deliver records that a fulfillment reached the customer (or was collected).
func (a *App) Deliver(ctx context.Context, actor Actor, fulfillmentID int64) (Order, error) {
	return a.changeFulfillment(ctx, actor, fulfillmentID, func(tx Tx, f store.GetFulfillmentRow) error {
		return DeliverInTx(ctx, tx, f, actor)
	})
}

// DeliverInTx is Deliver inside its transaction.
func DeliverInTx(ctx context.Context, tx Tx, f store.GetFulfillmentRow, actor Actor) error {
	if err := checkFulfillmentMove(FulfillmentStatus(f.Status), FulfillmentDelivered); err != nil {
		return err
	}
	if err := tx.Q.SetFulfillmentDelivered(ctx, store.SetFulfillmentDeliveredParams{DeliveredAt: NullInt(Millis(tx.Now)), UpdatedAt: Millis(tx.Now), ID: f.ID}); err != nil {
		return fmt.Errorf("deliver: %w", err)
	}
	if err := tx.Q.SetShipmentsDelivered(ctx, store.SetShipmentsDeliveredParams{DeliveredAt: NullInt(Millis(tx.Now)), FulfillmentID: f.ID}); err != nil {
		return fmt.Errorf("deliver shipments: %w", err)
	}
	o, err := tx.Q.GetOrder(ctx, f.OrderID)
	if err != nil {
		return fmt.Errorf("get order: %w", err)
	}
	msg := "Delivered: the parcel from " + f.LocationName + " reached the customer."
	if o.Delivery == "pickup" {
		msg = "Collected by the customer at " + f.LocationName + "."
	}
	if err := AppendEvent(ctx, tx, f.OrderID, actor, NewEvent{Kind: "delivered", Customer: true, Message: msg, Data: map[string]any{"fulfillment": f.ID}}); err != nil {
		return err
	}
	if err := refreshStatus(ctx, tx, f.OrderID); err != nil {
		return err
	}
	_, err = Automate(ctx, tx, f.OrderID, automation.OrderDelivered)
	return err
}
