package returns

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/app/apptest"
)

// fields is the field errors of an Invalid error, failing the test otherwise.
func fields(t *testing.T, err error) map[string]string {
	t.Helper()
	ae, ok := app.AsError(err)
	if !ok || ae.Kind != app.KindInvalid {
		t.Fatalf("want an invalid error, got %v", err)
	}
	return ae.Fields
}

func TestReturnReceivedWithTwoDispositionsRefundsAndRestocks(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	o := delivered(t, a, "R1", 2)
	before := onHand(t, a, "LYS", "TEE")
	r, created, err := s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionRefund,
		Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 2, Reason: "too_small"}}})
	if err != nil || !created {
		t.Fatalf("create: %v %v", created, err)
	}
	if r.Status != StatusApproved || r.Location != "LYS" || !strings.HasPrefix(r.Number, "RT-") {
		t.Fatalf("return: %+v", r)
	}
	// The whole order comes back: shipping is refunded too (default policy).
	if r.Refund == nil || r.Refund.Amount != "20.00" || r.Refund.Status != RefundPending {
		t.Fatalf("refund before receipt: %+v", r.Refund)
	}
	r, err = s.Receive(ctx, app.System, r.Number, Receipt{Lines: []ReceiptLine{
		{Line: o.Lines[0].ID, Quantity: 1, Disposition: DispositionRestock},
		{Line: o.Lines[0].ID, Quantity: 1, Disposition: DispositionQuarantine}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusReceived || r.Lines[0].Received != 2 || len(r.Lines[0].Dispositions) != 2 {
		t.Fatalf("after receipt: %+v", r)
	}
	if got := onHand(t, a, "LYS", "TEE"); got != before+1 {
		t.Fatalf("on hand %d, want %d (one restocked)", got, before+1)
	}
	if len(r.Refunds) != 1 || r.Refunds[0].Amount != "24.90" || r.Refunds[0].Shipping != "4.90" {
		t.Fatalf("refunds: %+v", r.Refunds)
	}
	after, err := a.OrderByNumber(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != app.StatusReturned || after.Refunded != 2490 {
		t.Fatalf("order after: %s refunded %d", after.Status, after.Refunded)
	}
	var words string
	for _, e := range after.Events {
		if e.Kind == "return_received" {
			words = e.Message
		}
	}
	want := "Return " + r.Number + " received in Lyon warehouse on 2 Nov: TEE: 1 restocked, 1 quarantined; refund of EUR 24.90 to be made in web by hand"
	if !strings.HasPrefix(words, want) {
		t.Fatalf("timeline: %q\nwant prefix %q", words, want)
	}
	apptest.CheckInvariants(t, a)
}

func TestReturnRefusesMoreThanShippedAndWritesNothing(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	o := delivered(t, a, "R2", 1)
	_, _, err := s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionRefund,
		Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 2, Reason: "damaged"}, {Line: 999, Quantity: 1, Reason: "nope"}}})
	f := fields(t, err)
	if !strings.Contains(f["lines[0].quantity"], "at most 1") || !strings.Contains(f["lines[1].line"], "not a line of order") ||
		f["lines[1].reason"] == "" {
		t.Fatalf("fields: %v", f)
	}
	if rs, _ := s.ForOrder(ctx, o.ID); len(rs) != 0 {
		t.Fatalf("a refused return was written: %+v", rs)
	}
	// An unknown or inactive exchange SKU, and an exchange without lines.
	_, _, err = s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionExchange,
		Lines:         []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "too_small"}},
		ExchangeLines: []ExchangeInput{{SKU: "NOPE", Quantity: 1}}})
	if f := fields(t, err); !strings.Contains(f["exchange_lines[0].sku"], "unknown SKU") {
		t.Fatalf("fields: %v", f)
	}
}

func TestConcurrentReturnsNeverTakeAUnitTwice(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	o := delivered(t, a, "R3", 3)
	const racers = 24
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionNone,
				Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "changed_mind"}}})
			if err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			} else if app.ErrorKind(err) != app.KindInvalid {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok != 3 {
		t.Fatalf("%d returns of 3 shipped units were accepted", ok)
	}
}

func TestConcurrentReceiptsCountALineOnce(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	o := delivered(t, a, "R4", 2)
	before := onHand(t, a, "LYS", "TEE")
	r, _, err := s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionNone,
		Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 2, Reason: "changed_mind"}}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Receive(ctx, app.System, r.Number, Receipt{Lines: []ReceiptLine{
				{Line: o.Lines[0].ID, Quantity: 2, Disposition: DispositionRestock}}})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if k := app.ErrorKind(err); k != app.KindConflict && k != app.KindInvalid {
			t.Error(err)
		}
	}
	if got := onHand(t, a, "LYS", "TEE"); ok != 1 || got != before+2 {
		t.Fatalf("%d receipts accepted, on hand %d (want 1 and %d)", ok, got, before+2)
	}
	apptest.CheckInvariants(t, a)
}

