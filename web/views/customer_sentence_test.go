package views

import (
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/tracking"
)

// TestCustomerSentence: order state -> what support may tell the customer
// (and the tracking page says). No internal location names, a hold in the
// words its reason calls for, a partial shipment said as one.
func TestCustomerSentence(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	day := func(d, h int) *time.Time { x := time.Date(2026, 12, d, h, 0, 0, 0, time.UTC); return &x }
	ups := app.Shipment{Carrier: "ups", CarrierName: "UPS", TrackingNumber: "1Z5R89390357567127", LocationName: "Lyon warehouse",
		LocationCity: "Lyon", ShippedAt: *day(3, 10)}
	noCity := ups
	noCity.LocationCity = ""
	delivered := ups
	delivered.DeliveredAt = day(5, 9)
	pickup := app.Shipment{Carrier: app.CarrierPickup, CarrierName: "pickup", LocationName: "Lyon store", LocationCity: "Lyon", ShippedAt: *day(3, 10)}
	collected := pickup
	collected.DeliveredAt = day(4, 16)
	for _, tc := range []struct {
		name string
		f    SentenceFacts
		want string
	}{
		{"received", SentenceFacts{Status: app.StatusReceived}, "We have your order and are preparing it."},
		{"routed, not shipped", SentenceFacts{Status: app.StatusRouted, PromisedShipBy: day(4, 12), PromisedBy: day(6, 12)},
			"We have your order and are preparing it; it should leave by 4 Dec, expected by 6 Dec."},
		{"in fulfillment", SentenceFacts{Status: app.StatusInFulfillment}, "We have your order and are preparing it."},
		{"shipped", SentenceFacts{Status: app.StatusShipped, Shipments: []app.Shipment{ups}, PromisedBy: day(5, 12)},
			"Shipped on 3 Dec from Lyon with UPS, tracking 1Z5R89390357567127, expected by 5 Dec."},
		{"shipped, no city", SentenceFacts{Status: app.StatusShipped, Shipments: []app.Shipment{noCity}},
			"Shipped on 3 Dec from our warehouse with UPS, tracking 1Z5R89390357567127."},
		{"1 of 5 shipped", SentenceFacts{Status: app.StatusPartiallyShipped, Shipments: []app.Shipment{ups}},
			"Part of your order shipped on 3 Dec from Lyon with UPS, tracking 1Z5R89390357567127; the rest follows."},
		{"delivered", SentenceFacts{Status: app.StatusDelivered, Shipments: []app.Shipment{delivered}, PromisedBy: day(6, 12)},
			"Shipped on 3 Dec from Lyon with UPS, tracking 1Z5R89390357567127, delivered on 5 Dec."},
		{"ready for pickup", SentenceFacts{Status: app.StatusShipped, Shipments: []app.Shipment{pickup}}, "Ready for pickup at Lyon store since 3 Dec."},
		{"collected", SentenceFacts{Status: app.StatusDelivered, Shipments: []app.Shipment{collected}}, "Collected on 4 Dec at Lyon store."},
		{"late night in Paris", SentenceFacts{Status: app.StatusRouted, PromisedShipBy: day(4, 23), Zone: paris},
			"We have your order and are preparing it; it should leave by 5 Dec."},
		{"held: customer asked", SentenceFacts{Status: app.StatusOnHold, HoldReason: "customer_request"},
			"Your order is on hold, as you asked; it goes ahead when you tell us."},
		{"held: address", SentenceFacts{Status: app.StatusOnHold, HoldReason: "address_check"},
			"We are checking your shipping address; we will contact you if we need anything."},
		{"held: payment", SentenceFacts{Status: app.StatusOnHold, HoldReason: "payment"}, "Your order is waiting for your payment to be confirmed."},
		{"held: stock", SentenceFacts{Status: app.StatusOnHold, HoldReason: app.HoldStockReview},
			"Part of your order is not in stock yet; we will tell you when it ships."},
		{"held: fraud", SentenceFacts{Status: app.StatusOnHold, HoldReason: "fraud_review"}, "Your order is being reviewed; we will update you shortly."},
		{"held: other", SentenceFacts{Status: app.StatusOnHold, HoldReason: "other"}, "Your order is being reviewed; we will update you shortly."},
		{"backordered", SentenceFacts{Status: app.StatusBackordered, PromisedBy: day(9, 12)},
			"Part of your order is waiting for stock; we will ship it as soon as it arrives, expected by 9 Dec."},
		{"partially routed", SentenceFacts{Status: app.StatusPartiallyRouted}, "Part of your order is waiting for stock; we will ship it as soon as it arrives."},
		{"cancelled", SentenceFacts{Status: app.StatusCancelled}, "Your order was cancelled."},
		{"returned", SentenceFacts{Status: app.StatusReturned}, "We have received your return."},
		{"partially returned", SentenceFacts{Status: app.StatusPartiallyReturned}, "We have received part of your return."},
	} {
		if got := CustomerSentence(tc.f); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestTrackingCheckWords: the check of a typed number -> what the form says.
func TestTrackingCheckWords(t *testing.T) {
	for _, tc := range []struct{ carrier, number, want string }{
		{"ups", "", ""},
		{"", "1Z5R89390357567127", "Choose a carrier to check the number."},
		{"ups", "hello-123", "HELLO123 does not match any UPS format. Check it before saving; it can still be saved."},
		{"gls", "12345", "No format to check GLS numbers against."},
		{"royal-mail", "RB123456785GB", "Looks like a Royal Mail number (Letter Post Registered)."},
	} {
		c := tracking.Validate(tc.carrier, tc.number)
		if tc.carrier == "" {
			c.Carrier = ""
		}
		if got := TrackingCheckWords(c); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.carrier, tc.number, got, tc.want)
		}
	}
}
