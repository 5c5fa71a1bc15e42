package channels

import (
	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/outbox"

	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testClock is a controllable clock.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// outboxApp is a test App on a fake clock with a "shop" Shopify channel
// calling back base, and L1 serving it with TEE in stock.
func outboxApp(t testing.TB, kind, base string) (*app.App, *testClock) {
	t.Helper()
	clk := &testClock{now: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	a := apptest.NewAppAt(t, clk.Now)
	ctx := context.Background()
	token := map[string]string{"woocommerce": "ck_test:cs_test"}[kind]
	if token == "" {
		token = "shpat_test"
	}
	if _, _, err := a.PutChannel(ctx, app.System, "shop", app.ChannelInput{Name: "Shop", Kind: kind,
		Callback: &app.CallbackInput{BaseURL: base, Token: token}}); err != nil {
		t.Fatal(err)
	}
	apptest.MustLocation(t, a, "L1", "shop")
	apptest.MustSKU(t, a, "TEE")
	if _, err := a.CountStock(ctx, app.System, "L1", "TEE", app.CountInput{OnHand: apptest.Ptr(int64(100000))}); err != nil {
		t.Fatal(err)
	}
	return a, clk
}

// placeShopOrder places an order of qty TEE on the shop channel.
func placeShopOrder(t testing.TB, a *app.App, ext string, qty int) app.Order {
	t.Helper()
	in := apptest.DecodeOrder(t, `"channel": "web"`, `"channel": "shop"`, `"external_id": "100234"`, `"external_id": "`+ext+`"`,
		`"quantity": 2`, `"quantity": `+strconv.Itoa(qty))
	o, _, err := a.PlaceOrder(context.Background(), app.System, in)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestDispatcherShopifyDownSlowUpRestart: a receiver that is down, then slow
// (past the client timeout, though the fulfillment lands), then up: every
// fulfillment arrives exactly once, in order per order, across a restart.
func TestDispatcherShopifyDownSlowUpRestart(t *testing.T) {
	ctx := context.Background()
	shop := newFakeShopify()
	srv := httptest.NewServer(shop)
	defer srv.Close()
	a, clk := outboxApp(t, "shopify", srv.URL)
	opts := outbox.DispatcherOptions{Client: &http.Client{Timeout: 100 * time.Millisecond}, Poll: 10 * time.Millisecond, Jitter: func() float64 { return 0.5 }}

	numbers := []string{"1Z5R89390357567127", "1Z999AA10123456784"}
	var orders, numbersOf []string
	for i := range 3 {
		ext := strconv.Itoa(5000 + i)
		o := placeShopOrder(t, a, ext, 2)
		for _, n := range numbers {
			if _, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: n, Lines: []app.ShipLine{{SKU: "TEE", Quantity: 1}}}); err != nil {
				t.Fatal(err)
			}
		}
		orders, numbersOf = append(orders, ext), append(numbersOf, o.Number)
	}
	if n := apptest.CountOutbox(t, a, app.OutboxPending, app.KindShopifyFulfillment); n != 6 {
		t.Fatalf("%d pending fulfillment messages, want 6", n)
	}

	// Down: only the first message of each order is tried (order is kept).
	shop.mode.Store("down")
	if _, err := outboxOf(a).DispatchDue(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if got := attemptsOf(t, a, app.KindShopifyFulfillment); !slices.Equal(got, []int64{0, 0, 0, 1, 1, 1}) {
		t.Fatalf("down: attempts %v, want the first message of each order tried once", got)
	}
	if _, err := outboxOf(a).DispatchDue(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if got := attemptsOf(t, a, app.KindShopifyFulfillment); !slices.Equal(got, []int64{0, 0, 0, 1, 1, 1}) {
		t.Fatalf("before the backoff: attempts %v", got)
	}
	o, err := a.OrderByNumber(ctx, numbersOf[0])
	if err != nil {
		t.Fatal(err)
	}
	if hasEvent(o, "Shopify not told") {
		t.Fatalf("a failed attempt that will be retried is on the timeline: %v", eventMessages(o))
	}

	// Slow: the fulfillments land but the answers time out.
	clk.Advance(opts.Backoff(1) * 2)
	shop.mode.Store("slow")
	if _, err := outboxOf(a).DispatchDue(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if got := attemptsOf(t, a, app.KindShopifyFulfillment); !slices.Equal(got, []int64{0, 0, 0, 2, 2, 2}) {
		t.Fatalf("slow: attempts %v", got)
	}
	if n := apptest.CountOutbox(t, a, app.OutboxDelivered, app.KindShopifyFulfillment); n != 0 { // availability: delivered, no location set
		t.Fatalf("%d delivered during timeouts", n)
	}

	// A dispatcher that crashes having claimed messages: they are left delivering.
	clk.Advance(opts.Backoff(2) * 2)
	shop.mode.Store("up")
	if _, err := outboxOf(a).Claim(ctx, opts, 2); err != nil {
		t.Fatal(err)
	}
	// Start one, stop it at once, start another on the same database.
	run := func() (context.CancelFunc, chan struct{}) {
		c, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); _ = outboxOf(a).RunDispatcherWith(c, opts) }()
		return cancel, done
	}
	cancel, done := run()
	cancel()
	<-done
	cancel, done = run()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(60 * time.Second)
	for apptest.CountOutbox(t, a, app.OutboxDelivered, app.KindShopifyFulfillment) < 6 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of 6 delivered", apptest.CountOutbox(t, a, app.OutboxDelivered, app.KindShopifyFulfillment))
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, ext := range orders {
		want := []string{"fulfill:" + numbers[0], "fulfill:" + numbers[1]}
		if got := shop.eventsOf(ext); !slices.Equal(got, want) {
			t.Fatalf("order %s: Shopify saw %v, want %v (once each, in order)", ext, got, want)
		}
	}
	o, _ = a.OrderByNumber(ctx, numbersOf[0])
	if !hasEvent(o, "Shopify told of the shipment, 200 OK (the fulfillment was already there)") || !hasEvent(o, "Shopify told of the shipment, 200 OK") {
		t.Fatalf("timeline: %v", eventMessages(o))
	}
}

// TestDispatcherShopifyRequestShape checks fulfillmentCreate as Shopify documents it.
func TestDispatcherShopifyRequestShape(t *testing.T) {
	ctx := context.Background()
	shop := newFakeShopify()
	srv := httptest.NewServer(shop)
	defer srv.Close()
	a, _ := outboxApp(t, "shopify", srv.URL)
	o := placeShopOrder(t, a, "820982911946154508", 2)
	if _, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(shop.bodies) != 1 {
		t.Fatalf("%d fulfillmentCreate requests", len(shop.bodies))
	}
	b, _ := json.Marshal(shop.bodies[0])
	var req struct {
		Query     string `json:"query"`
		Variables struct {
			Fulfillment struct {
				NotifyCustomer bool `json:"notifyCustomer"`
				TrackingInfo   struct{ Company, Number, URL string }
				Groups         []struct {
					FulfillmentOrderID string `json:"fulfillmentOrderId"`
					Items              []struct {
						ID       string `json:"id"`
						Quantity int    `json:"quantity"`
					} `json:"fulfillmentOrderLineItems"`
				} `json:"lineItemsByFulfillmentOrder"`
			} `json:"fulfillment"`
		} `json:"variables"`
	}
	if err := json.Unmarshal(b, &req); err != nil {
		t.Fatal(err)
	}
	f := req.Variables.Fulfillment
	switch {
	case !strings.Contains(req.Query, "fulfillmentCreate(fulfillment: $fulfillment") || !strings.Contains(req.Query, "userErrors"):
		t.Fatalf("query %s", req.Query)
	case f.TrackingInfo.Company != "UPS" || f.TrackingInfo.Number != "1Z5R89390357567127" || !strings.HasPrefix(f.TrackingInfo.URL, "https://"):
		t.Fatalf("trackingInfo %+v", f.TrackingInfo)
	case len(f.Groups) != 1 || f.Groups[0].FulfillmentOrderID != "gid://shopify/FulfillmentOrder/820982911946154508" ||
		len(f.Groups[0].Items) != 1 || f.Groups[0].Items[0].ID != "gid://shopify/FulfillmentOrderLineItem/7" || f.Groups[0].Items[0].Quantity != 2:
		t.Fatalf("lineItemsByFulfillmentOrder %+v", f.Groups)
	}
	// Cancelling the order tells Shopify too.
	o2 := placeShopOrder(t, a, "77", 1)
	if _, err := a.Cancel(ctx, app.System, o2.Number, app.CancelInput{Reason: "customer asked"}); err != nil {
		t.Fatal(err)
	}
	if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := shop.eventsOf("77"); !slices.Equal(got, []string{"cancel"}) {
		t.Fatalf("cancel: %v", got)
	}
}

// TestDispatcherDeadLetterRetry: retries back off over more than a day, then the
// message is dead; Retry puts it back and it is delivered.
func TestDispatcherDeadLetterRetry(t *testing.T) {
	ctx := context.Background()
	var ok atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !ok.Load() {
			http.Error(w, "no", 500)
		}
	}))
	defer srv.Close()
	a, clk := outboxApp(t, "api", "")
	if _, _, err := outboxOf(a).CreateWebhookEndpoint(ctx, app.System, outbox.NewWebhookEndpoint{URL: srv.URL, Events: []string{app.EventOrderShipped}}); err != nil {
		t.Fatal(err)
	}
	o := placeShopOrder(t, a, "1", 1)
	if _, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	opts := outbox.DispatcherOptions{Jitter: func() float64 { return 0 }} // the shortest delays
	start := clk.Now()
	for i := 0; apptest.CountOutbox(t, a, app.OutboxDead, app.KindWebhook) == 0; i++ {
		if _, err := outboxOf(a).DispatchDue(ctx, opts); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		if i > 10000 {
			t.Fatal("never dead")
		}
	}
	attempts := attemptsOf(t, a, app.KindWebhook)[0]
	if attempts != 15 || clk.Now().Sub(start) < 24*time.Hour {
		t.Fatalf("dead after %d attempts over %s, want 15 over more than a day", attempts, clk.Now().Sub(start))
	}
	dead, _ := outboxOf(a).OutboxMessages(ctx, app.OutboxDead, 10)
	if err := outboxOf(a).RetryOutbox(ctx, app.System, dead[0].ID); err != nil {
		t.Fatal(err)
	}
	ok.Store(true)
	if _, err := outboxOf(a).DispatchDue(ctx, opts); err != nil || apptest.CountOutbox(t, a, app.OutboxDelivered, app.KindWebhook) != 1 {
		t.Fatalf("after retry: %v", err)
	}
}

