package channels

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/money"
	"switchyard/app/returns"
	store "switchyard/sql"
)

const returnsSecret = "shpss_returns_test"

// returnsApp is an App with a Shopify channel "shop" signed with
// returnsSecret (connected to base when it is set) and L1 serving it.
func returnsApp(t *testing.T, kind, base string) (*app.App, *Service) {
	t.Helper()
	clk := &testClock{now: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	a := apptest.NewAppAt(t, clk.Now)
	in := app.ChannelInput{Name: "Shop", Kind: kind, Secrets: &[]string{returnsSecret}}
	if base != "" {
		token := map[string]string{"woocommerce": "ck_test:cs_test", "shopify": "shpat_test"}[kind]
		in.Callback = &app.CallbackInput{BaseURL: base, Token: token}
	}
	if _, _, err := a.PutChannel(context.Background(), app.System, "shop", in); err != nil {
		t.Fatal(err)
	}
	apptest.MustLocation(t, a, "L1", "shop")
	return a, New(a, nil)
}

// line is one line of a test order: the channel's line id, SKU, units, unit price.
type line struct {
	ext, sku string
	qty      int64
	price    string
}

// shippedOrder places the channel's order ext with lines (stock counted for
// them) and ships it, so that its lines can come back.
func shippedOrder(t *testing.T, a *app.App, ext, currency string, lines ...line) app.Order {
	t.Helper()
	ctx := context.Background()
	lat, lon := 45.75, 4.85
	in := app.NewOrder{Channel: "shop", ExternalID: ext, Currency: currency,
		ShippingAddress: &app.AddressInput{Line1: "1 rue", City: "Lyon", Country: "FR", Lat: &lat, Lon: &lon}}
	for _, l := range lines {
		if _, err := a.Read().GetSKUByCode(ctx, l.sku); store.IsNoRows(err) {
			apptest.MustSKU(t, a, l.sku)
			apptest.Count(t, a, "L1", l.sku, 100)
		}
		in.Lines = append(in.Lines, app.LineInput{ExternalID: l.ext, SKU: l.sku, Quantity: l.qty, UnitPrice: money.Decimal(l.price)})
	}
	o, _, err := a.PlaceOrder(ctx, app.System, in)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range o.Fulfillments {
		if _, err := a.Ship(ctx, app.System, f.ID, app.ShipInput{Carrier: "ups", TrackingNumber: fmt.Sprintf("1Z5R8939035756712%d", 7+i)}); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

// hook sends body as a signed Shopify delivery of topic with the webhook id.
func hook(t *testing.T, s *Service, topic, id string, body []byte) WebhookResult {
	t.Helper()
	res, err := s.ReceiveShopify(context.Background(), Delivery{Channel: "shop", Topic: topic, ID: id,
		Signature: Sign(body, returnsSecret), Body: body})
	if err != nil {
		t.Fatalf("%s %s: %v", topic, id, err)
	}
	return res
}

// returnOf reads the channel's return by its Shopify id; nil when there is none.
func returnOf(t *testing.T, a *app.App, gid string) *returns.Return {
	t.Helper()
	ctx := context.Background()
	ch, err := a.Read().GetChannelByCode(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	row, err := a.Read().GetReturnByExternal(ctx, store.GetReturnByExternalParams{ChannelID: ch.ID, ExternalID: app.NullString(gid)})
	if store.IsNoRows(err) {
		return nil
	} else if err != nil {
		t.Fatal(err)
	}
	r, err := returns.New(a).Get(ctx, app.Reach{}, row.Number)
	if err != nil {
		t.Fatal(err)
	}
	return &r
}

// orderRow reads an order by the channel's id.
func orderRow(t *testing.T, a *app.App, ext string) store.Order {
	t.Helper()
	o, err := a.OrderByExternal(context.Background(), "shop", ext)
	if err != nil {
		t.Fatal(err)
	}
	row, err := a.Read().GetOrder(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return row
}

// refundsOf lists an order's refund rows.
func refundsOf(t *testing.T, a *app.App, orderID int64) []store.Refund {
	t.Helper()
	rows, err := a.Read().ListOrderRefunds(context.Background(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// sample reads a Shopify sample and lets edit change it (nil: unchanged).
func sample(t *testing.T, name string, edit func(map[string]any)) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "shopify_versions", name))
	if err != nil {
		t.Fatal(err)
	}
	if edit == nil {
		return b
	}
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// withLine adds the return line item Shopify's samples leave out: one unit
// of line item lineItem, for reason.
func withLine(lineItem, reason string) func(map[string]any) {
	return func(m map[string]any) {
		m["return_line_items"] = []any{map[string]any{"id": 555, "admin_graphql_api_id": "gid://shopify/ReturnLineItem/555",
			"quantity": 1, "return_reason": reason, "return_reason_note": "", "customer_note": "Too tight",
			"fulfillment_line_item": map[string]any{"id": 777, "admin_graphql_api_id": "gid://shopify/FulfillmentLineItem/777",
				"line_item": map[string]any{"id": json.Number(lineItem), "admin_graphql_api_id": "gid://shopify/LineItem/" + lineItem}}}}
	}
}

// versions lists the API versions with a sample of topic.
func versions(t *testing.T, topic string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "shopify_versions", "*_"+strings.ReplaceAll(topic, "/", "_")+".json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples of %s: %v", topic, err)
	}
	var out []string
	for _, f := range files {
		out = append(out, strings.SplitN(filepath.Base(f), "_", 2)[0])
	}
	sort.Strings(out)
	return out
}

// TestShopifyReturnSamplesEveryVersion takes Shopify's returns/request,
// returns/approve and returns/decline samples of every API version in
// through the signed webhook path, against an order whose ids match them.
func TestShopifyReturnSamplesEveryVersion(t *testing.T) {
	for _, v := range versions(t, "returns/request") {
		t.Run(v, func(t *testing.T) {
			a, s := returnsApp(t, "shopify", "")
			o := shippedOrder(t, a, "4783296544821", "EUR", line{"11111", "TEE", 2, "10.00"}, line{"22222", "MUG", 1, "8.00"})
			const gid = "gid://shopify/Return/123134564567890"

			// As Shopify documents it, the request lists no line items: nothing to take in.
			res := hook(t, s, "returns/request", v+"-raw", sample(t, v+"_returns_request.json", nil))
			if !strings.Contains(res.Result, "ignored") || returnOf(t, a, gid) != nil {
				t.Fatalf("a request without lines: %+v, return %+v", res, returnOf(t, a, gid))
			}
			body := sample(t, v+"_returns_request.json", withLine("11111", "SIZE_TOO_SMALL"))
			res = hook(t, s, "returns/request", v+"-1", body)
			r := returnOf(t, a, gid)
			if r == nil || r.Status != returns.StatusRequested || r.StartedBy != returns.OriginChannel || r.Order != o.Number {
				t.Fatalf("request: %+v -> %+v", res, r)
			}
			if len(r.Lines) != 1 || r.Lines[0].SKU != "TEE" || r.Lines[0].Quantity != 1 || r.Lines[0].Reason != "too_small" || r.Resolution != returns.ResolutionRefund {
				t.Fatalf("lines %+v resolution %s", r.Lines, r.Resolution)
			}
			if res := hook(t, s, "returns/request", v+"-1", body); !res.Duplicate {
				t.Fatalf("the same delivery again: %+v", res)
			}
			if res := hook(t, s, "returns/request", v+"-2", body); !strings.Contains(res.Result, "requested already") {
				t.Fatalf("the same return again: %+v", res)
			}

			res = hook(t, s, "returns/decline", v+"-3", sample(t, v+"_returns_decline.json", nil))
			r = returnOf(t, a, gid)
			if r.Status != returns.StatusDeclined || !strings.Contains(r.DeclineReason, "return period ended") || !strings.Contains(r.DeclineReason, "30-day") {
				t.Fatalf("decline: %+v -> %s %q", res, r.Status, r.DeclineReason)
			}
			if res := hook(t, s, "returns/approve", v+"-4", sample(t, v+"_returns_approve.json", nil)); !strings.Contains(res.Result, "declined already") {
				t.Fatalf("approve of a declined return: %+v", res)
			}

			// An approval Switchyard never saw requested creates the return approved.
			const gid2 = "gid://shopify/Return/123134564567999"
			body = sample(t, v+"_returns_approve.json", func(m map[string]any) {
				withLine("22222", "DEFECTIVE")(m)
				m["id"], m["admin_graphql_api_id"] = json.Number("123134564567999"), gid2
			})
			hook(t, s, "returns/approve", v+"-5", body)
			r = returnOf(t, a, gid2)
			if r == nil || r.Status != returns.StatusApproved || len(r.Lines) != 1 || r.Lines[0].SKU != "MUG" || r.Lines[0].Reason != "defective" {
				t.Fatalf("approve of an unknown return: %+v", r)
			}
		})
	}
}

// TestShopifyReturnApproveRequested: returns/approve approves the requested return.
func TestShopifyReturnApproveRequested(t *testing.T) {
	a, s := returnsApp(t, "shopify", "")
	shippedOrder(t, a, "4783296544821", "EUR", line{"11111", "TEE", 2, "10.00"})
	hook(t, s, "returns/request", "a-1", sample(t, "2026-07_returns_request.json", withLine("11111", "COLOR")))
	res := hook(t, s, "returns/approve", "a-2", sample(t, "2026-07_returns_approve.json", nil))
	r := returnOf(t, a, "gid://shopify/Return/123134564567890")
	if r.Status != returns.StatusApproved || r.Lines[0].Reason != "changed_mind" {
		t.Fatalf("%+v -> %+v", res, r)
	}
}

// TestShopifyReasons maps Shopify's reason codes (and definition handles).
func TestShopifyReasons(t *testing.T) {
	for code, want := range map[string]string{"SIZE_TOO_SMALL": "too_small", "size_too_large": "too_large", "NOT_AS_DESCRIBED": "not_as_described",
		"DEFECTIVE": "defective", "WRONG_ITEM": "wrong_item", "UNWANTED": "changed_mind", "STYLE": "changed_mind", "COLOR": "changed_mind",
		"OTHER": "other", "UNKNOWN": "other", "": "other", "SOMETHING_NEW": "other"} {
		if got := shopifyReason(code); got != want {
			t.Errorf("%q -> %q, want %q", code, got, want)
		}
	}
	a, s := returnsApp(t, "shopify", "")
	shippedOrder(t, a, "4783296544821", "EUR", line{"11111", "TEE", 2, "10.00"})
	body := sample(t, "2026-07_returns_request.json", func(m map[string]any) {
		withLine("11111", "")(m)
		l := m["return_line_items"].([]any)[0].(map[string]any)
		delete(l, "return_reason")
		l["return_reason_definition"] = map[string]any{"handle": "wrong-item", "name": "Wrong item"}
	})
	hook(t, s, "returns/request", "def-1", body)
	if r := returnOf(t, a, "gid://shopify/Return/123134564567890"); r == nil || r.Lines[0].Reason != "wrong_item" {
		t.Fatalf("reason by definition: %+v", r)
	}
}

// TestShopifyRefundSamplesEveryVersion takes Shopify's refunds/create
// samples of every version in, against the order built from their ids: the
// refund is recorded once, whether the delivery or the refund comes twice.
func TestShopifyRefundSamplesEveryVersion(t *testing.T) {
	for _, v := range versions(t, "refunds/create") {
		t.Run(v, func(t *testing.T) {
			a, s := returnsApp(t, "shopify", "")
			body := sample(t, v+"_refunds_create.json", nil)
			var in struct {
				OrderID id `json:"order_id"`
				Lines   []struct {
					LineItem struct {
						ID    id     `json:"id"`
						SKU   string `json:"sku"`
						Price string `json:"price"`
					} `json:"line_item"`
				} `json:"refund_line_items"`
				Transactions []any `json:"transactions"`
			}
			if err := json.Unmarshal(body, &in); err != nil {
				t.Fatal(err)
			}
			var lines []line
			for _, l := range in.Lines {
				lines = append(lines, line{string(l.LineItem.ID), l.LineItem.SKU, 1, l.LineItem.Price})
			}
			o := shippedOrder(t, a, string(in.OrderID), "USD", lines...)
			res := hook(t, s, "refunds/create", v+"-1", body)
			rows := refundsOf(t, a, o.ID)
			if len(in.Transactions) == 0 {
				if len(rows) != 0 || !strings.Contains(res.Result, "no money") {
					t.Fatalf("a refund without transactions: %+v, rows %+v", res, rows)
				}
				return
			}
			if len(rows) != 1 || rows[0].Amount != 8500 || rows[0].ExternalID.String != "890088186047892319" ||
				rows[0].Status != returns.RefundSucceeded || rows[0].Source != returns.SourceChannel {
				t.Fatalf("%+v -> %+v", res, rows)
			}
			if res := hook(t, s, "refunds/create", v+"-1", body); !res.Duplicate {
				t.Fatalf("the same delivery again: %+v", res)
			}
			if res := hook(t, s, "refunds/create", v+"-2", body); !strings.Contains(res.Result, "recorded before") {
				t.Fatalf("the same refund again: %+v", res)
			}
			if rows := refundsOf(t, a, o.ID); len(rows) != 1 || orderRow(t, a, string(in.OrderID)).Refunded != 8500 {
				t.Fatalf("after repeats: %+v, refunded %d", rows, orderRow(t, a, string(in.OrderID)).Refunded)
			}
		})
	}
}

// TestShopifyReturnHostile: a bad signature writes nothing; a return or a
// refund for an order never taken in is answered and ignored, the reason
// recorded; a refund above what was paid is recorded, counted up to the total.
func TestShopifyReturnHostile(t *testing.T) {
	ctx := context.Background()
	a, s := returnsApp(t, "shopify", "")
	shippedOrder(t, a, "4783296544821", "EUR", line{"11111", "TEE", 2, "10.00"})
	body := sample(t, "2026-07_returns_request.json", withLine("11111", "SIZE_TOO_SMALL"))
	_, err := s.ReceiveShopify(ctx, Delivery{Channel: "shop", Topic: "returns/request", ID: "bad-1",
		Signature: Sign(body, "wrong secret"), Body: body})
	if !errors.Is(err, ErrBadSignature) {
		t.Fatalf("bad signature: %v", err)
	}
	if ds, err := s.WebhookDeliveries(ctx, "shop", 10); err != nil || len(ds) != 0 || returnOf(t, a, "gid://shopify/Return/123134564567890") != nil {
		t.Fatalf("a bad signature wrote: %+v %v", ds, err)
	}

	other := sample(t, "2026-07_returns_request.json", func(m map[string]any) {
		withLine("11111", "OTHER")(m)
		m["order"] = map[string]any{"id": 999, "admin_graphql_api_id": "gid://shopify/Order/999"}
	})
	if res := hook(t, s, "returns/request", "u-1", other); !strings.Contains(res.Result, "ignored: no order 999") {
		t.Fatalf("unknown order: %+v", res)
	}
	if res := hook(t, s, "refunds/create", "u-2", sample(t, "2026-07_refunds_create.json", nil)); !strings.Contains(res.Result, "ignored: no order") {
		t.Fatalf("refund of an unknown order: %+v", res)
	}
	ds, err := s.WebhookDeliveries(ctx, "shop", 10)
	if err != nil || len(ds) != 2 || !strings.Contains(ds[0].Result, "ignored") {
		t.Fatalf("deliveries %+v %v", ds, err)
	}

	unknownLine := sample(t, "2026-07_returns_request.json", withLine("424242", "OTHER"))
	if res := hook(t, s, "returns/request", "u-3", unknownLine); !strings.Contains(res.Result, "refused") || !strings.Contains(res.Result, "424242") {
		t.Fatalf("a line of no order: %+v", res)
	}

	// 20.00 paid, 50.00 refunded in Shopify: recorded as Shopify said, counted up to 20.00.
	big := sample(t, "2026-07_refunds_create.json", func(m map[string]any) {
		m["order_id"] = json.Number("4783296544821")
		m["transactions"] = []any{map[string]any{"kind": "refund", "status": "success", "amount": "50.00"},
			map[string]any{"kind": "refund", "status": "failure", "amount": "7.00"}}
	})
	hook(t, s, "refunds/create", "big-1", big)
	o := orderRow(t, a, "4783296544821")
	if rows := refundsOf(t, a, o.ID); len(rows) != 1 || rows[0].Amount != 5000 || o.Refunded != o.Total || o.Total != 2000 {
		t.Fatalf("over-refund: %+v, refunded %d of %d", rows, o.Refunded, o.Total)
	}
}

// TestShopifyRefundOfOursCountsOnce: a refunds/create for a refund
// Switchyard asked for settles that refund (by the note's marker, or before
// the answer is recorded by the same amount) instead of counting it again.
func TestShopifyRefundOfOursCountsOnce(t *testing.T) {
	for _, marked := range []bool{true, false} {
		t.Run(fmt.Sprint("marked=", marked), func(t *testing.T) {
			ctx := context.Background()
			a, s := returnsApp(t, "shopify", "https://example.myshopify.com")
			shippedOrder(t, a, "4783296544821", "EUR", line{"11111", "TEE", 2, "10.00"})
			hook(t, s, "returns/approve", "o-1", sample(t, "2026-07_returns_approve.json", withLine("11111", "DEFECTIVE")))
			r := returnOf(t, a, "gid://shopify/Return/123134564567890")
			rs := returns.New(a)
			got, err := rs.Refund(ctx, app.System, r.Number, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Refunds) != 1 || got.Refunds[0].Status != returns.RefundSent {
				t.Fatalf("refund %+v", got.Refunds)
			}
			ours := got.Refunds[0]
			o := orderRow(t, a, "4783296544821")
			before := o.Refunded
			body := sample(t, "2026-07_refunds_create.json", func(m map[string]any) {
				m["order_id"] = json.Number("4783296544821")
				m["note"] = "Refund from the shop"
				if marked {
					m["note"] = "Switchyard return " + r.Number + " " + refundMarker(ours.ID)
				}
				m["transactions"] = []any{map[string]any{"kind": "refund", "status": "success", "amount": ours.Amount}}
			})
			hook(t, s, "refunds/create", "o-2", body)
			rows := refundsOf(t, a, o.ID)
			if len(rows) != 1 || rows[0].Status != returns.RefundSucceeded || rows[0].ExternalID.String != "890088186047892319" {
				t.Fatalf("rows %+v", rows)
			}
			if after := orderRow(t, a, "4783296544821").Refunded; after != before {
				t.Fatalf("refunded %d, was %d: counted twice", after, before)
			}
		})
	}
}
