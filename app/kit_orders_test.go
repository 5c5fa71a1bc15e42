package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// kitNetwork is routeNetwork with a gift set SET made of 2 MUG and 1 TRAY.
func kitNetwork(t testing.TB) *App {
	t.Helper()
	a := routeNetwork(t)
	for _, s := range []struct{ code, name string }{{"MUG", "Mug"}, {"TRAY", "Tray"}, {"SET", "Gift set"}} {
		if _, _, err := a.PutSKU(context.Background(), System, s.code, SKUInput{Name: s.name, Barcode: "B-" + s.code}); err != nil {
			t.Fatal(err)
		}
	}
	if err := setKit(t.(*testing.T), a, "SET", Component{"MUG", 2}, Component{"TRAY", 1}); err != nil {
		t.Fatal(err)
	}
	return a
}

// kitOrder is an order shipped to Lyon of the lines given as SKU, quantity pairs.
func kitOrder(ext string, lines ...any) NewOrder {
	o := lyonOrder(ext, 1)
	o.Lines = nil
	for i := 0; i < len(lines); i += 2 {
		o.Lines = append(o.Lines, LineInput{SKU: lines[i].(string), Quantity: int64(lines[i+1].(int)), UnitPrice: "10"})
	}
	return o
}

// wantLevel fails unless the level holds onHand and reserved.
func (a *App) wantLevel(t *testing.T, loc, sku string, onHand, reserved int64) {
	t.Helper()
	if l := a.mustLevel(t, loc, sku); l.OnHand != onHand || l.Reserved != reserved {
		t.Fatalf("%s at %s: %d on hand, %d reserved; want %d, %d", sku, loc, l.OnHand, l.Reserved, onHand, reserved)
	}
}