// TestAvailabilityCoalesces: 10 stock changes of one SKU make one message,
// sent with the ATP at sending time.
func TestAvailabilityCoalesces(t *testing.T) {
	ctx := context.Background()
	var bodies []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, r.URL.Path+" "+string(b))
		mu.Unlock()
	}))
	defer srv.Close()
	a, clk := outboxApp(t, "api", srv.URL)
	clk.Advance(time.Hour)
	if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil { // the setup's count
		t.Fatal(err)
	}
	mu.Lock()
	bodies = nil
	mu.Unlock()
	for range 10 {
		if _, err := a.AdjustStock(ctx, app.System, app.Adjustments{Adjustments: []app.Adjustment{{Location: "L1", SKU: "TEE", Delta: -1, Reason: "adjustment"}}}); err != nil {
			t.Fatal(err)
		}
	}
	if n := apptest.CountOutbox(t, a, app.OutboxPending, app.KindAvailability); n != 1 {
		t.Fatalf("%d pending availability messages, want 1", n)
	}
	clk.Advance(2 * app.AvailabilityDelay)
	if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 1 || !strings.Contains(bodies[0], "/switchyard/availability") || !strings.Contains(bodies[0], `"available":99990`) {
		t.Fatalf("sent %v", bodies)
	}
}

