package channels

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
)

// shopifySchema is the part of Shopify's GraphQL Admin API 2026-04 that
// Switchyard calls, written from Shopify's reference for that version
// (shopify.dev/docs/api/admin-graphql/2026-04). Deprecated arguments and input
// fields (orderCancel's refund, InventorySetQuantitiesInput's
// ignoreCompareQuantity, InventoryQuantityInput's compareQuantity) are left
// out on purpose: a request that uses one is refused like an unknown field, so
// a document drifting back to them fails the tests.
const shopifySchema = `
schema { query: QueryRoot mutation: Mutation }

"Shopify runs the mutation once per key (required on inventorySetQuantities from 2026-04)."
directive @idempotent(key: String!) on FIELD

scalar URL
scalar DateTime

type QueryRoot {
  order(id: ID!): Order
  productVariants(first: Int, after: String, last: Int, before: String, query: String, reverse: Boolean): ProductVariantConnection!
  inventoryItem(id: ID!): InventoryItem
}

type Order {
  id: ID!
  transactions(first: Int): [OrderTransaction!]!
  refunds(first: Int): [Refund!]!
  fulfillments(first: Int): [Fulfillment!]!
  fulfillmentOrders(first: Int, after: String, displayable: Boolean, query: String, reverse: Boolean): FulfillmentOrderConnection!
}

enum FulfillmentStatus { SUCCESS CANCELLED ERROR FAILURE }
type Fulfillment { id: ID! status: FulfillmentStatus! trackingInfo(first: Int): [FulfillmentTrackingInfo!]! }
type FulfillmentTrackingInfo { company: String number: String url: URL }

enum FulfillmentOrderStatus { CANCELLED CLOSED IN_PROGRESS INCOMPLETE ON_HOLD OPEN SCHEDULED }
type FulfillmentOrderConnection { nodes: [FulfillmentOrder!]! }
type FulfillmentOrder {
  id: ID!
  status: FulfillmentOrderStatus!
  lineItems(first: Int, after: String): FulfillmentOrderLineItemConnection!
}
type FulfillmentOrderLineItemConnection { nodes: [FulfillmentOrderLineItem!]! }
type FulfillmentOrderLineItem { id: ID! remainingQuantity: Int! totalQuantity: Int! lineItem: LineItem! }
type LineItem { id: ID! sku: String }

type ProductVariantConnection { nodes: [ProductVariant!]! }
type ProductVariant { id: ID! sku: String inventoryItem: InventoryItem! }
type InventoryItem { id: ID! inventoryLevel(locationId: ID!): InventoryLevel }
type InventoryLevel { id: ID! quantities(names: [String!]!): [InventoryQuantity!]! }
type InventoryQuantity { name: String! quantity: Int! }

enum OrderTransactionKind { AUTHORIZATION CAPTURE CHANGE EMV_AUTHORIZATION REFUND SALE SUGGESTED_REFUND VOID }
enum OrderTransactionStatus { AWAITING_RESPONSE ERROR FAILURE PENDING SUCCESS UNKNOWN }
type OrderTransaction { id: ID! kind: OrderTransactionKind! status: OrderTransactionStatus! gateway: String }
type Refund { id: ID! note: String }
scalar Money
input RefundInput {
  orderId: ID!
  note: String
  notify: Boolean
  shipping: ShippingRefundInput
  refundLineItems: [RefundLineItemInput!]
  transactions: [OrderTransactionInput!]
}
input ShippingRefundInput { amount: Money fullRefund: Boolean }
enum RefundLineItemRestockType { CANCEL LEGACY_RESTOCK NO_RESTOCK RETURN }
input RefundLineItemInput { lineItemId: ID! quantity: Int! restockType: RefundLineItemRestockType locationId: ID }
input OrderTransactionInput { amount: Money! gateway: String! kind: OrderTransactionKind! orderId: ID! parentId: ID }
type RefundCreatePayload { order: Order refund: Refund userErrors: [UserError!]! }

type Mutation {
  refundCreate(input: RefundInput!): RefundCreatePayload
  fulfillmentCreate(fulfillment: FulfillmentInput!, message: String): FulfillmentCreatePayload
  orderCancel(orderId: ID!, reason: OrderCancelReason!, refundMethod: OrderCancelRefundMethodInput, restock: Boolean!, notifyCustomer: Boolean, staffNote: String): OrderCancelPayload
  inventorySetQuantities(input: InventorySetQuantitiesInput!): InventorySetQuantitiesPayload
  fulfillmentTrackingInfoUpdate(fulfillmentId: ID!, trackingInfoInput: FulfillmentTrackingInput!, notifyCustomer: Boolean): FulfillmentTrackingInfoUpdatePayload
}
type FulfillmentTrackingInfoUpdatePayload { fulfillment: Fulfillment userErrors: [UserError!]! }

input FulfillmentInput {
  lineItemsByFulfillmentOrder: [FulfillmentOrderLineItemsInput!]!
  notifyCustomer: Boolean
  trackingInfo: FulfillmentTrackingInput
}
input FulfillmentOrderLineItemsInput { fulfillmentOrderId: ID! fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!] }
input FulfillmentOrderLineItemInput { id: ID! quantity: Int! }
input FulfillmentTrackingInput { company: String number: String numbers: [String!] url: URL urls: [URL!] }
type FulfillmentCreatePayload { fulfillment: Fulfillment userErrors: [UserError!]! }
type UserError { field: [String!] message: String! }

enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }
input OrderCancelRefundMethodInput { originalPaymentMethodsRefund: Boolean storeCreditRefund: OrderCancelStoreCreditRefundInput }
input OrderCancelStoreCreditRefundInput { expiresAt: DateTime }
type OrderCancelPayload { job: Job orderCancelUserErrors: [OrderCancelUserError!]! }
type Job { id: ID! done: Boolean! }
enum OrderCancelUserErrorCode { INVALID NOT_FOUND NO_REFUND_PERMISSION }
type OrderCancelUserError { code: OrderCancelUserErrorCode field: [String!] message: String! }

input InventorySetQuantitiesInput { name: String! quantities: [InventoryQuantityInput!]! reason: String! referenceDocumentUri: String }
input InventoryQuantityInput { changeFromQuantity: Int inventoryItemId: ID! locationId: ID! quantity: Int! }
type InventorySetQuantitiesPayload { inventoryAdjustmentGroup: InventoryAdjustmentGroup userErrors: [InventorySetQuantitiesUserError!]! }
type InventoryAdjustmentGroup { id: ID! reason: String! }
enum InventorySetQuantitiesUserErrorCode {
  CHANGE_FROM_QUANTITY_STALE IDEMPOTENCY_CONCURRENT_REQUEST IDEMPOTENCY_KEY_PARAMETER_MISMATCH
  IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED INVALID_INVENTORY_ITEM INVALID_LOCATION INVALID_NAME INVALID_REASON
}
type InventorySetQuantitiesUserError { code: InventorySetQuantitiesUserErrorCode field: [String!] message: String! }
`

