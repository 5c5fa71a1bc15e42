package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	store "switchyard/sql"
)

// stockModel is what a stock level should hold after a sequence of operations.
type stockModel struct{ onHand, reserved, safety int64 }

// TestStockLedgerProperty applies random sequences of counts, adjustments,
// reservations and releases, and after every step checks that on_hand and
// reserved equal the sums of their ledger rows, are never negative, and match
// a simple model of what each operation should have done.
func TestStockLedgerProperty(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	locs, skus := []string{"L1", "L2"}, []string{"S1", "S2", "S3"}
	for _, l := range locs {
		mustLocation(t, a, l)
	}
	for _, s := range skus {
		mustSKU(t, a, s)
	}
	seeds := 40
	if testing.Short() {
		seeds = 8
	}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		model := map[[2]string]*stockModel{}
		for step := range 60 {
			l, s := locs[rng.IntN(len(locs))], skus[rng.IntN(len(skus))]
			k := [2]string{l, s}
			if model[k] == nil {
				model[k] = &stockModel{}
				if _, err := a.CountStock(ctx, System, l, s, CountInput{OnHand: ptr(int64(0))}); err != nil {
					t.Fatal(err)
				}
				lvl := a.mustLevel(t, l, s)
				model[k].onHand, model[k].reserved, model[k].safety = lvl.OnHand, lvl.Reserved, lvl.SafetyStock
			}
			op := a.randomStockOp(t, rng, l, s, model[k])
			lvl := a.mustLevel(t, l, s)
			m := model[k]
			if lvl.OnHand != m.onHand || lvl.Reserved != m.reserved || lvl.SafetyStock != m.safety {
				t.Fatalf("seed %d step %d after %s: level %+v, model %+v", seed, step, op, lvl, *m)
			}
			a.checkLedger(t, l, s)
		}
	}
}

// randomStockOp applies one random operation to a level and to its model.
func (a *App) randomStockOp(t *testing.T, rng *rand.Rand, l, s string, m *stockModel) string {
	ctx := context.Background()
	switch rng.IntN(4) {
	case 0: // a count, maybe below what is reserved, maybe with a new safety stock
		v := int64(rng.IntN(25))
		in := CountInput{OnHand: &v}
		if rng.IntN(3) == 0 {
			in.SafetyStock = ptr(int64(rng.IntN(4)))
		}
		if _, err := a.CountStock(ctx, System, l, s, in); err != nil {
			t.Fatalf("count: %v", err)
		}
		m.onHand = v
		if in.SafetyStock != nil {
			m.safety = *in.SafetyStock
		}
		return fmt.Sprintf("count %d", v)
	case 1: // an adjustment, refused when it would take on_hand below zero
		d := int64(rng.IntN(21) - 10)
		if d == 0 {
			d = 1
		}
		_, err := a.AdjustStock(ctx, System, Adjustments{Adjustments: []Adjustment{{Location: l, SKU: s, Delta: d, Reason: ReasonAdjustment}}})
		if ok := m.onHand+d >= 0; ok != (err == nil) {
			t.Fatalf("adjust %d on %+v: err %v", d, *m, err)
		} else if ok {
			m.onHand += d
		}
		return fmt.Sprintf("adjust %d", d)
	case 2: // a reservation, only from free stock after safety stock
		q := int64(1 + rng.IntN(5))
		ok := a.txReserve(t, l, s, q)
		if want := m.onHand-m.reserved-m.safety >= q; ok != want {
			t.Fatalf("reserve %d on %+v: got %v, want %v", q, *m, ok, want)
		}
		if ok {
			m.reserved += q
		}
		return fmt.Sprintf("reserve %d", q)
	default: // a release, refused beyond what is reserved
		q := int64(1 + rng.IntN(5))
		err := a.txRelease(t, l, s, q)
		if ok := m.reserved >= q; ok != (err == nil) {
			t.Fatalf("release %d on %+v: err %v", q, *m, err)
		} else if ok {
			m.reserved -= q
		}
		return fmt.Sprintf("release %d", q)
	}
}