// attemptsOf lists the attempts of every message of kind, sorted.
func attemptsOf(t testing.TB, a *app.App, kind string) []int64 {
	t.Helper()
	var out []int64
	for _, st := range []string{app.OutboxPending, app.OutboxDelivering, app.OutboxDelivered, app.OutboxDead} {
		ms, err := outboxOf(a).OutboxMessages(context.Background(), st, 100000)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Kind == kind {
				out = append(out, m.Attempts)
			}
		}
	}
	slices.Sort(out)
	return out
}

// hasEvent reports whether the order's timeline has an entry starting with prefix.
func hasEvent(o app.Order, prefix string) bool {
	return slices.ContainsFunc(o.Events, func(e app.Event) bool { return strings.HasPrefix(e.Message, prefix) })
}

// eventMessages lists the timeline's messages.
func eventMessages(o app.Order) []string {
	var out []string
	for _, e := range o.Events {
		out = append(out, e.Message)
	}
	return out
}

// deliverAvailability delivers every due availability message through the
// dispatcher's real send and record (with client, when given: a TLS test
// server's), and returns the results by SKU code.
func deliverAvailability(t *testing.T, a *app.App, client ...*http.Client) map[string]outbox.Result {
	t.Helper()
	ctx := context.Background()
	o := outbox.DispatcherOptions{}
	if len(client) > 0 {
		o.Client = client[0]
	}
	attempts, err := outboxOf(a).AttemptDue(ctx, o, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]outbox.Result{}
	for _, at := range attempts {
		if at.Message.Kind != app.KindAvailability {
			t.Fatalf("unexpected %s message", at.Message.Kind)
		}
		sku, err := a.Read().SkuCode(ctx, at.Message.SkuID.Int64)
		if err != nil {
			t.Fatal(err)
		}
		out[sku] = at.Result
	}
	return out
}