// shopifyAPISchema is shopifySchema loaded once.
var shopifyAPISchema = sync.OnceValue(func() *ast.Schema {
	return gqlparser.MustLoadSchema(&ast.Source{Name: "shopify-2026-04.graphql", Input: shopifySchema})
})

// fakeFO is a fulfillment order held by the fake Shopify.
type fakeFO struct {
	ID     string // gid://shopify/FulfillmentOrder/…
	Status string // OPEN, ON_HOLD, SCHEDULED…
	Lines  []fakeFOLine
}

// fakeFOLine is one fulfillment-order line.
type fakeFOLine struct {
	ID, LineItem, SKU string
	Remaining         int64
}

// fakeShopify is a Shopify Admin GraphQL API that refuses what Shopify 2026-04
// refuses, the way Shopify answers: 404 for a path that is not
// /admin/api/<version>/graphql.json, 200 with top-level "errors" for a document
// or variables that do not fit the schema (and for a missing @idempotent or
// refundMethod), 200 with userErrors for input Shopify checks at run time.
type fakeShopify struct {
	version string       // the API version it serves
	mode    atomic.Value // "down", "slow", "up"
	sleep   time.Duration

	mu           sync.Mutex
	events       map[string][]string     // order id -> "fulfill:<number>" / "cancel", in arrival order
	bodies       []map[string]any        // fulfillmentCreate requests
	fos          map[string][]*fakeFO    // order id -> its fulfillment orders (default: one open, TEE)
	variants     map[string]string       // SKU -> inventory item GID
	levels       map[string]int64        // item + " @ " + location -> available
	keys         map[string]string       // idempotency key -> the variables it was first used with
	answers      map[string][]byte       // idempotency key -> the answer it got
	failed       map[string]bool         // idempotency keys whose request was refused
	calls        []map[string]any        // accepted requests: {"query", "variables"}
	refusals     []string                // why requests were refused
	beforeSet    func(item, loc string)  // called before a set is applied (a sale in Shopify meanwhile)
	refunds      map[string][]fakeRefund // order id -> the refunds made
	refuseRefund string                  // a userError for every refundCreate ("" : none)
}

