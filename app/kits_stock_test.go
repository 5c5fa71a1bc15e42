package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// kitStockNetwork is two locations serving "web", and a nested kit: SET is 2 MUG
// and 1 TRAY; BOX is 2 SET and 1 SPOON (so 4 MUG, 2 TRAY, 1 SPOON).
func kitStockNetwork(t *testing.T) *App {
	t.Helper()
	a := newTestApp(t)
	mustChannel(t, a, "web", 0)
	mustLocation(t, a, "A", "web")
	mustLocation(t, a, "B", "web")
	for _, s := range []string{"MUG", "TRAY", "SPOON", "SET", "BOX"} {
		mustSKU(t, a, s)
	}
	if err := setKit(t, a, "SET", Component{"MUG", 2}, Component{"TRAY", 1}); err != nil {
		t.Fatal(err)
	}
	if err := setKit(t, a, "BOX", Component{"SET", 2}, Component{"SPOON", 1}); err != nil {
		t.Fatal(err)
	}
	return a
}

// countLevel sets on_hand of a level or fails the test.
func countLevel(t *testing.T, a *App, loc, sku string, onHand int64) {
	t.Helper()
	if _, err := a.CountStock(context.Background(), System, loc, sku, CountInput{OnHand: &onHand}); err != nil {
		t.Fatal(err)
	}
}

// kitRows reads the kit's rows of the stock listing as location -> available.
func kitRows(t *testing.T, a *App, kit string) map[string]int64 {
	t.Helper()
	page, err := a.ListStock(context.Background(), StockQuery{SKU: kit})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, l := range page.Levels {
		if !l.Kit || l.OnHand != 0 || l.Reserved != 0 {
			t.Fatalf("kit row %+v: want kit, nothing on hand or reserved", l)
		}
		out[l.Location] = l.Available
	}
	return out
}

// webATP reads the ATP of codes on "web", in order.
func webATP(t *testing.T, a *App, codes ...string) []int64 {
	t.Helper()
	got, err := a.Availability(context.Background(), "web", codes)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]int64, len(got))
	for i, g := range got {
		out[i] = g.Available
	}
	return out
}

// TestKitAvailabilityMinFloor: a kit allows, at each location, the fewest kits
// its components' available stock makes, rounded down; a nested kit counts
// through its own components; a location missing a part allows none.
func TestKitAvailabilityMinFloor(t *testing.T) {
	a := kitStockNetwork(t)
	countLevel(t, a, "A", "MUG", 7)    // 3 SETs, 1 BOX
	countLevel(t, a, "A", "TRAY", 5)   // 5 SETs, 2 BOX
	countLevel(t, a, "A", "SPOON", 10) // 10 BOX
	countLevel(t, a, "B", "MUG", 10)   // 5 SETs
	countLevel(t, a, "B", "TRAY", 1)   // 1 SET; no SPOON at B: no BOX
	if got := kitRows(t, a, "SET"); len(got) != 2 || got["A"] != 3 || got["B"] != 1 {
		t.Fatalf("SET rows = %v, want A 3, B 1", got)
	}
	if got := kitRows(t, a, "BOX"); len(got) != 1 || got["A"] != 1 {
		t.Fatalf("BOX rows = %v, want A 1 only", got)
	}
	if got := webATP(t, a, "SET", "BOX", "MUG"); got[0] != 4 || got[1] != 1 || got[2] != 17 {
		t.Fatalf("ATP SET, BOX, MUG = %v, want 4, 1, 17", got)
	}
	if !a.txReserve(t, "A", "MUG", 2) { // 5 MUG free at A: 2 SETs
		t.Fatal("reserve failed")
	}
	if got := webATP(t, a, "SET"); got[0] != 3 {
		t.Fatalf("ATP SET after reserving 2 MUG = %v, want 2 + 1", got)
	}
	st, err := a.StockOfSKU(context.Background(), "BOX")
	if err != nil || len(st.Parts) != 3 || len(st.Levels) != 1 || st.Levels[0].Available != 1 {
		t.Fatalf("stock of BOX = %+v, %v", st, err)
	}
}

