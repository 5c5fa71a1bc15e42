package app

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestKitsSharingScarcePartRace: 32 racers place 3 orders each of two kits
// sharing the mug (SET: 2 mugs and a tray; DUO: a mug and a spoon) and of
// mugs alone, against far fewer mugs than asked. No level is oversold, the
// invariants hold, and every unit is accounted for: each line is reserved
// or waits, whole; the parts reserved at each level are exactly what the
// orders' reserved lines take; the mugs run out.
func TestKitsSharingScarcePartRace(t *testing.T) {
	ctx := context.Background()
	a := kitNetwork(t)
	mustSKU(t, a, "SPOON")
	mustSKU(t, a, "DUO")
	if err := setKit(t, a, "DUO", Component{"MUG", 1}, Component{"SPOON", 1}); err != nil {
		t.Fatal(err)
	}
	stock := map[string]map[string]int64{"LYS": {"MUG": 11, "TRAY": 4, "SPOON": 5}, "PAR": {"MUG": 7, "TRAY": 2, "SPOON": 5}}
	for loc, skus := range stock {
		for sku, n := range skus {
			count(t, a, loc, sku, n)
		}
	}
	mixes := [][]any{{"SET", 1}, {"DUO", 2}, {"MUG", 1}, {"SET", 1, "DUO", 1}}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		placed []string
	)
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3 {
				o, _, err := a.PlaceOrder(ctx, System, kitOrder(fmt.Sprintf("r%d-%d", g, i), mixes[(g+i)%len(mixes)]...))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				placed = append(placed, o.Number)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(placed) != 96 {
		t.Fatalf("%d orders placed", len(placed))
	}
	per := map[string]map[string]int64{"SET": {"MUG": 2, "TRAY": 1}, "DUO": {"MUG": 1, "SPOON": 1}, "MUG": {"MUG": 1}}
	want := map[string]int64{} // part units the orders' reserved lines take, over all locations
	var waiting int64
	for _, n := range placed {
		o, err := a.OrderByNumber(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range o.Lines {
			if l.Reserved+l.Backordered != l.Quantity || l.Reserved < 0 || l.Backordered < 0 {
				t.Fatalf("order %s line %+v: units unaccounted for", n, l)
			}
			waiting += l.Backordered
			for part, u := range per[l.SKU] {
				want[part] += l.Reserved * u
			}
		}
	}
	for _, sku := range []string{"MUG", "TRAY", "SPOON"} {
		var reserved int64
		for loc := range stock {
			lvl := a.mustLevel(t, loc, sku)
			if lvl.OnHand != stock[loc][sku] || lvl.Reserved < 0 || lvl.Reserved > lvl.OnHand {
				t.Fatalf("%s at %s: %+v", sku, loc, lvl)
			}
			reserved += lvl.Reserved
		}
		if reserved != want[sku] {
			t.Errorf("%s: %d reserved at the levels, the orders' lines take %d", sku, reserved, want[sku])
		}
	}
	t.Logf("%d of 18 mugs reserved, %d units waiting", want["MUG"], waiting)
	if waiting == 0 || want["MUG"] < 16 {
		t.Fatalf("the mugs did not run out: %d mugs reserved, %d units waiting", want["MUG"], waiting)
	}
	checkInvariants(t, a)
}