// fakeRefund is a refund the fake made.
type fakeRefund struct {
	ID, Note string
	Input    map[string]any
}

func newFakeShopify() *fakeShopify {
	f := &fakeShopify{version: "2026-04", events: map[string][]string{}, sleep: 300 * time.Millisecond,
		fos: map[string][]*fakeFO{}, variants: map[string]string{"TEE": "gid://shopify/InventoryItem/30322695"},
		levels: map[string]int64{}, keys: map[string]string{}, answers: map[string][]byte{}, failed: map[string]bool{},
		refunds: map[string][]fakeRefund{}}
	f.mode.Store("up")
	return f
}

// gqlAnswer writes a GraphQL answer with HTTP 200.
func gqlAnswer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// refuse answers top-level GraphQL errors, as Shopify does for a document or
// variables it cannot run.
func (f *fakeShopify) refuse(w http.ResponseWriter, msgs ...string) {
	f.mu.Lock()
	f.refusals = append(f.refusals, msgs...)
	f.mu.Unlock()
	var errs []map[string]any
	for _, m := range msgs {
		errs = append(errs, map[string]any{"message": m})
	}
	gqlAnswer(w, map[string]any{"errors": errs})
}

func (f *fakeShopify) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/admin/api/"+f.version+"/graphql.json" {
		f.mu.Lock()
		f.refusals = append(f.refusals, "404 "+r.URL.Path)
		f.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("X-Shopify-Access-Token") != "shpat_test" {
		w.WriteHeader(http.StatusUnauthorized)
		gqlAnswer(w, map[string]any{"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})
		return
	}
	mode := f.mode.Load().(string)
	if mode == "down" {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	var req struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &req); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		gqlAnswer(w, map[string]any{"errors": "invalid JSON: " + err.Error()})
		return
	}
	field, errs := f.check(req.Query, req.Variables)
	if len(errs) > 0 {
		f.refuse(w, errs...)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, map[string]any{"query": req.Query, "variables": req.Variables})
	f.mu.Unlock()
	switch field.Name {
	case "order":
		gqlAnswer(w, f.order(req.Variables["id"].(string)))
	case "productVariants":
		gqlAnswer(w, f.productVariants(req.Variables["query"].(string)))
	case "inventoryItem":
		gqlAnswer(w, f.inventoryItem(req.Variables["item"].(string), req.Variables["location"].(string)))
	case "inventorySetQuantities":
		f.inventorySet(w, field, req.Variables)
	case "orderCancel":
		order := strings.TrimPrefix(req.Variables["orderId"].(string), "gid://shopify/Order/")
		f.mu.Lock()
		f.events[order] = append(f.events[order], "cancel")
		f.mu.Unlock()
		gqlAnswer(w, map[string]any{"data": map[string]any{"orderCancel": map[string]any{
			"job": map[string]any{"id": "gid://shopify/Job/1", "done": false}, "orderCancelUserErrors": []any{}}}})
	case "fulfillmentTrackingInfoUpdate":
		gqlAnswer(w, f.trackingInfoUpdate(req.Variables))
	case "refundCreate":
		ans := f.refundCreate(field, req.Variables)
		if mode == "slow" {
			time.Sleep(f.sleep) // it landed, but the answer comes too late
		}
		gqlAnswer(w, ans)
	case "fulfillmentCreate":
		ans := f.fulfillmentCreate(req.Query, req.Variables)
		if mode == "slow" {
			time.Sleep(f.sleep) // it landed, but the answer comes too late
		}
		gqlAnswer(w, ans)
	default:
		f.refuse(w, "the fake does not answer "+field.Name)
	}
}

