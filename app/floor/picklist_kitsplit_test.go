package floor

import (
	"context"
	"reflect"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/routing"
	"switchyard/app/rules"
)

// TestPickListShowsSplitKitParts: a kit whose parts ship from two locations
// (split.kit_components) is on each location's pick list with the parts
// that location ships, and only those.
func TestPickListShowsSplitKitParts(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	floorKit(t, a, "SET", app.Component{SKU: "MUG", Quantity: 2}, app.Component{SKU: "TRAY", Quantity: 1})
	apptest.Count(t, a, "LYS", "MUG", 20)
	apptest.Count(t, a, "PAR", "TRAY", 20)
	r := routing.DefaultRule()
	r.Name, r.Split.KitComponents = "kits", true
	rs := apptest.Service(a, rules.New)
	if _, err := rs.PutDraftRules(ctx, app.System, routing.RuleSet{Rules: []routing.Rule{r}}); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.PublishRules(ctx, app.System); err != nil {
		t.Fatal(err)
	}
	in := apptest.LyonOrder("k", 1)
	in.Lines = []app.LineInput{{SKU: "SET", Quantity: 3, UnitPrice: "30"}}
	o, _, err := a.PlaceOrder(ctx, app.System, in)
	if err != nil || len(o.Fulfillments) != 2 {
		t.Fatalf("%v %+v", err, o.Fulfillments)
	}
	for _, f := range o.Fulfillments {
		if _, err := a.AcceptFulfillment(ctx, app.System, f.ID); err != nil {
			t.Fatal(err)
		}
	}
	for loc, part := range map[string]PickPart{"LYS": {SKU: "MUG", Name: "The MUG", Quantity: 6}, "PAR": {SKU: "TRAY", Name: "The TRAY", Quantity: 3}} {
		pl, err := svc(a).PickListFor(ctx, app.System, loc)
		if err != nil {
			t.Fatal(err)
		}
		want := []PickSKU{{SKU: "SET", Quantity: 3, Orders: 1, Parts: []PickPart{part}}}
		if !reflect.DeepEqual(pl.BySKU, want) {
			t.Fatalf("%s by SKU %+v\nwant %+v", loc, pl.BySKU, want)
		}
	}
	apptest.CheckInvariants(t, a)
}
