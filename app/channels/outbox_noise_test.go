package channels

import (
	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/outbox"

	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestDeadLetterWritesOneTimelineEntry: a Shopify store that always fails
// gets MaxAttempts attempts; the order's timeline says nothing until the
// message is given up, then says it once.
func TestDeadLetterWritesOneTimelineEntry(t *testing.T) {
	ctx := context.Background()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	a, clk := outboxApp(t, "shopify", srv.URL)
	opts := outbox.DispatcherOptions{MaxAttempts: 4, Jitter: func() float64 { return 0.5 }}
	o := placeShopOrder(t, a, "7001", 1)
	if _, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	for i := range opts.MaxAttempts {
		if _, err := outboxOf(a).DispatchDue(ctx, opts); err != nil {
			t.Fatal(err)
		}
		got, err := a.OrderByNumber(ctx, o.Number)
		if err != nil {
			t.Fatal(err)
		}
		n := outboxEvents(got)
		if i < opts.MaxAttempts-1 && n != 0 {
			t.Fatalf("after attempt %d: %d outbox lines on the timeline, want none: %v", i+1, n, eventMessages(got))
		}
		clk.Advance(opts.Backoff(i+1) * 2)
	}
	if got := attemptsOf(t, a, app.KindShopifyFulfillment); len(got) != 1 || got[0] != 4 {
		t.Fatalf("attempts %v, want one message tried 4 times", got)
	}
	if n := apptest.CountOutbox(t, a, app.OutboxDead, app.KindShopifyFulfillment); n != 1 {
		t.Fatalf("%d dead letters, want 1", n)
	}
	got, err := a.OrderByNumber(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	if n := outboxEvents(got); n != 1 || !hasEvent(got, "Shopify not told of the shipment: 503 Service Unavailable; given up after 4 attempts") {
		t.Fatalf("timeline after the dead letter: %v, want exactly one line saying it was given up", eventMessages(got))
	}
	// Dispatching again sends nothing and writes nothing more.
	clk.Advance(24 * time.Hour)
	before := calls.Load()
	if _, err := outboxOf(a).DispatchDue(ctx, opts); err != nil {
		t.Fatal(err)
	}
	got, _ = a.OrderByNumber(ctx, o.Number)
	if calls.Load() != before || outboxEvents(got) != 1 {
		t.Fatalf("a dead letter was tried again (%d calls) or written again (%d lines)", calls.Load()-before, outboxEvents(got))
	}
}

// outboxEvents counts the timeline lines the outbox wrote.
func outboxEvents(o app.Order) int {
	n := 0
	for _, e := range o.Events {
		if e.Kind == "outbox_delivery" {
			n++
		}
	}
	return n
}

// TestNotConnectedChannelGetsNothingEnqueued: a Shopify channel without a
// callback base URL, or without a token, is told nothing of shipments,
// cancellations or stock; a connected one beside it is.
func TestNotConnectedChannelGetsNothingEnqueued(t *testing.T) {
	ctx := context.Background()
	a, _ := outboxApp(t, "shopify", "https://shop.example.com")
	for code, cb := range map[string]*app.CallbackInput{
		"nourl":   nil,
		"notoken": {BaseURL: "https://notoken.example.com"},
	} {
		if _, _, err := a.PutChannel(ctx, app.System, code, app.ChannelInput{Name: code, Kind: "shopify", Callback: cb, Locations: &[]string{"L1"}}); err != nil {
			t.Fatal(err)
		}
		ch, err := a.Channel(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if ch.Connected {
			t.Fatalf("channel %s reads as connected", code)
		}
	}
	if ch, err := a.Channel(ctx, "shop"); err != nil || !ch.Connected {
		t.Fatalf("shop: connected %v, %v", ch.Connected, err)
	}
	for _, code := range []string{"shop", "nourl", "notoken"} {
		shipped := placeOn(t, a, code, "ship-"+code)
		if _, err := a.Ship(ctx, app.System, shipped.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
			t.Fatal(err)
		}
		cancelled := placeOn(t, a, code, "cancel-"+code)
		if _, err := a.Cancel(ctx, app.System, cancelled.Number, app.CancelInput{Reason: "customer asked"}); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := outboxOf(a).OutboxSummary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range sum {
		var kinds []string
		for _, k := range r.Kinds {
			kinds = append(kinds, k.Kind)
		}
		got[r.Channel] = strings.Join(kinds, " ")
	}
	if want := "availability shopify.fulfillment_create shopify.order_cancel"; got["shop"] != want {
		t.Fatalf("connected shop's messages: %q, want %q", got["shop"], want)
	}
	if got["nourl"] != "" || got["notoken"] != "" {
		t.Fatalf("not connected channels got messages: nourl %q, notoken %q", got["nourl"], got["notoken"])
	}
}

// placeOn places an order of 2 TEE on channel code.
func placeOn(t *testing.T, a *app.App, code, ext string) app.Order {
	t.Helper()
	in := apptest.DecodeOrder(t, `"channel": "web"`, `"channel": "`+code+`"`, `"external_id": "100234"`, `"external_id": "`+ext+`"`)
	o, _, err := a.PlaceOrder(context.Background(), app.System, in)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestDisconnectedChannelMessageDiesAtOnce: a message written while the
// channel was connected, whose channel then lost its callback, is not
// retried for a day and a half: it is a dead letter at its first attempt,
// with one line on the timeline, and nothing is sent.
func TestDisconnectedChannelMessageDiesAtOnce(t *testing.T) {
	ctx := context.Background()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer srv.Close()
	a, _ := outboxApp(t, "shopify", srv.URL)
	o := placeShopOrder(t, a, "7002", 1)
	if _, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.PutChannel(ctx, app.System, "shop", app.ChannelInput{Name: "Shop", Kind: "shopify", Callback: &app.CallbackInput{}}); err != nil {
		t.Fatal(err)
	}
	if ch, err := a.Channel(ctx, "shop"); err != nil || ch.Connected {
		t.Fatalf("shop still connected: %+v %v", ch, err)
	}
	if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := attemptsOf(t, a, app.KindShopifyFulfillment); len(got) != 1 || got[0] != 1 || apptest.CountOutbox(t, a, app.OutboxDead, app.KindShopifyFulfillment) != 1 {
		t.Fatalf("attempts %v: want one attempt, dead at once", got)
	}
	got, err := a.OrderByNumber(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 0 || outboxEvents(got) != 1 || !hasEvent(got, "Shopify not told of the shipment: nothing sent: channel shop is not connected") {
		t.Fatalf("%d calls; timeline %v", calls.Load(), eventMessages(got))
	}
}