// TestKitRoutedReservedAndShippedAsParts: a kit line is routed to the one
// location with all its parts, reserves the parts, says so, and shipping
// (whole kits, in two parcels) takes the parts off the shelf.
func TestKitRoutedReservedAndShippedAsParts(t *testing.T) {
	ctx := context.Background()
	a := kitNetwork(t)
	count(t, a, "LYS", "MUG", 10) // Lyon has mugs but no tray
	count(t, a, "PAR", "MUG", 5)
	count(t, a, "PAR", "TRAY", 2)
	o, _, err := a.PlaceOrder(ctx, System, kitOrder("k1", "SET", 2))
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != StatusRouted || len(o.Fulfillments) != 1 || o.Fulfillments[0].Location != "PAR" {
		t.Fatalf("status %s, fulfillments %+v", o.Status, o.Fulfillments)
	}
	if fl := o.Fulfillments[0].Lines[0]; fl.SKU != "SET" || fl.Quantity != 2 {
		t.Fatalf("the fulfillment line keeps the kit: %+v", fl)
	}
	want := "2 × Gift set: 4 × Mug and 2 × Tray from Paris warehouse."
	if !strings.Contains(o.Routing.Explanation, want) {
		t.Fatalf("explanation %q lacks %q", o.Routing.Explanation, want)
	}
	if last := o.Events[len(o.Events)-1]; !strings.Contains(last.Message, want) {
		t.Fatalf("timeline %q", last.Message)
	}
	a.wantLevel(t, "PAR", "MUG", 5, 4)
	a.wantLevel(t, "PAR", "TRAY", 2, 2)
	a.wantLevel(t, "LYS", "MUG", 10, 0)
	checkInvariants(t, a)

	fid := o.Fulfillments[0].ID
	if _, err := a.Ship(ctx, System, fid, ShipInput{Carrier: "ups", TrackingNumber: "1Z999AA10123456784", Lines: []ShipLine{{SKU: "SET", Quantity: 3}}}); ErrorKind(err) != KindInvalid {
		t.Fatalf("shipping more kits than ordered: %v", err)
	}
	r, err := a.Ship(ctx, System, fid, ShipInput{Carrier: "ups", TrackingNumber: "1Z999AA10123456784", Lines: []ShipLine{{SKU: "SET", Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	a.wantLevel(t, "PAR", "MUG", 3, 2)
	a.wantLevel(t, "PAR", "TRAY", 1, 1)
	checkInvariants(t, a)
	if r.Order.Fulfillments[0].Status != FulfillmentAccepted {
		t.Fatalf("one kit of two shipped: %+v", r.Order.Fulfillments[0])
	}
	if _, err := a.Ship(ctx, System, fid, ShipInput{Carrier: "ups", TrackingNumber: "1Z999AA10123456784"}); err != nil {
		t.Fatal(err)
	}
	a.wantLevel(t, "PAR", "MUG", 1, 0)
	a.wantLevel(t, "PAR", "TRAY", 0, 0)
	checkInvariants(t, a)
}

// TestKitRejectAndCancelReleaseParts: a rejection gives the parts back and
// routes the kit elsewhere; a cancellation gives them back there.
func TestKitRejectAndCancelReleaseParts(t *testing.T) {
	ctx := context.Background()
	a := kitNetwork(t)
	for _, l := range []string{"LYS", "PAR"} {
		count(t, a, l, "MUG", 4)
		count(t, a, l, "TRAY", 4)
	}
	o, _, err := a.PlaceOrder(ctx, System, kitOrder("k1", "SET", 1, "TEE", 0))
	if err == nil {
		t.Fatalf("a line of 0 is refused, got %s", o.Number)
	}
	o, _, err = a.PlaceOrder(ctx, System, kitOrder("k2", "SET", 2))
	if err != nil || o.Fulfillments[0].Location != "LYS" {
		t.Fatalf("%v %+v", err, o.Fulfillments)
	}
	a.wantLevel(t, "LYS", "MUG", 4, 4)
	o, err = a.RejectFulfillment(ctx, System, o.Fulfillments[0].ID, RejectInput{Reason: "damaged"})
	if err != nil {
		t.Fatal(err)
	}
	if last := o.Fulfillments[len(o.Fulfillments)-1]; last.Location != "PAR" || o.Status != StatusRouted {
		t.Fatalf("after the rejection %s %+v", o.Status, o.Fulfillments)
	}
	a.wantLevel(t, "LYS", "MUG", 4, 0)
	a.wantLevel(t, "LYS", "TRAY", 4, 0)
	a.wantLevel(t, "PAR", "MUG", 4, 4)
	a.wantLevel(t, "PAR", "TRAY", 4, 2)
	checkInvariants(t, a)
	// The kit changes after the order: cancelling gives back what was reserved.
	if err := setKit(t, a, "SET", Component{"MUG", 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Cancel(ctx, System, o.Number, CancelInput{Reason: "customer asked"}); err != nil {
		t.Fatal(err)
	}
	a.wantLevel(t, "PAR", "MUG", 4, 0)
	a.wantLevel(t, "PAR", "TRAY", 4, 0)
	checkInvariants(t, a)
}

// TestKitWithInactiveComponentIsBackordered: a kit whose component is made
// inactive is unavailable everywhere: backordered, nothing reserved; it is
// routed when the component is active again and restocked.
func TestKitWithInactiveComponentIsBackordered(t *testing.T) {
	ctx := context.Background()
	a := kitNetwork(t)
	count(t, a, "LYS", "MUG", 10)
	count(t, a, "LYS", "TRAY", 10)
	no := false
	if _, _, err := a.PutSKU(ctx, System, "TRAY", SKUInput{Name: "Tray", Active: &no}); err != nil {
		t.Fatal(err)
	}
	o, _, err := a.PlaceOrder(ctx, System, kitOrder("k1", "SET", 1))
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != StatusBackordered || len(o.Fulfillments) != 0 || o.Lines[0].Backordered != 1 {
		t.Fatalf("status %s, fulfillments %+v, line %+v", o.Status, o.Fulfillments, o.Lines[0])
	}
	a.wantLevel(t, "LYS", "MUG", 10, 0)
	a.wantLevel(t, "LYS", "TRAY", 10, 0)
	yes := true
	if _, _, err := a.PutSKU(ctx, System, "TRAY", SKUInput{Name: "Tray", Active: &yes}); err != nil {
		t.Fatal(err)
	}
	count(t, a, "LYS", "TRAY", 11) // a restock of a component routes the waiting kit
	o, _ = a.OrderByNumber(ctx, o.Number)
	if o.Status != StatusRouted || len(o.Fulfillments) != 1 {
		t.Fatalf("after the restock %s %+v", o.Status, o.Fulfillments)
	}
	a.wantLevel(t, "LYS", "TRAY", 11, 1)
	checkInvariants(t, a)
}

// TestKitAndItsComponentInOneOrder: an order of kits and of their component
// never promises the component twice: what the shelf cannot cover waits.
func TestKitAndItsComponentInOneOrder(t *testing.T) {
	ctx := context.Background()
	a := kitNetwork(t)
	count(t, a, "LYS", "MUG", 10)
	count(t, a, "LYS", "TRAY", 10)
	o, _, err := a.PlaceOrder(ctx, System, kitOrder("k1", "SET", 3, "MUG", 6))
	if err != nil {
		t.Fatal(err)
	}
	l := a.mustLevel(t, "LYS", "MUG")
	if l.Reserved > l.OnHand || l.Reserved < 8 {
		t.Fatalf("mugs at Lyon %+v (order %s %+v)", l, o.Status, o.Lines)
	}
	var reserved, backordered int64
	for _, line := range o.Lines {
		reserved += line.Reserved
		backordered += line.Backordered
	}
	if o.Lines[1].Reserved != 6 || o.Lines[0].Reserved != 2 || o.Lines[0].Backordered != 1 {
		t.Fatalf("lines %+v", o.Lines)
	}
	checkInvariants(t, a)
}

// TestKitReturnRestocksParts: a returned kit puts its parts back on the shelf.
func TestKitReturnRestocksParts(t *testing.T) {
	ctx := context.Background()
	a := kitNetwork(t)
	count(t, a, "LYS", "MUG", 2)
	count(t, a, "LYS", "TRAY", 1)
	o, _, err := a.PlaceOrder(ctx, System, kitOrder("k1", "SET", 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ship(ctx, System, o.Fulfillments[0].ID, ShipInput{Carrier: "ups", TrackingNumber: "1Z999AA10123456784"}); err != nil {
		t.Fatal(err)
	}
	a.wantLevel(t, "LYS", "MUG", 0, 0)
	if err := setKit(t, a, "SET", Component{"TEE", 1}); err != nil { // changed since: the shipped parts come back
		t.Fatal(err)
	}
	err = a.Write(ctx, func(tx Tx) error {
		loc, err := tx.Q.GetLocationByCode(ctx, "LYS")
		if err != nil {
			return err
		}
		line, err := tx.Q.ListOrderLines(ctx, o.ID)
		if err != nil {
			return err
		}
		return RestockReturnLine(ctx, tx, line[0].ID, LevelKey{SKU: line[0].SkuID.Int64, Location: loc.ID}, 1, "R-1", "test")
	})
	if err != nil {
		t.Fatal(err)
	}
	a.wantLevel(t, "LYS", "MUG", 2, 0)
	a.wantLevel(t, "LYS", "TRAY", 1, 0)
	checkInvariants(t, a)
}

// TestKitsUnderConcurrency: racers order kits and their components at once
// over two locations; no level goes negative or oversold, and the reserved
// stock matches the open lines and the ledger.
func TestKitsUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	a := kitNetwork(t)
	mustSKU(t, a, "SPOON")
	if err := setKit(t, a, "BOX", Component{"SET", 1}, Component{"SPOON", 2}); err == nil {
		t.Fatal("BOX does not exist yet")
	}
	mustSKU(t, a, "BOX")
	if err := setKit(t, a, "BOX", Component{"SET", 1}, Component{"SPOON", 2}); err != nil {
		t.Fatal(err)
	}
	count(t, a, "LYS", "MUG", 30)
	count(t, a, "LYS", "TRAY", 12)
	count(t, a, "LYS", "SPOON", 10)
	count(t, a, "PAR", "MUG", 20)
	count(t, a, "PAR", "TRAY", 6)
	count(t, a, "PAR", "SPOON", 20)
	var wg sync.WaitGroup
	for g := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 4 {
				var in NewOrder
				switch (g + i) % 4 {
				case 0:
					in = kitOrder(fmt.Sprintf("g%d-%d", g, i), "SET", 1+(g%2))
				case 1:
					in = kitOrder(fmt.Sprintf("g%d-%d", g, i), "MUG", 3)
				case 2:
					in = kitOrder(fmt.Sprintf("g%d-%d", g, i), "BOX", 1, "MUG", 1)
				default:
					in = kitOrder(fmt.Sprintf("g%d-%d", g, i), "SET", 1, "BOX", 1, "SPOON", 1)
				}
				if _, _, err := a.PlaceOrder(ctx, System, in); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for _, l := range []string{"LYS", "PAR"} {
		for _, s := range []string{"MUG", "TRAY", "SPOON"} {
			if lvl := a.mustLevel(t, l, s); lvl.OnHand < 0 || lvl.Reserved < 0 || lvl.Reserved > lvl.OnHand {
				t.Fatalf("%s at %s: %+v", s, l, lvl)
			}
		}
	}
	if l := a.mustLevel(t, "LYS", "MUG"); l.Reserved == 0 {
		t.Fatalf("nothing was reserved: %+v", l)
	}
	checkInvariants(t, a)
}
