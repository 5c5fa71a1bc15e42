package app

import (
	"context"
	"database/sql"
	"testing"
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
