package app

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
)

// BenchmarkStockMoveBesideKits measures one change of a level's on hand (the
// statement the ledger's trigger runs for every stock move, prepared once as
// the app's statements are) in one open transaction, 10,000 SKUs x 10 locations stored and 100 kits of 3 of them:
// of a plain SKU in no kit (what intake moves mostly; migration 0038's
// triggers cost it one index probe) and of a part of a kit (its kit's level
// there is computed again).
func BenchmarkStockMoveBesideKits(b *testing.B) {
	ctx := context.Background()
	a := newTestApp(b)
	mustChannel(b, a, "web", 0)
	for i := range 10 {
		mustLocation(b, a, fmt.Sprintf("L%02d", i), "web")
	}
	seedBigCatalogue(b, a.db.Path(), 10_000)
	for i := range 100 {
		code := fmt.Sprintf("KIT-%03d", i)
		mustSKU(b, a, code)
		err := a.Write(ctx, func(tx Tx) error {
			kit, err := tx.Q.GetSKUByCode(ctx, code)
			if err != nil {
				return err
			}
			return SetKitComponentsInTx(ctx, tx, kit.ID, []Component{
				{fmt.Sprintf("SKU-%06d", 3*i), 1}, {fmt.Sprintf("SKU-%06d", 3*i+1), 2}, {fmt.Sprintf("SKU-%06d", 3*i+2), 3}})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	raw, err := sql.Open("sqlite3", "file:"+a.db.Path()+"?_journal_mode=WAL&_busy_timeout=5000")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	for _, c := range []struct{ name, sku string }{{"plain", "SKU-005000"}, {"kit-part", "SKU-000151"}} {
		b.Run(c.name, func(b *testing.B) {
			conn, err := raw.Conn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			var sku, loc int64
			err = conn.QueryRowContext(ctx, `SELECT s.id, min(l.id) FROM skus s, locations l WHERE s.code = ?`, c.sku).Scan(&sku, &loc)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := conn.ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil { // as the app's writer
				b.Fatal(err)
			}
			if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
				b.Fatal(err)
			}
			defer conn.ExecContext(ctx, `ROLLBACK`) //nolint:errcheck // the moves are thrown away
			move, err := conn.PrepareContext(ctx, `UPDATE stock_levels SET on_hand = ? WHERE sku_id = ? AND location_id = ?`)
			if err != nil {
				b.Fatal(err)
			}
			defer move.Close()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				_, err := move.ExecContext(ctx, 10+i%7, sku, loc)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
