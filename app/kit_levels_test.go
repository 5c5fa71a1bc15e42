package app

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"switchyard/migrations"
	store "switchyard/sql"
)

// wantKitsKept fails unless the kept kit leaves, state and levels equal what
// the components give from scratch, and each kit's ATP on every channel equals
// the sum over the channel's active shipping locations of what the
// from-scratch listing (KitLevels) allows there, less the buffer, never below 0.
func wantKitsKept(t *testing.T, a *App, step string) {
	t.Helper()
	ctx := context.Background()
	bad, err := a.Read().KitLevelMismatches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Fatalf("%s: kept kit rows differ from scratch: %+v", step, bad)
	}
	raw, err := sql.Open("sqlite3", "file:"+a.db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	kits := map[string]int64{}
	var ids []int64
	rows, err := raw.Query(`SELECT id, code FROM skus WHERE is_kit = 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			t.Fatal(err)
		}
		kits[code], ids = id, append(ids, id)
	}
	rows.Close()
	levels, err := kitLevels(ctx, a.Read(), ids, 0)
	if err != nil {
		t.Fatal(err)
	}
	chans, err := raw.Query(`SELECT code, buffer FROM channels`)
	if err != nil {
		t.Fatal(err)
	}
	defer chans.Close()
	for chans.Next() {
		var ch string
		var buffer int64
		if err := chans.Scan(&ch, &buffer); err != nil {
			t.Fatal(err)
		}
		for code, id := range kits {
			want := int64(0)
			for _, l := range levels[id] {
				var serves int
				err := raw.QueryRow(`SELECT count(*) FROM location_channels lc JOIN channels c ON c.id = lc.channel_id
					WHERE c.code = ? AND lc.location_id = ?`, ch, l.LocationID).Scan(&serves)
				if err != nil {
					t.Fatal(err)
				}
				if serves == 1 && l.Active && l.Ships {
					want += l.Available
				}
			}
			want = max(0, want-buffer)
			got, err := a.Availability(ctx, ch, []string{code})
			if err != nil {
				t.Fatal(err)
			}
			if got[0].Available != want {
				t.Fatalf("%s: ATP of %s on %s = %d, from scratch %d", step, code, ch, got[0].Available, want)
			}
		}
	}
}

// TestKitLevelsKeptThroughMoves: after every kind of stock move and catalogue
// change, the kept kit rows equal a from-scratch computation and kit ATP
// equals what the parts give.
func TestKitLevelsKeptThroughMoves(t *testing.T) {
	ctx := context.Background()
	a := kitNetwork(t) // LYS, PAR, BER serve web; SET = 2 MUG + 1 TRAY
	mustChannel(t, a, "shop", 3)
	mustLocation(t, a, "SHOPWH", "shop")
	for _, s := range []string{"SPOON", "BOX"} {
		mustSKU(t, a, s)
	}
	wantKitsKept(t, a, "no stock")
	for _, l := range []string{"LYS", "PAR"} {
		count(t, a, l, "MUG", 9)
		count(t, a, l, "TRAY", 4)
	}
	count(t, a, "BER", "MUG", 7) // no tray level at BER: none there
	wantKitsKept(t, a, "counted")

	_, err := a.AdjustStock(ctx, System, Adjustments{Adjustments: []Adjustment{
		{Location: "LYS", SKU: "MUG", Delta: -2, Reason: "adjustment"},
		{Location: "PAR", SKU: "TRAY", Delta: 3, Reason: "receipt"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "adjusted")

	ss := int64(2)
	on := int64(9)
	if _, err := a.CountStock(ctx, System, "PAR", "MUG", CountInput{OnHand: &on, SafetyStock: &ss}); err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "safety stock")

	o, _, err := a.PlaceOrder(ctx, System, kitOrder("k1", "SET", 2))
	if err != nil || len(o.Fulfillments) != 1 {
		t.Fatalf("%v %+v", err, o.Fulfillments)
	}
	wantKitsKept(t, a, "reserved")
	if _, err := a.Ship(ctx, System, o.Fulfillments[0].ID, ShipInput{Carrier: "ups", TrackingNumber: "1Z999AA10123456784",
		Lines: []ShipLine{{SKU: "SET", Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "shipped one")
	o, _, err = a.PlaceOrder(ctx, System, kitOrder("k2", "SET", 1))
	if err != nil || len(o.Fulfillments) != 1 {
		t.Fatalf("%v %+v", err, o.Fulfillments)
	}
	wantKitsKept(t, a, "reserved again")
	o, err = a.RejectFulfillment(ctx, System, o.Fulfillments[0].ID, RejectInput{Reason: "damaged"})
	if err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "rejected, rerouted")
	if _, err := a.Cancel(ctx, System, o.Number, CancelInput{Reason: "customer asked"}); err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "cancelled")

	if err := setKit(t, a, "SET", Component{"MUG", 1}, Component{"TRAY", 3}); err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "recipe changed")
	if err := setKit(t, a, "BOX", Component{"SET", 2}, Component{"SPOON", 1}, Component{"MUG", 1}); err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "nested kit")
	count(t, a, "LYS", "SPOON", 5)
	count(t, a, "PAR", "SPOON", 1)
	wantKitsKept(t, a, "nested kit stocked")
	if got := webATP(t, a, "BOX"); got[0] == 0 {
		t.Fatalf("BOX on web = %v: the test should stock some", got)
	}
	if err := setKit(t, a, "SET", Component{"MUG", 2}, Component{"TRAY", 1}); err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "inner kit's recipe changed")

	no := false
	if _, _, err := a.PutSKU(ctx, System, "TRAY", SKUInput{Name: "Tray", Active: &no}); err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "component inactive")
	if got := webATP(t, a, "SET", "BOX"); got[0] != 0 || got[1] != 0 {
		t.Fatalf("ATP with TRAY inactive = %v", got)
	}
	if _, _, err := a.PutSKU(ctx, System, "TRAY", SKUInput{Name: "Tray"}); err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "component active again")
	if _, _, err := a.PutSKU(ctx, System, "SET", SKUInput{Name: "Gift set", Active: &no}); err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "inner kit inactive")
	if _, _, err := a.PutSKU(ctx, System, "SET", SKUInput{Name: "Gift set"}); err != nil {
		t.Fatal(err)
	}

	for _, s := range []string{"MUG", "TRAY", "SPOON"} { // new levels, one by one
		count(t, a, "SHOPWH", s, 30)
		wantKitsKept(t, a, "new level of "+s)
	}
	count(t, a, "SHOPWH", "TRAY", 0)
	wantKitsKept(t, a, "short at the shop")

	comps := []Component{}
	if _, _, err := a.PutSKU(ctx, System, "BOX", SKUInput{Name: "Box", Components: &comps}); err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "BOX plain again")
	checkInvariants(t, a)
}

// TestKitLevelMismatchesSeen: the invariant names a kept kit level that
// differs from its parts.
func TestKitLevelMismatchesSeen(t *testing.T) {
	ctx := context.Background()
	a := kitNetwork(t)
	count(t, a, "LYS", "MUG", 4)
	count(t, a, "LYS", "TRAY", 4)
	raw, err := sql.Open("sqlite3", "file:"+a.db.Path()+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE kit_levels SET available = available + 1`); err != nil {
		t.Fatal(err)
	}
	bad, err := a.Read().KitLevelMismatches(ctx)
	if err != nil || len(bad) == 0 || bad[0].What != "level" {
		t.Fatalf("mismatches %+v, %v", bad, err)
	}
}