// check validates a document and its variables against shopifySchema and the
// rules Shopify applies when running it; it returns the one top-level field.
func (f *fakeShopify) check(query string, vars map[string]any) (*ast.Field, []string) {
	schema := shopifyAPISchema()
	doc, gerrs := gqlparser.LoadQuery(schema, query)
	if len(gerrs) > 0 {
		var out []string
		for _, e := range gerrs {
			out = append(out, e.Message)
		}
		return nil, out
	}
	if len(doc.Operations) != 1 || len(doc.Operations[0].SelectionSet) != 1 {
		return nil, []string{"one operation with one root field, please"}
	}
	op := doc.Operations[0]
	if _, err := validator.VariableValues(schema, op, vars); err != nil {
		return nil, []string{err.Error()}
	}
	field, ok := op.SelectionSet[0].(*ast.Field)
	if !ok {
		return nil, []string{"the root selection must be a field"}
	}
	switch field.Name {
	case "inventorySetQuantities", "refundCreate":
		d := field.Directives.ForName("idempotent")
		if d == nil {
			return nil, []string{"The @idempotent directive is required for this mutation."}
		}
		if key, _ := d.ArgumentMap(vars)["key"].(string); strings.TrimSpace(key) == "" {
			return nil, []string{"The @idempotent directive needs a non-empty key."}
		}
	case "orderCancel":
		if m := field.ArgumentMap(vars); m["refundMethod"] == nil {
			return nil, []string{"Field 'orderCancel' is missing required arguments: refundMethod"}
		}
	}
	return field, nil
}

// order answers the order query: its fulfillments (by the tracking numbers
// sent) and its fulfillment orders.
func (f *fakeShopify) order(gid string) map[string]any {
	id := strings.TrimPrefix(gid, "gid://shopify/Order/")
	f.mu.Lock()
	defer f.mu.Unlock()
	var fs []any
	for _, e := range f.events[id] {
		if n, ok := strings.CutPrefix(e, "fulfill:"); ok {
			fs = append(fs, map[string]any{"id": fakeFulfillmentGID(id, len(fs)+1), "status": "SUCCESS",
				"trackingInfo": []any{map[string]any{"company": "UPS", "number": n, "url": ""}}})
		}
	}
	var nodes []any
	for _, fo := range f.fulfillmentOrders(id) {
		var lines []any
		for _, l := range fo.Lines {
			lines = append(lines, map[string]any{"id": l.ID, "remainingQuantity": l.Remaining,
				"lineItem": map[string]any{"id": l.LineItem, "sku": l.SKU}})
		}
		nodes = append(nodes, map[string]any{"id": fo.ID, "status": fo.Status, "lineItems": map[string]any{"nodes": lines}})
	}
	refunds := []any{}
	for _, r := range f.refunds[id] {
		refunds = append(refunds, map[string]any{"id": r.ID, "note": r.Note})
	}
	txs := []any{map[string]any{"id": "gid://shopify/OrderTransaction/" + id + "1", "kind": "SALE", "status": "SUCCESS", "gateway": "bogus"}}
	return map[string]any{"data": map[string]any{"order": map[string]any{"id": gid, "fulfillments": fs,
		"transactions": txs, "refunds": refunds,
		"fulfillmentOrders": map[string]any{"nodes": nodes}}}}
}

