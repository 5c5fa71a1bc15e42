package app

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
)

// BenchmarkAvailability100SKUs measures one ATP call for 100 SKUs on one
// channel, with 100,000 SKUs x 50 locations (5,000,000 stock levels) stored.
// The target is under 5 ms per call.
func BenchmarkAvailability100SKUs(b *testing.B) {
	ctx := context.Background()
	a := newTestApp(b)
	mustChannel(b, a, "web", 1)
	var chans []string
	for i := range 50 {
		code := fmt.Sprintf("L%02d", i)
		if i%5 != 0 { // 40 of the 50 locations serve the channel
			chans = []string{"web"}
		} else {
			chans = nil
		}
		mustLocation(b, a, code, chans...)
	}
	seedBigCatalogue(b, a.db.Path(), 100_000)
	codes := make([]string, 100)
	for i := range codes {
		codes[i] = fmt.Sprintf("SKU-%06d", (i*997)%100_000)
	}
	b.ResetTimer()
	for b.Loop() {
		got, err := a.Availability(ctx, "web", codes)
		if err != nil || len(got) != 100 {
			b.Fatalf("availability: %d rows, %v", len(got), err)
		}
	}
}

// seedBigCatalogue writes n SKUs and a stock level for each at every location,
// straight into the file (levels without ledger rows: this is read-path data).
func seedBigCatalogue(b testing.TB, path string, n int) {
	b.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{
		fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < %d)
			INSERT INTO skus (code, name, created_at, updated_at) SELECT printf('SKU-%%06d', i), 'SKU ' || i, 0, 0 FROM n`, n),
		`INSERT INTO stock_levels (sku_id, location_id, on_hand, reserved, safety_stock, updated_at)
			SELECT s.id, l.id, abs(random() % 50), abs(random() % 5), abs(random() % 3), 0 FROM skus s, locations l`,
		`ANALYZE`,
	} {
		if _, err := raw.Exec(q); err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
}

// BenchmarkStockOverview measures the stock page (50 SKUs with their levels
// at 50 locations and their ATP on one channel), with 100,000 SKUs x 50
// locations stored: the first page, a page deep in the catalogue, and the
// "zero" filter, which rarely matches (it reads on until it fills a page).
func BenchmarkStockOverview(b *testing.B) {
	ctx := context.Background()
	a := newTestApp(b)
	mustChannel(b, a, "web", 1)
	for i := range 50 {
		mustLocation(b, a, fmt.Sprintf("L%02d", i), "web")
	}
	seedBigCatalogue(b, a.db.Path(), 100_000)
	for _, q := range []struct {
		name string
		q    StockOverviewQuery
	}{
		{"first", StockOverviewQuery{Limit: 50}},
		{"deep", StockOverviewQuery{Limit: 50, After: "SKU-090000"}},
		{"zero", StockOverviewQuery{Limit: 50, Filter: FilterZero}},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := a.StockOverview(ctx, System, q.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
