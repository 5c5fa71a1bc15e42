package reorder

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/audit"
	"switchyard/app/inbound"
	store "switchyard/sql"
)

// draftNetwork is network with MUG at LYS (1 on hand), and settings that
// make TEE (lead 10 days) and MUG (lead 20 days) due at LYS, and TEE at PAR.
func draftNetwork(t *testing.T) (*app.App, *Service) {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	a := network(t, c)
	apptest.MustSKU(t, a, "MUG")
	apptest.Count(t, a, "LYS", "MUG", 1)
	s := New(a)
	for _, f := range []SettingsForm{
		{SKU: "TEE", Location: "LYS", LeadTime: "10", Cover: "30", Min: "150", Max: "300"},
		{SKU: "MUG", Location: "LYS", LeadTime: "20", Cover: "30", Min: "5", Max: "20"},
		{SKU: "TEE", Location: "PAR", LeadTime: "3", Cover: "30", Min: "10", Max: "12"},
	} {
		if err := s.SaveSettings(context.Background(), ops, f); err != nil {
			t.Fatal(err)
		}
	}
	return a, s
}

// TestDraftPurchaseOrders: a selection at two locations makes one draft per
// destination with the suggested quantities, each line expected after its
// lead time and the order when its last line is; each is in the audit log.
func TestDraftPurchaseOrders(t *testing.T) {
	ctx := context.Background()
	a, s := draftNetwork(t)
	got, err := s.DraftPurchaseOrders(ctx, ops, DraftForm{Supplier: " Acme ", Lines: []string{"TEE@LYS", "TEE@PAR", "MUG@LYS"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Drafted{
		{Number: "IN-000001", Supplier: "Acme", Location: "LYS", ExpectedAt: "2026-12-20", Lines: 2, Units: 200 + 19},
		{Number: "IN-000002", Supplier: "Acme", Location: "PAR", ExpectedAt: "2026-12-03", Lines: 1, Units: 7},
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("drafted %+v, want %+v", got, want)
	}
	po, err := inbound.New(a).Get(ctx, app.System, "IN-000001")
	if err != nil {
		t.Fatal(err)
	}
	if po.Status != inbound.StatusDraft || po.Kind != inbound.KindPurchase || po.To != "LYS" || len(po.Lines) != 2 ||
		po.Lines[0].SKU != "MUG" || po.Lines[0].Quantity != 19 || po.Lines[0].ExpectedAt != "2026-12-20" ||
		po.Lines[1].SKU != "TEE" || po.Lines[1].Quantity != 200 || po.Lines[1].ExpectedAt != "2026-12-10" {
		t.Fatalf("draft %+v", po)
	}
	p, err := audit.New(a).List(ctx, audit.Query{ObjectKind: "inbound"})
	if err != nil || len(p.Items) != 2 || p.Items[0].Action != audit.InboundCreated || p.Items[0].Actor != "olga" {
		t.Fatalf("audit %+v, %v", p.Items, err)
	}
	// A draft is not expected stock: the suggestions stay until it is sent.
	if l, _, _ := s.suggestion(ctx, "TEE", "LYS"); l.Suggested != 200 {
		t.Errorf("suggestion after the draft %+v", l)
	}
}

// TestDraftRefusals: each bad selection is refused naming the field, and
// nothing is written; support and leads may not draft.
func TestDraftRefusals(t *testing.T) {
	ctx := context.Background()
	a, s := draftNetwork(t)
	if err := s.SaveSettings(ctx, ops, SettingsForm{SKU: "TEE", Location: "PAR", LeadTime: "3", Cover: "30"}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		f     DraftForm
		field string
	}{
		"nothing selected":  {DraftForm{Supplier: "Acme"}, "line"},
		"no supplier":       {DraftForm{Lines: []string{"TEE@LYS"}}, "supplier"},
		"hostile supplier":  {DraftForm{Supplier: "Acme\x00", Lines: []string{"TEE@LYS"}}, "supplier"},
		"not a line":        {DraftForm{Supplier: "Acme", Lines: []string{"TEE@LYS", "<script>"}}, "line"},
		"unknown SKU":       {DraftForm{Supplier: "Acme", Lines: []string{"TEE@LYS", "NOPE@LYS"}}, "line"},
		"unknown location":  {DraftForm{Supplier: "Acme", Lines: []string{"TEE@LYS", "TEE@NOPE"}}, "line"},
		"nothing to order":  {DraftForm{Supplier: "Acme", Lines: []string{"TEE@LYS", "TEE@PAR"}}, "line"},
		"selected twice":    {DraftForm{Supplier: "Acme", Lines: []string{"TEE@LYS", "TEE@LYS"}}, "line"},
		"no level of a SKU": {DraftForm{Supplier: "Acme", Lines: []string{"MUG@PAR"}}, "line"},
	} {
		_, err := s.DraftPurchaseOrders(ctx, ops, c.f)
		ae, ok := app.AsError(err)
		if !ok || ae.Kind != app.KindInvalid || ae.Fields[c.field] == "" {
			t.Errorf("%s: %v, want a problem with %s", name, err, c.field)
		}
	}
	for _, r := range []app.Role{app.RoleSupport, app.RoleWarehouse} {
		who := app.Actor{Kind: app.ActorUser, Name: "x", Role: r}
		if _, err := s.DraftPurchaseOrders(ctx, who, DraftForm{Supplier: "Acme", Lines: []string{"TEE@LYS"}}); app.ErrorKind(err) != app.KindForbidden {
			t.Errorf("%s: %v, want forbidden", r, err)
		}
	}
	list, err := a.Read().ListInbound(ctx, store.ListInboundParams{Before: 1 << 62, Lim: 100})
	if err != nil || len(list) != 0 {
		t.Fatalf("%d inbound written by refusals (%v)", len(list), err)
	}
}

// TestDraftBeyondLineLimit: a suggestion larger than one purchase order line
// may hold (10⁹ units) is refused in those words on the selection, not as a
// selection that changed, and nothing is drafted.
func TestDraftBeyondLineLimit(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	a := network(t, c)
	apptest.MustSKU(t, a, "NAIL")
	apptest.Count(t, a, "LYS", "NAIL", 100_000_000)
	parts := []app.Component{{SKU: "NAIL", Quantity: 1000}}
	if _, _, err := a.PutSKU(ctx, app.System, "BOX", app.SKUInput{Name: "A thousand nails", Components: &parts}); err != nil {
		t.Fatal(err)
	}
	o := apptest.LyonOrder("boxes", 100_000)
	o.Lines[0].SKU = "BOX"
	if placed, _, err := a.PlaceOrder(ctx, app.System, o); err != nil || placed.Status != app.StatusRouted {
		t.Fatalf("the order of boxes: %+v, %v", placed, err)
	}
	s := New(a)
	if err := s.SaveSettings(ctx, ops, SettingsForm{SKU: "NAIL", Location: "LYS", LeadTime: "365", Cover: "365"}); err != nil {
		t.Fatal(err)
	}
	if p, err := s.List(ctx, ops, Query{Location: "LYS"}); err != nil || len(p.Lines) == 0 || p.Lines[0].SKU != "NAIL" || p.Lines[0].Suggested <= inbound.MaxQuantity {
		t.Fatalf("the test needs NAIL at LYS to suggest more than %d: %+v, %v", inbound.MaxQuantity, p.Lines, err)
	}
	_, err := s.DraftPurchaseOrders(ctx, ops, DraftForm{Supplier: "Acme", Lines: []string{"NAIL@LYS"}})
	ae, ok := app.AsError(err)
	if !ok || ae.Kind != app.KindInvalid || !strings.Contains(ae.Fields["line"], "more than one purchase order line may hold (1000000000)") {
		t.Fatalf("drafting answered %v", err)
	}
	if p, err := inbound.New(a).List(ctx, app.System, inbound.ListQuery{}); err != nil || len(p.Inbound) != 0 {
		t.Fatalf("inbound after the refusal: %+v, %v", p, err)
	}
}
