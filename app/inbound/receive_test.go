package inbound

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/audit"
)

// TestReceivePurchase: a partial count makes it partly received; damaged
// units are recorded and stay out of stock; counting beyond what was
// expected is taken and recorded as over; closing leaves nothing short once
// all came, and closing early leaves the rest short.
func TestReceivePurchase(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	in := purchase(10)
	in.Lines = append(in.Lines, LineInput{SKU: "MUG", Quantity: 4})
	got := mustCreate(t, a, in)
	got, err := svc(a).Receive(ctx, ops, got.Number, count("TEE", 6, 1))
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusPartiallyReceived || got.Lines[0].Received != 6 || got.Lines[0].Damaged != 1 || got.Lines[0].Remaining != 3 {
		t.Errorf("after 6 good and 1 damaged: %s %+v", got.Status, got.Lines[0])
	}
	if l := level(t, a, "LYS", "TEE"); l.OnHand != 6 {
		t.Errorf("LYS TEE %+v, want 6 on hand (the damaged unit is not sellable)", l)
	}
	got, err = svc(a).Receive(ctx, ops, got.Number, ReceiveInput{Lines: []ReceiveLine{{SKU: "TEE", Quantity: 5}, {SKU: "MUG", Quantity: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusReceived || got.Lines[0].Over != 2 || got.Lines[0].Received != 11 || got.Lines[1].Over != 0 {
		t.Errorf("after the rest and 2 more: %s %+v", got.Status, got.Lines)
	}
	if r := got.Receipts[1]; r.Over != 2 || r.Received != 5 || r.Actor != "Olga Ops" {
		t.Errorf("receipt %+v, want 2 over", r)
	}
	if l := level(t, a, "LYS", "TEE"); l.OnHand != 11 {
		t.Errorf("LYS TEE %+v, want 11 on hand", l)
	}
	if r := ledgerReasons(t, a, "LYS", "TEE"); !slices.Equal(r, []string{"receipt +6/+0 IN-000001", "receipt +5/+0 IN-000001"}) {
		t.Errorf("ledger %v", r)
	}
	got, err = svc(a).Close(ctx, ops, got.Number)
	if err != nil || got.Status != StatusClosed || got.Lines[0].Short != 0 || got.ClosedAt == nil {
		t.Errorf("closed %+v %v", got, err)
	}
	if _, err := svc(a).Receive(ctx, ops, got.Number, count("TEE", 1, 0)); app.ErrorKind(err) != app.KindConflict {
		t.Errorf("receiving on a closed inbound: %v", err)
	}

	early := mustCreate(t, a, purchase(10))
	if _, err := svc(a).Receive(ctx, ops, early.Number, count("TEE", 7, 0)); err != nil {
		t.Fatal(err)
	}
	early, err = svc(a).Close(ctx, ops, early.Number)
	if err != nil || early.Lines[0].Short != 3 || early.Lines[0].Remaining != 0 {
		t.Errorf("closed early %+v %v", early.Lines, err)
	}
	closed, err := audit.New(a).List(ctx, audit.Query{Action: audit.InboundClosed})
	if err != nil || len(closed.Items) != 2 || closed.Items[0].ObjectRef != early.Number || closed.Items[0].Actor != "Olga Ops" {
		t.Errorf("audit of the closings: %+v %v; want two, the latest %s by Olga Ops", closed.Items, err, early.Number)
	}
	apptest.CheckInvariants(t, a)
}

// TestStatusMoves: a draft is sent, then cancelled; a received one cannot be
// cancelled; a draft cannot be received.
func TestStatusMoves(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	d := purchase(5)
	d.Draft = true
	draft := mustCreate(t, a, d)
	if _, err := svc(a).Receive(ctx, ops, draft.Number, count("TEE", 1, 0)); app.ErrorKind(err) != app.KindConflict {
		t.Errorf("receiving a draft: %v", err)
	}
	if _, err := svc(a).Close(ctx, ops, draft.Number); app.ErrorKind(err) != app.KindConflict {
		t.Errorf("closing a draft: %v", err)
	}
	sent, err := svc(a).Send(ctx, ops, draft.Number)
	if err != nil || sent.Status != StatusSent || sent.SentAt == nil {
		t.Fatalf("sent %+v %v", sent, err)
	}
	if _, err := svc(a).Send(ctx, ops, draft.Number); app.ErrorKind(err) != app.KindConflict {
		t.Errorf("sending twice: %v", err)
	}
	cancelled, err := svc(a).Cancel(ctx, ops, draft.Number, "the supplier is out")
	if err != nil || cancelled.Status != StatusCancelled {
		t.Errorf("cancelled %+v %v", cancelled, err)
	}
	other := mustCreate(t, a, purchase(5))
	if _, err := svc(a).Receive(ctx, ops, other.Number, count("TEE", 1, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc(a).Cancel(ctx, ops, other.Number, ""); app.ErrorKind(err) != app.KindConflict {
		t.Errorf("cancelling a partly received inbound: %v", err)
	}
}

// TestTransferShipAndReceive: a transfer reserves at the origin, ships with
// transfer_out (on hand and reserved down) and is in transit, then is
// received with transfer_in at the destination.
func TestTransferShipAndReceive(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	tr := mustCreate(t, a, transfer(4))
	if _, err := svc(a).Receive(ctx, ops, tr.Number, count("TEE", 4, 0)); app.ErrorKind(err) != app.KindConflict {
		t.Errorf("receiving a transfer not shipped: %v", err)
	}
	paris := makeLead(t, a, "PAR")
	shipped, err := svc(a).Ship(ctx, paris, tr.Number, nil)
	if err != nil || shipped.Status != StatusSent || !shipped.InTransit {
		t.Fatalf("shipped %+v %v", shipped, err)
	}
	if l := level(t, a, "PAR", "TEE"); l.OnHand != 6 || l.Reserved != 0 {
		t.Errorf("origin after shipping %+v, want 6 on hand and nothing reserved", l)
	}
	if _, err := svc(a).Cancel(ctx, ops, tr.Number, ""); app.ErrorKind(err) != app.KindConflict {
		t.Errorf("cancelling a transfer in transit: %v", err)
	}
	lyon := makeLead(t, a, "LYS")
	got, err := svc(a).Receive(ctx, lyon, tr.Number, count("TEE", 3, 1))
	if err != nil || got.Status != StatusReceived || got.InTransit {
		t.Fatalf("received %+v %v", got, err)
	}
	if l := level(t, a, "LYS", "TEE"); l.OnHand != 3 {
		t.Errorf("destination %+v, want 3 on hand", l)
	}
	if r := ledgerReasons(t, a, "PAR", "TEE"); !slices.Equal(r, []string{"count +10/+0 ", "reservation +0/+4 IN-000001", "transfer_out -4/-4 IN-000001"}) {
		t.Errorf("origin ledger %v", r)
	}
	if r := ledgerReasons(t, a, "LYS", "TEE"); !slices.Equal(r, []string{"transfer_in +3/+0 IN-000001"}) {
		t.Errorf("destination ledger %v", r)
	}
	apptest.CheckInvariants(t, a)
}

// TestCancelTransferReleases: cancelling a transfer not shipped gives its
// reservation back at the origin.
func TestCancelTransferReleases(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	tr := mustCreate(t, a, transfer(4))
	if _, err := svc(a).Cancel(ctx, ops, tr.Number, ""); err != nil {
		t.Fatal(err)
	}
	if l := level(t, a, "PAR", "TEE"); l.OnHand != 10 || l.Reserved != 0 {
		t.Errorf("origin after cancelling %+v, want 10 on hand and nothing reserved", l)
	}
	if _, err := svc(a).Ship(ctx, ops, tr.Number, nil); app.ErrorKind(err) != app.KindConflict {
		t.Errorf("shipping a cancelled transfer: %v", err)
	}
	apptest.CheckInvariants(t, a)
}

// TestReceiveRefusals: each bad count is named by its field, and nothing is
// written: no count, no receipt, no stock.
func TestReceiveRefusals(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	in := mustCreate(t, a, purchase(10))
	for name, c := range map[string]struct {
		in    ReceiveInput
		field string
	}{
		"no lines":     {ReceiveInput{}, "lines"},
		"negative":     {count("TEE", -1, 0), "lines[0].quantity"},
		"negative dmg": {count("TEE", 1, -1), "lines[0].damaged"},
		"nothing":      {count("TEE", 0, 0), "lines[0].quantity"},
		"not on it":    {ReceiveInput{Lines: []ReceiveLine{{SKU: "TEE", Quantity: 1}, {SKU: "MUG", Quantity: 1}}}, "lines[1].sku"},
		"twice":        {ReceiveInput{Lines: []ReceiveLine{{SKU: "TEE", Quantity: 1}, {SKU: "TEE", Quantity: 1}}}, "lines[1].sku"},
		"unknown":      {count("NOPE", 1, 0), "lines[0].sku"},
	} {
		_, err := svc(a).Receive(ctx, ops, in.Number, c.in)
		if f := fieldsOf(t, err); f[c.field] == "" {
			t.Errorf("%s: fields %v, want %s", name, f, c.field)
		}
	}
	got, err := svc(a).Get(ctx, app.System, in.Number)
	if err != nil || got.Lines[0].Counted != 0 || len(got.Receipts) != 0 || got.Status != StatusSent {
		t.Errorf("after refusals %+v %v", got, err)
	}
	if l := level(t, a, "LYS", "TEE"); l.OnHand != 0 {
		t.Errorf("LYS TEE %+v after refusals", l)
	}
}

// TestConcurrentReceiveCountsOnce: two leads count the same line at once,
// each having seen it uncounted: one count is taken, the other is refused
// (409) and writes nothing.
func TestConcurrentReceiveCountsOnce(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	in := mustCreate(t, a, purchase(10))
	leads := []app.Actor{makeLead(t, a, "LYS"), ops}
	seen := int64(0)
	errs := make([]error, len(leads))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, who := range leads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = svc(a).Receive(ctx, who, in.Number, ReceiveInput{Lines: []ReceiveLine{{SKU: "TEE", Quantity: 10, Seen: &seen}}})
		}()
	}
	close(start)
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case app.ErrorKind(err) == app.KindConflict && strings.Contains(err.Error(), "counted meanwhile"):
			conflicts++
		default:
			t.Errorf("unexpected %v", err)
		}
	}
	got, _ := svc(a).Get(ctx, app.System, in.Number)
	if ok != 1 || conflicts != 1 || got.Lines[0].Received != 10 || len(got.Receipts) != 1 {
		t.Errorf("%d taken, %d refused; line %+v, %d receipts", ok, conflicts, got.Lines[0], len(got.Receipts))
	}
	if l := level(t, a, "LYS", "TEE"); l.OnHand != 10 {
		t.Errorf("LYS TEE %+v, want 10 on hand: counted once", l)
	}
	apptest.CheckInvariants(t, a)
}

// TestReach: a lead of another location gets NotFound and writes nothing;
// the origin's lead sees a transfer but may not receive it (Forbidden); a
// lead may not create, cancel or close.
func TestReach(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	berlin, paris, lyon := makeLead(t, a, "BER"), makeLead(t, a, "PAR"), makeLead(t, a, "LYS")
	po := mustCreate(t, a, purchase(10))
	tr := mustCreate(t, a, transfer(2))
	if _, err := svc(a).Get(ctx, berlin, po.Number); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("Berlin reads Lyon's purchase: %v", err)
	}
	if _, err := svc(a).Receive(ctx, berlin, po.Number, count("TEE", 10, 0)); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("Berlin receives Lyon's purchase: %v", err)
	}
	if _, err := svc(a).Ship(ctx, berlin, tr.Number, nil); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("Berlin ships Paris's transfer: %v", err)
	}
	if _, err := svc(a).Ship(ctx, lyon, tr.Number, nil); app.ErrorKind(err) != app.KindForbidden {
		t.Errorf("Lyon ships Paris's transfer: %v", err)
	}
	if _, err := svc(a).Ship(ctx, paris, tr.Number, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc(a).Receive(ctx, paris, tr.Number, count("TEE", 2, 0)); app.ErrorKind(err) != app.KindForbidden {
		t.Errorf("Paris receives its own transfer to Lyon: %v", err)
	}
	for name, err := range map[string]error{
		"create": func() error { _, err := svc(a).Create(ctx, lyon, purchase(1)); return err }(),
		"cancel": func() error { _, err := svc(a).Cancel(ctx, lyon, po.Number, ""); return err }(),
		"close":  func() error { _, err := svc(a).Close(ctx, lyon, po.Number); return err }(),
	} {
		if app.ErrorKind(err) != app.KindForbidden {
			t.Errorf("a lead may %s: %v", name, err)
		}
	}
	got, _ := svc(a).Get(ctx, app.System, po.Number)
	if got.Status != StatusSent || got.Lines[0].Counted != 0 {
		t.Errorf("after hostile attempts %+v", got)
	}
	if l := level(t, a, "LYS", "TEE"); l.OnHand != 0 {
		t.Errorf("LYS TEE %+v after hostile attempts", l)
	}
	list, err := svc(a).List(ctx, berlin, ListQuery{})
	if err != nil || len(list.Inbound) != 0 {
		t.Errorf("Berlin's list %+v %v", list, err)
	}
	list, err = svc(a).List(ctx, paris, ListQuery{})
	if err != nil || len(list.Inbound) != 1 || list.Inbound[0].Number != tr.Number {
		t.Errorf("Paris's list %+v %v", list, err)
	}
}
