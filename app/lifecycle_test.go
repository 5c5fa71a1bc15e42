package app

import (
	"slices"
	"strings"
	"testing"
)

// TestOrderStateMachine checks every move from every status against the table.
func TestOrderStateMachine(t *testing.T) {
	allowed := map[Move][]Status{
		MoveHold:          {StatusReceived, StatusRouted, StatusPartiallyRouted, StatusBackordered, StatusInFulfillment},
		MoveRelease:       {StatusOnHold},
		MoveCancel:        {StatusReceived, StatusRouted, StatusPartiallyRouted, StatusBackordered, StatusInFulfillment, StatusOnHold},
		MoveCancelLines:   {StatusReceived, StatusRouted, StatusPartiallyRouted, StatusBackordered, StatusInFulfillment, StatusOnHold, StatusPartiallyShipped},
		MoveChangeAddress: {StatusReceived, StatusRouted, StatusPartiallyRouted, StatusBackordered, StatusInFulfillment, StatusOnHold},
		MoveAddNote:       Statuses,
		MoveRoute:         {StatusReceived, StatusRouted, StatusPartiallyRouted, StatusBackordered, StatusInFulfillment},
	}
	for m, from := range allowed {
		for _, s := range Statuses {
			want := slices.Contains(from, s)
			err := checkMove(s, m)
			if (err == nil) != want {
				t.Errorf("%s from %s: err %v, want allowed=%v", m, s, err, want)
			}
			if err != nil && (ErrorKind(err) != KindConflict || !containsAll(err.Error(), string(m), s.Label())) {
				t.Errorf("refusal %q must be a conflict naming the move and the state", err)
			}
		}
	}
}

// TestFulfillmentStateMachine checks every pair of fulfillment statuses.
func TestFulfillmentStateMachine(t *testing.T) {
	allowed := map[[2]FulfillmentStatus]bool{
		{FulfillmentPending, FulfillmentAccepted}:   true,
		{FulfillmentPending, FulfillmentRejected}:   true,
		{FulfillmentPending, FulfillmentCancelled}:  true,
		{FulfillmentPending, FulfillmentShipped}:    true,
		{FulfillmentAccepted, FulfillmentShipped}:   true,
		{FulfillmentAccepted, FulfillmentRejected}:  true,
		{FulfillmentAccepted, FulfillmentCancelled}: true,
		{FulfillmentShipped, FulfillmentDelivered}:  true,
	}
	for _, from := range FulfillmentStatuses {
		for _, to := range FulfillmentStatuses {
			err := checkFulfillmentMove(from, to)
			if want := allowed[[2]FulfillmentStatus{from, to}]; (err == nil) != want {
				t.Errorf("%s -> %s: err %v, want allowed=%v", from, to, err, want)
			}
			if err != nil && !containsAll(err.Error(), string(from), string(to)) {
				t.Errorf("refusal %q must name both states", err)
			}
		}
	}
}

func TestDeriveStatus(t *testing.T) {
	line := func(q, r, s, c, b int64) lineFacts {
		return lineFacts{quantity: q, reserved: r, shipped: s, cancelled: c, backordered: b}
	}
	cases := []struct {
		name string
		f    orderFacts
		want Status
	}{
		{"new", orderFacts{lines: []lineFacts{line(2, 0, 0, 0, 0)}}, StatusReceived},
		{"held", orderFacts{onHold: true, lines: []lineFacts{line(2, 2, 0, 0, 0)}}, StatusOnHold},
		{"cancelled flag", orderFacts{cancelled: true, lines: []lineFacts{line(2, 0, 0, 0, 0)}}, StatusCancelled},
		{"every line cancelled", orderFacts{lines: []lineFacts{line(2, 0, 0, 2, 0)}}, StatusCancelled},
		{"routed", orderFacts{lines: []lineFacts{line(2, 2, 0, 0, 0), line(1, 1, 0, 0, 0)}}, StatusRouted},
		{"routed after a cancel", orderFacts{lines: []lineFacts{line(3, 2, 0, 1, 0)}}, StatusRouted},
		{"partly routed", orderFacts{lines: []lineFacts{line(2, 1, 0, 0, 1)}}, StatusPartiallyRouted},
		{"backordered", orderFacts{lines: []lineFacts{line(2, 0, 0, 0, 2)}}, StatusBackordered},
		{"accepted", orderFacts{lines: []lineFacts{line(2, 2, 0, 0, 0)}, fulfillments: []FulfillmentStatus{FulfillmentAccepted}}, StatusInFulfillment},
		{"partly shipped", orderFacts{lines: []lineFacts{line(2, 1, 1, 0, 0)}}, StatusPartiallyShipped},
		{"held after a partial shipment stays partly shipped", orderFacts{onHold: true, lines: []lineFacts{line(2, 1, 1, 0, 0)}}, StatusPartiallyShipped},
		{"shipped", orderFacts{lines: []lineFacts{line(2, 0, 2, 0, 0)}, fulfillments: []FulfillmentStatus{FulfillmentShipped}}, StatusShipped},
		{"delivered", orderFacts{lines: []lineFacts{line(2, 0, 2, 0, 0)}, fulfillments: []FulfillmentStatus{FulfillmentDelivered, FulfillmentRejected}}, StatusDelivered},
	}
	for _, tc := range cases {
		if got := deriveStatus(tc.f); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// containsAll reports whether s contains every part.
func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// TestHoldWords: a hold reason -> its label and the words after "On hold".
func TestHoldWords(t *testing.T) {
	for _, tc := range []struct{ reason, label, why string }{
		{"fraud_review", "fraud review", "for a fraud review"},
		{"address_check", "address check", "for an address check"},
		{"customer_request", "customer's request", "at the customer's request"},
		{"payment", "payment", "until the payment is confirmed"},
		{HoldStockReview, "missing stock", "because no location has every line in stock"},
		{"other", "other", "for another reason"},
		{"late_carrier", "late carrier", "for late carrier"},
	} {
		if got := HoldReasonLabel(tc.reason); got != tc.label {
			t.Errorf("HoldReasonLabel(%s) = %q, want %q", tc.reason, got, tc.label)
		}
		if got := HoldWhy(tc.reason); got != tc.why {
			t.Errorf("HoldWhy(%s) = %q, want %q", tc.reason, got, tc.why)
		}
	}
}
