package reorder

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/apptest"
)

// BenchmarkReorder100kSKUs50Locations measures one page of suggestions (100
// lines, by days of cover) with 100,000 SKUs × 50 locations (5,000,000 stock
// levels) and 200,000 fulfillment lines in the window: at one location, and
// across the whole network (which reads and sorts every level).
func BenchmarkReorder100kSKUs50Locations(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	a := apptest.NewAppAt(b, func() time.Time { return now })
	apptest.MustChannel(b, a, "web", 0)
	for i := range 50 {
		apptest.MustLocation(b, a, fmt.Sprintf("L%02d", i), "web")
	}
	seed(b, a.DB().Path(), app.Millis(now.AddDate(0, 0, -7)))
	s := New(a)
	for _, q := range []Query{{Location: "L07"}, {Location: "L07", OnlyOrder: true}, {}} {
		b.Run(fmt.Sprintf("location=%q only=%v", q.Location, q.OnlyOrder), func(b *testing.B) {
			for b.Loop() {
				p, err := s.List(ctx, app.System, q)
				if err != nil || len(p.Lines) == 0 {
					b.Fatalf("list: %d lines, %v", len(p.Lines), err)
				}
			}
		})
	}
}

// seed writes the SKUs, a level of each at every location, and 20,000 orders
// of 10 lines each with their fulfillments at `at`, straight into the file.
func seed(b *testing.B, path string, at int64) {
	b.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{
		`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < 100000)
			INSERT INTO skus (code, name, created_at, updated_at) SELECT printf('SKU-%06d', i), 'SKU ' || i, 0, 0 FROM n`,
		`INSERT INTO stock_levels (sku_id, location_id, on_hand, reserved, safety_stock, updated_at)
			SELECT s.id, l.id, abs(random() % 50), abs(random() % 5), 0, 0 FROM skus s, locations l`,
		fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
			INSERT INTO orders (id, number, channel_id, external_id, placed_at, currency, delivery, subtotal, shipping_price,
				total, status, tracking_token, created_at, updated_at)
			SELECT i, 'SY-' || i, (SELECT id FROM channels), 'E' || i, %[1]d, 'EUR', 'ship', 0, 0, 0, 'routed', 'T' || i, %[1]d, %[1]d FROM n`, at),
		fmt.Sprintf(`INSERT INTO fulfillments (id, order_id, location_id, status, created_at, updated_at)
			SELECT o.id, o.id, (SELECT min(id) FROM locations) + o.id %% 50, 'pending', %[1]d, %[1]d FROM orders o`, at),
		`WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 9)
			INSERT INTO fulfillment_lines (fulfillment_id, order_line_id, sku_id, quantity)
			SELECT f.id, f.id * 10 + k.j, 1 + abs(random() % 2000), 1 + abs(random() % 5) FROM fulfillments f, k`,
		`ANALYZE`,
	} {
		if _, err := raw.Exec(q); err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
}
