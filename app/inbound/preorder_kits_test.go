package inbound

import (
	"context"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
)

// availabilityOf is web's availability of one SKU.
func availabilityOf(t *testing.T, a *app.App, sku string) app.SKUAvailability {
	t.Helper()
	got, err := a.Availability(context.Background(), "web", []string{sku})
	if err != nil {
		t.Fatal(err)
	}
	return got[0]
}

// TestKitPreorders: a kit's pre-order room follows its parts coming (in
// kits, the fewest they make), dated by the last of them; kits taken as
// pre-orders and kits merely waiting count against their parts' room, so
// plain pre-orders of a part never promise the units a kit waits for; the
// receipt of the parts routes the kits.
func TestKitPreorders(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t) // nothing on hand anywhere
	apptest.MustSKU(t, a, "MUG")
	parts := []app.Component{{SKU: "MUG", Quantity: 2}, {SKU: "TEE", Quantity: 1}}
	if _, _, err := a.PutSKU(ctx, app.System, "SET", app.SKUInput{Name: "Gift set", Components: &parts}); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, a, NewInbound{Kind: KindPurchase, Supplier: "Acme", To: "LYS", ExpectedAt: "2026-12-20",
		Lines: []LineInput{{SKU: "MUG", Quantity: 9}}})
	tees := mustCreate(t, a, NewInbound{Kind: KindPurchase, Supplier: "Teeco", To: "LYS", ExpectedAt: "2026-12-28",
		Lines: []LineInput{{SKU: "TEE", Quantity: 10}}})
	if got := availabilityOf(t, a, "SET"); got.Available != 0 || got.Incoming != 0 {
		t.Fatalf("the set before pre-orders: %+v", got)
	}
	sellIncoming(t, a, 3)
	// 9 mugs make 4 sets; the limit is 3; the last part (tees) comes on the 28th.
	if got := availabilityOf(t, a, "SET"); got.Available != 3 || got.Incoming != 3 || got.PromiseDate != "2026-12-28" {
		t.Fatalf("the set with pre-orders: %+v, want 3 incoming on 2026-12-28", got)
	}

	in := apptest.LyonOrder("sets", 2)
	in.Lines[0].SKU = "SET"
	sets, _, err := a.PlaceOrder(ctx, app.System, in)
	if err != nil || sets.Status != app.StatusBackordered {
		t.Fatalf("the order of sets: %s, %v", sets.Status, err)
	}
	want := "Pre-order: 2 × SET taken against its parts on their way in, expected around 28 Dec 2026, when the last of them arrives (inbound " + tees.Number + ")."
	if tl := timeline(t, a, sets.Number); !strings.Contains(tl, want) {
		t.Fatalf("timeline:\n%s\nwant %q", tl, want)
	}
	if got := availabilityOf(t, a, "SET"); got.Incoming != 1 {
		t.Fatalf("the set after 2 pre-ordered: %+v, want 1 more", got)
	}
	// The two sets wait for 4 mugs: of 9 coming, 5 remain for the mug's own
	// pre-orders (the limit is 3 a SKU).
	if got := availabilityOf(t, a, "MUG"); got.Incoming != 3 {
		t.Fatalf("mugs: %+v", got)
	}
	mugs := apptest.LyonOrder("mugs", 5)
	mugs.Lines[0].SKU = "MUG"
	m, _, err := a.PlaceOrder(ctx, app.System, mugs)
	if err != nil {
		t.Fatal(err)
	}
	if tl := timeline(t, a, m.Number); !strings.Contains(tl, "Pre-order: 3 × MUG") {
		t.Fatalf("the mugs' timeline:\n%s", tl)
	}
	// 4 mugs for the sets and 5 for this order: 9, all that is coming. No
	// more set may be pre-ordered.
	if got := availabilityOf(t, a, "SET"); got.Incoming != 0 {
		t.Fatalf("the set once the mugs are all promised: %+v", got)
	}
	more := apptest.LyonOrder("more", 1)
	more.Lines[0].SKU = "SET"
	late, _, err := a.PlaceOrder(ctx, app.System, more)
	if err != nil {
		t.Fatal(err)
	}
	if tl := timeline(t, a, late.Number); !strings.Contains(tl, "1 × SET wait for stock without a pre-order: not enough of its parts is on its way") {
		t.Fatalf("the late set's timeline:\n%s", tl)
	}

	// The parts arrive: the sets, the oldest order, are routed.
	for _, n := range []string{"IN-000001", tees.Number} {
		sku := "MUG"
		qty := int64(9)
		if n == tees.Number {
			sku, qty = "TEE", 10
		}
		if _, err := svc(a).Receive(ctx, app.System, n, count(sku, qty, 0)); err != nil {
			t.Fatal(err)
		}
	}
	o, err := a.OrderByNumber(ctx, sets.Number)
	if err != nil || o.Status != app.StatusRouted || o.Lines[0].Reserved != 2 {
		t.Fatalf("the sets after the receipts: %s %+v (%v)", o.Status, o.Lines, err)
	}
	apptest.CheckInvariants(t, a)
}
