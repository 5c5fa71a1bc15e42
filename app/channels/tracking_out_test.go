package channels

import (
	"switchyard/app/apptest"

	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/outbox"
)

// TestTrackingCorrectionTellsShopify: a shipment confirmed with a wrong
// number reaches Shopify as a fulfillment; correcting it replaces the
// fulfillment's tracking with fulfillmentTrackingInfoUpdate (the strict fake
// refuses any other shape), once, and the generic webhook subscribed to
// order.tracking_updated gets a message with the previous number.
func TestTrackingCorrectionTellsShopify(t *testing.T) {
	ctx := context.Background()
	shop := newFakeShopify()
	srv := httptest.NewServer(shop)
	defer srv.Close()
	a, _ := outboxApp(t, "shopify", srv.URL)
	if _, _, err := outboxOf(a).CreateWebhookEndpoint(ctx, app.System, outbox.NewWebhookEndpoint{URL: "https://hooks.example/x", Events: []string{app.EventOrderTrackingUpdated}}); err != nil {
		t.Fatal(err)
	}
	o := placeShopOrder(t, a, "5550001", 2)
	res, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "hello-123"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Warning == "" {
		t.Fatal("no warning for HELLO123 as a UPS number")
	}
	if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	sid := res.Order.Shipments[0].ID
	if _, err := a.CorrectTracking(ctx, app.System, sid, app.CorrectTrackingInput{Carrier: "ups", TrackingNumber: "1Z5R 8939 0357 5671 27"}); err != nil {
		t.Fatal(err)
	}
	if n := apptest.CountOutbox(t, a, app.OutboxPending, app.KindWebhook); n != 1 {
		t.Errorf("%d webhook messages for the correction, want 1", n)
	}
	for range 2 {
		if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if got := shop.eventsOf("5550001"); !slices.Equal(got, []string{"fulfill:1Z5R89390357567127"}) {
		t.Fatalf("Shopify holds %v", got)
	}
	calls := shop.callsOf("fulfillmentTrackingInfoUpdate")
	if len(calls) != 1 {
		t.Fatalf("%d fulfillmentTrackingInfoUpdate calls (refused: %v)", len(calls), shop.refused())
	}
	b, _ := json.Marshal(calls[0]["variables"])
	if s := string(b); !strings.Contains(s, `"notifyCustomer":true`) || !strings.Contains(s, `"number":"1Z5R89390357567127"`) || !strings.Contains(s, `"company":"UPS"`) {
		t.Errorf("variables %s", s)
	}
	if n := apptest.CountOutbox(t, a, app.OutboxDelivered, app.KindShopifyTracking); n != 1 {
		t.Errorf("%d delivered tracking updates, want 1", n)
	}
	var ms []outbox.OutboxMessage
	for _, st := range []string{app.OutboxPending, app.OutboxDelivering, app.OutboxDelivered, app.OutboxDead} {
		got, err := outboxOf(a).OutboxMessages(ctx, st, 100)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, got...)
	}
	found := false
	for _, m := range ms {
		if m.Kind != app.KindWebhook {
			continue
		}
		row, err := a.Read().GetOutboxMessage(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(row.Payload, `"type":"order.tracking_updated"`) && strings.Contains(row.Payload, `"previous_tracking_number":"HELLO123"`) {
			found = true
		}
	}
	if !found {
		t.Error("no order.tracking_updated webhook with the previous number")
	}
}

// TestTrackingCorrectionBeforeShopifyKnew: corrected before the fulfillment
// reached Shopify, the fulfillment is created with the old number and then
// corrected; a correction to the number already there sends nothing more.
func TestTrackingCorrectionBeforeShopifyKnew(t *testing.T) {
	ctx := context.Background()
	shop := newFakeShopify()
	srv := httptest.NewServer(shop)
	defer srv.Close()
	a, _ := outboxApp(t, "shopify", srv.URL)
	o := placeShopOrder(t, a, "5550002", 1)
	res, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "HELLO123"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CorrectTracking(ctx, app.System, res.Order.Shipments[0].ID, app.CorrectTrackingInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := shop.eventsOf("5550002"); !slices.Equal(got, []string{"fulfill:1Z5R89390357567127"}) {
		t.Fatalf("Shopify holds %v (refused %v)", got, shop.refused())
	}
}

// TestTrackingCorrectionWooNote: WooCommerce gets a customer note with the
// corrected number; the order's status is not sent again.
func TestTrackingCorrectionWooNote(t *testing.T) {
	ctx := context.Background()
	rec := &storeRequests{}
	srv := httptest.NewTLSServer(fakeWoo(rec))
	defer srv.Close()
	a, _ := outboxApp(t, "woocommerce", srv.URL)
	o := placeShopOrder(t, a, "731", 1)
	res, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "HELLO123"})
	if err != nil {
		t.Fatal(err)
	}
	opts := outbox.DispatcherOptions{Client: srv.Client()}
	if _, err := outboxOf(a).DispatchDue(ctx, opts); err != nil {
		t.Fatal(err)
	}
	before := len(rec.list())
	if _, err := a.CorrectTracking(ctx, app.System, res.Order.Shipments[0].ID, app.CorrectTrackingInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	if _, err := outboxOf(a).DispatchDue(ctx, opts); err != nil {
		t.Fatal(err)
	}
	got := rec.list()[before:]
	if len(got) != 1 || !strings.HasPrefix(got[0], "POST /wp-json/wc/v3/orders/731/notes ") ||
		!strings.Contains(got[0], "tracking number 1Z5R89390357567127 (not HELLO123)") || !strings.Contains(got[0], `"customer_note":true`) {
		t.Fatalf("requests %q", got)
	}
	if n := apptest.CountOutbox(t, a, app.OutboxDelivered, app.KindWooTrackingNote); n != 1 {
		t.Errorf("%d delivered notes, want 1", n)
	}
}