// TestKitLevelsBackfilled: a database with kits made before migration 0038
// gets their leaves, state and levels from it, equal to a from-scratch
// computation, and the same ATP.
func TestKitLevelsBackfilled(t *testing.T) {
	ctx := context.Background()
	before := fstest.MapFS{}
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if n >= "0038" {
			continue
		}
		body, err := fs.ReadFile(migrations.FS, n)
		if err != nil {
			t.Fatal(err)
		}
		before[n] = &fstest.MapFile{Data: body}
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, before, time.Now()); err != nil {
		t.Fatal(err)
	}
	a := New(db, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	mustChannel(t, a, "web", 1)
	mustLocation(t, a, "A", "web")
	mustLocation(t, a, "B", "web")
	for _, s := range []string{"MUG", "TRAY", "SPOON", "SET", "BOX", "DEAD", "OFF"} {
		mustSKU(t, a, s)
	}
	count(t, a, "A", "MUG", 19)
	count(t, a, "A", "TRAY", 5)
	count(t, a, "A", "SPOON", 3)
	count(t, a, "B", "MUG", 4)
	count(t, a, "B", "TRAY", 1)
	count(t, a, "A", "OFF", 8)
	raw, err := sql.Open("sqlite3", "file:"+db.Path()+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{ // kits as 0032 wrote them: SET, BOX holding SET, DEAD holding an inactive SKU
		`UPDATE skus SET is_kit = 1 WHERE code IN ('SET', 'BOX', 'DEAD')`,
		`UPDATE skus SET active = 0 WHERE code = 'OFF'`,
		`INSERT INTO sku_components (kit_sku_id, component_sku_id, quantity, position)
		 SELECT k.id, c.id, q, p FROM (SELECT 'SET' AS k, 'MUG' AS c, 2 AS q, 0 AS p UNION ALL SELECT 'SET', 'TRAY', 1, 1
		   UNION ALL SELECT 'BOX', 'SET', 2, 0 UNION ALL SELECT 'BOX', 'SPOON', 1, 1 UNION ALL SELECT 'BOX', 'MUG', 1, 2
		   UNION ALL SELECT 'DEAD', 'MUG', 1, 0 UNION ALL SELECT 'DEAD', 'OFF', 1, 1) AS v
		 JOIN skus k ON k.code = v.k JOIN skus c ON c.code = v.c`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Migrate(ctx, migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	wantKitsKept(t, a, "backfilled")
	// SET: A min(19/2, 5) = 5, B min(4/2, 1) = 1; BOX (5 MUG, 2 TRAY, 1 SPOON):
	// A min(3, 2, 3) = 2, none at B without spoons; less the buffer of 1.
	if got := webATP(t, a, "SET", "BOX", "DEAD"); fmt.Sprint(got) != "[5 1 0]" {
		t.Fatalf("ATP after 0038 = %v, want [5 1 0]", got)
	}
}
