// Package apptest builds what tests of the app packages start from: an App on
// a fresh SQLite file in the test's temp directory, and small networks,
// orders and checks. The core's own tests (package app) keep theirs, since
// they cannot import this package.
package apptest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/app"
	store "switchyard/sql"
)

// NewApp opens an app.App on a fresh SQLite file in the test's temp directory.
func NewApp(t testing.TB) *app.App {
	t.Helper()
	return NewAppAt(t, time.Now)
}

// NewAppAt is NewApp with the clock now.
func NewAppAt(t testing.TB, now func() time.Time) *app.App {
	t.Helper()
	a, _, err := app.Open(context.Background(), filepath.Join(t.TempDir(), "app.db"), now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// MustChannel creates a channel or fails the test.
func MustChannel(t testing.TB, a *app.App, code string, buffer int64) {
	t.Helper()
	if _, _, err := a.PutChannel(context.Background(), app.System, code, app.ChannelInput{Name: code, Kind: "api", Buffer: buffer}); err != nil {
		t.Fatal(err)
	}
}

// MustLocation creates a shipping location serving channels, or fails the test.
func MustLocation(t testing.TB, a *app.App, code string, channels ...string) {
	t.Helper()
	yes := true
	_, _, err := a.PutLocation(context.Background(), app.System, code, app.LocationInput{
		Name: code, Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes,
		Address: app.Address{City: "Lyon", Country: "FR"}, Channels: channels,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// MustSKU creates a SKU or fails the test.
func MustSKU(t testing.TB, a *app.App, code string) {
	t.Helper()
	if _, _, err := a.PutSKU(context.Background(), app.System, code, app.SKUInput{Name: code}); err != nil {
		t.Fatal(err)
	}
}

// RouteNetwork: channel web served by three locations in Lyon, Paris and Berlin,
// each with the SKU TEE; other SKUs are added by tests.
func RouteNetwork(t testing.TB) *app.App {
	t.Helper()
	a := NewApp(t)
	MustChannel(t, a, "web", 0)
	yes := true
	for _, l := range []struct {
		code, city, country string
		lat, lon            float64
	}{{"LYS", "Lyon", "FR", 45.76, 4.83}, {"PAR", "Paris", "FR", 48.86, 2.35}, {"BER", "Berlin", "DE", 52.52, 13.40}} {
		lat, lon := l.lat, l.lon
		if _, _, err := a.PutLocation(context.Background(), app.System, l.code, app.LocationInput{
			Name: l.city + " warehouse", Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes,
			Address: app.Address{City: l.city, Country: l.country}, Lat: &lat, Lon: &lon, Channels: []string{"web"},
		}); err != nil {
			t.Fatal(err)
		}
	}
	MustSKU(t, a, "TEE")
	return a
}

// Count sets on hand, failing the test on error.
func Count(t testing.TB, a *app.App, loc, sku string, n int64) {
	t.Helper()
	if _, err := a.CountStock(context.Background(), app.System, loc, sku, app.CountInput{OnHand: &n}); err != nil {
		t.Fatal(err)
	}
}

// LyonOrder is an order of qty TEE shipped to Lyon.
func LyonOrder(ext string, qty int64) app.NewOrder {
	lat, lon := 45.75, 4.85
	return app.NewOrder{Channel: "web", ExternalID: ext, Currency: "EUR",
		ShippingAddress: &app.AddressInput{Line1: "1 rue", City: "Lyon", Country: "FR", Lat: &lat, Lon: &lon},
		Lines:           []app.LineInput{{SKU: "TEE", Quantity: qty, UnitPrice: "10"}}}
}

// CheckInvariants fails the test for each invariant the store does not hold
// (see store.Queries.InvariantProblems).
func CheckInvariants(t testing.TB, a *app.App) {
	t.Helper()
	ctx := context.Background()
	var problems []string
	err := a.DB().Snapshot(ctx, func(q *store.Queries) error {
		var err error
		problems, err = q.InvariantProblems(ctx)
		return err
	})
	for _, p := range problems {
		t.Error(p)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// BenchOrders is how many orders the list and page benchmarks store.
const BenchOrders = 1_000_000

// MillionOrders builds an app whose database holds BenchOrders orders, each
// with two lines, a tag on one in ten and a timeline entry, written in bulk.
func MillionOrders(b *testing.B) *app.App {
	b.Helper()
	return MillionOrdersAt(b, time.Now)
}

// MillionOrdersAt is MillionOrders with the clock now.
func MillionOrdersAt(b *testing.B, now func() time.Time) *app.App {
	b.Helper()
	a := NewAppAt(b, now)
	MustChannel(b, a, "web", 0)
	MustChannel(b, a, "shop", 0)
	MustSKU(b, a, "TEE")
	raw, err := sql.Open("sqlite3", store.FileURI(a.DB().Path(), url.Values{"_journal_mode": {"WAL"}, "_synchronous": {"OFF"}}))
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	statuses := `CASE WHEN i % 50 = 0 THEN 'on_hold' WHEN i % 7 = 0 THEN 'shipped' WHEN i % 3 = 0 THEN 'routed' ELSE 'received' END`
	for _, q := range []string{
		fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
		INSERT INTO orders (id, number, channel_id, external_id, placed_at, currency, customer_email, customer_name,
			ship_line1, ship_city, ship_country, delivery, subtotal, shipping_price, total, status, on_hold, hold_reason,
			tracking_token, created_at, updated_at, tags)
		SELECT i, printf('SY-%%06d', i), 1 + (i %% 2), 'E' || i, 1700000000000 + i * 2000, 'EUR',
			'customer' || i || '@example.com', 'Customer ' || i, i || ' rue de la Paix', 'Lyon', 'FR', 'ship',
			3980, 490, 4470, %s, i %% 50 = 0, CASE WHEN i %% 50 = 0 THEN 'payment' ELSE '' END,
			lower(hex(randomblob(16))), 0, 0, CASE WHEN i %% 10 = 0 THEN 'vip' ELSE '' END FROM n`, BenchOrders, statuses),
		`INSERT INTO order_lines (order_id, line_no, sku_id, sku, quantity, unit_price)
			SELECT id, 1, 1, 'TEE', 2, 1990 FROM orders`,
		`INSERT INTO order_lines (order_id, line_no, sku_id, sku, quantity, unit_price)
			SELECT id, 2, 1, 'TEE', 1, 0 FROM orders`,
		`INSERT INTO order_tags (tag, placed_at, order_id) SELECT 'vip', placed_at, id FROM orders WHERE tags = 'vip'`,
		`INSERT INTO order_events (order_id, at, actor_kind, actor_name, kind, message)
			SELECT id, placed_at, 'system', 'Switchyard', 'received', 'Order received.' FROM orders`,
		`ANALYZE`,
	} {
		if _, err := raw.Exec(q); err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
	return a
}

// OrderNetwork makes a channel "web", a location "L1" offering pickup,
// another "L2" without pickup, and SKUs "TEE" (active) and "OLD" (inactive).
func OrderNetwork(t testing.TB) *app.App {
	t.Helper()
	a := NewApp(t)
	MustChannel(t, a, "web", 0)
	MustLocation(t, a, "L1", "web")
	yes, no := true, false
	if _, _, err := a.PutLocation(context.Background(), app.System, "L2", app.LocationInput{
		Name: "L2", Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &no, Address: app.Address{City: "Paris", Country: "FR"},
	}); err != nil {
		t.Fatal(err)
	}
	MustSKU(t, a, "TEE")
	if _, _, err := a.PutSKU(context.Background(), app.System, "OLD", app.SKUInput{Name: "old", Active: &no}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CountStock(context.Background(), app.System, "L1", "TEE", app.CountInput{OnHand: Ptr(int64(1000))}); err != nil {
		t.Fatal(err)
	}
	return a
}

// OrderJSON is a valid order body; edit patches it before decoding.
const OrderJSON = `{"channel": "web", "external_id": "100234", "placed_at": "2026-11-20T10:00:00Z",
 "currency": "EUR",
 "customer": {"email": "ana@example.com", "name": "Ana Lima", "phone": "+33 6 12 34 56 78"},
 "shipping_address": {"name": "Ana Lima", "line1": "12 rue Mercière", "city": "Lyon",
                      "postal_code": "69002", "country": "FR", "lat": 45.762, "lon": 4.832},
 "delivery": {"method": "ship"},
 "lines": [{"external_id": "1", "sku": "TEE", "quantity": 2, "unit_price": "19.90"}],
 "shipping_price": "4.90", "tags": ["VIP"], "note": "leave at the door"}`

// DecodeOrder decodes a JSON order body, after replacing old with new in it.
func DecodeOrder(t testing.TB, replacements ...string) app.NewOrder {
	t.Helper()
	body := strings.NewReplacer(replacements...).Replace(OrderJSON)
	var in app.NewOrder
	if err := json.Unmarshal([]byte(body), &in); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return in
}

// Ptr points at a copy of v.
func Ptr[T any](v T) *T { return &v }

// services holds, per App and per constructor's result type, the one service
// a test built (serve, too, holds one of each).
var services sync.Map

// serviceKey is one App's service of one type.
type serviceKey struct {
	app *app.App
	typ reflect.Type
}

// Service is the one S over a, built by newS on first use: tests of a
// capability package reach its use cases through the same Service throughout,
// as the server does (import jobs and pulls under way live in it).
func Service[S any](a *app.App, newS func(*app.App) S) S {
	key := serviceKey{a, reflect.TypeFor[S]()}
	if s, ok := services.Load(key); ok {
		return s.(S)
	}
	s, _ := services.LoadOrStore(key, newS(a))
	return s.(S)
}

// CountOutbox counts a's outbox messages in status, of kind ("" for any).
func CountOutbox(t testing.TB, a *app.App, status, kind string) int {
	t.Helper()
	rows, err := a.Read().ListOutboxByStatus(context.Background(), store.ListOutboxByStatusParams{Status: status, Limit: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if kind == "" || r.Kind == kind {
			n++
		}
	}
	return n
}
