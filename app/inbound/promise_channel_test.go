package inbound

import (
	"context"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
)

// TestPromiseOnlyFromLocationsServingTheOrder: stock coming to a location
// that does not serve the order's channel never reaches the order (the
// restock path routes it from the channel's locations only), so it promises
// the order nothing and is not announced on its timeline.
func TestPromiseOnlyFromLocationsServingTheOrder(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	apptest.MustChannel(t, a, "shop", 0)
	apptest.MustLocation(t, a, "STO", "shop") // serves shop, not web
	apptest.Count(t, a, "LYS", "MUG", 0)
	o := mugOrder(t, a, "web-1", 3)
	elsewhere := NewInbound{Kind: KindPurchase, Supplier: "Acme", To: "STO", ExpectedAt: "2026-12-20",
		Lines: []LineInput{{SKU: "MUG", Quantity: 50}}}
	mustCreate(t, a, elsewhere)
	if p, err := svc(a).PromisesOf(ctx, o.Number); err != nil || len(p) != 0 {
		t.Errorf("promise from a location that does not serve web: %+v %v", p, err)
	}
	if tl := timeline(t, a, o.Number); strings.Contains(tl, "IN-000001") {
		t.Errorf("timeline announces an inbound that cannot reach the order:\n%s", tl)
	}

	// Stock coming to one of web's locations promises, and is announced.
	mustCreate(t, a, NewInbound{Kind: KindPurchase, Supplier: "Acme", To: "BER", ExpectedAt: "2027-01-10",
		Lines: []LineInput{{SKU: "MUG", Quantity: 5}}})
	if p, err := svc(a).PromisesOf(ctx, o.Number); err != nil || len(p) != 1 || p[0].Inbound != "IN-000002" {
		t.Errorf("promise from Berlin: %+v %v", p, err)
	}
	if tl := timeline(t, a, o.Number); !strings.Contains(tl, "Purchase IN-000002 from Acme was sent") {
		t.Errorf("timeline:\n%s", tl)
	}
	if _, err := svc(a).Receive(ctx, app.System, "IN-000001", count("MUG", 50, 0)); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.OrderByNumber(ctx, o.Number); got.Status != app.StatusBackordered {
		t.Errorf("the receipt at STO moved the web order: %s", got.Status)
	}
	apptest.CheckInvariants(t, a)
}

// TestWithdrawnPromiseOnTheTimeline: an order told that an inbound brings
// what it waits for is told again when that inbound is cancelled or closed
// short: the promise on its timeline is not left standing.
func TestWithdrawnPromiseOnTheTimeline(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	apptest.Count(t, a, "LYS", "MUG", 0)
	o := mugOrder(t, a, "web-1", 3)
	other := mugOrder(t, a, "web-2", 2)
	mug := func(qty int64) NewInbound {
		return NewInbound{Kind: KindPurchase, Supplier: "Acme", To: "LYS", ExpectedAt: "2026-12-20",
			Lines: []LineInput{{SKU: "MUG", Quantity: qty}}}
	}
	first := mustCreate(t, a, mug(3)) // covers o only
	if tl := timeline(t, a, o.Number); !strings.Contains(tl, "Purchase IN-000001 from Acme was sent") {
		t.Fatalf("timeline:\n%s", tl)
	}
	if _, err := svc(a).Cancel(ctx, ops, first.Number, "supplier out of stock"); err != nil {
		t.Fatal(err)
	}
	want := "Purchase IN-000001 from Acme was cancelled: the 3 MUG this order waits for are not expected from it any more."
	if tl := timeline(t, a, o.Number); !strings.Contains(tl, want) {
		t.Errorf("timeline after the cancellation, want %q:\n%s", want, tl)
	}
	if tl := timeline(t, a, other.Number); strings.Contains(tl, "IN-000001") {
		t.Errorf("an order never promised IN-000001 told of it:\n%s", tl)
	}

	second := mustCreate(t, a, mug(10))                                                    // covers both
	if _, err := svc(a).Receive(ctx, ops, second.Number, count("MUG", 0, 4)); err != nil { // all damaged: nobody routed
		t.Fatal(err)
	}
	if _, err := svc(a).Close(ctx, ops, second.Number); err != nil {
		t.Fatal(err)
	}
	want = "Purchase IN-000002 from Acme was closed: the 2 MUG this order waits for are not expected from it any more."
	if tl := timeline(t, a, other.Number); !strings.Contains(tl, want) {
		t.Errorf("timeline after closing, want %q:\n%s", want, tl)
	}
	apptest.CheckInvariants(t, a)
}
