package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	store "switchyard/sql"
)

// routeNetwork: channel web served by three locations in Lyon, Paris and Berlin,
// each with the SKU TEE; other SKUs are added by tests.
func routeNetwork(t testing.TB) *App {
	t.Helper()
	a := newTestApp(t)
	mustChannel(t, a, "web", 0)
	yes := true
	for _, l := range []struct {
		code, city, country string
		lat, lon            float64
	}{{"LYS", "Lyon", "FR", 45.76, 4.83}, {"PAR", "Paris", "FR", 48.86, 2.35}, {"BER", "Berlin", "DE", 52.52, 13.40}} {
		lat, lon := l.lat, l.lon
		if _, _, err := a.PutLocation(context.Background(), System, l.code, LocationInput{
			Name: l.city + " warehouse", Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes,
			Address: Address{City: l.city, Country: l.country}, Lat: &lat, Lon: &lon, Channels: []string{"web"},
		}); err != nil {
			t.Fatal(err)
		}
	}
	mustSKU(t, a, "TEE")
	return a
}

// count sets on hand, failing the test on error.
func count(t testing.TB, a *App, loc, sku string, n int64) {
	t.Helper()
	if _, err := a.CountStock(context.Background(), System, loc, sku, CountInput{OnHand: &n}); err != nil {
		t.Fatal(err)
	}
}

// lyonOrder is an order of qty TEE shipped to Lyon.
func lyonOrder(ext string, qty int64) NewOrder {
	lat, lon := 45.75, 4.85
	return NewOrder{Channel: "web", ExternalID: ext, Currency: "EUR",
		ShippingAddress: &AddressInput{Line1: "1 rue", City: "Lyon", Country: "FR", Lat: &lat, Lon: &lon},
		Lines:           []LineInput{{SKU: "TEE", Quantity: qty, UnitPrice: "10"}}}
}

func TestIntakeRoutesAndReserves(t *testing.T) {
	ctx := context.Background()
	a := routeNetwork(t)
	count(t, a, "LYS", "TEE", 5)
	count(t, a, "PAR", "TEE", 50)
	o, _, err := a.PlaceOrder(ctx, System, lyonOrder("1", 2))
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != StatusRouted || len(o.Fulfillments) != 1 || o.Fulfillments[0].Location != "LYS" || o.Lines[0].Reserved != 2 {
		t.Fatalf("status %s, fulfillments %+v, line %+v", o.Status, o.Fulfillments, o.Lines[0])
	}
	if o.Routing == nil || !strings.Contains(o.Routing.Explanation, "Lyon warehouse") || o.PromisedShipBy == nil {
		t.Fatalf("routing %+v promise %v", o.Routing, o.PromisedShipBy)
	}
	if lvl := a.mustLevel(t, "LYS", "TEE"); lvl.Reserved != 2 || lvl.Available != 3 {
		t.Fatalf("Lyon level %+v", lvl)
	}
	// Too much for Lyon alone: split between Lyon and Paris (closest first, fewest shipments).
	o, _, err = a.PlaceOrder(ctx, System, lyonOrder("2", 10))
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != StatusRouted || len(o.Fulfillments) != 1 || o.Fulfillments[0].Location != "PAR" {
		t.Fatalf("a location with everything wins over a split: %s %+v", o.Status, o.Fulfillments)
	}
	checkInvariants(t, a)
}