// TestKitInactiveComponent: a component made inactive makes every kit holding
// it (at any depth) unavailable, 0 and never negative; active again, back.
func TestKitInactiveComponent(t *testing.T) {
	ctx := context.Background()
	a := kitStockNetwork(t)
	for _, s := range []string{"MUG", "TRAY", "SPOON"} {
		countLevel(t, a, "A", s, 20)
	}
	if got := webATP(t, a, "SET", "BOX"); got[0] != 10 || got[1] != 5 {
		t.Fatalf("ATP = %v, want 10, 5", got)
	}
	no := false
	if _, _, err := a.PutSKU(ctx, System, "TRAY", SKUInput{Name: "TRAY", Active: &no}); err != nil {
		t.Fatal(err)
	}
	if got := webATP(t, a, "SET", "BOX"); got[0] != 0 || got[1] != 0 {
		t.Fatalf("ATP with TRAY inactive = %v, want 0, 0", got)
	}
	if got := kitRows(t, a, "BOX"); got["A"] != 0 {
		t.Fatalf("BOX at A with TRAY inactive = %v, want 0", got)
	}
	if _, _, err := a.PutSKU(ctx, System, "TRAY", SKUInput{Name: "TRAY"}); err != nil {
		t.Fatal(err)
	}
	if got := webATP(t, a, "SET", "BOX"); got[0] != 10 || got[1] != 5 {
		t.Fatalf("ATP with TRAY active again = %v, want 10, 5", got)
	}
	// A component over-reserved (short) allows none, never a negative number.
	countLevel(t, a, "A", "SPOON", 0)
	if got := webATP(t, a, "BOX"); got[0] != 0 {
		t.Fatalf("ATP of BOX without spoons = %v", got)
	}
}

// TestKitStockRefused: counting or adjusting a kit's stock is refused naming sku.
func TestKitStockRefused(t *testing.T) {
	ctx := context.Background()
	a := kitStockNetwork(t)
	countLevel(t, a, "A", "MUG", 1)
	_, err := a.CountStock(ctx, System, "A", "SET", CountInput{OnHand: ptr(int64(3))})
	var ae *Error
	if !errors.As(err, &ae) || ae.Kind != KindInvalid || !strings.Contains(ae.Fields["sku"], "is a kit") {
		t.Fatalf("count of a kit: %v", err)
	}
	_, err = a.AdjustStock(ctx, System, Adjustments{Adjustments: []Adjustment{{Location: "A", SKU: "MUG", Delta: 2, Reason: "receipt"}, {Location: "A", SKU: "BOX", Delta: 1, Reason: "receipt"}}})
	if !errors.As(err, &ae) || ae.Kind != KindInvalid || !strings.Contains(ae.Fields["adjustments[1].sku"], "is a kit") {
		t.Fatalf("adjustment of a kit: %v", err)
	}
	if got := a.mustLevel(t, "A", "MUG"); got.OnHand != 1 {
		t.Fatalf("MUG moved by a refused batch: %+v", got)
	}
}

// TestKitAvailabilityMessages: a component's stock change marks the kits
// holding it (nested too) for the channels its location serves.
func TestKitAvailabilityMessages(t *testing.T) {
	ctx := context.Background()
	a := kitStockNetwork(t)
	in := ChannelInput{Name: "shop", Kind: "api", Callback: &CallbackInput{BaseURL: "https://shop.example/cb"}}
	if _, _, err := a.PutChannel(ctx, System, "shop", in); err != nil {
		t.Fatal(err)
	}
	mustLocation(t, a, "C", "shop")
	countLevel(t, a, "C", "TRAY", 4)
	got := pendingAvailability(t, a)
	for _, s := range []string{"TRAY", "SET", "BOX"} {
		if got[s] != 1 {
			t.Fatalf("pending availability after counting TRAY = %v, want TRAY, SET, BOX once each", got)
		}
	}
	if got["MUG"] != 0 {
		t.Fatalf("MUG marked: %v", got)
	}
}

