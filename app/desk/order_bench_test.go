package desk

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
)

// benchOrders is how many orders the list and page benchmarks store.
const benchOrders = 1_000_000

// BenchmarkOrderList measures the first page and a deep page of the order list,
// unfiltered and filtered, with a million orders stored. Target: under 10 ms.
func BenchmarkOrderList(b *testing.B) {
	a := millionOrders(b)
	ctx := context.Background()
	for _, q := range []struct {
		name string
		q    OrderQuery
	}{
		{"newest", OrderQuery{}},
		{"status", OrderQuery{Status: "on_hold"}},
		{"channel", OrderQuery{Channel: "shop"}},
		{"tag", OrderQuery{Tag: "vip"}},
		{"on_hold_oldest", OrderQuery{OnHold: true, Sort: "oldest"}},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				page, err := a.Orders(ctx, q.q)
				if err != nil || len(page.Orders) == 0 {
					b.Fatalf("%d orders, %v", len(page.Orders), err)
				}
			}
		})
	}
}

// BenchmarkOrderPage measures reading one order with its lines and timeline,
// with a million orders stored. Target: under 10 ms.
func BenchmarkOrderPage(b *testing.B) {
	a := millionOrders(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i = (i + 7919) % benchOrders
		if _, err := a.OrderByNumber(ctx, fmt.Sprintf("SY-%06d", i+1)); err != nil {
			b.Fatal(err)
		}
	}
}

// millionOrders builds an app whose database holds benchOrders orders, each
// with two lines, a tag on one in ten and a timeline entry, written in bulk.
func millionOrders(b *testing.B) *App {
	b.Helper()
	a := newTestApp(b)
	mustChannel(b, a, "web", 0)
	mustChannel(b, a, "shop", 0)
	mustSKU(b, a, "TEE")
	raw, err := sql.Open("sqlite3", "file:"+a.db.Path()+"?_journal_mode=WAL&_synchronous=OFF")
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
			lower(hex(randomblob(16))), 0, 0, CASE WHEN i %% 10 = 0 THEN 'vip' ELSE '' END FROM n`, benchOrders, statuses),
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
