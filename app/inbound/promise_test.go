package inbound

import (
	"context"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
)

// mugOrder places an order of qty MUG, which no location holds: it is
// backordered at Lyon.
func mugOrder(t *testing.T, a *app.App, ext string, qty int64) app.Order {
	t.Helper()
	in := apptest.LyonOrder(ext, qty)
	in.Lines[0].SKU = "MUG"
	o, _, err := a.PlaceOrder(context.Background(), app.System, in)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != app.StatusBackordered {
		t.Fatalf("order %s is %s, want backordered", o.Number, o.Status)
	}
	return o
}

// TestPromisesAndTimeline: backorders are lined up in the order they came
// against the open inbound, earliest first; the inbound that covers an
// order's backorder says so on its timeline when it is sent; and its
// receipt routes the order by the restock path.
func TestPromisesAndTimeline(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	apptest.Count(t, a, "LYS", "MUG", 0)
	first, second := mugOrder(t, a, "first", 3), mugOrder(t, a, "second", 4)

	late := NewInbound{Kind: KindPurchase, Supplier: "Slowco", To: "BER", ExpectedAt: "2027-01-15",
		Lines: []LineInput{{SKU: "MUG", Quantity: 50}}}
	mustCreate(t, a, late) // IN-000001, covers both but late
	soon := NewInbound{Kind: KindPurchase, Supplier: "Acme", To: "LYS", ExpectedAt: "2026-12-20", Draft: true,
		Lines: []LineInput{{SKU: "MUG", Quantity: 5}}}
	draft := mustCreate(t, a, soon) // IN-000002, a draft: promises nothing yet

	p, err := svc(a).PromisesOf(ctx, first.Number)
	if err != nil || len(p) != 1 || p[0].Inbound != "IN-000001" {
		t.Fatalf("first's promise before the draft is sent: %+v %v", p, err)
	}
	if _, err := svc(a).Send(ctx, ops, draft.Number); err != nil {
		t.Fatal(err)
	}
	p, _ = svc(a).PromisesOf(ctx, first.Number)
	want := "Expected around 20 Dec 2026: purchase IN-000002 from Acme brings 5 MUG to Lyon warehouse"
	if len(p) != 1 || p[0].Words != want || p[0].ExpectedAt != "2026-12-20" || p[0].Backordered != 3 {
		t.Errorf("first's promise %+v, want %q", p, want)
	}
	p, _ = svc(a).PromisesOf(ctx, second.Number)
	if len(p) != 1 || p[0].Inbound != "IN-000001" || !strings.HasPrefix(p[0].Words, "Expected around 15 Jan 2027: purchase IN-000001 from Slowco") {
		t.Errorf("second's promise %+v: the 5 coming first cover only the first order's 3", p)
	}
	o, _ := a.OrderByNumber(ctx, first.Number)
	last := o.Events[len(o.Events)-1]
	if last.Kind != "inbound_promised" || !strings.Contains(last.Message, "Purchase IN-000002 from Acme was sent: it brings 5 MUG to Lyon warehouse around 20 Dec 2026") {
		t.Errorf("first's timeline ends with %+v", last)
	}
	o, _ = a.OrderByNumber(ctx, second.Number)
	if last := o.Events[len(o.Events)-1]; last.Kind == "inbound_promised" && strings.Contains(last.Message, "IN-000002") {
		t.Errorf("second told of an inbound that does not cover it: %+v", last)
	}

	// The receipt routes the first order by the restock path.
	if _, err := svc(a).Receive(ctx, ops, draft.Number, count("MUG", 5, 0)); err != nil {
		t.Fatal(err)
	}
	o, _ = a.OrderByNumber(ctx, first.Number)
	if o.Status != app.StatusRouted || o.Lines[0].Reserved != 3 || o.Fulfillments[0].Location != "LYS" {
		t.Errorf("first after the receipt: %s %+v", o.Status, o.Lines[0])
	}
	if p, _ := svc(a).PromisesOf(ctx, first.Number); len(p) != 0 {
		t.Errorf("first still promised %+v", p)
	}
	apptest.CheckInvariants(t, a)
}
