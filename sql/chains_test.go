package store_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"switchyard/migrations"
)

// TestChainsMigrationLinksRowsAlreadyThere builds a database as it was before
// 0015_chains.sql, with ledger rows of two levels and order lines of two SKU
// codes interleaved, migrates it, and follows the chains the migration drew
// and the ones its triggers extend.
func TestChainsMigrationLinksRowsAlreadyThere(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	migrateBefore(t, db, "0015")
	raw := writableDB(t, db.Path())
	mustExec(t, raw, `INSERT INTO stock_levels (sku_id, location_id, updated_at) VALUES (1, 1, 0), (2, 1, 0), (3, 1, 0)`)
	for i, level := range []int{1, 2, 1, 1, 2} { // ledger rows 1..5
		mustExec(t, raw, `INSERT INTO stock_ledger (id, sku_id, location_id, delta_on_hand, delta_reserved, reason, actor, at)
			VALUES (?, ?, 1, 1, 0, 'receipt', 'test', 0)`, i+1, level)
	}
	for i, sku := range []string{"TEE-1", "MUG", "tee-1", "MUG", "Tee-1"} { // lines 1..5 of orders 1..5
		mustExec(t, raw, `INSERT INTO order_lines (id, order_id, line_no, sku, quantity, unit_price) VALUES (?, ?, 1, ?, 1, 0)`, i+1, i+1, sku)
	}
	if _, err := db.Migrate(ctx, migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	wantChain(t, raw, "level 1", `SELECT last_ledger_id FROM stock_levels WHERE sku_id = 1`, "stock_ledger", "prev_id", 4, 3, 1)
	wantChain(t, raw, "level 2", `SELECT last_ledger_id FROM stock_levels WHERE sku_id = 2`, "stock_ledger", "prev_id", 5, 2)
	wantChain(t, raw, "level 3", `SELECT last_ledger_id FROM stock_levels WHERE sku_id = 3`, "stock_ledger", "prev_id")
	wantChain(t, raw, "TEE-1 in any case", `SELECT last_line_id FROM sku_line_heads WHERE sku = 'TEE-1'`, "order_lines", "prev_sku_line_id", 5, 3, 1)
	wantChain(t, raw, "MUG", `SELECT last_line_id FROM sku_line_heads WHERE sku = 'mug'`, "order_lines", "prev_sku_line_id", 4, 2)

	// Rows written after the migration join the chains through the triggers.
	mustExec(t, raw, `INSERT INTO stock_ledger (id, sku_id, location_id, delta_on_hand, delta_reserved, reason, actor, at)
		VALUES (6, 1, 1, 1, 0, 'receipt', 'test', 0), (7, 3, 1, 2, 0, 'receipt', 'test', 0)`)
	mustExec(t, raw, `INSERT INTO order_lines (id, order_id, line_no, sku, quantity, unit_price) VALUES (6, 6, 1, 'TEE-1', 1, 0), (7, 6, 2, 'NEW', 1, 0)`)
	wantChain(t, raw, "level 1, then", `SELECT last_ledger_id FROM stock_levels WHERE sku_id = 1`, "stock_ledger", "prev_id", 6, 4, 3, 1)
	wantChain(t, raw, "level 3, then", `SELECT last_ledger_id FROM stock_levels WHERE sku_id = 3`, "stock_ledger", "prev_id", 7)
	wantChain(t, raw, "TEE-1, then", `SELECT last_line_id FROM sku_line_heads WHERE sku = 'tee-1'`, "order_lines", "prev_sku_line_id", 6, 5, 3, 1)
	wantChain(t, raw, "NEW", `SELECT last_line_id FROM sku_line_heads WHERE sku = 'new'`, "order_lines", "prev_sku_line_id", 7)
	var onHand int
	if err := raw.QueryRow(`SELECT on_hand FROM stock_levels WHERE sku_id = 1`).Scan(&onHand); err != nil || onHand != 4 {
		t.Errorf("level 1 on hand %d (%v), want 4: the ledger rows still apply their deltas", onHand, err)
	}
}

// wantChain follows a chain from the id head names, through the column prev
// of table, and compares the ids met with want.
func wantChain(t *testing.T, db *sql.DB, what, head, table, prev string, want ...int64) {
	t.Helper()
	var got []int64
	var id sql.NullInt64
	err := db.QueryRow(head).Scan(&id)
	if err != nil && err != sql.ErrNoRows {
		t.Fatalf("%s: %v", what, err)
	}
	for id.Valid && len(got) <= len(want) {
		got = append(got, id.Int64)
		if err := db.QueryRow(`SELECT `+prev+` FROM `+table+` WHERE id = ?`, id.Int64).Scan(&id); err != nil {
			t.Fatalf("%s: row %d: %v", what, got[len(got)-1], err)
		}
	}
	if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%s: chain %v, want %v", what, got, want)
	}
}

// writableDB opens the database file for writing, foreign keys off, to set up
// rows without the rows they would name.
func writableDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	t.Cleanup(func() { raw.Close() })
	return raw
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
