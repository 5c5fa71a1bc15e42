package routing

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// TestKitStock: a kit's stock is the fewest whole kits its parts allow, for
// either reading of safety stock, and none when a part is inactive or absent.
func TestKitStock(t *testing.T) {
	parts := []KitPart{{SKU: "MUG", Quantity: 2, Active: true}, {SKU: "TRAY", Quantity: 1, Active: true}}
	stock := map[string]Stock{"MUG": {OnHand: 9, Reserved: 2, Safety: 2}, "TRAY": {OnHand: 5, Reserved: 1, Safety: 3}}
	s := KitStock(parts, stock)
	if s.Available(false) != 3 || s.Available(true) != 1 {
		t.Fatalf("kit stock %+v: %d without safety (want 3), %d with (want 1)", s, s.Available(false), s.Available(true))
	}
	off := []KitPart{parts[0], {SKU: "TRAY", Quantity: 1}}
	if s := KitStock(off, stock); s.Available(false) != 0 {
		t.Fatalf("an inactive part leaves %+v", s)
	}
	if s := KitStock(parts, map[string]Stock{"MUG": {OnHand: 9}}); s.Available(false) != 0 {
		t.Fatalf("a part without stock leaves %+v", s)
	}
	if s := KitStock(nil, stock); s.Available(false) != 0 {
		t.Fatalf("a kit without parts has %+v", s)
	}
	if s := KitStock(parts, map[string]Stock{"MUG": {OnHand: 1, Reserved: 5}, "TRAY": {OnHand: 3}}); s.Available(true) != 0 || s.Safety < 0 {
		t.Fatalf("an oversold part: %+v", s)
	}
}

// TestAllotKitStock: lines sharing a part never see it twice.
func TestAllotKitStock(t *testing.T) {
	set := []KitPart{{SKU: "MUG", Quantity: 2, Active: true}, {SKU: "TRAY", Quantity: 1, Active: true}}
	box := []KitPart{{SKU: "MUG", Quantity: 1, Active: true}, {SKU: "SPOON", Quantity: 2, Active: true}}
	stock := map[string]Stock{"MUG": {OnHand: 10}, "TRAY": {OnHand: 10}, "SPOON": {OnHand: 10}}
	AllotKitStock([]KitOrderLine{{SKU: "SET", Quantity: 3, Parts: set}, {SKU: "MUG", Quantity: 6}, {SKU: "BOX", Quantity: 5, Parts: box}}, stock)
	// The plain mugs come first (6), the sets see 4 mugs (2 sets), the boxes none.
	if got := stock["SET"].Available(false); got != 2 {
		t.Fatalf("sets %d, want 2", got)
	}
	if got := stock["BOX"].Available(false); got != 0 {
		t.Fatalf("boxes %d, want 0", got)
	}
	if stock["MUG"].Available(false) != 10 {
		t.Fatalf("the mugs keep their own stock: %+v", stock["MUG"])
	}
}

// TestDecideRoutesKitsWhole: with derived stock, a kit goes where all its parts are.
func TestDecideRoutesKitsWhole(t *testing.T) {
	set := []KitPart{{SKU: "MUG", Quantity: 2, Active: true}, {SKU: "TRAY", Quantity: 1, Active: true}}
	near := loc("LYS", "Lyon", lyon, "FR", map[string]int64{"MUG": 10})
	far := loc("PAR", "Paris", paris, "FR", map[string]int64{"MUG": 4, "TRAY": 2})
	in := Input{Order: order("SET", 2), Candidates: []Candidate{near, far}, Rules: ruleSet(rule("closest", RankerClosest)), Now: wednesday10}
	for i := range in.Candidates {
		AllotKitStock([]KitOrderLine{{SKU: "SET", Quantity: 2, Parts: set}}, in.Candidates[i].Stock)
	}
	d := Decide(in)
	if len(d.Shipments) != 1 || d.Shipments[0].Location != "PAR" || len(d.Backorders) != 0 {
		t.Fatalf("decision %s", dump(d))
	}
}

