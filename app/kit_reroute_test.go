package app

import (
	"context"
	"strings"
	"testing"
)

// TestKitMovedAndRejectedWithCounts: moving a kit order gives its parts back
// where it was and reserves them where it goes; a move where a part is
// missing is refused and moves nothing. A rejection for lack of stock counts
// the kit's parts (the kit itself has no shelf): counting the kit, or a SKU
// it is not made of, is refused naming the field.
func TestKitMovedAndRejectedWithCounts(t *testing.T) {
	ctx := context.Background()
	a := kitNetwork(t)
	for _, l := range []string{"LYS", "PAR"} {
		count(t, a, l, "MUG", 6)
		count(t, a, l, "TRAY", 3)
	}
	count(t, a, "BER", "MUG", 6) // Berlin has no tray
	o, _, err := a.PlaceOrder(ctx, System, kitOrder("k1", "SET", 2))
	if err != nil || o.Fulfillments[0].Location != "LYS" {
		t.Fatalf("%v %+v", err, o.Fulfillments)
	}
	if _, err := a.MoveTo(ctx, System, o.Number, "BER"); ErrorKind(err) != KindConflict {
		t.Fatalf("a move to Berlin, without trays: %v", err)
	}
	a.wantLevel(t, "LYS", "MUG", 6, 4)
	a.wantLevel(t, "BER", "MUG", 6, 0)
	o, err = a.MoveTo(ctx, System, o.Number, "PAR")
	if err != nil {
		t.Fatal(err)
	}
	a.wantLevel(t, "LYS", "MUG", 6, 0)
	a.wantLevel(t, "LYS", "TRAY", 3, 0)
	a.wantLevel(t, "PAR", "MUG", 6, 4)
	a.wantLevel(t, "PAR", "TRAY", 3, 2)
	if !strings.Contains(o.Routing.Explanation, "2 × Gift set: 4 × Mug and 2 × Tray from Paris warehouse.") {
		t.Fatalf("explanation %q", o.Routing.Explanation)
	}
	checkInvariants(t, a)

	fid := o.Fulfillments[len(o.Fulfillments)-1].ID
	one := int64(1)
	reject := func(in RejectInput) error {
		_, err := a.RejectFulfillment(ctx, System, fid, in)
		return err
	}
	for field, in := range map[string]RejectInput{
		"counted_on_hand": {Reason: "out_of_stock", CountedOnHand: &one},              // two parts: counts per SKU
		"counts[0]":       {Reason: "out_of_stock", Counts: []CountedSKU{{"SET", 0}}}, // the kit has no shelf
		"counts[1]":       {Reason: "out_of_stock", Counts: []CountedSKU{{"TRAY", 0}, {"TEE", 0}}},
	} {
		if e, ok := AsError(reject(in)); !ok || e.Kind != KindInvalid || e.Fields[field] == "" {
			t.Fatalf("%s: %+v", field, e)
		}
	}
	a.wantLevel(t, "PAR", "TRAY", 3, 2)
	o, err = a.RejectFulfillment(ctx, System, fid, RejectInput{Reason: "out_of_stock", Counts: []CountedSKU{{"TRAY", 1}}})
	if err != nil {
		t.Fatal(err)
	}
	a.wantLevel(t, "PAR", "TRAY", 1, 0)
	a.wantLevel(t, "PAR", "MUG", 6, 0)
	if last := o.Fulfillments[len(o.Fulfillments)-1]; last.Location != "LYS" || o.Status != StatusRouted {
		t.Fatalf("after the rejection: %s %+v", o.Status, o.Fulfillments)
	}
	a.wantLevel(t, "LYS", "MUG", 6, 4)
	checkInvariants(t, a)
}
