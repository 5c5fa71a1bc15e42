package desk

import (
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/returns"
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

// TestSentenceEveryState: the one sentence the order page, the tracking page
// and the answer API say, for every order status, and with the returns that
// follow a delivery (requested, approved, received and refunded, declined,
// cancelled).
func TestSentenceEveryState(t *testing.T) {
	day := func(d int) *time.Time { x := time.Date(2026, 12, d, 10, 0, 0, 0, time.UTC); return &x }
	ups := app.Shipment{Carrier: "ups", CarrierName: "UPS", TrackingNumber: "1Z5R89390357567127", LocationCity: "Lyon", ShippedAt: *day(3)}
	delivered := ups
	delivered.DeliveredAt = day(5)
	requested := returns.Return{Number: "RT-000007", Status: returns.StatusRequested, RequestedAt: *day(8)}
	approved := returns.Return{Number: "RT-000007", Status: returns.StatusApproved, LocationName: "Lyon warehouse", DueBy: day(22)}
	refunded := returns.Return{Number: "RT-000007", Status: returns.StatusReceived, ReceivedAt: day(10), ChannelName: "Web EU",
		Refunds: []returns.Refund{{Kind: returns.ResolutionRefund, Amount: "39.80", Currency: "EUR", Status: returns.RefundSucceeded, UpdatedAt: *day(11)}}}
	partly := returns.Return{Number: "RT-000007", Status: returns.StatusPartiallyReceived, ReceivedAt: day(10), ChannelName: "Web EU",
		Refunds: []returns.Refund{{Kind: returns.ResolutionStoreCredit, Amount: "19.90", Currency: "EUR", Status: returns.RefundSent, UpdatedAt: *day(10)}}}
	declined := returns.Return{Number: "RT-000007", Status: returns.StatusDeclined, DeclineReason: "worn"}
	cancelled := returns.Return{Number: "RT-000008", Status: returns.StatusCancelled}
	shippedOK := "Shipped on 3 Dec from Lyon with UPS, tracking 1Z5R89390357567127, delivered on 5 Dec."
	for _, tc := range []struct {
		name string
		f    SentenceFacts
		rets []returns.Return
		want string
	}{
		{"received", SentenceFacts{Status: app.StatusReceived}, nil, "We have your order and are preparing it."},
		{"routed (fulfillment pending)", SentenceFacts{Status: app.StatusRouted, PromisedShipBy: day(4)}, nil,
			"We have your order and are preparing it; it should leave by 4 Dec."},
		{"partially routed", SentenceFacts{Status: app.StatusPartiallyRouted}, nil,
			"Part of your order is waiting for stock; we will ship it as soon as it arrives."},
		{"backordered", SentenceFacts{Status: app.StatusBackordered, PromisedBy: day(9)}, nil,
			"Part of your order is waiting for stock; we will ship it as soon as it arrives, expected by 9 Dec."},
		{"held", SentenceFacts{Status: app.StatusOnHold, HoldReason: "payment"}, nil, "Your order is waiting for your payment to be confirmed."},
		{"accepted (in fulfillment)", SentenceFacts{Status: app.StatusInFulfillment, PromisedBy: day(6)}, nil,
			"We have your order and are preparing it, expected by 6 Dec."},
		{"partially shipped", SentenceFacts{Status: app.StatusPartiallyShipped, Shipments: []app.Shipment{ups}}, nil,
			"Part of your order shipped on 3 Dec from Lyon with UPS, tracking 1Z5R89390357567127; the rest follows."},
		{"shipped", SentenceFacts{Status: app.StatusShipped, Shipments: []app.Shipment{ups}, PromisedBy: day(5)}, nil,
			"Shipped on 3 Dec from Lyon with UPS, tracking 1Z5R89390357567127, expected by 5 Dec."},
		{"shipped, no shipment read", SentenceFacts{Status: app.StatusShipped}, nil, "We have your order and are preparing it."},
		{"delivered", SentenceFacts{Status: app.StatusDelivered, Shipments: []app.Shipment{delivered}}, nil, shippedOK},
		{"cancelled", SentenceFacts{Status: app.StatusCancelled}, nil, "Your order was cancelled."},
		{"delivered, return requested", SentenceFacts{Status: app.StatusDelivered, Shipments: []app.Shipment{delivered}},
			[]returns.Return{requested}, shippedOK + " We have your return request RT-000007 from 8 Dec and will confirm it shortly."},
		{"delivered, return approved", SentenceFacts{Status: app.StatusDelivered, Shipments: []app.Shipment{delivered}},
			[]returns.Return{approved}, shippedOK + " Your return RT-000007 is approved: please send the items back to Lyon warehouse by 22 Dec."},
		{"delivered, return declined", SentenceFacts{Status: app.StatusDelivered, Shipments: []app.Shipment{delivered}},
			[]returns.Return{declined}, shippedOK + " Your return request RT-000007 was declined: worn."},
		{"delivered, the only return cancelled", SentenceFacts{Status: app.StatusDelivered, Shipments: []app.Shipment{delivered}},
			[]returns.Return{cancelled}, shippedOK},
		{"returned and refunded", SentenceFacts{Status: app.StatusReturned, Shipments: []app.Shipment{delivered}},
			[]returns.Return{refunded, cancelled}, "We received your return RT-000007 on 10 Dec; your refund of EUR 39.80 was made on 11 Dec."},
		{"returned, no return read", SentenceFacts{Status: app.StatusReturned}, nil, "We have received your return."},
		{"partially returned, store credit sent", SentenceFacts{Status: app.StatusPartiallyReturned, Shipments: []app.Shipment{delivered}},
			[]returns.Return{partly}, "We received part of your return RT-000007 on 10 Dec; your store credit of EUR 19.90 was sent to Web EU on 10 Dec."},
	} {
		if got := Sentence(tc.f, tc.rets); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