// kitBenchInput is benchInput's network of n locations with an order of
// lines kits of 3 parts each (the parts drawn from the catalogue).
func kitBenchInput(lines, n int) (Input, []KitOrderLine) {
	in := benchInput(lines*3, n)
	var want []KitOrderLine
	for k := range lines {
		w := KitOrderLine{SKU: fmt.Sprintf("KIT-%d", k), Quantity: int64(1 + k%2)}
		for j := range 3 {
			w.Parts = append(w.Parts, KitPart{SKU: in.Order.Lines[k*3+j].SKU, Quantity: int64(1 + j%2), Active: true})
		}
		want = append(want, w)
	}
	in.Order.Lines = in.Order.Lines[:0]
	for k, w := range want {
		in.Order.Lines = append(in.Order.Lines, Line{ID: int64(k + 1), SKU: w.SKU, Quantity: w.Quantity})
	}
	for i := range in.Candidates { // generous stock, so that kits are found
		for sku, s := range in.Candidates[i].Stock {
			s.OnHand += 6
			in.Candidates[i].Stock[sku] = s
		}
	}
	in.Zones = LoadZones(in.Candidates)
	return in, want
}

// BenchmarkDecide5KitLines20Locations: a decision with 5 kit lines of 3
// parts over 20 locations, deriving the kits' stock from the parts' each time.
func BenchmarkDecide5KitLines20Locations(b *testing.B) {
	in, want := kitBenchInput(5, 20)
	run := func() Decision { // deriving only writes the kits' entries: it may run again on the same maps
		for i := range in.Candidates {
			AllotKitStock(want, in.Candidates[i].Stock)
		}
		return Decide(in)
	}
	d := run()
	b.ReportMetric(float64(len(d.Shipments)), "shipments")
	b.ReportMetric(float64(len(d.Backorders)), "backorders")
	b.ReportAllocs()
	runtime.LockOSThread() // CPU time of the thread: the figure a busy machine does not inflate
	defer runtime.UnlockOSThread()
	var cpu []time.Duration
	for b.Loop() {
		c0, ok := threadCPU()
		run()
		if c1, ok1 := threadCPU(); ok && ok1 {
			cpu = append(cpu, c1-c0)
		}
	}
	reportPercentiles(b, cpu, "cpu")
}

// BenchmarkAllotKitStock5Kits20Locations: deriving alone, for the figure above.
func BenchmarkAllotKitStock5Kits20Locations(b *testing.B) {
	in, want := kitBenchInput(5, 20)
	b.ReportAllocs()
	for b.Loop() {
		for i := range in.Candidates {
			AllotKitStock(want, in.Candidates[i].Stock)
		}
	}
}

// TestAllotKitStockManySKUs: beyond the short list's room, the parts
// promised are still counted (the map it spills into).
func TestAllotKitStockManySKUs(t *testing.T) {
	stock := map[string]Stock{}
	var want []KitOrderLine
	for i := range 20 {
		sku := fmt.Sprintf("P%02d", i)
		stock[sku] = Stock{OnHand: 5}
		want = append(want, KitOrderLine{SKU: sku, Quantity: 4})
	}
	want = append(want, KitOrderLine{SKU: "KIT", Quantity: 1, Parts: []KitPart{{SKU: "P19", Quantity: 1, Active: true}, {SKU: "P00", Quantity: 1, Active: true}}})
	want = append(want, KitOrderLine{SKU: "KIT2", Quantity: 1, Parts: []KitPart{{SKU: "P19", Quantity: 1, Active: true}}})
	AllotKitStock(want, stock)
	if stock["KIT"].Available(false) != 1 || stock["KIT2"].Available(false) != 0 {
		t.Fatalf("kit %+v, kit2 %+v", stock["KIT"], stock["KIT2"])
	}
}