// pendingAvailability counts the pending availability messages by SKU code.
func pendingAvailability(t *testing.T, a *App) map[string]int {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+a.db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT s.code, count(*) FROM outbox_messages m JOIN skus s ON s.id = m.sku_id
		WHERE m.kind = 'availability' AND m.status = 'pending' GROUP BY s.code`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			t.Fatal(err)
		}
		out[code] = n
	}
	return out
}

// BenchmarkAvailabilityKits measures one ATP call for 100 kits of 3
// components each on one channel, with 100,000 SKUs x 50 locations stored.
// The target is under 5 ms per call.
func BenchmarkAvailabilityKits(b *testing.B) {
	ctx := context.Background()
	a := newTestApp(b)
	mustChannel(b, a, "web", 1)
	for i := range 50 {
		var chans []string
		if i%5 != 0 {
			chans = []string{"web"}
		}
		mustLocation(b, a, fmt.Sprintf("L%02d", i), chans...)
	}
	seedBigCatalogue(b, a.db.Path(), 100_000)
	seedKits(b, a, 100)
	codes := make([]string, 100)
	for i := range codes {
		codes[i] = fmt.Sprintf("KIT-%03d", i)
	}
	b.ResetTimer()
	for b.Loop() {
		got, err := a.Availability(ctx, "web", codes)
		if err != nil || len(got) != 100 {
			b.Fatalf("availability: %d rows, %v", len(got), err)
		}
	}
}

// seedKits writes n kits, KIT-000 on, each of 3 SKUs of the big catalogue,
// then what they allow as the app keeps it (refreshKits).
func seedKits(b testing.TB, a *App, n int) {
	b.Helper()
	raw, err := sql.Open("sqlite3", "file:"+a.db.Path()+"?_journal_mode=WAL&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	for i := range n {
		res, err := raw.Exec(`INSERT INTO skus (code, name, is_kit, created_at, updated_at) VALUES (?, ?, 1, 0, 0)`,
			fmt.Sprintf("KIT-%03d", i), fmt.Sprintf("Kit %d", i))
		if err != nil {
			b.Fatal(err)
		}
		kit, _ := res.LastInsertId()
		for j := range 3 {
			_, err := raw.Exec(`INSERT INTO sku_components (kit_sku_id, component_sku_id, quantity, position)
				SELECT ?, id, ?, ? FROM skus WHERE code = ?`, kit, j+1, j, fmt.Sprintf("SKU-%06d", (i*997+j*31)%100_000))
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	var ids []int64
	for i := range n {
		var id int64
		if err := raw.QueryRow(`SELECT id FROM skus WHERE code = ?`, fmt.Sprintf("KIT-%03d", i)).Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	err = a.Write(context.Background(), func(tx Tx) error { return rewriteKits(context.Background(), tx.Q, ids) })
	if err != nil {
		b.Fatal(err)
	}
	if _, err := raw.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
}

// TestKitStockListingPages: paging the stock listing one row at a time reads
// the same rows, kits among them in code order, as one big page.
func TestKitStockListingPages(t *testing.T) {
	ctx := context.Background()
	a := kitStockNetwork(t)
	for _, l := range []string{"A", "B"} {
		for _, s := range []string{"MUG", "TRAY", "SPOON"} {
			countLevel(t, a, l, s, 9)
		}
	}
	all, err := a.ListStock(ctx, StockQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range all.Levels {
		want = append(want, l.SKU+"/"+l.Location)
	}
	if strings.Join(want, " ") != "BOX/A BOX/B MUG/A MUG/B SET/A SET/B SPOON/A SPOON/B TRAY/A TRAY/B" {
		t.Fatalf("one page = %v", want)
	}
	var got []string
	after := ""
	for range 20 {
		page, err := a.ListStock(ctx, StockQuery{Limit: 1, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range page.Levels {
			got = append(got, l.SKU+"/"+l.Location)
		}
		if after = page.Next; after == "" {
			break
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("pages of one = %v, want %v", got, want)
	}
}