// storeRequests records the requests a fake store received.
type storeRequests struct {
	mu   sync.Mutex
	reqs []string // "METHOD path?query body"
}

func (s *storeRequests) add(r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	line := r.Method + " " + r.URL.Path
	if r.URL.RawQuery != "" {
		line += "?" + r.URL.RawQuery
	}
	if len(body) > 0 {
		line += " " + string(body)
	}
	s.reqs = append(s.reqs, line)
}

func (s *storeRequests) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// fakeWoo answers the WooCommerce products API over TLS to the REST API key
// ck_test:cs_test as HTTP Basic: TEE is simple product 794, TEE-L variation
// 801 of product 799; any other SKU is not sold.
func fakeWoo(rec *storeRequests) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.add(r, body)
		if k, s, ok := r.BasicAuth(); r.TLS == nil || !ok || k != "ck_test" || s != "cs_test" {
			http.Error(w, "unauthorized", 401)
			return
		}
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/wp-json/wc/v3/products":
			switch r.URL.Query().Get("sku") {
			case "TEE":
				fmt.Fprint(w, `[{"id":794,"name":"Tee","type":"simple","parent_id":0,"sku":"TEE","manage_stock":false,"stock_quantity":null}]`)
			case "TEE-L":
				fmt.Fprint(w, `[{"id":801,"name":"Tee - L","type":"variation","parent_id":799,"sku":"TEE-L","manage_stock":true,"stock_quantity":3}]`)
			default:
				fmt.Fprint(w, `[]`)
			}
		case r.Method == http.MethodPut:
			fmt.Fprint(w, `{"id":1}`)
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/notes"):
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, `{"id":1}`)
		default:
			http.Error(w, "not found", 404)
		}
	})
}