// refundCreate makes a refund once per idempotency key (a repeat answers
// the first refund); the parent transaction must be the order's sale.
func (f *fakeShopify) refundCreate(field *ast.Field, vars map[string]any) map[string]any {
	key := field.Directives.ForName("idempotent").ArgumentMap(vars)["key"].(string)
	in := vars["input"].(map[string]any)
	order := strings.TrimPrefix(in["orderId"].(string), "gid://shopify/Order/")
	f.mu.Lock()
	defer f.mu.Unlock()
	answer := func(id string, errs ...string) map[string]any {
		ue := []any{}
		for _, e := range errs {
			f.refusals = append(f.refusals, e)
			ue = append(ue, map[string]any{"field": []string{"input"}, "message": e})
		}
		var refund any
		if id != "" {
			refund = map[string]any{"id": id}
		}
		return map[string]any{"data": map[string]any{"refundCreate": map[string]any{"refund": refund, "userErrors": ue}}}
	}
	if f.refuseRefund != "" {
		return answer("", f.refuseRefund)
	}
	if prev, ok := f.keys[key]; ok {
		return answer(prev)
	}
	txs, _ := in["transactions"].([]any)
	if len(txs) != 1 || txs[0].(map[string]any)["parentId"] != "gid://shopify/OrderTransaction/"+order+"1" {
		return answer("", "Transactions must name the order's sale as their parent.")
	}
	id := fmt.Sprintf("gid://shopify/Refund/%d", 900+len(f.keys))
	f.keys[key] = id
	note, _ := in["note"].(string)
	f.refunds[order] = append(f.refunds[order], fakeRefund{ID: id, Note: note, Input: in})
	return answer(id)
}

// refundsOf are the refunds the fake made on an order.
func (f *fakeShopify) refundsOf(order string) []fakeRefund {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.refunds[order])
}

// fakeFulfillmentGID is the id of order id's n-th fulfillment (from 1).
func fakeFulfillmentGID(order string, n int) string {
	return fmt.Sprintf("gid://shopify/Fulfillment/%s%03d", order, n)
}

// trackingInfoUpdate replaces the tracking number of the fulfillment named
// (an unknown id is a userError, as in Shopify), recording
// "fulfill:<number>" in place of the old entry.
func (f *fakeShopify) trackingInfoUpdate(vars map[string]any) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	gid := vars["fulfillmentId"].(string)
	number, _ := vars["trackingInfoInput"].(map[string]any)["number"].(string)
	for order, evs := range f.events {
		n := 0
		for i, e := range evs {
			if !strings.HasPrefix(e, "fulfill:") {
				continue
			}
			n++
			if fakeFulfillmentGID(order, n) == gid {
				evs[i] = "fulfill:" + number
				return map[string]any{"data": map[string]any{"fulfillmentTrackingInfoUpdate": map[string]any{
					"fulfillment": map[string]any{"id": gid, "trackingInfo": []any{map[string]any{"company": "UPS", "number": number, "url": ""}}},
					"userErrors":  []any{}}}}
			}
		}
	}
	f.refusals = append(f.refusals, "no fulfillment "+gid)
	return map[string]any{"data": map[string]any{"fulfillmentTrackingInfoUpdate": map[string]any{"fulfillment": nil,
		"userErrors": []any{map[string]any{"field": []string{"fulfillmentId"}, "message": "Fulfillment does not exist."}}}}}
}

