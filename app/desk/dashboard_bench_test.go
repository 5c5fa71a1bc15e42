package desk

import (
	"switchyard/app"
	"switchyard/app/apptest"

	"context"
	"database/sql"
	"testing"
	"time"
)

// benchEnd is just after the last order millionOrders places (one every 2 s).
var benchEnd = app.FromMillis(1700000000000 + apptest.BenchOrders*2000 + 60_000)

// BenchmarkDashboard measures the ops dashboard with a million orders stored,
// all of them within its 30 days. Target: under 100 ms.
func BenchmarkDashboard(b *testing.B) {
	a := deskBenchApp(b)
	ctx := context.Background()
	for b.Loop() {
		d, err := svc(a).Dashboard(ctx)
		if err != nil || d.Orders != apptest.BenchOrders || d.Late == 0 || d.AtRisk == 0 {
			b.Fatalf("orders %d, late %d, at risk %d: %v", d.Orders, d.Late, d.AtRisk, err)
		}
	}
}

// BenchmarkExceptions measures the navigation's count and the exceptions
// queue's lists with a million orders stored (60% of them waiting, 2% held).
func BenchmarkExceptions(b *testing.B) {
	a := deskBenchApp(b)
	ctx := context.Background()
	b.Run("nav_count", func(b *testing.B) {
		for b.Loop() {
			if n, err := svc(a).ExceptionCount(ctx); err != nil || n == 0 {
				b.Fatalf("%d: %v", n, err)
			}
		}
	})
	for _, q := range []ExceptionQuery{{}, {Kind: ExceptionHeld}, {Kind: ExceptionWaiting}, {Kind: ExceptionLate}, {Kind: ExceptionShort}, {Mine: true}} {
		name := string(q.Kind)
		if q.Kind == "" {
			name = map[bool]string{false: "all", true: "mine"}[q.Mine]
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				l, err := svc(a).Exceptions(ctx, app.System, q)
				if err != nil || len(l.Items) == 0 && !q.Mine {
					b.Fatalf("%d items: %v", len(l.Items), err)
				}
			}
		})
	}
}

// deskBenchApp is millionOrders as of just after its last order, with promises
// on one order in ten of the last five days (so that a few thousand are late
// and at risk), fulfillments per day at one location, and one short level.
func deskBenchApp(b *testing.B) *app.App {
	b.Helper()
	a := apptest.MillionOrdersAt(b, func() time.Time { return benchEnd })
	apptest.MustLocation(b, a, "LYS", "web", "shop")
	raw, err := sql.Open("sqlite3", "file:"+a.DB().Path()+"?_journal_mode=WAL&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	end := app.Millis(benchEnd)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE orders SET promised_ship_by = placed_at + 2 * 86400000
			WHERE id % 10 = 0 AND placed_at > ? - 5 * 86400000 AND status <> 'shipped'`, []any{end}},
		{`WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 29)
			INSERT INTO location_day_counts (location_id, day, n)
			SELECT 1, date(? / 1000 - i * 86400, 'unixepoch'), 1000 + i FROM d`, []any{end}},
		{`INSERT INTO stock_levels (sku_id, location_id, on_hand, reserved, updated_at) VALUES (1, 1, 2, 5, 0)`, nil},
		{`ANALYZE`, nil},
	} {
		if _, err := raw.Exec(q.sql, q.args...); err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
	return a
}
