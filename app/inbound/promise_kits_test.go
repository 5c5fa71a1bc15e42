package inbound

import (
	"context"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
)

// TestKitPromise: a backordered kit line is promised when the last of its
// parts is expected, behind what older orders' plain lines wait for of each
// part; a part nothing brings leaves it without a promise, and the receipt of
// the parts routes it by the restock path.
func TestKitPromise(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	apptest.MustSKU(t, a, "TRAY")
	apptest.Count(t, a, "LYS", "MUG", 0)
	apptest.Count(t, a, "LYS", "TRAY", 0)
	parts := []app.Component{{SKU: "MUG", Quantity: 2}, {SKU: "TRAY", Quantity: 1}}
	if _, _, err := a.PutSKU(ctx, app.System, "SET", app.SKUInput{Name: "Gift set", Components: &parts}); err != nil {
		t.Fatal(err)
	}
	older := mugOrder(t, a, "older", 3) // 3 plain mugs wait ahead of the set
	in := apptest.LyonOrder("set", 2)
	in.Lines[0].SKU = "SET"
	set, _, err := a.PlaceOrder(ctx, app.System, in)
	if err != nil || set.Status != app.StatusBackordered {
		t.Fatalf("the set's order: %s, %v", set.Status, err)
	}

	mugs := mustCreate(t, a, NewInbound{Kind: KindPurchase, Supplier: "Acme", To: "LYS", ExpectedAt: "2026-12-20",
		Lines: []LineInput{{SKU: "MUG", Quantity: 6}}})
	if p, err := svc(a).PromisesOf(ctx, set.Number); err != nil || len(p) != 0 {
		t.Fatalf("with no tray coming the set is promised %+v, %v", p, err)
	}
	trays := mustCreate(t, a, NewInbound{Kind: KindPurchase, Supplier: "Woodco", To: "LYS", ExpectedAt: "2026-12-28",
		Lines: []LineInput{{SKU: "TRAY", Quantity: 2}}})
	// 3 mugs wait ahead and the two sets take 4: the 6 coming do not cover them.
	if p, err := svc(a).PromisesOf(ctx, set.Number); err != nil || len(p) != 0 {
		t.Fatalf("the mugs ahead of the set were not counted: %+v, %v", p, err)
	}
	mugOrder(t, a, "later", 1) // placed after the set: not ahead of it
	if _, err := a.Cancel(ctx, app.System, older.Number, app.CancelInput{Reason: "customer"}); err != nil {
		t.Fatal(err)
	}
	p, err := svc(a).PromisesOf(ctx, set.Number)
	want := "Expected around 28 Dec 2026, when the last of the parts of SET arrives: purchase " + trays.Number + " from Woodco brings 2 TRAY to Lyon warehouse"
	if err != nil || len(p) != 1 || p[0].Words != want || p[0].ExpectedAt != "2026-12-28" || p[0].Backordered != 2 {
		t.Fatalf("the set's promise %+v, %v; want %q", p, err, want)
	}

	// Receiving the mugs and the trays routes the set.
	if _, err := svc(a).Receive(ctx, ops, mugs.Number, count("MUG", 6, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc(a).Receive(ctx, ops, trays.Number, count("TRAY", 2, 0)); err != nil {
		t.Fatal(err)
	}
	o, _ := a.OrderByNumber(ctx, set.Number)
	if o.Status != app.StatusRouted || o.Lines[0].Reserved != 2 {
		t.Fatalf("the set after the receipts: %s %+v", o.Status, o.Lines[0])
	}
	if p, _ := svc(a).PromisesOf(ctx, set.Number); len(p) != 0 {
		t.Fatalf("the routed set is still promised %+v", p)
	}
}

// TestPromisesWaitBehindKits: backordered kits of older orders are ahead of
// a plain line of their part, and of a later kit, for the part's promise.
func TestPromisesWaitBehindKits(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	apptest.Count(t, a, "LYS", "MUG", 0)
	parts := []app.Component{{SKU: "MUG", Quantity: 2}}
	if _, _, err := a.PutSKU(ctx, app.System, "DUO", app.SKUInput{Name: "Two mugs", Components: &parts}); err != nil {
		t.Fatal(err)
	}
	duo := func(ext string) app.Order {
		t.Helper()
		in := apptest.LyonOrder(ext, 2)
		in.Lines[0].SKU = "DUO"
		o, _, err := a.PlaceOrder(ctx, app.System, in)
		if err != nil || o.Status != app.StatusBackordered {
			t.Fatalf("the order of duos: %s, %v", o.Status, err)
		}
		return o
	}
	first := duo("first") // 4 mugs
	plain := mugOrder(t, a, "plain", 3)
	second := duo("second") // 4 more
	mustCreate(t, a, NewInbound{Kind: KindPurchase, Supplier: "Acme", To: "LYS", ExpectedAt: "2026-12-20",
		Lines: []LineInput{{SKU: "MUG", Quantity: 6}}})
	later := mustCreate(t, a, NewInbound{Kind: KindPurchase, Supplier: "Slowco", To: "LYS", ExpectedAt: "2027-01-15",
		Lines: []LineInput{{SKU: "MUG", Quantity: 20}}})
	promise := func(o app.Order) string {
		t.Helper()
		p, err := svc(a).PromisesOf(ctx, o.Number)
		if err != nil || len(p) != 1 {
			t.Fatalf("promises of %s: %+v, %v", o.Number, p, err)
		}
		return p[0].Inbound
	}
	// 6 coming first: the first duos' 4, then the plain 3 do not fit.
	if got := promise(first); got != "IN-000001" {
		t.Errorf("the first duos are promised by %s", got)
	}
	if got := promise(plain); got != later.Number {
		t.Errorf("the plain mugs, behind 4 in the first duos, are promised by %s, want %s", got, later.Number)
	}
	if got := promise(second); got != later.Number {
		t.Errorf("the second duos, behind 7, are promised by %s, want %s", got, later.Number)
	}
	// When the 6 were sent, the plain order was not told they cover it.
	if tl := timeline(t, a, plain.Number); strings.Contains(tl, "IN-000001 from Acme was sent") || !strings.Contains(tl, later.Number+" from Slowco was sent") {
		t.Errorf("the plain order's timeline:\n%s", tl)
	}
}
