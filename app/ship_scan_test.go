package app

import (
	"context"
	"strings"
	"testing"
)

// scanNetwork is a Lyon warehouse that requires scanning to ship (when
// required is true), with 10 tees (barcode 3700000000017) and 10 mugs, and an
// order of 2 tees and 1 mug routed there.
func scanNetwork(t *testing.T, required bool) (*App, Order) {
	t.Helper()
	ctx := context.Background()
	a := newTestApp(t)
	mustChannel(t, a, "web", 0)
	yes := true
	in := LocationInput{Name: "Lyon warehouse", Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes,
		Address: Address{City: "Lyon", Country: "FR"}, Channels: []string{"web"}, ScanToShip: &required}
	if _, _, err := a.PutLocation(ctx, System, "LYS", in); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.PutSKU(ctx, System, "TEE", SKUInput{Name: "Tee", Barcode: "3700000000017"}); err != nil {
		t.Fatal(err)
	}
	mustSKU(t, a, "MUG")
	count(t, a, "LYS", "TEE", 10)
	count(t, a, "LYS", "MUG", 10)
	order := lyonOrder("1", 2)
	order.Lines = append(order.Lines, LineInput{SKU: "MUG", Quantity: 1, UnitPrice: "5"})
	o, _, err := a.PlaceOrder(ctx, System, order)
	if err != nil || len(o.Fulfillments) != 1 {
		t.Fatalf("place: %+v %v", o.Fulfillments, err)
	}
	return a, o
}

func TestScanToShipIsALocationSetting(t *testing.T) {
	ctx := context.Background()
	a, _ := scanNetwork(t, true)
	l, err := a.Location(ctx, "LYS")
	if err != nil || !l.ScanToShip {
		t.Fatalf("scan_to_ship not stored: %+v %v", l.ScanToShip, err)
	}
	// Absent keeps what is stored.
	yes := true
	if _, _, err := a.PutLocation(ctx, System, "LYS", LocationInput{Name: "Lyon warehouse", Kind: "warehouse", Timezone: "Europe/Paris",
		Ships: &yes, Pickup: &yes, Address: Address{City: "Lyon", Country: "FR"}, Channels: []string{"web"}}); err != nil {
		t.Fatal(err)
	}
	if l, _ := a.Location(ctx, "LYS"); !l.ScanToShip {
		t.Fatal("a location put without scan_to_ship forgot it")
	}
	mustLocation(t, a, "PAR", "web")
	if l, _ := a.Location(ctx, "PAR"); l.ScanToShip {
		t.Fatal("a new location requires scanning")
	}
}

func TestShipWithoutScansAtAScanLocationIsRefused(t *testing.T) {
	ctx := context.Background()
	a, o := scanNetwork(t, true)
	fid := o.Fulfillments[0].ID
	base := ShipInput{Carrier: "other", TrackingNumber: "X1"}
	cases := []struct {
		name    string
		lines   []ShipLine
		scans   []string
		problem string
	}{
		{"no scans", nil, nil, "2 × TEE to ship, 0 scanned"},
		{"one short", nil, []string{"TEE", "3700000000017"}, "1 × MUG to ship, 0 scanned"},
		{"one too many", nil, []string{"tee", "TEE", "TEE", "MUG"}, "2 × TEE to ship, 3 scanned"},
		{"a wrong item", nil, []string{"TEE", "TEE", "MUG", "CAP-RED"}, `"CAP-RED" is not an item of this shipment`},
		{"scans of a partial shipment that do not match", []ShipLine{{SKU: "TEE", Quantity: 1}}, []string{"TEE", "TEE"}, "1 × TEE to ship, 2 scanned"},
	}
	for _, tc := range cases {
		in := base
		in.Lines, in.Scans = tc.lines, tc.scans
		_, err := a.Ship(ctx, System, fid, in)
		e, ok := err.(*Error)
		if !ok || e.Kind != KindInvalid || !strings.Contains(e.Fields["scans"], tc.problem) {
			t.Fatalf("%s: want scans refused with %q, got %v", tc.name, tc.problem, err)
		}
	}
	got, err := a.OrderByNumber(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Shipments) != 0 || got.Fulfillments[0].Lines[0].Shipped != 0 {
		t.Fatalf("a refused shipment was written: %+v", got.Shipments)
	}
	lvl := a.mustLevel(t, "LYS", "TEE")
	if lvl.OnHand != 10 || lvl.Reserved != 2 {
		t.Fatalf("tees moved: %+v", lvl)
	}
}

func TestShipWithMatchingScansIsAccepted(t *testing.T) {
	ctx := context.Background()
	a, o := scanNetwork(t, true)
	fid := o.Fulfillments[0].ID
	// A partial shipment: 1 tee scanned by its barcode, with spaces.
	_, err := a.Ship(ctx, System, fid, ShipInput{Carrier: "other", TrackingNumber: "X1",
		Lines: []ShipLine{{SKU: "TEE", Quantity: 1}}, Scans: []string{" 3700000000017 "}})
	if err != nil {
		t.Fatalf("partial shipment with its scan: %v", err)
	}
	// The rest, the tee by its code in lower case.
	res, err := a.Ship(ctx, System, fid, ShipInput{Carrier: "other", TrackingNumber: "X2", Scans: []string{"mug", "tee"}})
	if err != nil {
		t.Fatalf("the rest with its scans: %v", err)
	}
	if res.Order.Status != StatusShipped || len(res.Order.Shipments) != 2 {
		t.Fatalf("after both: %s, %d shipments", res.Order.Status, len(res.Order.Shipments))
	}
}

func TestShipWhereScanningIsNotRequiredIgnoresScans(t *testing.T) {
	a, o := scanNetwork(t, false)
	if _, err := a.Ship(context.Background(), System, o.Fulfillments[0].ID, ShipInput{Carrier: "other", TrackingNumber: "X1"}); err != nil {
		t.Fatalf("shipping without scans where they are optional: %v", err)
	}
}

// TestAScanThatReadsAsTwoItemsCountsAsNeither: when the mug carries the
// tee's barcode, scanning it could be either: it is refused, saying so, and
// the items are scanned by their SKU codes instead.
func TestAScanThatReadsAsTwoItemsCountsAsNeither(t *testing.T) {
	ctx := context.Background()
	a, o := scanNetwork(t, true)
	if _, _, err := a.PutSKU(ctx, System, "MUG", SKUInput{Name: "Mug", Barcode: "3700000000017"}); err != nil {
		t.Fatal(err)
	}
	fid := o.Fulfillments[0].ID
	_, err := a.Ship(ctx, System, fid, ShipInput{Carrier: "other", TrackingNumber: "X1",
		Scans: []string{"3700000000017", "3700000000017", "3700000000017"}})
	if err == nil || !strings.Contains(err.Error(), "barcode or code of several items") {
		t.Fatalf("a shared barcode was counted: %v", err)
	}
	long := strings.Repeat("Z", 5000)
	if _, err := a.Ship(ctx, System, fid, ShipInput{Carrier: "other", TrackingNumber: "X1", Scans: []string{long}}); err == nil ||
		len(err.Error()) > 400 {
		t.Fatalf("a long unknown scan: the refusal is %d bytes", len(err.Error()))
	}
	if _, err := a.Ship(ctx, System, fid, ShipInput{Carrier: "other", TrackingNumber: "X1", Scans: []string{"tee", "TEE", "mug"}}); err != nil {
		t.Fatalf("scanned by their codes: %v", err)
	}
}