func TestReturnStateMachineRefusesWrongMoves(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	o := delivered(t, a, "R5", 1)
	no := false
	r, _, err := s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionRefund, Approve: &no,
		Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "late"}}})
	if err != nil || r.Status != StatusRequested {
		t.Fatalf("create: %+v %v", r, err)
	}
	if _, err := s.Decline(ctx, support, r.Number, "worn"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Receive(ctx, app.System, r.Number, Receipt{Lines: []ReceiptLine{{Line: o.Lines[0].ID, Quantity: 1, Disposition: "restock"}}})
	if app.ErrorKind(err) != app.KindConflict || !strings.Contains(err.Error(), "declined") {
		t.Fatalf("receive a declined return: %v", err)
	}
	// The declined unit may be returned again.
	if _, _, err := s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionNone,
		Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "late"}}}); err != nil {
		t.Fatalf("return again after a decline: %v", err)
	}
	for from, tos := range moves {
		for _, to := range Statuses {
			if CanMove(from, to) != containsStatus(tos, to) {
				t.Errorf("CanMove(%s, %s) disagrees with the table", from, to)
			}
		}
	}
}

func containsStatus(list []Status, s Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestReturnWindowAndFinalSaleNeedAnOverride(t *testing.T) {
	a, c := network(t)
	s, ctx := svc(a), context.Background()
	o := delivered(t, a, "R6", 1)
	c.Add(31 * 24 * time.Hour)
	in := NewReturn{Resolution: ResolutionRefund, Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "late"}}}
	_, _, err := s.Create(ctx, support, o.Number, in)
	if f := fields(t, err); !strings.Contains(f["order"], "return window of 30 days closed on 2 Dec 2026") {
		t.Fatalf("fields: %v", f)
	}
	in.Override = true
	if _, _, err := s.Create(ctx, support, o.Number, in); err == nil || !strings.Contains(fmt.Sprint(fields(t, err)), "only an ops manager") {
		t.Fatalf("support overriding: %v", err)
	}
	r, _, err := s.Create(ctx, ops, o.Number, in)
	if err != nil || !strings.Contains(r.Override, "policy overridden by Olga Ops") {
		t.Fatalf("ops override: %+v %v", r.Override, err)
	}
}

func TestExchangePlacesALinkedOrderAtApproval(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	apptest.MustSKU(t, a, "TEE-L")
	apptest.Count(t, a, "PAR", "TEE-L", 3)
	o := delivered(t, a, "R7", 1)
	no := false
	r, _, err := s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionExchange, Approve: &no,
		Lines:         []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "too_small"}},
		ExchangeLines: []ExchangeInput{{SKU: "TEE-L", Quantity: 1}}})
	if err != nil || r.ExchangeOrder != nil {
		t.Fatalf("create: %+v %v", r, err)
	}
	if r, err = s.Approve(ctx, support, r.Number); err != nil {
		t.Fatal(err)
	}
	if r.ExchangeOrder == nil {
		t.Fatal("no exchange order after approval")
	}
	x, err := a.OrderByNumber(ctx, *r.ExchangeOrder)
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != app.StatusRouted || x.Total != 0 || x.Lines[0].SKU != "TEE-L" || x.Fulfillments[0].Location != "PAR" {
		t.Fatalf("exchange order: %s total %d %+v", x.Status, x.Total, x.Fulfillments)
	}
	back, err := s.OfExchange(ctx, x.ID)
	if err != nil || len(back) != 1 || back[0].Number != r.Number {
		t.Fatalf("exchange links back: %+v %v", back, err)
	}
	// Cancelling the return while its exchange stands is refused.
	if _, err := s.Cancel(ctx, support, r.Number); app.ErrorKind(err) != app.KindConflict {
		t.Fatalf("cancel with an exchange: %v", err)
	}
}

func TestComputeDue(t *testing.T) {
	for _, c := range []struct {
		items, pct, ship, already, left int64
		fee, amount                     int64
	}{
		{1990, 0, 0, 0, 10000, 0, 1990},
		{1990, 10, 0, 0, 10000, 199, 1791},
		{1995, 10, 0, 0, 10000, 200, 1795}, // 199.5 rounds half up
		{1990, 0, 490, 0, 10000, 0, 2480},
		{1990, 0, 0, 1000, 10000, 0, 990},
		{1990, 0, 490, 0, 1000, 0, 1000}, // never more than left of the payment
		{1990, 0, 0, 5000, 10000, 0, 0},
	} {
		d := computeDue(c.items, c.pct, c.ship, c.already, c.left)
		if d.Fee != c.fee || d.Amount != c.amount {
			t.Errorf("computeDue(%+v) = fee %d amount %d", c, d.Fee, d.Amount)
		}
	}
}

