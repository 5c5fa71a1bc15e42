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
