package store_test

import (
	"context"
	"testing"
	"time"

	"switchyard/migrations"
)

// TestInboundMigrationRebuildsTheLedger builds a database as it was before
// 0033_inbound.sql, with ledger rows of two levels interleaved (chained by
// 0015's trigger), migrates it, and checks that the rebuilt ledger kept its
// rows, ids and chains, that its trigger still applies deltas and extends
// the chains, that it takes the transfers' reasons, and refuses others.
func TestInboundMigrationRebuildsTheLedger(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	migrateBefore(t, db, "0033")
	raw := writableDB(t, db.Path())
	mustExec(t, raw, `INSERT INTO stock_levels (sku_id, location_id, updated_at) VALUES (1, 1, 0), (2, 1, 0), (3, 1, 0)`)
	for i, level := range []int{1, 2, 1, 1, 2} { // ledger rows 1..5
		mustExec(t, raw, `INSERT INTO stock_ledger (id, sku_id, location_id, delta_on_hand, delta_reserved, reason, reference, actor, note, at)
			VALUES (?, ?, 1, 3, 1, 'reservation', 'SY-1', 'test', 'a note', 42)`, i+1, level)
	}
	if _, err := db.Migrate(ctx, migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	wantChain(t, raw, "level 1", `SELECT last_ledger_id FROM stock_levels WHERE sku_id = 1`, "stock_ledger", "prev_id", 4, 3, 1)
	wantChain(t, raw, "level 2", `SELECT last_ledger_id FROM stock_levels WHERE sku_id = 2`, "stock_ledger", "prev_id", 5, 2)
	var n int
	if err := raw.QueryRow(`SELECT count(*) FROM stock_ledger WHERE reason = 'reservation' AND reference = 'SY-1'
		AND actor = 'test' AND note = 'a note' AND at = 42 AND delta_on_hand = 3 AND delta_reserved = 1`).Scan(&n); err != nil || n != 5 {
		t.Errorf("%d rows copied whole (%v), want 5", n, err)
	}

	// Rows written after the migration apply their deltas and join the chains
	// through the trigger made again; the transfers' reasons are taken.
	mustExec(t, raw, `INSERT INTO stock_ledger (id, sku_id, location_id, delta_on_hand, delta_reserved, reason, actor, at)
		VALUES (6, 1, 1, -1, -1, 'transfer_out', 'test', 0), (7, 3, 1, 2, 0, 'transfer_in', 'test', 0)`)
	wantChain(t, raw, "level 1, then", `SELECT last_ledger_id FROM stock_levels WHERE sku_id = 1`, "stock_ledger", "prev_id", 6, 4, 3, 1)
	wantChain(t, raw, "level 3, then", `SELECT last_ledger_id FROM stock_levels WHERE sku_id = 3`, "stock_ledger", "prev_id", 7)
	var onHand, reserved int
	if err := raw.QueryRow(`SELECT on_hand, reserved FROM stock_levels WHERE sku_id = 1`).Scan(&onHand, &reserved); err != nil ||
		onHand != 8 || reserved != 2 {
		t.Errorf("level 1: %d on hand, %d reserved (%v); want 8 and 2: the rows after the migration apply their deltas", onHand, reserved, err)
	}
	if _, err := raw.Exec(`INSERT INTO stock_ledger (sku_id, location_id, delta_on_hand, delta_reserved, reason, actor, at)
		VALUES (1, 1, 1, 0, 'gift', 'test', 0)`); err == nil {
		t.Error("a ledger row with an unknown reason was taken")
	}
	if _, err := raw.Exec(`INSERT INTO stock_ledger (sku_id, location_id, delta_on_hand, delta_reserved, reason, actor, at)
		VALUES (1, 1, -100, 0, 'transfer_out', 'test', 0)`); err == nil {
		t.Error("a ledger row taking on hand below zero was taken")
	}
	var breaks int
	if err := raw.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'stock_ledger_new' OR sql LIKE '%stock_ledger_new%'`).Scan(&breaks); err != nil || breaks != 0 {
		t.Errorf("%d schema objects still name the temporary table (%v)", breaks, err)
	}
	var triggers int
	if err := raw.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'stock_ledger'`).Scan(&triggers); err != nil || triggers != 1 {
		t.Errorf("%d triggers on the ledger (%v), want 1 (stock_ledger_applies)", triggers, err)
	}
	rows, err := raw.Query(`PRAGMA foreign_key_check(stock_ledger)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Error("the rebuilt ledger names levels that do not exist")
	}
}
