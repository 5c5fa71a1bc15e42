package floor

import (
	"context"
	"reflect"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
)

// floorKit makes kit code of the components given (each SKU made first).
func floorKit(t *testing.T, a *app.App, code string, comps ...app.Component) {
	t.Helper()
	ctx := context.Background()
	for _, c := range append([]app.Component{{SKU: code}}, comps...) {
		if _, _, err := a.PutSKU(ctx, app.System, c.SKU, app.SKUInput{Name: "The " + c.SKU}); err != nil {
			t.Fatal(err)
		}
	}
	err := a.Write(ctx, func(tx app.Tx) error {
		sku, err := tx.Q.GetSKUByCode(ctx, code)
		if err != nil {
			return err
		}
		return app.SetKitComponentsInTx(ctx, tx, sku.ID, comps)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPickListShowsKitParts: a kit line is picked as its parts: the list by
// SKU has the kit's parts under it, with the units its open kits take over
// all orders; each order's kit line has its parts under it. A held order's
// kits are not counted.
func TestPickListShowsKitParts(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	floorKit(t, a, "SET", app.Component{SKU: "MUG", Quantity: 2}, app.Component{SKU: "TRAY", Quantity: 1})
	apptest.Count(t, a, "LYS", "MUG", 20)
	apptest.Count(t, a, "LYS", "TRAY", 20)
	apptest.Count(t, a, "LYS", "TEE", 20)
	for i, qty := range []int64{1, 3} {
		in := apptest.LyonOrder(string(rune('a'+i)), 1)
		in.Lines = append(in.Lines, app.LineInput{SKU: "SET", Quantity: qty, UnitPrice: "30"})
		o, _, err := a.PlaceOrder(ctx, app.System, in)
		if err != nil || len(o.Fulfillments) != 1 {
			t.Fatalf("%v %+v", err, o.Fulfillments)
		}
		if _, err := a.AcceptFulfillment(ctx, app.System, o.Fulfillments[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	pl, err := svc(a).PickListFor(ctx, app.System, "LYS")
	if err != nil {
		t.Fatal(err)
	}
	want := []PickSKU{
		{SKU: "SET", Quantity: 4, Orders: 2, Parts: []PickPart{{SKU: "MUG", Name: "The MUG", Quantity: 8}, {SKU: "TRAY", Name: "The TRAY", Quantity: 4}}},
		{SKU: "TEE", Quantity: 2, Orders: 2},
	}
	if !reflect.DeepEqual(pl.BySKU, want) {
		t.Fatalf("by SKU %+v\nwant %+v", pl.BySKU, want)
	}
	for _, it := range pl.Orders {
		var kit app.FulfillmentLine
		for _, l := range it.Lines {
			if l.SKU == "SET" {
				kit = l
			}
		}
		if len(kit.Parts) != 2 || kit.Parts[0].Units(kit.Open()) != 2*kit.Open() || kit.Parts[1].Units(kit.Open()) != kit.Open() {
			t.Fatalf("order %s: kit line %+v", it.OrderNumber, kit)
		}
	}
}