func TestBackorderedThenRoutedWhenStockArrives(t *testing.T) {
	ctx := context.Background()
	a := routeNetwork(t)
	count(t, a, "LYS", "TEE", 0)
	o, _, err := a.PlaceOrder(ctx, System, lyonOrder("1", 3))
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != StatusBackordered || o.Lines[0].Backordered != 3 || o.Lines[0].BackorderedAt != "LYS" {
		t.Fatalf("status %s line %+v", o.Status, o.Lines[0])
	}
	if _, err := a.AdjustStock(ctx, System, Adjustments{Adjustments: []Adjustment{{Location: "BER", SKU: "TEE", Delta: 10, Reason: ReasonReceipt}}}); err != nil {
		t.Fatal(err)
	}
	o, _ = a.OrderByNumber(ctx, o.Number)
	if o.Status != StatusRouted || o.Lines[0].Backordered != 0 || o.Lines[0].Reserved != 3 || o.Fulfillments[0].Location != "BER" {
		t.Fatalf("after the receipt: %s line %+v fulfillments %+v", o.Status, o.Lines[0], o.Fulfillments)
	}
	if last := o.Events[len(o.Events)-1]; last.Kind != "rerouted" || last.Data["trigger"] != TriggerRestock {
		t.Fatalf("timeline ends with %+v", last)
	}
	checkInvariants(t, a)
}

func TestRejectionReroutesAndCorrectsStock(t *testing.T) {
	ctx := context.Background()
	a := routeNetwork(t)
	count(t, a, "LYS", "TEE", 5)
	count(t, a, "PAR", "TEE", 5)
	o, _, _ := a.PlaceOrder(ctx, System, lyonOrder("1", 2))
	f := o.Fulfillments[0]
	if f.Location != "LYS" {
		t.Fatalf("routed to %s", f.Location)
	}
	if _, err := a.RejectFulfillment(ctx, System, f.ID, RejectInput{Reason: "broken"}); ErrorKind(err) != KindInvalid {
		t.Fatalf("bad reason: %v", err)
	}
	o, err := a.RejectFulfillment(ctx, System, f.ID, RejectInput{Reason: "out_of_stock", CountedOnHand: ptr(int64(0)), Note: "shelf empty"})
	if err != nil {
		t.Fatal(err)
	}
	if lvl := a.mustLevel(t, "LYS", "TEE"); lvl.OnHand != 0 || lvl.Reserved != 0 {
		t.Fatalf("Lyon after the rejection %+v: counted 0, nothing reserved", lvl)
	}
	if o.Status != StatusRouted || len(o.Fulfillments) != 2 || o.Fulfillments[0].Status != FulfillmentRejected || o.Fulfillments[1].Location != "PAR" {
		t.Fatalf("after the rejection: %s %+v", o.Status, o.Fulfillments)
	}
	var kinds []string
	for _, e := range o.Events {
		kinds = append(kinds, e.Kind)
	}
	if got := strings.Join(kinds, ","); !strings.HasSuffix(got, "fulfillment_rejected,rerouted") {
		t.Fatalf("timeline %s", got)
	}
	rej := o.Events[len(o.Events)-2].Message
	if !strings.Contains(rej, "Lyon warehouse rejected") || !strings.Contains(rej, "counted 0 of TEE") {
		t.Fatalf("rejection entry %q", rej)
	}
	if _, err := a.RejectFulfillment(ctx, System, f.ID, RejectInput{Reason: "other"}); ErrorKind(err) != KindConflict {
		t.Fatalf("rejecting twice: %v", err)
	}
	checkInvariants(t, a)
}

func TestShortCountMovesReservations(t *testing.T) {
	ctx := context.Background()
	a := routeNetwork(t)
	count(t, a, "LYS", "TEE", 4)
	count(t, a, "PAR", "TEE", 10)
	first, _, _ := a.PlaceOrder(ctx, System, lyonOrder("1", 2))
	second, _, _ := a.PlaceOrder(ctx, System, lyonOrder("2", 2))
	if first.Fulfillments[0].Location != "LYS" || second.Fulfillments[0].Location != "LYS" {
		t.Fatal("both orders should start in Lyon")
	}
	count(t, a, "LYS", "TEE", 2) // the shelf has only 2: the newest reservation moves
	first, _ = a.OrderByNumber(ctx, first.Number)
	second, _ = a.OrderByNumber(ctx, second.Number)
	if len(first.Fulfillments) != 1 || first.Fulfillments[0].Status != FulfillmentPending {
		t.Fatalf("the oldest order keeps Lyon: %+v", first.Fulfillments)
	}
	last := second.Fulfillments[len(second.Fulfillments)-1]
	if last.Location != "PAR" || second.Status != StatusRouted {
		t.Fatalf("the newest order moves to Paris: %s %+v", second.Status, second.Fulfillments)
	}
	if lvl := a.mustLevel(t, "LYS", "TEE"); lvl.Short {
		t.Fatalf("Lyon is still short: %+v", lvl)
	}
	checkInvariants(t, a)
}

