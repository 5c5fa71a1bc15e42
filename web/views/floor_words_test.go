package views

import (
	"testing"

	"switchyard/app"
	"switchyard/app/floor"
)

// TestShippedNotice: the fulfillment after a shipment -> what the queue says.
func TestShippedNotice(t *testing.T) {
	work := func(carrier, warning string, lines ...app.FulfillmentLine) floor.FulfillmentWork {
		return floor.FulfillmentWork{QueueItem: floor.QueueItem{OrderNumber: "SY-000007", Lines: lines}, Shipped: carrier, Warning: warning}
	}
	for _, tc := range []struct {
		name       string
		w          floor.FulfillmentWork
		kind, want string
	}{
		{"all shipped", work("ups", "", app.FulfillmentLine{Quantity: 5, Shipped: 5}), "ok", "Saved: order SY-000007 has shipped."},
		{"1 of 5 shipped", work("ups", "", app.FulfillmentLine{Quantity: 5, Shipped: 1}), "ok",
			"Saved: 1 of 5 items of order SY-000007 have shipped; 4 left to ship."},
		{"released lines do not count", work("ups", "", app.FulfillmentLine{Quantity: 3, Shipped: 3}, app.FulfillmentLine{Quantity: 2, Released: 2}), "ok",
			"Saved: order SY-000007 has shipped."},
		{"tracking warning", work("ups", "HELLO123 does not match any UPS format", app.FulfillmentLine{Quantity: 2, Shipped: 1}), "warn",
			"Saved: 1 of 2 items of order SY-000007 have shipped; 1 left to ship. Check the tracking number: HELLO123 does not match any UPS format."},
		{"pickup", work(app.CarrierPickup, "", app.FulfillmentLine{Quantity: 1, Shipped: 1}), "ok", "Saved: order SY-000007 is ready for pickup."},
		{"pickup, part", work(app.CarrierPickup, "", app.FulfillmentLine{Quantity: 3, Shipped: 1}), "ok",
			"Saved: 1 of 3 items of order SY-000007 are ready for pickup; 2 left to prepare."},
	} {
		kind, got := ShippedNotice(tc.w)
		if kind != tc.kind || got != tc.want {
			t.Errorf("%s:\n got %s %q\nwant %s %q", tc.name, kind, got, tc.kind, tc.want)
		}
	}
}
