package floor

import (
	"switchyard/app"
	"switchyard/app/apptest"

	"context"
	"database/sql"
	"fmt"
	"testing"
)

// BenchmarkLocationQueue measures a location's queue tabs with a million
// orders stored and their fulfillments spread over ten locations. Target: under 10 ms.
func BenchmarkLocationQueue(b *testing.B) {
	a := apptest.MillionOrders(b)
	for i := range 10 {
		apptest.MustLocation(b, a, fmt.Sprintf("L%d", i), "web")
	}
	raw, err := sql.Open("sqlite3", "file:"+a.DB().Path()+"?_journal_mode=WAL&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	// Most work is done; at every location some waits to be accepted and some is being picked.
	for _, q := range []string{
		`INSERT INTO fulfillments (id, order_id, location_id, status, promised_ship_by, created_at, updated_at, shipped_at)
		 SELECT o.id, o.id, (SELECT min(id) FROM locations) + o.id % 10,
		        CASE WHEN o.id % 47 = 0 THEN 'pending' WHEN o.id % 97 = 0 THEN 'accepted' WHEN o.id % 3 = 0 THEN 'delivered' ELSE 'shipped' END,
		        o.placed_at + 86400000, o.placed_at, o.placed_at, o.placed_at + 3600000
		 FROM orders o`,
		`INSERT INTO fulfillment_lines (fulfillment_id, order_line_id, sku_id, quantity)
		 SELECT l.order_id, l.id, l.sku_id, l.quantity FROM order_lines l`,
		`ANALYZE`,
	} {
		if _, err := raw.Exec(q); err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
	ctx := context.Background()
	for _, tab := range QueueTabs {
		b.Run(string(tab), func(b *testing.B) {
			for b.Loop() {
				q, err := svc(a).LocationQueue(ctx, app.System, "L3", tab)
				if err != nil {
					b.Fatal(err)
				}
				if tab == app.FulfillmentPending && len(q.Items) == 0 {
					b.Fatal("no pending work in the queue")
				}
			}
		})
	}
	b.Run("order_page", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i = (i + 7919) % apptest.BenchOrders
			if _, err := a.OrderByNumber(ctx, fmt.Sprintf("SY-%06d", i+1)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
