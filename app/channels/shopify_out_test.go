package channels

import (
	"switchyard/app/apptest"

	"switchyard/app"
	"switchyard/app/outbox"

	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// shopifyPath is the Admin GraphQL endpoint of the version the fake serves.
const shopifyPath = "/admin/api/2026-04/graphql.json"

// gqlErrors are the top-level error messages of an answer.
func gqlErrors(ans map[string]any) []string {
	var out []string
	errs, _ := ans["errors"].([]any)
	for _, e := range errs {
		m, _ := e.(map[string]any)
		s, _ := m["message"].(string)
		out = append(out, s)
	}
	return out
}

// gqlUserErrors are the messages (and codes) of the userErrors under field in
// an answer's data.
func gqlUserErrors(ans map[string]any, field, list string) []string {
	data, _ := ans["data"].(map[string]any)
	payload, _ := data[field].(map[string]any)
	ue, _ := payload[list].([]any)
	var out []string
	for _, e := range ue {
		m, _ := e.(map[string]any)
		out = append(out, strings.TrimSpace(strings.TrimPrefix(m["message"].(string)+" "+asString(m["code"]), " ")))
	}
	return out
}

// asString is v when it is a string, else "".
func asString(v any) string {
	s, _ := v.(string)
	return s
}

// okSet are valid inventorySetQuantities variables for the fake.
func okSet(from any) map[string]any {
	return map[string]any{
		"input": map[string]any{"name": "available", "reason": "correction", "quantities": []any{map[string]any{
			"inventoryItemId": "gid://shopify/InventoryItem/30322695", "locationId": "gid://shopify/Location/1",
			"quantity": 5, "changeFromQuantity": from}}},
		"idempotencyKey": "k-" + time.Now().Format(time.RFC3339Nano),
	}
}

// TestShopifyFakeRefusesDrift posts hand-written documents to the fake
// Shopify: the documents Switchyard sends are accepted, and each drift from
// the 2026-04 API (an old version, a removed or deprecated field, a missing
// @idempotent, changeFromQuantity or refundMethod, a held fulfillment order) is
// refused the way Shopify refuses it. The fake is what the dispatcher tests
// run against, so a request that drifts fails them.
func TestShopifyFakeRefusesDrift(t *testing.T) {
	shop := newFakeShopify()
	shop.fos["9"] = []*fakeFO{
		{ID: "gid://shopify/FulfillmentOrder/91", Status: "OPEN", Lines: []fakeFOLine{{ID: "gid://shopify/FulfillmentOrderLineItem/1", LineItem: "gid://shopify/LineItem/1", SKU: "TEE", Remaining: 2}}},
		{ID: "gid://shopify/FulfillmentOrder/92", Status: "ON_HOLD", Lines: []fakeFOLine{{ID: "gid://shopify/FulfillmentOrderLineItem/2", LineItem: "gid://shopify/LineItem/2", SKU: "MUG", Remaining: 1}}},
		{ID: "gid://shopify/FulfillmentOrder/93", Status: "SCHEDULED", Lines: []fakeFOLine{{ID: "gid://shopify/FulfillmentOrderLineItem/3", LineItem: "gid://shopify/LineItem/3", SKU: "CAP", Remaining: 1}}},
	}
	srv := httptest.NewServer(shop)
	defer srv.Close()
	fulfil := func(fo, line string) map[string]any {
		return map[string]any{"fulfillment": map[string]any{"notifyCustomer": true,
			"trackingInfo":                map[string]any{"company": "UPS", "number": "1Z" + fo, "url": "https://ups.example/1Z"},
			"lineItemsByFulfillmentOrder": []any{map[string]any{"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/" + fo, "fulfillmentOrderLineItems": []any{map[string]any{"id": line, "quantity": 1}}}},
		}, "message": "m"}
	}
	cancelVars := map[string]any{"orderId": "gid://shopify/Order/9", "reason": "OTHER",
		"refundMethod": map[string]any{"originalPaymentMethodsRefund": false}, "restock": false, "notifyCustomer": true, "staffNote": "n"}

	// What Switchyard sends passes.
	for name, c := range map[string]struct {
		query string
		vars  map[string]any
	}{
		"order":       {shopifyOrderQuery, map[string]any{"id": "gid://shopify/Order/9"}},
		"variant":     {shopifyVariantBySKU, map[string]any{"query": `sku:"TEE"`}},
		"level":       {shopifyInventoryLevel, map[string]any{"item": "gid://shopify/InventoryItem/30322695", "location": "gid://shopify/Location/1"}},
		"set":         {shopifyInventorySet, okSet(nil)},
		"cancel":      {shopifyOrderCancel, cancelVars},
		"fulfil open": {shopifyFulfillmentCreate, fulfil("91", "gid://shopify/FulfillmentOrderLineItem/1")},
	} {
		t.Run("accepts "+name, func(t *testing.T) {
			status, ans := postGraphQL(t, srv.URL, shopifyPath, c.query, c.vars)
			if status != 200 || ans["data"] == nil || len(gqlErrors(ans)) > 0 || len(gqlUserErrors(ans, "fulfillmentCreate", "userErrors")) > 0 ||
				len(gqlUserErrors(ans, "inventorySetQuantities", "userErrors")) > 0 {
				t.Fatalf("%d %v", status, ans)
			}
		})
	}

	// Another version's path, or none, is not found.
	for _, path := range []string{"/admin/api/2025-01/graphql.json", "/admin/api/graphql.json", "/admin/api/unstable/graphql.json"} {
		t.Run("404 "+path, func(t *testing.T) {
			if status, _ := postGraphQL(t, srv.URL, path, shopifyOrderQuery, map[string]any{"id": "gid://shopify/Order/9"}); status != http.StatusNotFound {
				t.Fatalf("%s: %d, want 404", path, status)
			}
		})
	}

	set2025 := `mutation inventorySetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) { inventoryAdjustmentGroup { reason } userErrors { field message } }
}`
	withIgnore := okSet(nil)
	withIgnore["input"].(map[string]any)["ignoreCompareQuantity"] = true
	withCompare := okSet(nil)
	q := withCompare["input"].(map[string]any)["quantities"].([]any)[0].(map[string]any)
	delete(q, "changeFromQuantity")
	q["compareQuantity"] = 3
	noFrom := okSet(nil)
	delete(noFrom["input"].(map[string]any)["quantities"].([]any)[0].(map[string]any), "changeFromQuantity")
	cancelRefund := `mutation orderCancel($orderId: ID!, $reason: OrderCancelReason!, $refund: Boolean!, $restock: Boolean!) {
  orderCancel(orderId: $orderId, reason: $reason, refund: $refund, restock: $restock) { job { id done } orderCancelUserErrors { field message code } }
}`
	cancelNoMethod := `mutation orderCancel($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!) {
  orderCancel(orderId: $orderId, reason: $reason, restock: $restock) { job { id done } orderCancelUserErrors { field message code } }
}`
	cancelOldSelection := strings.Replace(shopifyOrderCancel, "orderCancelUserErrors { field message code }", "userErrors { field message }", 1)
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		says        string // in the top-level errors
	}{
		{"inventorySetQuantities without @idempotent", set2025, map[string]any{"input": okSet(nil)["input"]}, "@idempotent directive is required"},
		{"inventorySetQuantities with ignoreCompareQuantity", shopifyInventorySet, withIgnore, "ignoreCompareQuantity"},
		{"a quantity with compareQuantity", shopifyInventorySet, withCompare, "compareQuantity"},
		{"orderCancel with the refund Boolean", cancelRefund, map[string]any{"orderId": "gid://shopify/Order/9", "reason": "OTHER", "refund": false, "restock": false}, "refund"},
		{"orderCancel without refundMethod", cancelNoMethod, map[string]any{"orderId": "gid://shopify/Order/9", "reason": "OTHER", "restock": false}, "refundMethod"},
		{"orderCancel selecting the deprecated userErrors", cancelOldSelection, cancelVars, "userErrors"},
		{"a variable of the wrong type", strings.Replace(shopifyOrderCancel, "$refundMethod: OrderCancelRefundMethodInput!", "$refundMethod: Boolean!", 1), cancelVars, "refundMethod"},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			status, ans := postGraphQL(t, srv.URL, shopifyPath, c.query, c.vars)
			errs := gqlErrors(ans)
			if status != 200 || ans["data"] != nil || len(errs) == 0 || !strings.Contains(strings.Join(errs, "; "), c.says) {
				t.Fatalf("%d %v, want top-level errors naming %q", status, ans, c.says)
			}
		})
	}

	// Input errors Shopify finds while running the mutation are userErrors.
	for _, c := range []struct {
		name, query, field, list string
		vars                     map[string]any
		says                     string
	}{
		{"a quantity without changeFromQuantity", shopifyInventorySet, "inventorySetQuantities", "userErrors", noFrom, "changeFromQuantity is required"},
		{"a stale changeFromQuantity", shopifyInventorySet, "inventorySetQuantities", "userErrors", okSet(4), "CHANGE_FROM_QUANTITY_STALE"},
		{"an on-hold fulfillment order", shopifyFulfillmentCreate, "fulfillmentCreate", "userErrors", fulfil("92", "gid://shopify/FulfillmentOrderLineItem/2"), "status= on_hold"},
		{"a scheduled fulfillment order", shopifyFulfillmentCreate, "fulfillmentCreate", "userErrors", fulfil("93", "gid://shopify/FulfillmentOrderLineItem/3"), "status= scheduled"},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			status, ans := postGraphQL(t, srv.URL, shopifyPath, c.query, c.vars)
			ue := gqlUserErrors(ans, c.field, c.list)
			if status != 200 || len(gqlErrors(ans)) > 0 || len(ue) == 0 || !strings.Contains(strings.Join(ue, "; "), c.says) {
				t.Fatalf("%d %v, want userErrors saying %q", status, ans, c.says)
			}
		})
	}

	t.Run("refuses a key used again with other variables", func(t *testing.T) {
		vars := okSet(nil)
		if _, ans := postGraphQL(t, srv.URL, shopifyPath, shopifyInventorySet, vars); len(gqlUserErrors(ans, "inventorySetQuantities", "userErrors")) > 0 {
			t.Fatalf("first: %v", ans)
		}
		vars["input"].(map[string]any)["quantities"].([]any)[0].(map[string]any)["quantity"] = 6
		_, ans := postGraphQL(t, srv.URL, shopifyPath, shopifyInventorySet, vars)
		if ue := gqlUserErrors(ans, "inventorySetQuantities", "userErrors"); !slices.ContainsFunc(ue, func(s string) bool { return strings.HasSuffix(s, "IDEMPOTENCY_KEY_PARAMETER_MISMATCH") }) {
			t.Fatalf("same key, other quantity: %v", ans)
		}
	})
}