// fulfillmentOrders are order id's fulfillment orders (f.mu held); by default
// one open fulfillment order with 100 TEE.
func (f *fakeShopify) fulfillmentOrders(id string) []*fakeFO {
	if _, ok := f.fos[id]; !ok {
		f.fos[id] = []*fakeFO{{ID: "gid://shopify/FulfillmentOrder/" + id, Status: "OPEN", Lines: []fakeFOLine{
			{ID: "gid://shopify/FulfillmentOrderLineItem/7", LineItem: "gid://shopify/LineItem/1", SKU: "TEE", Remaining: 100}}}}
	}
	return f.fos[id]
}

// fulfillmentCreate refuses a fulfillment order that is not open or in
// progress (on hold, scheduled, closed) and more than a line's remaining
// quantity, as userErrors; otherwise it records the fulfillment.
func (f *fakeShopify) fulfillmentCreate(query string, vars map[string]any) map[string]any {
	in := vars["fulfillment"].(map[string]any)
	f.mu.Lock()
	defer f.mu.Unlock()
	userError := func(msg string) map[string]any {
		f.refusals = append(f.refusals, msg)
		return map[string]any{"data": map[string]any{"fulfillmentCreate": map[string]any{"fulfillment": nil,
			"userErrors": []any{map[string]any{"field": []string{"fulfillment"}, "message": msg}}}}}
	}
	order := ""
	type take struct {
		line *fakeFOLine
		q    int64
	}
	var takes []take
	for _, g := range in["lineItemsByFulfillmentOrder"].([]any) {
		g := g.(map[string]any)
		var fo *fakeFO
		for id, list := range f.fos {
			for _, x := range list {
				if x.ID == g["fulfillmentOrderId"] {
					fo, order = x, id
				}
			}
		}
		if fo == nil {
			return userError(fmt.Sprintf("Fulfillment order %v does not exist.", g["fulfillmentOrderId"]))
		}
		if fo.Status != "OPEN" && fo.Status != "IN_PROGRESS" {
			return userError(fmt.Sprintf("Fulfillment order %s has an unfulfillable status= %s.", fo.ID, strings.ToLower(fo.Status)))
		}
		items, _ := g["fulfillmentOrderLineItems"].([]any)
		for _, it := range items {
			it := it.(map[string]any)
			i := slices.IndexFunc(fo.Lines, func(l fakeFOLine) bool { return l.ID == it["id"] })
			q := int64(it["quantity"].(float64))
			if i < 0 || q > fo.Lines[i].Remaining {
				return userError(fmt.Sprintf("Invalid fulfillment order line item quantity requested for %v.", it["id"]))
			}
			takes = append(takes, take{&fo.Lines[i], q})
		}
	}
	for _, t := range takes {
		t.line.Remaining -= t.q
	}
	number := in["trackingInfo"].(map[string]any)["number"].(string)
	f.events[order] = append(f.events[order], "fulfill:"+number)
	f.bodies = append(f.bodies, map[string]any{"query": query, "variables": vars})
	return map[string]any{"data": map[string]any{"fulfillmentCreate": map[string]any{
		"fulfillment": map[string]any{"id": "gid://shopify/Fulfillment/1", "status": "SUCCESS", "trackingInfo": []any{}},
		"userErrors":  []any{}}}}
}

// productVariants answers a SKU search (sku:"X").
func (f *fakeShopify) productVariants(q string) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	nodes := []any{}
	for sku, item := range f.variants {
		if q == "sku:"+shopifySearchValue(sku) {
			nodes = append(nodes, map[string]any{"sku": sku, "inventoryItem": map[string]any{"id": item}})
		}
	}
	return map[string]any{"data": map[string]any{"productVariants": map[string]any{"nodes": nodes}}}
}

// inventoryItem answers the available quantity of an item at a location.
func (f *fakeShopify) inventoryItem(item, loc string) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return map[string]any{"data": map[string]any{"inventoryItem": map[string]any{"inventoryLevel": map[string]any{
		"quantities": []any{map[string]any{"name": "available", "quantity": f.levels[item+" @ "+loc]}}}}}}
}

// level is the available quantity the fake holds.
func (f *fakeShopify) level(item, loc string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.levels[item+" @ "+loc]
}

