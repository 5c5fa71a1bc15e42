package channels_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/channels"
	"switchyard/app/channels/wootest"
)

const (
	wooKey    = "ck_test_key"
	wooSecret = "cs_test_secret"
	wooHook   = "woo-webhook-secret"
)

// pullEnv is an App with a settable clock and a WooCommerce channel "woo"
// whose store is a fake REST API.
type pullEnv struct {
	t       *testing.T
	app     *app.App
	ch      *channels.Service
	store   *wootest.Store
	fixture []byte
	mu      sync.Mutex
	now     time.Time
}

// newPullEnv starts the App and a store whose pages hold at most 2 orders.
func newPullEnv(t *testing.T, token string) *pullEnv {
	t.Helper()
	ctx := context.Background()
	fixture, err := os.ReadFile(filepath.Join("testdata", "woocommerce_order_created_v3_docs.json"))
	if err != nil {
		t.Fatal(err)
	}
	e := &pullEnv{t: t, store: wootest.New(t, wooKey, wooSecret, 2), fixture: fixture,
		now: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
	e.app, _, err = app.Open(ctx, filepath.Join(t.TempDir(), "pull.db"), e.clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.app.Close() })
	e.ch = channels.New(e.app, e.store.Client)
	secrets := []string{wooHook}
	_, _, err = e.app.PutChannel(ctx, app.System, "woo", app.ChannelInput{Name: "Woo shop", Kind: "woocommerce",
		Secrets: &secrets, Callback: &app.CallbackInput{BaseURL: e.store.URL, Token: token}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// clock is the App's clock.
func (e *pullEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

// advance moves the App's clock forward.
func (e *pullEnv) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

// order makes order id from the fixture, last changed ago before now, and puts it in the store.
func (e *pullEnv) order(id int64, ago time.Duration) []byte {
	body := wootest.Order(e.t, e.fixture, id, e.clock().Add(-ago))
	e.store.Put(e.t, body)
	return body
}

// webhook delivers body as WooCommerce's order.created webhook, signed.
func (e *pullEnv) webhook(body []byte) channels.WebhookResult {
	e.t.Helper()
	res, err := e.ch.ReceiveWoo(context.Background(), channels.Delivery{Channel: "woo", Topic: "order.created",
		Signature: channels.Sign(body, wooHook), Body: body})
	if err != nil {
		e.t.Fatalf("webhook: %v", err)
	}
	return res
}

// pull pulls channel woo as an admin and fails the test on error.
func (e *pullEnv) pull() channels.PullResult {
	e.t.Helper()
	res, err := e.ch.PullWooOrders(context.Background(), admin, "woo")
	if err != nil {
		e.t.Fatalf("pull: %v", err)
	}
	return res
}

// find returns the order taken in with WooCommerce id, or false.
func (e *pullEnv) find(id int64) (app.Order, bool) {
	e.t.Helper()
	o, err := e.app.OrderByExternal(context.Background(), "woo", strconv.FormatInt(id, 10))
	if app.ErrorKind(err) == app.KindNotFound {
		return o, false
	} else if err != nil {
		e.t.Fatal(err)
	}
	return o, true
}

// deliveries lists the channel's recent deliveries.
func (e *pullEnv) deliveries() []channels.WebhookDelivery {
	e.t.Helper()
	ds, err := e.ch.WebhookDeliveries(context.Background(), "woo", 100)
	if err != nil {
		e.t.Fatal(err)
	}
	return ds
}

var admin = app.Actor{Kind: app.ActorUser, ID: 1, Name: "Ada Admin", Role: app.RoleAdmin}

// pulledNotes counts the order's timeline entries written by the pull.
func pulledNotes(o app.Order) int {
	n := 0
	for _, ev := range o.Events {
		if ev.Kind == "pulled" && strings.Contains(ev.Message, "reconciliation pull") {
			n++
		}
	}
	return n
}

// modifiedOf reads an order body's date_modified_gmt.
func modifiedOf(t *testing.T, body []byte) time.Time {
	var o struct {
		Modified string `json:"date_modified_gmt"`
	}
	if err := json.Unmarshal(body, &o); err != nil {
		t.Fatal(err)
	}
	m, err := time.ParseInLocation("2006-01-02T15:04:05", o.Modified, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWooPullTakesMissedOrdersInOnce(t *testing.T) {
	e := newPullEnv(t, wooKey+":"+wooSecret)
	old := e.order(700, 72*time.Hour) // changed long before the first pull looks
	hooked := e.order(701, 3*time.Hour)
	e.order(702, 2*time.Hour)
	newest := e.order(703, time.Hour)
	e.webhook(hooked)

	first := e.pull()
	if first.TakenIn != 2 || first.AlreadyIn != 1 || first.Listed != 3 || first.Refused != 0 {
		t.Fatalf("first pull: %+v", first)
	}
	if first.Pages < 2 {
		t.Errorf("the store served %d page(s), want the pull to read both", first.Pages)
	}
	if _, ok := e.find(700); ok {
		t.Errorf("order changed %s was taken in by the first pull, which reads back only a day", modifiedOf(t, old))
	}
	for _, id := range []int64{701, 702, 703} {
		o, ok := e.find(id)
		if !ok {
			t.Fatalf("order %d not taken in", id)
		}
		want := 1
		if id == 701 {
			want = 0 // came by webhook
		}
		if got := pulledNotes(o); got != want {
			t.Errorf("order %d: %d timeline entries of the pull, want %d", id, got, want)
		}
	}
	for _, d := range e.deliveries() {
		if d.ExternalID == "701" && d.Topic != "order.created" {
			t.Errorf("the order received by webhook was processed again by the pull: %+v", d)
		}
	}
	state, err := e.ch.WooPullState(context.Background(), "woo")
	if err != nil {
		t.Fatal(err)
	}
	if !state.Watermark.Equal(modifiedOf(t, newest)) || !first.Watermark.Equal(state.Watermark) {
		t.Errorf("watermark %s (result %s), want the newest change read %s", state.Watermark, first.Watermark, modifiedOf(t, newest))
	}

	e.advance(5 * time.Minute)
	second := e.pull()
	if second.TakenIn != 0 || second.Updated != 0 || second.Listed != second.AlreadyIn {
		t.Errorf("second pull took something in: %+v", second)
	}
	qs := e.store.Queries()
	firstSince, _ := time.Parse(time.RFC3339, qs[0].Get("modified_after"))
	lastSince, _ := time.Parse(time.RFC3339, qs[len(qs)-1].Get("modified_after"))
	if !lastSince.After(firstSince) || lastSince.After(state.Watermark) || state.Watermark.Sub(lastSince) > 10*time.Minute {
		t.Errorf("modified_after went from %s to %s; want it to advance to just before the watermark %s", firstSince, lastSince, state.Watermark)
	}
	for i, q := range qs {
		if q.Get("dates_are_gmt") != "true" || q.Get("orderby") != "modified" || q.Get("order") != "asc" || q.Get("page") == "" {
			t.Errorf("request %d: query %v", i+1, q)
		}
	}
	for _, id := range []int64{701, 702, 703} {
		if o, _ := e.find(id); id != 701 && pulledNotes(o) != 1 {
			t.Errorf("order %d noted %d times after the second pull", id, pulledNotes(o))
		}
	}
	var pulls int
	for _, d := range e.deliveries() {
		if d.Topic == "reconciliation pull" {
			pulls++
			if !strings.Contains(d.Result, "taken in") {
				t.Errorf("pull recorded as %q", d.Result)
			}
		}
	}
	if pulls != 2 {
		t.Errorf("%d pulls in the deliveries, want 2", pulls)
	}
}

func TestWooPullAppliesAChangeTheWebhookMissed(t *testing.T) {
	e := newPullEnv(t, wooKey+":"+wooSecret)
	body := e.order(801, 2*time.Hour)
	e.webhook(body)
	before, _ := e.find(801)

	var o map[string]any
	if err := json.Unmarshal(body, &o); err != nil {
		t.Fatal(err)
	}
	o["shipping"].(map[string]any)["address_1"] = "1 Changed Street"
	o["date_modified_gmt"] = e.clock().Add(-time.Minute).UTC().Format("2006-01-02T15:04:05")
	changed, _ := json.Marshal(o)
	e.store.Put(t, changed)

	res := e.pull()
	if res.Updated != 1 || res.TakenIn != 0 {
		t.Fatalf("pull: %+v", res)
	}
	after, _ := e.find(801)
	if after.Number != before.Number || after.ShippingAddress == nil || after.ShippingAddress.Line1 != "1 Changed Street" {
		t.Fatalf("order %s after the pull: %+v", after.Number, after.ShippingAddress)
	}
	if pulledNotes(after) != 1 {
		t.Errorf("%d timeline entries of the pull, want 1", pulledNotes(after))
	}
	e.advance(time.Minute)
	if again := e.pull(); again.Updated != 0 || again.TakenIn != 0 {
		t.Errorf("the same change was applied again: %+v", again)
	}
}

func TestWooPullStoreFailureStoresNothing(t *testing.T) {
	for name, tc := range map[string]struct {
		token    string
		failPage int
		want     string
	}{
		"wrong credentials": {token: wooKey + ":wrong", want: "401"},
		"store error":       {token: wooKey + ":" + wooSecret, failPage: 2, want: "500"},
	} {
		t.Run(name, func(t *testing.T) {
			e := newPullEnv(t, tc.token)
			e.order(901, 3*time.Hour)
			e.order(902, 2*time.Hour)
			e.order(903, time.Hour)
			e.store.FailPage(tc.failPage)
			_, err := e.ch.PullWooOrders(context.Background(), admin, "woo")
			if app.ErrorKind(err) != app.KindUpstream || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want an upstream error naming %s", err, tc.want)
			}
			for _, id := range []int64{901, 902, 903} {
				if _, ok := e.find(id); ok {
					t.Errorf("order %d taken in by a failed pull", id)
				}
			}
			if st, err := e.ch.WooPullState(context.Background(), "woo"); err != nil {
				t.Fatal(err)
			} else if !st.Watermark.IsZero() {
				t.Errorf("a failed pull stored a watermark: %+v", st)
			}
			ds := e.deliveries()
			if len(ds) != 1 || !strings.HasPrefix(ds[0].Result, "error: ") || !strings.Contains(ds[0].Result, tc.want) {
				t.Errorf("deliveries %+v, want the failed pull recorded with its error", ds)
			}
		})
	}
}

func TestWooPullRefusesWhatCannotBePulled(t *testing.T) {
	e := newPullEnv(t, wooKey+":"+wooSecret)
	ctx := context.Background()
	if _, _, err := e.app.PutChannel(ctx, app.System, "shop", app.ChannelInput{Name: "Shop", Kind: "shopify",
		Callback: &app.CallbackInput{BaseURL: e.store.URL, Token: "x"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.app.PutChannel(ctx, app.System, "bare", app.ChannelInput{Name: "Bare", Kind: "woocommerce"}); err != nil {
		t.Fatal(err)
	}
	support := app.Actor{Kind: app.ActorUser, ID: 2, Name: "Sam", Role: app.RoleSupport}
	otherKey := app.Actor{Kind: app.ActorAPIKey, ID: 3, Name: "k", Channel: "shop"}
	for _, tc := range []struct {
		actor   app.Actor
		channel string
		kind    app.Kind
		says    string
	}{
		{admin, "shop", app.KindConflict, "only WooCommerce"},
		{admin, "bare", app.KindConflict, "no base URL"},
		{admin, "nope", app.KindNotFound, "no channel"},
		{support, "woo", app.KindForbidden, "role"},
		{otherKey, "woo", app.KindNotFound, "no channel \"woo\""}, // another channel: as if unknown
	} {
		_, err := e.ch.PullWooOrders(ctx, tc.actor, tc.channel)
		if app.ErrorKind(err) != tc.kind || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("pull %s as %s: %v, want %s saying %q", tc.channel, tc.actor.Name, err, tc.kind, tc.says)
		}
	}
	if len(e.store.Queries()) != 0 {
		t.Errorf("the store was asked %d times", len(e.store.Queries()))
	}
}

func TestRunWooPullerPullsEachReadyChannelUntilStopped(t *testing.T) {
	e := newPullEnv(t, wooKey+":"+wooSecret)
	e.order(611, time.Hour)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.ch.RunWooPuller(ctx, 20*time.Millisecond) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(e.store.Queries()) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("puller: %v", err)
	}
	if n := len(e.store.Queries()); n < 2 {
		t.Fatalf("the store was asked %d times, want a pull at start and more every interval", n)
	}
	o, ok := e.find(611)
	if !ok || pulledNotes(o) != 1 {
		t.Fatalf("order taken in %v, noted %d times", ok, pulledNotes(o))
	}
	for _, ev := range o.Events {
		if ev.Kind == "pulled" && ev.ActorKind != app.ActorSystem {
			t.Errorf("the periodic pull noted as %s %q, want the system", ev.ActorKind, ev.ActorName)
		}
	}
	if err := e.ch.RunWooPuller(context.Background(), 0); err == nil {
		t.Error("a puller with no interval started")
	}
}