// pushedSets are the inventorySetQuantities the fake accepted: the
// changeFromQuantity (nil: null) and quantity of each, with its key.
type pushedSet struct {
	from     any
	hasFrom  bool
	quantity int64
	key      string
}

func pushedSets(t *testing.T, shop *fakeShopify) []pushedSet {
	t.Helper()
	var out []pushedSet
	for _, c := range shop.callsOf("inventorySetQuantities") {
		v := c["variables"].(map[string]any)
		q := v["input"].(map[string]any)["quantities"].([]any)[0].(map[string]any)
		from, has := q["changeFromQuantity"]
		if f, ok := from.(float64); ok {
			from = int64(f)
		}
		out = append(out, pushedSet{from: from, hasFrom: has, quantity: int64(q["quantity"].(float64)), key: v["idempotencyKey"].(string)})
	}
	return out
}

// adjustTEE changes TEE's stock at L1 by delta and lets the coalescing delay pass.
func adjustTEE(t *testing.T, a *app.App, clk *testClock, delta int64) {
	t.Helper()
	if _, err := a.AdjustStock(context.Background(), app.System, app.Adjustments{Adjustments: []app.Adjustment{{Location: "L1", SKU: "TEE", Delta: delta, Reason: "adjustment"}}}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
}

// TestAvailabilityShopify: without a location nothing is called. With one, the
// variant is found by SKU and its available quantity set at the location
// through the strict fake: the first push compares with nothing (null), the
// next with what Switchyard last set; when Shopify holds something else, it
// reads that and sets once more; when that is stale too, the attempt fails and
// the next attempt (with new idempotency keys) sets it.
func TestAvailabilityShopify(t *testing.T) {
	ctx := context.Background()
	shop := newFakeShopify()
	srv := httptest.NewServer(shop)
	defer srv.Close()
	a, clk := outboxApp(t, "shopify", srv.URL)
	clk.Advance(time.Hour)
	res := deliverAvailability(t, a)
	if r := res["TEE"]; r.Err != nil || r.Note != "no Shopify location set in the channel settings: nothing to update" || len(shop.callsOf("")) != 0 {
		t.Fatalf("without location: %+v, calls %v", r, shop.callsOf(""))
	}
	loc := "123"
	if _, _, err := a.PutChannel(ctx, app.System, "shop", app.ChannelInput{Name: "Shop", Kind: "shopify", InventoryLocation: &loc}); err != nil {
		t.Fatal(err)
	}
	const item, gid = "gid://shopify/InventoryItem/30322695", "gid://shopify/Location/123"

	// First push: nothing to compare with.
	adjustTEE(t, a, clk, -3)
	if r := deliverAvailability(t, a)["TEE"]; r.Err != nil || r.Status != 200 || r.Note != "" {
		t.Fatalf("first push: %+v (refused: %q)", r, shop.refused())
	}
	sets := pushedSets(t, shop)
	if len(sets) != 1 || !sets[0].hasFrom || sets[0].from != nil || sets[0].quantity != 99997 || !strings.HasPrefix(sets[0].key, "switchyard-outbox-") {
		t.Fatalf("first push %+v, want changeFromQuantity null and 99997 with an outbox key", sets)
	}
	find := shop.callsOf("productVariants")
	if len(find) != 1 || find[0]["variables"].(map[string]any)["query"] != `sku:"TEE"` || shop.level(item, gid) != 99997 {
		t.Fatalf("lookup %v, level %d", find, shop.level(item, gid))
	}

	// Second push: compared with the level last set.
	adjustTEE(t, a, clk, -2)
	if r := deliverAvailability(t, a)["TEE"]; r.Err != nil {
		t.Fatalf("second push: %v", r.Err)
	}
	if sets = pushedSets(t, shop); len(sets) != 2 || sets[1].from != int64(99997) || sets[1].quantity != 99995 || sets[1].key == sets[0].key {
		t.Fatalf("second push %+v, want from 99997 to 99995 under a new key", sets)
	}

	// A sale in Shopify meanwhile: stale, read, set once more from what it holds.
	shop.setLevel(item, gid, 50)
	adjustTEE(t, a, clk, -5)
	r := deliverAvailability(t, a)["TEE"]
	want := "Shopify held 50 where Switchyard last set 99995 (changed in Shopify meanwhile); set to 99990"
	if r.Err != nil || r.Note != want {
		t.Fatalf("stale push: %+v, want note %q", r, want)
	}
	if sets = pushedSets(t, shop); len(sets) != 4 || sets[2].from != int64(99995) || sets[3].from != int64(50) || sets[3].quantity != 99990 ||
		len(shop.callsOf("inventoryItem")) != 1 || shop.level(item, gid) != 99990 {
		t.Fatalf("stale push %+v, reads %d, level %d", sets, len(shop.callsOf("inventoryItem")), shop.level(item, gid))
	}

	// Stale twice in one attempt: a failed attempt, retried later under new keys.
	sales := 0
	shop.beforeSet = func(it, l string) { sales++; shop.setLevel(it, l, int64(10+sales)) }
	adjustTEE(t, a, clk, -10)
	if r := deliverAvailability(t, a)["TEE"]; r.Err == nil || !strings.Contains(r.Err.Error(), "changed in Shopify again") {
		t.Fatalf("stale twice: %+v", r)
	}
	if n := apptest.CountOutbox(t, a, app.OutboxPending, app.KindAvailability); n != 1 {
		t.Fatalf("%d pending, want the push to be retried", n)
	}
	shop.beforeSet = nil
	clk.Advance(time.Hour)
	if r := deliverAvailability(t, a)["TEE"]; r.Err != nil || !strings.Contains(r.Note, "set to 99980") {
		t.Fatalf("retry: %+v (refused %q)", r, shop.refused())
	}
	if shop.level(item, gid) != 99980 {
		t.Fatalf("level %d, want 99980", shop.level(item, gid))
	}
	keys := map[string]bool{}
	for _, s := range pushedSets(t, shop) {
		if keys[s.key] {
			t.Fatalf("key %s used twice: %+v", s.key, pushedSets(t, shop))
		}
		keys[s.key] = true
	}
}

// TestShopifyCancelSendsRefundMethod: a cancellation passes the strict fake
// with refundMethod (no refund to the original payment methods) and no refund Boolean.
func TestShopifyCancelSendsRefundMethod(t *testing.T) {
	ctx := context.Background()
	shop := newFakeShopify()
	srv := httptest.NewServer(shop)
	defer srv.Close()
	a, _ := outboxApp(t, "shopify", srv.URL)
	o := placeShopOrder(t, a, "77", 1)
	if _, err := a.Cancel(ctx, app.System, o.Number, app.CancelInput{Reason: "customer asked"}); err != nil {
		t.Fatal(err)
	}
	if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	calls := shop.callsOf("orderCancel")
	if got := shop.eventsOf("77"); !slices.Equal(got, []string{"cancel"}) || len(calls) != 1 {
		t.Fatalf("cancel: %v (refused %q)", got, shop.refused())
	}
	v := calls[0]["variables"].(map[string]any)
	if rm, _ := v["refundMethod"].(map[string]any); rm == nil || rm["originalPaymentMethodsRefund"] != false || v["refund"] != nil || v["restock"] != false {
		t.Fatalf("variables %v", v)
	}
	if n := apptest.CountOutbox(t, a, app.OutboxDelivered, app.KindShopifyCancel); n != 1 {
		t.Fatalf("%d cancellations delivered", n)
	}
}

// TestShopifyFulfilSkipsHeldFulfillmentOrders: a shipment whose lines sit
// partly in an on-hold fulfillment order is fulfilled for the open part only,
// and the timeline says what waits; a shipment all in a scheduled one sends
// nothing. Neither is retried nor dead.
func TestShopifyFulfilSkipsHeldFulfillmentOrders(t *testing.T) {
	ctx := context.Background()
	shop := newFakeShopify()
	srv := httptest.NewServer(shop)
	defer srv.Close()
	a, _ := outboxApp(t, "shopify", srv.URL)
	line := func(id string, n int64) []fakeFOLine {
		return []fakeFOLine{{ID: "gid://shopify/FulfillmentOrderLineItem/" + id, LineItem: "gid://shopify/LineItem/1", SKU: "TEE", Remaining: n}}
	}
	shop.fos["501"] = []*fakeFO{
		{ID: "gid://shopify/FulfillmentOrder/5011", Status: "OPEN", Lines: line("1", 1)},
		{ID: "gid://shopify/FulfillmentOrder/5012", Status: "ON_HOLD", Lines: line("2", 2)},
	}
	shop.fos["502"] = []*fakeFO{{ID: "gid://shopify/FulfillmentOrder/5021", Status: "SCHEDULED", Lines: line("3", 2)}}
	held, sched := placeShopOrder(t, a, "501", 3), placeShopOrder(t, a, "502", 2)
	for _, o := range []app.Order{held, sched} {
		if _, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	creates := shop.callsOf("fulfillmentCreate")
	if len(creates) != 1 || shop.eventsOf("501")[0] != "fulfill:1Z5R89390357567127" || len(shop.eventsOf("502")) != 0 {
		t.Fatalf("creates %v, events %v %v (refused %q)", creates, shop.eventsOf("501"), shop.eventsOf("502"), shop.refused())
	}
	groups := creates[0]["variables"].(map[string]any)["fulfillment"].(map[string]any)["lineItemsByFulfillmentOrder"].([]any)
	if len(groups) != 1 || groups[0].(map[string]any)["fulfillmentOrderId"] != "gid://shopify/FulfillmentOrder/5011" {
		t.Fatalf("groups %v, want the open fulfillment order only", groups)
	}
	if len(shop.refused()) != 0 {
		t.Fatalf("refused: %q", shop.refused())
	}
	if d, dead := apptest.CountOutbox(t, a, app.OutboxDelivered, app.KindShopifyFulfillment), apptest.CountOutbox(t, a, app.OutboxDead, ""); d != 2 || dead != 0 {
		t.Fatalf("%d delivered, %d dead; want 2 and 0", d, dead)
	}
	for o, want := range map[string]string{
		held.Number:  "Shopify told of the shipment, 200 OK (not marked fulfilled in Shopify: 2 × TEE (its fulfillment order is on hold)",
		sched.Number: "Shopify not told of the shipment: not marked fulfilled in Shopify: 2 × TEE (its fulfillment order is scheduled for later)",
	} {
		got, err := a.OrderByNumber(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		if !hasEvent(got, want) {
			t.Errorf("%s timeline lacks %q: %v", o, want, eventMessages(got))
		}
	}
}

// TestShopifyAPIVersionSetting: a channel is called at the version its
// settings name; a version Shopify no longer serves there is a failed attempt;
// the setting takes stable versions from 2026-04 on only.
func TestShopifyAPIVersionSetting(t *testing.T) {
	ctx := context.Background()
	shop := newFakeShopify()
	shop.version = "2026-07"
	srv := httptest.NewServer(shop)
	defer srv.Close()
	a, clk := outboxApp(t, "shopify", srv.URL)
	o := placeShopOrder(t, a, "88", 1)
	if _, err := a.Cancel(ctx, app.System, o.Number, app.CancelInput{Reason: "customer asked"}); err != nil {
		t.Fatal(err)
	}
	if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	if r := shop.refused(); len(r) != 1 || r[0] != "404 /admin/api/2026-04/graphql.json" || apptest.CountOutbox(t, a, app.OutboxPending, app.KindShopifyCancel) != 1 {
		t.Fatalf("default version against a 2026-07 shop: refused %q", r)
	}
	for _, bad := range []string{"2025-01", "2026-01", "2026-05", "2026-7", "latest", "unstable", "x"} {
		v := bad
		_, _, err := a.PutChannel(ctx, app.System, "shop", app.ChannelInput{Name: "Shop", Kind: "shopify", ShopifyAPIVersion: &v})
		var e *app.Error
		if !errors.As(err, &e) || e.Kind != app.KindInvalid || e.Fields["shopify_api_version"] == "" {
			t.Errorf("version %q: %v, want a field error", bad, err)
		}
	}
	v := " 2026-07 "
	ch, _, err := a.PutChannel(ctx, app.System, "shop", app.ChannelInput{Name: "Shop", Kind: "shopify", ShopifyAPIVersion: &v})
	if err != nil || ch.ShopifyAPIVersion != "2026-07" {
		t.Fatalf("set 2026-07: %+v %v", ch, err)
	}
	clk.Advance(time.Hour)
	if _, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := shop.eventsOf("88"); !slices.Equal(got, []string{"cancel"}) || apptest.CountOutbox(t, a, app.OutboxDelivered, app.KindShopifyCancel) != 1 {
		t.Fatalf("at 2026-07: %v (refused %q)", got, shop.refused())
	}
}
