package app

import (
	"context"
	"reflect"
	"testing"
)

// TestKitShipScansParts: at a location that requires scanning, a kit line
// ships when its parts are scanned (by barcode or code), unit by unit; the
// kit's own code, a part short or one too many is refused, naming "scans".
// The order's fulfillment line carries the parts it reserved.
func TestKitShipScansParts(t *testing.T) {
	ctx := context.Background()
	a := kitNetwork(t)
	mustSKU(t, a, "TEE")
	count(t, a, "LYS", "MUG", 4)
	count(t, a, "LYS", "TRAY", 2)
	count(t, a, "LYS", "TEE", 1)
	loc, err := a.Location(ctx, "LYS")
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	in := LocationInput{Name: loc.Name, Kind: loc.Kind, Timezone: loc.Timezone, Ships: &yes, Pickup: &yes, Channels: loc.Channels,
		Address: loc.Address, Lat: &loc.Lat, Lon: &loc.Lon, ScanToShip: &yes}
	if _, _, err := a.PutLocation(ctx, System, "LYS", in); err != nil {
		t.Fatal(err)
	}
	o, _, err := a.PlaceOrder(ctx, System, kitOrder("k1", "SET", 1, "TEE", 1))
	if err != nil || len(o.Fulfillments) != 1 || o.Fulfillments[0].Location != "LYS" {
		t.Fatalf("%v %+v", err, o.Fulfillments)
	}
	fl := o.Fulfillments[0].Lines
	if len(fl) != 2 || len(fl[0].Parts) != 2 || fl[0].Parts[0] != (LinePart{SKU: "MUG", Name: "Mug", PerKit: 2}) || fl[1].Parts != nil {
		t.Fatalf("fulfillment lines %+v", fl)
	}
	if back, _ := a.OrderByNumber(ctx, o.Number); !reflect.DeepEqual(back.Fulfillments[0].Lines, fl) {
		t.Fatalf("read back %+v, placed %+v", back.Fulfillments[0].Lines, fl)
	}
	fid := o.Fulfillments[0].ID
	ship := func(scans ...string) error {
		_, err := a.Ship(ctx, System, fid, ShipInput{Carrier: "ups", TrackingNumber: "1Z999AA10123456784", Scans: scans})
		return err
	}
	for _, bad := range [][]string{
		{"SET", "TEE"},                       // the kit itself is no item
		{"MUG", "TRAY", "TEE"},               // a mug short
		{"MUG", "MUG", "MUG", "TRAY", "TEE"}, // one mug too many
		{"B-MUG", "MUG", "TRAY"},             // the tee not scanned
	} {
		if e, ok := AsError(ship(bad...)); !ok || e.Kind != KindInvalid || e.Fields["scans"] == "" {
			t.Fatalf("scans %v: %+v", bad, e)
		}
	}
	a.wantLevel(t, "LYS", "MUG", 4, 2)
	if err := ship("b-mug", "MUG", "B-TRAY", "tee"); err != nil {
		t.Fatal(err)
	}
	a.wantLevel(t, "LYS", "MUG", 2, 0)
	a.wantLevel(t, "LYS", "TRAY", 1, 0)
	checkInvariants(t, a)
}