func TestChannelRefundIsRecordedOnce(t *testing.T) {
	a, _ := network(t)
	ctx := context.Background()
	o := delivered(t, a, "R8", 1)
	web := app.Actor{Kind: app.ActorChannel, Name: "web", Channel: "web"}
	for i := range 2 {
		err := a.Write(ctx, func(tx app.Tx) error {
			row, err := tx.Q.GetOrderByNumber(ctx, o.Number)
			if err != nil {
				return err
			}
			rec, err := RecordChannelRefundTx(ctx, tx, web, row, ChannelRefund{ExternalID: "777", Amount: 1000})
			if rec != (i == 0) {
				return errors.New("recorded twice")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	after, err := a.OrderByNumber(ctx, o.Number)
	if err != nil || after.Refunded != 1000 {
		t.Fatalf("refunded %d %v", after.Refunded, err)
	}
}

func TestRestockedReturnRoutesABackorderThroughTheLedger(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	o := delivered(t, a, "R9", 5) // takes all 5 TEE of Lyon
	waiting, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("R10", 1))
	if err != nil || waiting.Status != app.StatusBackordered {
		t.Fatalf("second order: %v %v; want backordered", waiting.Status, err)
	}
	r, _, err := s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionNone,
		Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "changed_mind"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Receive(ctx, app.System, r.Number, Receipt{Lines: []ReceiptLine{
		{Line: o.Lines[0].ID, Quantity: 1, Disposition: DispositionRestock}}}); err != nil {
		t.Fatal(err)
	}
	waiting, err = a.OrderByNumber(ctx, waiting.Number)
	if err != nil || waiting.Status != app.StatusRouted || waiting.Fulfillments[0].Location != "LYS" {
		t.Fatalf("waiting order after the return: %v %v", waiting.Status, err)
	}
	ledger, err := a.Ledger(ctx, "LYS", "TEE", 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range ledger.Entries {
		if e.Reason == app.ReasonReturn && e.Reference == r.Number && e.DeltaOnHand == 1 {
			found = true
		}
	}
	if !found {
		t.Fatalf("no ledger row of kind return for %s: %+v", r.Number, ledger.Entries)
	}
	apptest.CheckInvariants(t, a)
}

func TestRefundAnswersSettleTheReturn(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	for _, ok := range []bool{true, false} {
		o := delivered(t, a, fmt.Sprint("A", ok), 1)
		r, _, err := s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionRefund,
			Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "defective"}}})
		if err != nil {
			t.Fatal(err)
		}
		r, err = s.Receive(ctx, app.System, r.Number, Receipt{Lines: []ReceiptLine{{Line: o.Lines[0].ID, Quantity: 1, Disposition: DispositionScrap}}})
		if err != nil || r.Status != StatusReceived || len(r.Refunds) != 1 {
			t.Fatalf("received: %+v %v", r, err)
		}
		if err := s.Answered(ctx, r.Refunds[0].ID, ok, "rf-1", "card expired"); err != nil {
			t.Fatal(err)
		}
		r, err = s.Get(ctx, app.Everywhere, r.Number)
		if err != nil {
			t.Fatal(err)
		}
		after, err := a.OrderByNumber(ctx, o.Number)
		if err != nil {
			t.Fatal(err)
		}
		if ok && (r.Status != StatusClosed || r.Refunds[0].Status != RefundSucceeded || *r.Refunds[0].ExternalID != "rf-1" || after.Refunded != 1490) {
			t.Errorf("succeeded: return %s refund %+v refunded %d", r.Status, r.Refunds[0], after.Refunded)
		}
		if !ok && (r.Status != StatusReceived || r.Refunds[0].Status != RefundFailed || after.Refunded != 0 ||
			!strings.Contains(after.Events[len(after.Events)-1].Message, "failed: card expired")) {
			t.Errorf("failed: return %s refund %+v refunded %d", r.Status, r.Refunds[0], after.Refunded)
		}
		// An answer twice changes nothing.
		if err := s.Answered(ctx, r.Refunds[0].ID, !ok, "", "late answer"); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.Get(ctx, app.Everywhere, r.Number); again.Refunds[0].Status != r.Refunds[0].Status {
			t.Errorf("a second answer changed the refund: %s -> %s", r.Refunds[0].Status, again.Refunds[0].Status)
		}
	}
}