// TestAvailabilityWooCommerce: a simple product and a variation get their
// stock set by PUT; a SKU the store does not sell gets no PUT and is delivered.
func TestAvailabilityWooCommerce(t *testing.T) {
	ctx := context.Background()
	rec := &storeRequests{}
	srv := httptest.NewTLSServer(fakeWoo(rec))
	defer srv.Close()
	a, clk := outboxApp(t, "woocommerce", srv.URL)
	for sku, n := range map[string]int64{"TEE-L": 5, "MUG": 7} {
		apptest.MustSKU(t, a, sku)
		if _, err := a.CountStock(ctx, app.System, "L1", sku, app.CountInput{OnHand: apptest.Ptr(n)}); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(time.Hour)
	res := deliverAvailability(t, a, srv.Client())
	if len(res) != 3 {
		t.Fatalf("results %v", res)
	}
	for sku, r := range res {
		if r.Err != nil {
			t.Errorf("%s: %v", sku, r.Err)
		}
	}
	if want := "no product with SKU MUG in the store: nothing to update"; res["MUG"].Note != want {
		t.Errorf("MUG note %q, want %q", res["MUG"].Note, want)
	}
	var puts []string
	for _, r := range rec.list() {
		if strings.HasPrefix(r, "PUT ") {
			puts = append(puts, r)
		}
	}
	slices.Sort(puts)
	want := []string{
		`PUT /wp-json/wc/v3/products/794 {"manage_stock":true,"stock_quantity":100000}`,
		`PUT /wp-json/wc/v3/products/799/variations/801 {"manage_stock":true,"stock_quantity":5}`,
	}
	if !slices.Equal(puts, want) {
		t.Fatalf("PUTs %q, want %q (all: %q)", puts, want, rec.list())
	}
	if !slices.Contains(rec.list(), "GET /wp-json/wc/v3/products?sku=MUG") {
		t.Errorf("no lookup of MUG: %q", rec.list())
	}
	if n := apptest.CountOutbox(t, a, app.OutboxDelivered, app.KindAvailability); n != 3 {
		t.Errorf("%d delivered, want 3", n)
	}
}

// TestAvailabilityShopifyUserErrors: a refused mutation is a failed attempt.
func TestAvailabilityShopifyUserErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(string(b), "productVariants(") {
			fmt.Fprint(w, `{"data":{"productVariants":{"nodes":[{"sku":"TEE","inventoryItem":{"id":"gid://shopify/InventoryItem/1"}}]}}}`)
			return
		}
		fmt.Fprint(w, `{"data":{"inventorySetQuantities":{"inventoryAdjustmentGroup":null,"userErrors":[{"field":["input","quantities","0","locationId"],"message":"The specified location could not be found."}]}}}`)
	}))
	defer srv.Close()
	a, clk := outboxApp(t, "shopify", srv.URL)
	loc := "gid://shopify/Location/9"
	if _, _, err := a.PutChannel(context.Background(), app.System, "shop", app.ChannelInput{Name: "Shop", Kind: "shopify", InventoryLocation: &loc}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	r := deliverAvailability(t, a)["TEE"]
	if r.Err == nil || !strings.Contains(r.Err.Error(), "location could not be found") {
		t.Fatalf("result %+v", r)
	}
	if n := apptest.CountOutbox(t, a, app.OutboxPending, app.KindAvailability); n != 1 {
		t.Fatalf("%d pending (to retry), want 1", n)
	}
}

// TestAvailabilityShopifyLocationGID: the setting takes a GID or its number.
func TestAvailabilityShopifyLocationGID(t *testing.T) {
	for in, want := range map[string]string{"": "", " 123 ": "gid://shopify/Location/123", "gid://shopify/Location/77": "gid://shopify/Location/77"} {
		if got, ok := app.ShopifyLocationGID(in); !ok || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"abc", "gid://shopify/Location/", "gid://shopify/Product/1", "12a", "-1"} {
		if _, ok := app.ShopifyLocationGID(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	if got := shopifySearchValue(`A"B\C`); got != `"A\"B\\C"` {
		t.Errorf("search value %s", got)
	}
}
