package store_test

import (
	"context"
	"testing"
	"time"

	"switchyard/migrations"
)

// TestHandlingMigration builds a database as it was before
// 0029_location_handling.sql, with a location whose zone rates are mostly in
// USD and one without rates, migrates it, and checks the handling costs
// start at zero in the rates' currency, and that negative ones are refused.
func TestHandlingMigration(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	migrateBefore(t, db, "0029")
	raw := writableDB(t, db.Path())
	mustExec(t, raw, `INSERT INTO locations (id, code, name, kind, country, lat, lon, timezone, created_at, updated_at)
		VALUES (1, 'NJ', 'New Jersey', '3pl', 'US', 40.5, -74.4, 'America/New_York', 0, 0),
		       (2, 'LYS', 'Lyon', 'warehouse', 'FR', 45.7, 4.8, 'Europe/Paris', 0, 0)`)
	mustExec(t, raw, `INSERT INTO zone_rates (origin_location_id, country, cost, currency, transit_days)
		VALUES (1, 'US', 790, 'USD', 3), (1, 'CA', 1290, 'USD', 5), (1, 'FR', 2490, 'EUR', 7)`)
	if _, err := db.Migrate(ctx, migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]string{"NJ": "USD", "LYS": ""} {
		var cur string
		var ship, unit int64
		if err := raw.QueryRow(`SELECT handling_currency, handling_per_shipment, handling_per_unit FROM locations WHERE code = ?`, code).Scan(&cur, &ship, &unit); err != nil {
			t.Fatal(err)
		}
		if cur != want || ship != 0 || unit != 0 {
			t.Errorf("%s: handling %d + %d per unit in %q, want 0 in %q", code, ship, unit, cur, want)
		}
	}
	for _, bad := range []string{
		`UPDATE locations SET handling_per_shipment = -1 WHERE id = 1`,
		`UPDATE locations SET handling_per_unit = -5 WHERE id = 1`,
		`UPDATE locations SET handling_currency = 'EURO' WHERE id = 1`,
	} {
		if _, err := raw.Exec(bad); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}
