package channels

import (
	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/outbox"

	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	store "switchyard/sql"
)

// fieldProblem is the message an invalid-input error gives field, "" when none.
func fieldProblem(err error, field string) string {
	var e *app.Error
	if !errors.As(err, &e) || e.Kind != app.KindInvalid {
		return ""
	}
	return e.Fields[field]
}

// TestWooChannelRefusesPlainHTTP: a WooCommerce channel's base URL must be
// https:// and its token a REST API key (key:secret), whether given now or
// kept from before (a channel turned into a WooCommerce one); nothing is
// stored when refused. Other kinds keep their URLs as they are.
func TestWooChannelRefusesPlainHTTP(t *testing.T) {
	ctx := context.Background()
	a := apptest.NewApp(t)
	for _, c := range []struct {
		base, token, field, says string
	}{
		{"http://woo.example", "ck_a:cs_b", "callback.base_url", "https://"},
		{"HTTP://woo.example", "ck_a:cs_b", "callback.base_url", "https://"},
		{"ftp://woo.example", "ck_a:cs_b", "callback.base_url", "https://"},
		{"https://woo.example", "bearer-token", "callback.token", "consumer_key:consumer_secret"},
		{"https://woo.example", "ck_a:", "callback.token", "consumer_key:consumer_secret"},
	} {
		_, _, err := a.PutChannel(ctx, app.System, "woo", app.ChannelInput{Name: "Woo", Kind: "woocommerce", Callback: &app.CallbackInput{BaseURL: c.base, Token: c.token}})
		if p := fieldProblem(err, c.field); !strings.Contains(p, c.says) {
			t.Errorf("%s %s: %v, want %s refused", c.base, c.token, err, c.field)
		}
		if _, err := a.Channel(ctx, "woo"); app.ErrorKind(err) != app.KindNotFound {
			t.Fatalf("a refused channel was stored: %v", err)
		}
	}
	if _, _, err := a.PutChannel(ctx, app.System, "woo", app.ChannelInput{Name: "Woo", Kind: "woocommerce", Callback: &app.CallbackInput{BaseURL: "https://woo.example", Token: "ck_a:cs_b"}}); err != nil {
		t.Fatalf("https: %v", err)
	}
	if _, _, err := a.PutChannel(ctx, app.System, "api", app.ChannelInput{Name: "API", Kind: "api", Callback: &app.CallbackInput{BaseURL: "http://erp.internal", Token: "t"}}); err != nil {
		t.Fatalf("another kind with http://: %v", err)
	}
	_, _, err := a.PutChannel(ctx, app.System, "api", app.ChannelInput{Name: "API", Kind: "woocommerce"})
	if p := fieldProblem(err, "callback.base_url"); !strings.Contains(p, "http://erp.internal") {
		t.Fatalf("turned into WooCommerce with a stored http:// URL: %v", err)
	}
	if ch, _ := a.Channel(ctx, "api"); ch.Kind != "api" {
		t.Fatalf("a refused change stored kind %q", ch.Kind)
	}
}

// TestWooStoredPlainHTTPSendsNothing: a WooCommerce channel whose base URL is
// http:// from before the check (older data) sends its credentials nowhere:
// the shipment message is a dead letter at once with the reason on the
// timeline, the stock push likewise, and the pull is refused.
func TestWooStoredPlainHTTPSendsNothing(t *testing.T) {
	ctx := context.Background()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	a, clk := outboxApp(t, "woocommerce", "https://woo.example")
	ch, err := a.Read().GetChannelByCode(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Write(ctx, func(tx app.Tx) error { // as an older build stored it
		return tx.Q.SetChannelCallback(ctx, store.SetChannelCallbackParams{CallbackBaseUrl: srv.URL, CallbackToken: "ck_test:cs_test", UpdatedAt: app.Millis(tx.Now), ID: ch.ID})
	}); err != nil {
		t.Fatal(err)
	}
	o := placeShopOrder(t, a, "4242", 1)
	if _, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 0 {
		t.Fatalf("%d requests reached the http:// store", hits.Load())
	}
	if n, dead := apptest.CountOutbox(t, a, app.OutboxDead, app.KindWooComplete), apptest.CountOutbox(t, a, app.OutboxDead, app.KindAvailability); n != 1 || dead != 1 {
		t.Fatalf("dead: %d shipment, %d availability; want 1 and 1 at the first attempt", n, dead)
	}
	got, err := a.OrderByNumber(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	want := "WooCommerce not told of the shipment: nothing sent: the base URL of channel shop (" + srv.URL + ") must be an https:// address"
	if !hasEvent(got, want) || !strings.Contains(strings.Join(eventMessages(got), "\n"), "not retried: it is in the dead letters") {
		t.Fatalf("timeline lacks %q: %v", want, eventMessages(got))
	}
	if _, err := svc(a).PullWooOrders(ctx, app.System, "shop"); app.ErrorKind(err) != app.KindConflict || !strings.Contains(err.Error(), "https://") || hits.Load() != 0 {
		t.Fatalf("pull: %v, %d requests", err, hits.Load())
	}
}
