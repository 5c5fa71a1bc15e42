package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"switchyard/app/routing"
	store "switchyard/sql"
)

// publishKitSplit publishes one rule ranking closest that splits up to
// maxShipments and lets kits' parts ship from several locations.
func publishKitSplit(t *testing.T, a *App, maxShipments int) {
	t.Helper()
	r := routing.DefaultRule()
	r.Name = "kits"
	r.Split = routing.Split{Allow: true, MaxShipments: maxShipments, KitComponents: true}
	body, err := json.Marshal(routing.RuleSet{Rules: []routing.Rule{r}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = a.Write(ctx, func(tx Tx) error {
		if err := tx.Q.PutDraftRules(ctx, store.PutDraftRulesParams{Rules: string(body), UpdatedBy: "test", UpdatedAt: Millis(tx.Now)}); err != nil {
			return err
		}
		_, err := tx.Q.PublishRules(ctx, store.PublishRulesParams{PublishedBy: "test", PublishedAt: NullInt(Millis(tx.Now))})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// splitNetwork is kitNetwork with mugs at Lyon and trays at Paris only, and
// a rule that splits kits.
func splitNetwork(t *testing.T) *App {
	a := kitNetwork(t)
	count(t, a, "LYS", "MUG", 10)
	count(t, a, "PAR", "TRAY", 5)
	publishKitSplit(t, a, 3)
	return a
}

// fulfillmentAt is the order's latest fulfillment at loc.
func fulfillmentAt(t *testing.T, o Order, loc string) Fulfillment {
	t.Helper()
	for i := len(o.Fulfillments) - 1; i >= 0; i-- {
		if o.Fulfillments[i].Location == loc {
			return o.Fulfillments[i]
		}
	}
	t.Fatalf("no fulfillment at %s: %+v", loc, o.Fulfillments)
	return Fulfillment{}
}

// shipAll ships everything open in a fulfillment.
func shipAll(t *testing.T, a *App, id int64) Order {
	t.Helper()
	r, err := a.Ship(context.Background(), System, id, ShipInput{Carrier: "ups", TrackingNumber: "1Z999AA10123456784"})
	if err != nil {
		t.Fatal(err)
	}
	return r.Order
}

// TestKitSplitOffBackorders: without the rule's kit_components, a kit no
// location has whole waits, as before.
func TestKitSplitOffBackorders(t *testing.T) {
	a := kitNetwork(t)
	count(t, a, "LYS", "MUG", 10)
	count(t, a, "PAR", "TRAY", 5)
	o, _, err := a.PlaceOrder(context.Background(), System, kitOrder("k1", "SET", 2))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Fulfillments) != 0 || o.Lines[0].Backordered != 2 {
		t.Fatalf("status %s %+v %+v", o.Status, o.Fulfillments, o.Lines)
	}
	checkInvariants(t, a)
}

// TestKitSplitShippedFromTwoLocations: the mugs are reserved at Lyon and the
// trays at Paris, the order line counts the kits once, the timeline says
// why, each pick list shows its parts, and the line is shipped when both
// locations have shipped; a return restocks every part.
func TestKitSplitShippedFromTwoLocations(t *testing.T) {
	ctx := context.Background()
	a := splitNetwork(t)
	o, _, err := a.PlaceOrder(ctx, System, kitOrder("k1", "SET", 2))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Fulfillments) != 2 || o.Lines[0].Reserved != 2 || o.Lines[0].Backordered != 0 {
		t.Fatalf("status %s %+v %+v", o.Status, o.Fulfillments, o.Lines)
	}
	lys, par := fulfillmentAt(t, o, "LYS"), fulfillmentAt(t, o, "PAR")
	if p := lys.Lines[0].Parts; len(p) != 1 || p[0].SKU != "MUG" || lys.Lines[0].Quantity != 2 {
		t.Fatalf("Lyon's line %+v", lys.Lines)
	}
	if p := par.Lines[0].Parts; len(p) != 1 || p[0].SKU != "TRAY" || par.Lines[0].Quantity != 2 {
		t.Fatalf("Paris's line %+v", par.Lines)
	}
	want := "2 × Gift set: 4 × Mug from Lyon warehouse and 2 × Tray from Paris warehouse, because no single location had the whole set."
	if !strings.Contains(o.Routing.Explanation, want) {
		t.Fatalf("explanation %q lacks %q", o.Routing.Explanation, want)
	}
	if last := o.Events[len(o.Events)-1]; !strings.Contains(last.Message, want) {
		t.Fatalf("timeline %q", last.Message)
	}
	a.wantLevel(t, "LYS", "MUG", 10, 4)
	a.wantLevel(t, "PAR", "TRAY", 5, 2)
	checkInvariants(t, a)

	o = shipAll(t, a, lys.ID)
	if o.Lines[0].Shipped != 0 || o.Lines[0].Reserved != 2 || o.Status == StatusShipped {
		t.Fatalf("after Lyon: %s %+v", o.Status, o.Lines)
	}
	wantEvent(t, o, "shipped", "Shipped 4 × MUG (part of 2 × SET) from Lyon warehouse")
	a.wantLevel(t, "LYS", "MUG", 6, 0)
	checkInvariants(t, a)
	o = shipAll(t, a, par.ID)
	if o.Lines[0].Shipped != 2 || o.Lines[0].Reserved != 0 || o.Status != StatusShipped {
		t.Fatalf("after Paris: %s %+v", o.Status, o.Lines)
	}
	a.wantLevel(t, "PAR", "TRAY", 3, 0)
	checkInvariants(t, a)

	lys2, err := a.Location(ctx, "LYS")
	if err != nil {
		t.Fatal(err)
	}
	err = a.Write(ctx, func(tx Tx) error {
		return RestockReturnLine(ctx, tx, o.Lines[0].ID, LevelKey{SKU: 0, Location: lys2.ID}, 1, o.Number, "test")
	})
	if err != nil {
		t.Fatal(err)
	}
	a.wantLevel(t, "LYS", "MUG", 8, 0)
	a.wantLevel(t, "LYS", "TRAY", 1, 0)
	checkInvariants(t, a)
}

// TestKitSplitRejectedBeforeShipping: a location rejecting its parts before
// the other shipped gives back both, and the kits route again (here split
// between Lyon and Berlin, Paris excluded).
func TestKitSplitRejectedBeforeShipping(t *testing.T) {
	ctx := context.Background()
	a := splitNetwork(t)
	count(t, a, "BER", "TRAY", 5)
	o, _, err := a.PlaceOrder(ctx, System, kitOrder("k1", "SET", 2))
	if err != nil {
		t.Fatal(err)
	}
	lys, par := fulfillmentAt(t, o, "LYS"), fulfillmentAt(t, o, "PAR")
	o, err = a.RejectFulfillment(ctx, System, par.ID, RejectInput{Reason: "damaged"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range o.Fulfillments {
		switch f.ID {
		case lys.ID:
			if f.Status != FulfillmentCancelled || f.Lines[0].Released != 2 {
				t.Fatalf("Lyon's sibling %+v", f)
			}
		case par.ID:
			if f.Status != FulfillmentRejected {
				t.Fatalf("Paris %+v", f)
			}
		}
	}
	wantEvent(t, o, "kit_split_released", "2 × Gift set: the parts reserved at Lyon warehouse were given back too, so that the set is routed again whole.")
	ber := fulfillmentAt(t, o, "BER")
	if ber.Lines[0].Parts[0].SKU != "TRAY" || o.Lines[0].Reserved != 2 || fulfillmentAt(t, o, "LYS").ID == lys.ID {
		t.Fatalf("rerouted %+v %+v", o.Fulfillments, o.Lines)
	}
	a.wantLevel(t, "LYS", "MUG", 10, 4)
	a.wantLevel(t, "PAR", "TRAY", 5, 0)
	a.wantLevel(t, "BER", "TRAY", 5, 2)
	checkInvariants(t, a)
	o = shipAll(t, a, fulfillmentAt(t, o, "LYS").ID)
	o = shipAll(t, a, ber.ID)
	if o.Status != StatusShipped || o.Lines[0].Shipped != 2 {
		t.Fatalf("%s %+v", o.Status, o.Lines)
	}
	checkInvariants(t, a)
}

// TestKitSplitRejectedAfterOtherShipped: once the mugs left Lyon, Paris
// rejecting the trays gives them back and holds the order for a person,
// saying why; the set is never routed again whole (its mugs would ship
// twice), held or not, and a person cancels what is left of it.
func TestKitSplitRejectedAfterOtherShipped(t *testing.T) {
	ctx := context.Background()
	a := splitNetwork(t)
	o, _, err := a.PlaceOrder(ctx, System, kitOrder("k1", "SET", 1))
	if err != nil {
		t.Fatal(err)
	}
	shipAll(t, a, fulfillmentAt(t, o, "LYS").ID)
	o, err = a.RejectFulfillment(ctx, System, fulfillmentAt(t, o, "PAR").ID, RejectInput{Reason: "damaged"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != StatusOnHold {
		t.Fatalf("status %s held %v; %+v", o.Status, o.OnHold, o.Events)
	}
	wantEvent(t, o, "kit_split_broken", "1 × Gift set: part of the set already left Lyon warehouse")
	a.wantLevel(t, "LYS", "MUG", 8, 0)
	// Berlin gets whole sets: the broken set is still not routed again, held
	// or not (its mugs left: a whole set would send them twice).
	count(t, a, "BER", "MUG", 10)
	count(t, a, "BER", "TRAY", 5)
	o, err = a.Release(ctx, System, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	a.wantLevel(t, "BER", "MUG", 10, 0)
	a.wantLevel(t, "BER", "TRAY", 5, 0)
	if o.Lines[0].Reserved != 0 || o.Lines[0].Shipped != 0 {
		t.Fatalf("the broken set's line after the release: %+v", o.Lines[0])
	}
	for _, f := range o.Fulfillments {
		if f.Status == FulfillmentPending || f.Status == FulfillmentAccepted {
			t.Fatalf("the broken set was routed again: %+v", f)
		}
	}
	// A person cancels what is left of the line: the order is done.
	o, err = a.Cancel(ctx, System, o.Number, CancelInput{Reason: "customer", Lines: []CancelLine{{ID: o.Lines[0].ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if o.Lines[0].Cancelled != 1 {
		t.Fatalf("after cancelling the rest: %s %+v", o.Status, o.Lines[0])
	}
	checkInvariants(t, a)
}

// TestKitSplitCancelled: cancelling the order gives back every location's parts.
func TestKitSplitCancelled(t *testing.T) {
	ctx := context.Background()
	a := splitNetwork(t)
	o, _, err := a.PlaceOrder(ctx, System, kitOrder("k1", "SET", 2))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Cancel(ctx, System, o.Number, CancelInput{Reason: "customer"}); err != nil {
		t.Fatal(err)
	}
	a.wantLevel(t, "LYS", "MUG", 10, 0)
	a.wantLevel(t, "PAR", "TRAY", 5, 0)
	checkInvariants(t, a)
}

// TestKitSplitRace: 16 racers order split kits against parts for 5: no
// part is oversold, each line is reserved or waits whole, and the
// invariants hold.
func TestKitSplitRace(t *testing.T) {
	ctx := context.Background()
	a := splitNetwork(t) // 10 mugs (5 sets) at Lyon, 5 trays at Paris
	var wg sync.WaitGroup
	numbers := make([]string, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, _, err := a.PlaceOrder(ctx, System, kitOrder(fmt.Sprintf("r%d", g), "SET", 1))
			if err != nil {
				t.Error(err)
				return
			}
			numbers[g] = o.Number
		}()
	}
	wg.Wait()
	var reserved int64
	for _, n := range numbers {
		o, err := a.OrderByNumber(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		l := o.Lines[0]
		if l.Reserved+l.Backordered != 1 {
			t.Fatalf("order %s line %+v", n, l)
		}
		reserved += l.Reserved
	}
	if reserved != 5 {
		t.Fatalf("%d sets reserved, want 5", reserved)
	}
	a.wantLevel(t, "LYS", "MUG", 10, 10)
	a.wantLevel(t, "PAR", "TRAY", 5, 5)
	checkInvariants(t, a)
}

// wantEvent fails unless the order's timeline has an entry of kind saying words.
func wantEvent(t *testing.T, o Order, kind, words string) {
	t.Helper()
	for _, e := range o.Events {
		if e.Kind == kind && strings.Contains(e.Message, words) {
			return
		}
	}
	var got []string
	for _, e := range o.Events {
		got = append(got, e.Kind+": "+e.Message)
	}
	t.Fatalf("no %s entry saying %q in\n%s", kind, words, strings.Join(got, "\n"))
}
