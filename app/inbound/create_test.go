package inbound

import (
	"context"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
)

// TestCreatePurchase: a purchase is numbered IN-000001 on, starts sent, and
// reads back with its lines; asked as a draft, it starts draft.
func TestCreatePurchase(t *testing.T) {
	a := network(t)
	in := purchase(100)
	in.Lines = append(in.Lines, LineInput{SKU: "MUG", Quantity: 5, ExpectedAt: "2026-12-24"})
	got := mustCreate(t, a, in)
	if got.Number != "IN-000001" || got.Status != StatusSent || got.Kind != KindPurchase || got.Supplier != "Acme" ||
		got.To != "LYS" || got.ExpectedAt != "2026-12-20" || got.SentAt == nil || got.InTransit {
		t.Errorf("created %+v", got)
	}
	if len(got.Lines) != 2 || got.Lines[0].SKU != "TEE" || got.Lines[0].Quantity != 100 || got.Lines[0].Remaining != 100 ||
		got.Lines[0].ExpectedAt != "2026-12-20" || got.Lines[1].ExpectedAt != "2026-12-24" {
		t.Errorf("lines %+v", got.Lines)
	}
	draft := purchase(3)
	draft.Draft = true
	if d := mustCreate(t, a, draft); d.Number != "IN-000002" || d.Status != StatusDraft || d.SentAt != nil {
		t.Errorf("draft %+v", d)
	}
	read, err := svc(a).Get(context.Background(), app.System, "IN-000001")
	if err != nil || read.Units() != 105 {
		t.Errorf("read %+v, %v", read, err)
	}
	if _, err := svc(a).Get(context.Background(), app.System, "IN-000099"); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("unknown number: %v", err)
	}
}

// TestCreateTransferReserves: a transfer starts draft with its quantity
// reserved at the origin; one the origin cannot cover is refused on the
// line's quantity, and writes nothing.
func TestCreateTransferReserves(t *testing.T) {
	a := network(t)
	got := mustCreate(t, a, transfer(4))
	if got.Status != StatusDraft || got.From != "PAR" || got.InTransit {
		t.Errorf("transfer %+v", got)
	}
	if l := level(t, a, "PAR", "TEE"); l.OnHand != 10 || l.Reserved != 4 {
		t.Errorf("origin %+v, want 10 on hand and 4 reserved", l)
	}
	_, err := svc(a).Create(context.Background(), app.System, transfer(7))
	if f := fieldsOf(t, err); !strings.Contains(f["lines[0].quantity"], "only 6 of TEE free at PAR") {
		t.Errorf("fields %v", f)
	}
	if l := level(t, a, "PAR", "TEE"); l.Reserved != 4 {
		t.Errorf("origin %+v after a refusal, want 4 reserved", l)
	}
	apptest.CheckInvariants(t, a)
}

// TestCreateRefusals: each bad input is named by its field, and nothing is written.
func TestCreateRefusals(t *testing.T) {
	a := network(t)
	set := []app.Component{{SKU: "MUG", Quantity: 2}}
	if _, _, err := a.PutSKU(context.Background(), app.System, "SET", app.SKUInput{Name: "Gift set", Components: &set}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		edit  func(*NewInbound)
		field string
	}{
		"kind":              {func(n *NewInbound) { n.Kind = "gift" }, "kind"},
		"no supplier":       {func(n *NewInbound) { n.Supplier = " " }, "supplier"},
		"purchase from":     {func(n *NewInbound) { n.From = "PAR" }, "from"},
		"no destination":    {func(n *NewInbound) { n.To = "" }, "to"},
		"unknown to":        {func(n *NewInbound) { n.To = "NOPE" }, "to"},
		"bad date":          {func(n *NewInbound) { n.ExpectedAt = "20/12/2026" }, "expected_at"},
		"no date":           {func(n *NewInbound) { n.ExpectedAt = "" }, "expected_at"},
		"no lines":          {func(n *NewInbound) { n.Lines = nil }, "lines"},
		"zero quantity":     {func(n *NewInbound) { n.Lines[0].Quantity = 0 }, "lines[0].quantity"},
		"negative quantity": {func(n *NewInbound) { n.Lines[0].Quantity = -3 }, "lines[0].quantity"},
		"unknown SKU":       {func(n *NewInbound) { n.Lines[0].SKU = "NOPE" }, "lines[0].sku"},
		"kit SKU":           {func(n *NewInbound) { n.Lines[0].SKU = "SET" }, "lines[0].sku"},
		"SKU twice":         {func(n *NewInbound) { n.Lines = append(n.Lines, LineInput{SKU: "TEE", Quantity: 1}) }, "lines[1].sku"},
		"line date":         {func(n *NewInbound) { n.Lines[0].ExpectedAt = "2026-02-30" }, "lines[0].expected_at"},
		"control chars":     {func(n *NewInbound) { n.Supplier = "Acme\x00" }, "supplier"},
	} {
		in := purchase(10)
		c.edit(&in)
		_, err := svc(a).Create(context.Background(), app.System, in)
		if f := fieldsOf(t, err); f[c.field] == "" {
			t.Errorf("%s: fields %v, want %s", name, f, c.field)
		}
	}
	for name, in := range map[string]NewInbound{
		"transfer to itself": {Kind: KindTransfer, From: "LYS", To: "LYS", ExpectedAt: "2026-12-20", Lines: []LineInput{{SKU: "TEE", Quantity: 1}}},
		"transfer no origin": {Kind: KindTransfer, To: "LYS", ExpectedAt: "2026-12-20", Lines: []LineInput{{SKU: "TEE", Quantity: 1}}},
	} {
		_, err := svc(a).Create(context.Background(), app.System, in)
		if f := fieldsOf(t, err); f["from"] == "" {
			t.Errorf("%s: fields %v, want from", name, f)
		}
	}
	list, err := a.Read().ListInbound(context.Background(), storeListAll())
	if err != nil || len(list) != 0 {
		t.Errorf("%d inbound written by refusals (%v)", len(list), err)
	}
}