// setLevel changes the available quantity as a sale in Shopify would.
func (f *fakeShopify) setLevel(item, loc string, n int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.levels[item+" @ "+loc] = n
}

// inventorySet runs inventorySetQuantities: every quantity must say
// changeFromQuantity (null or the quantity held, else
// CHANGE_FROM_QUANTITY_STALE); a key is answered once, and refused with other
// variables.
func (f *fakeShopify) inventorySet(w http.ResponseWriter, field *ast.Field, vars map[string]any) {
	key := field.Directives.ForName("idempotent").ArgumentMap(vars)["key"].(string)
	in := vars["input"].(map[string]any)
	sig, _ := json.Marshal(in)
	if f.beforeSet != nil {
		for _, q := range in["quantities"].([]any) {
			q := q.(map[string]any)
			f.beforeSet(q["inventoryItemId"].(string), q["locationId"].(string))
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	answer := func(errs ...map[string]any) {
		group := any(map[string]any{"reason": in["reason"]})
		if len(errs) > 0 {
			group = nil
			f.failed[key] = true
			for _, e := range errs {
				f.refusals = append(f.refusals, fmt.Sprint(e["code"], ": ", e["message"]))
			}
		}
		b, _ := json.Marshal(map[string]any{"data": map[string]any{"inventorySetQuantities": map[string]any{
			"inventoryAdjustmentGroup": group, "userErrors": append([]map[string]any{}, errs...)}}})
		f.answers[key] = b
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.Copy(w, bytes.NewReader(b))
	}
	if prev, ok := f.keys[key]; ok {
		if prev != string(sig) {
			answer(map[string]any{"code": "IDEMPOTENCY_KEY_PARAMETER_MISMATCH", "field": nil,
				"message": "The same idempotency key cannot be used with different operation parameters."})
			return
		}
		if f.failed[key] {
			answer(map[string]any{"code": "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED", "field": nil,
				"message": "A previous request with this idempotency key failed. Retry with a new idempotency key."})
			return
		}
		_, _ = w.Write(f.answers[key]) // the same request again: the first answer, nothing done twice
		return
	}
	f.keys[key] = string(sig)
	qs := in["quantities"].([]any)
	for i, q := range qs {
		q := q.(map[string]any)
		from, ok := q["changeFromQuantity"]
		path := []string{"input", "quantities", fmt.Sprint(i), "changeFromQuantity"}
		if !ok {
			answer(map[string]any{"code": nil, "field": path,
				"message": "changeFromQuantity is required: pass the quantity expected, or null to skip the check."})
			return
		}
		held := f.levels[q["inventoryItemId"].(string)+" @ "+q["locationId"].(string)]
		if from != nil && int64(from.(float64)) != held {
			answer(map[string]any{"code": "CHANGE_FROM_QUANTITY_STALE", "field": path,
				"message": "The changeFromQuantity value does not match persisted value."})
			return
		}
	}
	for _, q := range qs {
		q := q.(map[string]any)
		f.levels[q["inventoryItemId"].(string)+" @ "+q["locationId"].(string)] = int64(q["quantity"].(float64))
	}
	answer()
}

// eventsOf is what the fake saw for an order.
func (f *fakeShopify) eventsOf(order string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.events[order])
}

// callsOf are the accepted requests whose document has the root field name.
func (f *fakeShopify) callsOf(name string) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]any
	for _, c := range f.calls {
		if strings.Contains(c["query"].(string), name+"(") {
			out = append(out, c)
		}
	}
	return out
}

// refused is what the fake refused, in order.
func (f *fakeShopify) refused() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.refusals)
}

// postGraphQL posts a hand-written document to the fake at path and returns
// the status and the decoded answer.
func postGraphQL(t *testing.T, base, path, query string, vars map[string]any) (int, map[string]any) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shopify-Access-Token", "shpat_test")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("answer %s: %v", b, err)
		}
	}
	return res.StatusCode, out
}
