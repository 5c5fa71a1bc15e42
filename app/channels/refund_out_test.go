package channels

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/channels/wootest"
	"switchyard/app/outbox"
	"switchyard/app/returns"
	store "switchyard/sql"
)

// receivedReturn ships order ext (2 TEE at 10.00 on line item 1), returns
// both units and receives them: the refund of 20.00 is asked of the channel.
func receivedReturn(t *testing.T, a *app.App, ext string) (returns.Return, store.Order) {
	t.Helper()
	ctx := context.Background()
	o := shippedOrder(t, a, ext, "EUR", line{"1", "TEE", 2, "10.00"})
	rs := returns.New(a)
	r, _, err := rs.Create(ctx, app.System, o.Number, returns.NewReturn{Resolution: returns.ResolutionRefund,
		Lines: []returns.LineInput{{Line: o.Lines[0].ID, Quantity: 2, Reason: "defective"}}})
	if err != nil {
		t.Fatal(err)
	}
	r, err = rs.Receive(ctx, app.System, r.Number, returns.Receipt{Lines: []returns.ReceiptLine{{Line: o.Lines[0].ID, Quantity: 2, Disposition: returns.DispositionRestock}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Refunds) != 1 || r.Refunds[0].Status != returns.RefundSent {
		t.Fatalf("refund %+v", r.Refunds)
	}
	return r, orderRow(t, a, ext)
}

// reread reads a return again.
func reread(t *testing.T, a *app.App, number string) returns.Return {
	t.Helper()
	r, err := returns.New(a).Get(context.Background(), app.Reach{}, number)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// timelineSays reports whether the order's timeline has an entry containing s.
func timelineSays(t *testing.T, a *app.App, orderID int64, s string) bool {
	t.Helper()
	evs, err := a.Read().ListOrderEvents(context.Background(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if strings.Contains(e.Message, s) {
			return true
		}
	}
	return false
}

// TestShopifyRefundOut: the refund goes out with refundCreate (the line item,
// the sale as parent, an idempotency key and our marker); Shopify's refund id
// is kept, the return closes. An attempt that landed but timed out is not
// made twice.
func TestShopifyRefundOut(t *testing.T) {
	ctx := context.Background()
	shop := newFakeShopify()
	srv := httptest.NewServer(shop)
	defer srv.Close()
	a, s := returnsApp(t, "shopify", srv.URL)
	ob := outbox.New(a, s.Sender())
	r, _ := receivedReturn(t, a, "5001")

	shop.mode.Store("slow") // the refund lands, the answer comes too late
	opts := outbox.DispatcherOptions{Client: &http.Client{Timeout: 100 * time.Millisecond}, BaseBackoff: time.Nanosecond, Jitter: func() float64 { return 0 }}
	// The first attempt times out; the retry (due at once) finds the refund there.
	if _, err := ob.DispatchDue(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if !timelineSays(t, a, r.OrderID, "the refund was already there") {
		t.Fatal("the retry did not find the refund")
	}
	made := shop.refundsOf("5001")
	if len(made) != 1 {
		t.Fatalf("Shopify made %d refunds: %+v (refused %v)", len(made), made, shop.refused())
	}
	in := made[0].Input
	items := in["refundLineItems"].([]any)
	if items[0].(map[string]any)["lineItemId"] != "gid://shopify/LineItem/1" || in["transactions"].([]any)[0].(map[string]any)["amount"] != "20.00" ||
		!strings.Contains(made[0].Note, refundMarker(r.Refunds[0].ID)) {
		t.Fatalf("refundCreate input %+v", in)
	}
	got := reread(t, a, r.Number)
	if got.Refunds[0].Status != returns.RefundSucceeded || got.Status != returns.StatusClosed {
		t.Fatalf("after the answer: %s %+v", got.Status, got.Refunds)
	}
	row, err := a.Read().GetRefund(ctx, r.Refunds[0].ID)
	if err != nil || row.ExternalID.String != gidNumber(made[0].ID) {
		t.Fatalf("refund row %+v %v, want id %s", row, err, made[0].ID)
	}
}

// TestShopifyRefundOutRefused: a refund Shopify refuses is final: failed at
// once with Shopify's words, the money counts as not refunded.
func TestShopifyRefundOutRefused(t *testing.T) {
	ctx := context.Background()
	shop := newFakeShopify()
	shop.refuseRefund = "Refund amount must be less than or equal to the refundable amount."
	srv := httptest.NewServer(shop)
	defer srv.Close()
	a, s := returnsApp(t, "shopify", srv.URL)
	r, o := receivedReturn(t, a, "5002")
	if o.Refunded != 2000 {
		t.Fatalf("refunded %d before the answer", o.Refunded)
	}
	if _, err := outbox.New(a, s.Sender()).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	got := reread(t, a, r.Number)
	if got.Refunds[0].Status != returns.RefundFailed || got.Status != returns.StatusReceived {
		t.Fatalf("%s %+v", got.Status, got.Refunds)
	}
	if o := orderRow(t, a, "5002"); o.Refunded != 0 {
		t.Fatalf("refunded %d after the failure", o.Refunded)
	}
	if !timelineSays(t, a, o.ID, "must be less than or equal") {
		t.Fatal("the timeline does not say why")
	}
}

// TestRefundOutDeadAfterRetries: a channel that never answers: the message
// goes dead after its attempts and the refund fails, saying so.
func TestRefundOutDeadAfterRetries(t *testing.T) {
	ctx := context.Background()
	shop := newFakeShopify()
	shop.mode.Store("down")
	srv := httptest.NewServer(shop)
	defer srv.Close()
	a, s := returnsApp(t, "shopify", srv.URL)
	r, o := receivedReturn(t, a, "5003")
	opts := outbox.DispatcherOptions{MaxAttempts: 2, BaseBackoff: time.Nanosecond, Jitter: func() float64 { return 0 }}
	ob := outbox.New(a, s.Sender())
	for range 2 {
		time.Sleep(2 * time.Millisecond)
		if _, err := ob.DispatchDue(ctx, opts); err != nil {
			t.Fatal(err)
		}
	}
	got := reread(t, a, r.Number)
	if got.Refunds[0].Status != returns.RefundFailed || orderRow(t, a, "5003").Refunded != 0 {
		t.Fatalf("%+v", got.Refunds)
	}
	if !timelineSays(t, a, o.ID, "given up after 2 attempts") {
		t.Fatal("the timeline does not say why")
	}
}

// TestWooRefundOut: POST orders/{id}/refunds with api_refund; WooCommerce's
// refund id is kept; a refund already there (ours, by its reason) is not
// made again; a 400 is final and fails the refund.
func TestWooRefundOut(t *testing.T) {
	ctx := context.Background()
	woo := wootest.New(t, "ck_test", "cs_test", 10)
	a, s := returnsApp(t, "woocommerce", woo.URL)
	ob := outbox.New(a, s.Sender())
	opts := outbox.DispatcherOptions{Client: woo.Client}
	r, _ := receivedReturn(t, a, "6001")
	if _, err := ob.DispatchDue(ctx, opts); err != nil {
		t.Fatal(err)
	}
	made := woo.Refunds("6001")
	if len(made) != 1 || made[0]["amount"] != "20.00" || made[0]["api_refund"] != true || !strings.Contains(made[0]["reason"].(string), refundMarker(r.Refunds[0].ID)) {
		t.Fatalf("refunds %+v", made)
	}
	got := reread(t, a, r.Number)
	row, err := a.Read().GetRefund(ctx, r.Refunds[0].ID)
	if err != nil || got.Refunds[0].Status != returns.RefundSucceeded || row.ExternalID.String != "700" || got.Status != returns.StatusClosed {
		t.Fatalf("%s %+v %+v %v", got.Status, got.Refunds, row, err)
	}

	// A second refund whose first attempt landed: found by its reason, not made again.
	r2, _ := receivedReturn(t, a, "6002")
	p := returns.RefundPayload{Refund: r2.Refunds[0].ID, Note: "Switchyard return " + r2.Number}
	woo.Put(t, []byte(`{"id": 6002}`))
	req, _ := http.NewRequest(http.MethodPost, woo.URL+"/wp-json/wc/v3/orders/6002/refunds", strings.NewReader(`{"amount":"20.00","reason":"`+refundNote(p)+`"}`))
	req.SetBasicAuth("ck_test", "cs_test")
	res, err := woo.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if _, err := ob.DispatchDue(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if made := woo.Refunds("6002"); len(made) != 1 || reread(t, a, r2.Number).Refunds[0].Status != returns.RefundSucceeded {
		t.Fatalf("refunds %+v, %+v", made, reread(t, a, r2.Number).Refunds)
	}

	woo.RefuseRefunds("Invalid refund amount.")
	r3, o3 := receivedReturn(t, a, "6003")
	if _, err := ob.DispatchDue(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if got := reread(t, a, r3.Number); got.Refunds[0].Status != returns.RefundFailed || !timelineSays(t, a, o3.ID, "Invalid refund amount") {
		t.Fatalf("%+v", got.Refunds)
	}
}