// TestConcurrentAdjustmentsLoseNothing: many goroutines adjusting one level at
// once; every accepted adjustment is counted exactly once.
func TestConcurrentAdjustmentsLoseNothing(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	mustLocation(t, a, "L1")
	mustSKU(t, a, "S1")
	if _, err := a.CountStock(ctx, System, "L1", "S1", CountInput{OnHand: ptr(int64(1000))}); err != nil {
		t.Fatal(err)
	}
	const workers, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				d := int64(1 + (w+i)%3)
				if w%2 == 1 {
					d = -d
				}
				_, err := a.AdjustStock(ctx, System, Adjustments{Adjustments: []Adjustment{{Location: "L1", SKU: "S1", Delta: d, Reason: ReasonAdjustment}}})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("adjustment failed: %v", err)
		}
	}
	want := int64(1000)
	for w := range workers {
		for i := range each {
			d := int64(1 + (w+i)%3)
			if w%2 == 1 {
				d = -d
			}
			want += d
		}
	}
	if lvl := a.mustLevel(t, "L1", "S1"); lvl.OnHand != want {
		t.Fatalf("on_hand = %d after concurrent adjustments, want %d", lvl.OnHand, want)
	}
	a.checkLedger(t, "L1", "S1")
}

// TestConcurrentReservationsNeverOversell: goroutines racing to reserve the
// last units get exactly what exists.
func TestConcurrentReservationsNeverOversell(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	mustLocation(t, a, "L1")
	mustSKU(t, a, "S1")
	if _, err := a.CountStock(ctx, System, "L1", "S1", CountInput{OnHand: ptr(int64(50)), SafetyStock: ptr(int64(5))}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := 0
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if a.txReserve(t, "L1", "S1", 1) {
					mu.Lock()
					got++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if got != 45 {
		t.Fatalf("%d reservations succeeded, want 45 (50 on hand less 5 safety stock)", got)
	}
	if lvl := a.mustLevel(t, "L1", "S1"); lvl.Reserved != 45 || lvl.Available != 0 {
		t.Fatalf("level %+v, want 45 reserved and nothing available", lvl)
	}
	a.checkLedger(t, "L1", "S1")
}

func TestCountBelowReservedMarksShort(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	mustLocation(t, a, "L1")
	mustSKU(t, a, "S1")
	if _, err := a.CountStock(ctx, System, "L1", "S1", CountInput{OnHand: ptr(int64(10))}); err != nil {
		t.Fatal(err)
	}
	if !a.txReserve(t, "L1", "S1", 8) {
		t.Fatal("reserve 8 of 10 failed")
	}
	lvl, err := a.CountStock(ctx, System, "L1", "S1", CountInput{OnHand: ptr(int64(3)), Note: "shelf count"})
	if err != nil {
		t.Fatalf("a count below the reserved quantity must be kept: %v", err)
	}
	if lvl.OnHand != 3 || lvl.Reserved != 8 || !lvl.Short || lvl.Available != 0 {
		t.Fatalf("level %+v, want 3 on hand, 8 reserved, short, nothing available", lvl)
	}
	page, err := a.StockAtLocation(ctx, "L1", LocationStockQuery{Filter: FilterShort})
	if err != nil || len(page.Levels) != 1 || page.Levels[0].SKU != "S1" {
		t.Fatalf("short filter: %+v %v", page.Levels, err)
	}
}

func TestAdjustmentBatchIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	mustLocation(t, a, "L1")
	mustSKU(t, a, "S1")
	mustSKU(t, a, "S2")
	_, err := a.AdjustStock(ctx, System, Adjustments{Adjustments: []Adjustment{
		{Location: "L1", SKU: "S1", Delta: 5, Reason: ReasonReceipt},
		{Location: "L1", SKU: "S2", Delta: -1, Reason: ReasonAdjustment},
		{Location: "NOPE", SKU: "S9", Delta: 1, Reason: ReasonReceipt},
	}})
	ae, ok := AsError(err)
	if !ok || ae.Kind != KindInvalid {
		t.Fatalf("err = %v, want invalid", err)
	}
	for field, says := range map[string]string{
		"adjustments[1].delta":    "below zero",
		"adjustments[2].location": `unknown location "NOPE"`,
		"adjustments[2].sku":      `unknown SKU "S9"`,
	} {
		if msg := ae.Fields[field]; !strings.Contains(msg, says) {
			t.Errorf("field %s = %q, want it to say %q", field, msg, says)
		}
	}
	page, err := a.ListStock(ctx, StockQuery{Location: "L1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range page.Levels {
		if l.OnHand != 0 {
			t.Fatalf("a refused batch changed %s: %+v", l.SKU, l)
		}
	}
}

func TestAvailabilityToPromise(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	mustChannel(t, a, "web", 2)
	mustChannel(t, a, "other", 0)
	mustLocation(t, a, "A", "web")
	mustLocation(t, a, "B", "web")
	mustLocation(t, a, "C", "other") // does not serve web
	mustSKU(t, a, "S1")
	mustSKU(t, a, "S2")
	count := func(l, s string, onHand, safety int64) {
		t.Helper()
		if _, err := a.CountStock(ctx, System, l, s, CountInput{OnHand: &onHand, SafetyStock: &safety}); err != nil {
			t.Fatal(err)
		}
	}
	count("A", "S1", 10, 1) // 9 available
	count("B", "S1", 4, 0)  // 4 available, 3 of them reserved below
	count("C", "S1", 100, 0)
	count("A", "S2", 1, 0) // 1 available, less a buffer of 2: 0
	if !a.txReserve(t, "B", "S1", 3) {
		t.Fatal("reserve failed")
	}
	got, err := a.Availability(ctx, "web", []string{"S1", "S2"})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Available != 9+1-2 || got[1].Available != 0 {
		t.Fatalf("ATP = %+v, want S1 8 and S2 0", got)
	}
	// A location that stops shipping no longer counts.
	loc, _ := a.Location(ctx, "A")
	no := false
	in := LocationInput{Name: loc.Name, Kind: loc.Kind, Address: loc.Address, Timezone: loc.Timezone, Ships: &no, Pickup: &no, Channels: loc.Channels}
	if _, _, err := a.PutLocation(ctx, System, "A", in); err != nil {
		t.Fatal(err)
	}
	got, _ = a.Availability(ctx, "web", []string{"S1"})
	if got[0].Available != 0 {
		t.Fatalf("ATP = %d after A stopped shipping, want max(0, 1-2) = 0", got[0].Available)
	}
	if _, err := a.Availability(ctx, "web", []string{"S1", "NOPE"}); !strings.Contains(fmt.Sprint(err), `unknown SKU "NOPE"`) {
		t.Fatalf("unknown SKU: %v", err)
	}
	if _, err := a.Availability(ctx, "nope", []string{"S1"}); !strings.Contains(fmt.Sprint(err), `unknown channel "nope"`) {
		t.Fatalf("unknown channel: %v", err)
	}
}

// mustLevel reads one level through the API listing.
func (a *App) mustLevel(t testing.TB, l, s string) StockLevel {
	t.Helper()
	page, err := a.ListStock(context.Background(), StockQuery{Location: l, SKU: s})
	if err != nil || len(page.Levels) != 1 {
		t.Fatalf("level %s/%s: %+v %v", l, s, page.Levels, err)
	}
	return page.Levels[0]
}

// checkLedger fails unless the level equals the sums of its ledger rows and is not negative.
func (a *App) checkLedger(t testing.TB, l, s string) {
	t.Helper()
	ctx := context.Background()
	lvl := a.mustLevel(t, l, s)
	var sums struct{ onHand, reserved int64 }
	err := a.Write(ctx, func(tx Tx) error {
		key, err := ResolveLevel(ctx, tx, l, s, "l", "s")
		if err != nil {
			return err
		}
		r, err := tx.Q.LedgerSums(ctx, store.LedgerSumsParams{SkuID: key.SKU, LocationID: key.Location})
		sums.onHand, sums.reserved = r.OnHand, r.Reserved
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if lvl.OnHand != sums.onHand || lvl.Reserved != sums.reserved || lvl.OnHand < 0 || lvl.Reserved < 0 {
		t.Fatalf("%s/%s: level %d on hand, %d reserved; ledger sums %d, %d", l, s, lvl.OnHand, lvl.Reserved, sums.onHand, sums.reserved)
	}
	a.checkLedgerPages(t, l, s, sums.onHand, sums.reserved)
}

// checkLedgerPages reads the ledger of l/s three rows a page, as the ledger
// page does, and checks that the pages go newest first and add up to the sums
// of every ledger row of the level: its chain misses none and takes no other.
func (a *App) checkLedgerPages(t testing.TB, l, s string, onHand, reserved int64) {
	t.Helper()
	var got struct{ onHand, reserved int64 }
	before, last := int64(0), int64(1<<63-1)
	for {
		page, err := a.Ledger(context.Background(), l, s, before, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			if e.ID >= last {
				t.Fatalf("%s/%s: ledger row %d after row %d: not newest first", l, s, e.ID, last)
			}
			last = e.ID
			got.onHand += e.DeltaOnHand
			got.reserved += e.DeltaReserved
		}
		if page.Next == 0 {
			break
		}
		before = page.Next
	}
	if got.onHand != onHand || got.reserved != reserved {
		t.Fatalf("%s/%s: the ledger pages add up to %d on hand, %d reserved; the ledger to %d, %d", l, s, got.onHand, got.reserved, onHand, reserved)
	}
}

// txReserve reserves qty in its own transaction and reports whether it could.
func (a *App) txReserve(t testing.TB, l, s string, qty int64) bool {
	t.Helper()
	ctx := context.Background()
	var ok bool
	err := a.Write(ctx, func(tx Tx) error {
		key, err := ResolveLevel(ctx, tx, l, s, "l", "s")
		if err != nil {
			return err
		}
		ok, err = reserve(ctx, tx, key, qty, true, "test", "test")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// txRelease releases qty in its own transaction.
func (a *App) txRelease(t testing.TB, l, s string, qty int64) error {
	t.Helper()
	ctx := context.Background()
	return a.Write(ctx, func(tx Tx) error {
		key, err := ResolveLevel(ctx, tx, l, s, "l", "s")
		if err != nil {
			return err
		}
		return release(ctx, tx, key, qty, "test", "test")
	})
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// TestStockOverviewFilterLooksAtAWindow: a filtered stock page looks at a
// window of SKUs at most; when the window holds fewer matches than a page,
// Next goes on after the window, and walking the pages finds every match once.
func TestStockOverviewFilterLooksAtAWindow(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	mustLocation(t, a, "L1")
	var want []string
	for i := range 10 {
		code := fmt.Sprintf("S%02d", i)
		mustSKU(t, a, code)
		n := int64(5)
		if i%4 == 1 { // S01, S05, S09 have nothing on hand
			n = 0
			want = append(want, code)
		}
		if _, err := a.CountStock(ctx, System, "L1", code, CountInput{OnHand: &n}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	q := StockOverviewQuery{Filter: FilterZero, Limit: 2}
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("the pages never end")
		}
		page, err := a.stockOverview(ctx, System, q, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.SKUs {
			got = append(got, s.SKU)
		}
		if len(page.SKUs) < q.Limit && page.Next != "" && page.SearchedTo != page.Next {
			t.Fatalf("a short page goes on from %q without saying where it looked to (%q)", page.Next, page.SearchedTo)
		}
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("walking the zero filter found %q, want %q", got, want)
	}
}