// TestLastUnitsUnderConcurrency: 64 goroutines ordering the last 100 units of a
// SKU spread over 3 locations get exactly 100 reserved; the rest waits.
func TestLastUnitsUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	a := routeNetwork(t)
	count(t, a, "LYS", "TEE", 40)
	count(t, a, "PAR", "TEE", 35)
	count(t, a, "BER", "TEE", 25)
	var wg sync.WaitGroup
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3 {
				if _, _, err := a.PlaceOrder(ctx, System, lyonOrder(fmt.Sprintf("g%d-%d", g, i), int64(1+(g+i)%3))); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	var reserved int64
	for _, l := range []string{"LYS", "PAR", "BER"} {
		lvl := a.mustLevel(t, l, "TEE")
		if lvl.Available != 0 || lvl.OnHand < 0 || lvl.Reserved > lvl.OnHand {
			t.Fatalf("%s: %+v", l, lvl)
		}
		reserved += lvl.Reserved
	}
	if reserved != 100 {
		t.Fatalf("%d reserved, want exactly 100", reserved)
	}
	counts, err := a.Read().OrderCounts(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	total, waiting := int64(0), int64(0)
	for _, c := range counts {
		total += c.N
		if s := Status(c.Status); s == StatusBackordered || s == StatusPartiallyRouted || s == StatusOnHold {
			waiting += c.N
		}
	}
	if total != 192 || waiting == 0 {
		t.Fatalf("%d orders, %d waiting", total, waiting)
	}
	checkInvariants(t, a)
}

// checkInvariants fails the test for each invariant that does not hold (see
// store.Queries.InvariantProblems; app's own tests cannot use apptest's).
func checkInvariants(t testing.TB, a *App) {
	t.Helper()
	ctx := context.Background()
	var problems []string
	err := a.db.Snapshot(ctx, func(q *store.Queries) error {
		var err error
		problems, err = q.InvariantProblems(ctx)
		return err
	})
	for _, p := range problems {
		t.Error(p)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestAddressChangeWhileHeldRoutesAgain: a held order whose address changes is
// routed for the new address, and keeps its hold.
func TestAddressChangeWhileHeldRoutesAgain(t *testing.T) {
	ctx := context.Background()
	a := routeNetwork(t)
	count(t, a, "LYS", "TEE", 5)
	count(t, a, "PAR", "TEE", 5)
	o, _, _ := a.PlaceOrder(ctx, System, lyonOrder("1", 1))
	if _, err := a.Hold(ctx, System, o.Number, HoldInput{Reason: "address_check"}); err != nil {
		t.Fatal(err)
	}
	lat, lon := 48.85, 2.35
	o, err := a.ChangeAddress(ctx, System, o.Number, AddressInput{Line1: "1 rue de Rivoli", City: "Paris", Country: "FR", Lat: &lat, Lon: &lon})
	if err != nil {
		t.Fatal(err)
	}
	last := o.Fulfillments[len(o.Fulfillments)-1]
	if last.Location != "PAR" || o.Fulfillments[0].Status != FulfillmentCancelled || o.Status != StatusOnHold {
		t.Fatalf("%s %+v", o.Status, o.Fulfillments)
	}
	checkInvariants(t, a)
}
