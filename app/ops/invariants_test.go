package ops

import (
	"switchyard/app"
	"switchyard/app/apptest"

	"context"
	"database/sql"
	"testing"
)

// TestInvariantsSeeABrokenChain: the invariant check reports a ledger row or
// an order line that no longer names the previous one of its key.
func TestInvariantsSeeABrokenChain(t *testing.T) {
	ctx := context.Background()
	for _, breakIt := range []string{
		`UPDATE stock_ledger SET prev_id = NULL WHERE id = (SELECT max(id) FROM stock_ledger)`,
		`UPDATE stock_levels SET last_ledger_id = NULL WHERE last_ledger_id = (SELECT max(id) FROM stock_ledger)`,
		`UPDATE order_lines SET prev_sku_line_id = NULL WHERE id = (SELECT max(id) FROM order_lines)`,
		`UPDATE sku_line_heads SET last_line_id = 1`,
	} {
		a := apptest.RouteNetwork(t)
		apptest.Count(t, a, "LYS", "TEE", 10)
		for _, ext := range []string{"1", "2"} {
			if _, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder(ext, 1)); err != nil {
				t.Fatal(err)
			}
		}
		if r, err := svc(a).CheckInvariants(ctx); err != nil || !r.OK() {
			t.Fatalf("before: %+v, %v", r, err)
		}
		raw, err := sql.Open("sqlite3", "file:"+a.DB().Path()+"?_busy_timeout=5000")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(breakIt); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		if r, err := svc(a).CheckInvariants(ctx); err != nil || r.OK() || r.ChainBreaks == 0 {
			t.Errorf("after %s: %+v, %v; want a chain break", breakIt, r, err)
		}
	}
}
