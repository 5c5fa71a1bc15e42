package outbox

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
)

// eventSink is a webhook receiver that keeps each event's data by type.
type eventSink struct {
	mu     sync.Mutex
	secret string
	got    map[string][]app.TimelineEventData
	srv    *httptest.Server
}

// newEventSink starts a receiver that checks each delivery's signature.
func newEventSink(t *testing.T) *eventSink {
	s := &eventSink{got: map[string][]app.TimelineEventData{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var p struct {
			Type string                `json:"type"`
			Data app.TimelineEventData `json:"data"`
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if !verifyStandardWebhook(s.secret, r.Header, body) || json.Unmarshal(body, &p) != nil {
			t.Errorf("webhook %s", body)
		}
		s.got[p.Type] = append(s.got[p.Type], p.Data)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// TestWebhookOrderLifeEvents: an endpoint subscribed to the order's life
// gets each event as its timeline tells it (the order, the entry in plain
// words, its details), signed; an endpoint registered after the endpoints
// were read (and cached) gets the very next event.
func TestWebhookOrderLifeEvents(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	apptest.Count(t, a, "LYS", "TEE", 10)
	sink := newEventSink(t)
	events := []string{app.EventOrderCreated, app.EventOrderRouted, app.EventOrderHeld, app.EventOrderReleased,
		app.EventFulfillmentAccepted, app.EventFulfillmentRejected, app.EventStockShort}
	var err error
	if _, sink.secret, err = svc(a).CreateWebhookEndpoint(ctx, app.System, NewWebhookEndpoint{URL: sink.srv.URL, Events: events}); err != nil {
		t.Fatal(err)
	}
	o, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("e1", 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Hold(ctx, app.System, o.Number, app.HoldInput{Reason: "address_check"}); err != nil {
		t.Fatal(err)
	}
	if o, err = a.Release(ctx, app.System, o.Number); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AcceptFulfillment(ctx, app.System, o.Fulfillments[0].ID); err != nil {
		t.Fatal(err)
	}
	o2, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("e2", 2))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.RejectFulfillment(ctx, app.System, o2.Fulfillments[0].ID, app.RejectInput{Reason: "damaged"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("e3", 1)); err != nil {
		t.Fatal(err)
	}
	apptest.Count(t, a, "LYS", "TEE", 0) // fewer than reserved: the orders there are short
	if _, err := svc(a).DispatchDue(ctx, DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	for _, e := range events {
		if len(sink.got[e]) == 0 {
			t.Errorf("no %s among %v", e, keys(sink.got))
		}
	}
	created := map[string]app.TimelineEventData{}
	for _, d := range sink.got[app.EventOrderCreated] {
		created[d.Order.ExternalID] = d
	}
	if c := created["e1"]; len(created) != 3 || c.Order.Number != o.Number || c.Channel != "web" || c.Kind != "received" ||
		c.Message != "Order received from web as e1: 1 item, EUR 10.00." {
		t.Errorf("order.created: %+v", created)
	}
	if held := sink.got[app.EventOrderHeld]; len(held) == 0 || held[0].Details["reason"] != "address_check" {
		t.Errorf("order.held: %+v", held)
	}
	if short := sink.got[app.EventStockShort]; len(short) == 0 || short[0].Details["sku"] != "TEE" || short[0].Details["location"] != "LYS" {
		t.Errorf("stock.short: %+v", short)
	}
}

// TestWebhookEndpointSeenAtOnce: the endpoints are cached between
// transactions, and a new endpoint is seen by the very next one.
func TestWebhookEndpointSeenAtOnce(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	apptest.Count(t, a, "LYS", "TEE", 10)
	if _, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("before", 1)); err != nil { // reads (and caches) no endpoint
		t.Fatal(err)
	}
	sink := newEventSink(t)
	var err error
	if _, sink.secret, err = svc(a).CreateWebhookEndpoint(ctx, app.System,
		NewWebhookEndpoint{URL: sink.srv.URL, Events: []string{app.EventOrderCreated}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("after", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc(a).DispatchDue(ctx, DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if got := sink.got[app.EventOrderCreated]; len(got) != 1 || got[0].Order.ExternalID != "after" {
		t.Fatalf("order.created: %+v, want the order placed after the endpoint, only", got)
	}
}

// keys lists a map's keys.
func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
