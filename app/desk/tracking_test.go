package desk

import (
	"testing"
	"time"

	"switchyard/app"
)

// TestCustomerMessage: each customer-visible timeline entry -> the sentence
// the customer reads (no internal names, product names, tracking as now).
func TestCustomerMessage(t *testing.T) {
	ships := map[int64]app.Shipment{
		1: {ID: 1, Carrier: "ups", CarrierName: "UPS", TrackingNumber: "1Z5R89390357567127", LocationName: "Lyon",
			Lines: []app.ShipLine{{SKU: "Black tee", Quantity: 2}}},
		2: {ID: 2, Carrier: app.CarrierPickup, CarrierName: "pickup", LocationName: "Lyon store", Lines: []app.ShipLine{{SKU: "White mug", Quantity: 1}}},
	}
	for _, tc := range []struct {
		kind, msg string
		data      map[string]any
		pickup    bool
		want      string
	}{
		{"received", "Order received from web (2 lines).", nil, false, "We received your order."},
		{"address_changed", "Address changed to 12 rue X", nil, false, "The shipping address was updated."},
		{"fulfillment_accepted", "Lyon warehouse is preparing the order.", nil, false, "We are preparing your order."},
		{"cancelled", "Order cancelled (fraud).", nil, false, "Your order was cancelled."},
		{"lines_cancelled", "Cancelled 1 × TEE (out of stock).", nil, false, "Part of your order was cancelled."},
		{"shipped", "Shipped 2 × TEE from Lyon warehouse with UPS, tracking HELLO123.", map[string]any{"shipment": float64(1)}, false,
			"Shipped from Lyon with UPS, tracking 1Z5R89390357567127: 2 × Black tee."},
		{"shipped", "Shipped 2 × TEE from Lyon warehouse.", map[string]any{"shipment": float64(9)}, false, "Your order was shipped."},
		{"ready_for_pickup", "Ready for pickup at Lyon store: 1 × MUG.", map[string]any{"shipment": float64(2)}, true, "Ready for pickup at Lyon store: 1 × White mug."},
		{"ready_for_pickup", "Ready for pickup at Lyon store: 1 × MUG.", nil, true, "Your order is ready for pickup."},
		{"delivered", "Delivered: the parcel from Lyon warehouse reached the customer.", nil, false, "Your parcel was delivered."},
		{"delivered", "Collected by the customer at Lyon store.", nil, true, "You collected your order."},
		{"return_requested", "Return RT-000042 started by Sam Support: 1 × Black tee (too small), to come back to Lyon warehouse: the nearest.",
			map[string]any{"return": "RT-000042"}, false, "We received your return request RT-000042."},
		{"return_declined", "Return RT-000042 declined: worn", map[string]any{"return": "RT-000042", "reason": "worn"}, false,
			"Your return RT-000042 was declined: worn."},
		{"return_received", "Return RT-000042 received in Lyon warehouse on 3 Dec: TEE: 1 restocked; refund of EUR 19.90 to be made in web by hand.",
			map[string]any{"return": "RT-000042", "refund_amount": "EUR 19.90", "refund_kind": "refund"}, false,
			"We received the items you sent back (return RT-000042). Your refund of EUR 19.90 is on its way."},
		{"refund_created", "Return RT-000042: store credit of EUR 5.00 given.", map[string]any{"return": "RT-000042", "kind": "store_credit",
			"amount": "EUR 5.00"}, false, "Your store credit of EUR 5.00 for return RT-000042 was issued."},
		{"refund_recorded", "The channel web refunded EUR 10.00 (refund 7).", map[string]any{"kind": "refund", "amount": "EUR 10.00"}, false,
			"You were refunded EUR 10.00."},
	} {
		got := CustomerMessage(app.Event{Kind: tc.kind, Message: tc.msg, Data: tc.data}, ships, tc.pickup)
		if got != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.kind, tc.data, got, tc.want)
		}
	}
}

// TestCustomerPlace: where a shipment left from, for the customer.
func TestCustomerPlace(t *testing.T) {
	for _, tc := range []struct {
		s    app.Shipment
		want string
	}{
		{app.Shipment{Carrier: "ups", LocationName: "Lyon warehouse", LocationCity: "Lyon"}, "Lyon"},
		{app.Shipment{Carrier: "ups", LocationName: "Lyon warehouse"}, "our warehouse"},
		{app.Shipment{Carrier: app.CarrierPickup, LocationName: "Lyon store", LocationCity: "Lyon"}, "Lyon store"},
	} {
		if got := CustomerPlace(tc.s); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestShopURL: only https addresses with a host are linked.
func TestShopURL(t *testing.T) {
	for _, tc := range []struct{ base, domain, want string }{
		{"https://shop.example/", "", "https://shop.example"},
		{"http://shop.example", "", ""},
		{"http://shop.example", "lima.myshopify.com", "https://lima.myshopify.com"},
		{"", "lima.myshopify.com", "https://lima.myshopify.com"},
		{"javascript:alert(1)", "", ""},
		{"https://user:pw@shop.example", "", ""},
		{"", "", ""},
	} {
		if got := ShopURL(tc.base, tc.domain); got != tc.want {
			t.Errorf("ShopURL(%q, %q) = %q, want %q", tc.base, tc.domain, got, tc.want)
		}
	}
}

// TestCustomerZone: the address's country zone when it has one, else UTC.
func TestCustomerZone(t *testing.T) {
	for country, want := range map[string]string{"FR": "Europe/Paris", "US": "UTC", "": "UTC"} {
		loc, name := CustomerZone(country)
		if name != want || loc == nil || (want == "UTC" && loc != time.UTC) {
			t.Errorf("%q: %v %q, want %s", country, loc, name, want)
		}
	}
}