func TestStoreLeadTakesBackAnOnlineOrderAtTheirStoreOnly(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	o := delivered(t, a, "S1", 1)
	lead := makeLead(t, a, "PAR")
	var err error
	in := NewReturn{Resolution: ResolutionRefund, Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "too_large"}}}
	if _, _, err = s.Create(ctx, lead, o.Number, in); !strings.Contains(fmt.Sprint(fields(t, err)), "name the location") {
		t.Fatalf("without a location: %v", err)
	}
	in.Location = "BER"
	if _, _, err = s.Create(ctx, lead, o.Number, in); !strings.Contains(fmt.Sprint(fields(t, err)), "your own locations") {
		t.Fatalf("another location: %v", err)
	}
	in.Location = "PAR"
	r, _, err := s.Create(ctx, lead, o.Number, in)
	if err != nil || r.Location != "PAR" || r.Status != StatusApproved {
		t.Fatalf("at the store: %+v %v", r, err)
	}
}

// makeLead makes a warehouse user of the location code.
func makeLead(t *testing.T, a *app.App, code string) app.Actor {
	t.Helper()
	u, _, err := accounts.New(a).CreateUser(context.Background(), app.System, accounts.NewUser{Email: "lead@example.com",
		Name: "Lea Lead", Role: string(app.RoleWarehouse), Password: "a long enough password", Locations: []string{code}})
	if err != nil {
		t.Fatal(err)
	}
	return app.Actor{Kind: app.ActorUser, ID: u.ID, Name: u.Name, Role: app.RoleWarehouse}
}

func TestStoreCreditByHandClosesAReceivedReturn(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	o := delivered(t, a, "SC", 2)
	r, _, err := s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionStoreCredit,
		Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "too_large"}}})
	if err != nil {
		t.Fatal(err)
	}
	half := moneyDecimal("4.00")
	if r, err = s.Refund(ctx, support, r.Number, &half); err != nil || r.Status != StatusApproved || r.Refunds[0].Kind != KindStoreCredit {
		t.Fatalf("store credit before receipt: %+v %v", r, err)
	}
	r, err = s.Receive(ctx, app.System, r.Number, Receipt{Lines: []ReceiptLine{{Line: o.Lines[0].ID, Quantity: 1, Disposition: DispositionRestock}}})
	if err != nil {
		t.Fatal(err)
	}
	// 10.00 due for the unit, 4.00 given before: 6.00 more at receipt, and the return closes.
	if r.Status != StatusClosed || len(r.Refunds) != 2 || r.Refunds[1].Amount != "6.00" || r.Refund.Amount != "10.00" {
		t.Fatalf("after receipt: %s %+v %+v", r.Status, r.Refunds, r.Refund)
	}
	if _, err := s.Refund(ctx, support, r.Number, nil); app.ErrorKind(err) != app.KindConflict {
		t.Fatalf("refund a closed return: %v", err)
	}
}

func TestAShopRefundSinceTheRequestIsNotRefundedAgainAtReceipt(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	o := delivered(t, a, "W2", 2)
	r, _, err := s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionRefund,
		Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "damaged"}}})
	if err != nil {
		t.Fatal(err)
	}
	// The merchant refunds 10.00 by hand in the shop, naming no return.
	web := app.Actor{Kind: app.ActorChannel, Name: "web", Channel: "web"}
	if err := a.Write(ctx, func(tx app.Tx) error {
		row, err := tx.Q.GetOrderByNumber(ctx, o.Number)
		if err != nil {
			return err
		}
		_, err = RecordChannelRefundTx(ctx, tx, web, row, ChannelRefund{ExternalID: "woo-9", Amount: 1000})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	r, err = s.Receive(ctx, app.System, r.Number, Receipt{Lines: []ReceiptLine{{Line: o.Lines[0].ID, Quantity: 1, Disposition: DispositionRestock}}})
	if err != nil {
		t.Fatal(err)
	}
	after, err := a.OrderByNumber(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Refunds) != 0 || after.Refunded != 1000 || r.Status != StatusReceived {
		t.Fatalf("refunded again at receipt: %+v, order refunded %d, return %s", r.Refunds, after.Refunded, r.Status)
	}
	last := after.Events[len(after.Events)-1]
	for _, e := range after.Events {
		if e.Kind == "return_received" {
			last = e
		}
	}
	if !strings.Contains(last.Message, "no refund was sent: the shop refunded EUR 10.00") {
		t.Fatalf("the receipt says %q", last.Message)
	}
}
