package channels

import (
	"switchyard/app/outbox"

	"switchyard/app"

	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	store "switchyard/sql"
)

// shopifyVersionOf is the version channel ch is called with.
func shopifyVersionOf(ch store.Channel) string {
	if ch.ShopifyApiVersion != "" {
		return ch.ShopifyApiVersion
	}
	return app.ShopifyAPIVersion
}

// shopifyOrderQuery reads an order's fulfillment orders (whose line items a
// fulfillment names) and its fulfillments (to see whether ours is already there:
// fulfillmentCreate has no idempotency key, so a timed-out attempt may have landed).
const shopifyOrderQuery = `query SwitchyardOrderFulfillments($id: ID!) {
  order(id: $id) {
    id
    fulfillments(first: 50) { id status trackingInfo(first: 10) { company number url } }
    fulfillmentOrders(first: 50) {
      nodes { id status lineItems(first: 250) { nodes { id remainingQuantity lineItem { id sku } } } }
    }
  }
}`

// shopifyFulfillmentCreate is the documented mutation (FulfillmentInput with
// lineItemsByFulfillmentOrder and trackingInfo).
const shopifyFulfillmentCreate = `mutation fulfillmentCreate($fulfillment: FulfillmentInput!, $message: String) {
  fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
    fulfillment { id status trackingInfo(first: 10) { company number url } }
    userErrors { field message }
  }
}`

// shopifyOrderCancel cancels an order at Shopify. refundMethod replaces the
// refund Boolean (deprecated since 2025-07).
const shopifyOrderCancel = `mutation orderCancel($orderId: ID!, $reason: OrderCancelReason!, $refundMethod: OrderCancelRefundMethodInput!, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}`

// shopifyVariantBySKU finds the inventory item of the variant with a SKU.
const shopifyVariantBySKU = `query SwitchyardVariantBySku($query: String!) {
  productVariants(first: 10, query: $query) { nodes { sku inventoryItem { id } } }
}`

// shopifyInventorySet sets an absolute quantity (inventorySetQuantities with
// InventorySetQuantitiesInput). From 2026-04 each quantity carries
// changeFromQuantity (null skips the compare) and the mutation needs an
// @idempotent key.
const shopifyInventorySet = `mutation inventorySetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
    inventoryAdjustmentGroup { reason }
    userErrors { field message code }
  }
}`

// shopifyInventoryLevel reads the "available" quantity of an inventory item at a location.
const shopifyInventoryLevel = `query SwitchyardInventoryLevel($item: ID!, $location: ID!) {
  inventoryItem(id: $item) { inventoryLevel(locationId: $location) { quantities(names: ["available"]) { name quantity } } }
}`

// shopifyStale is the user error code of a changeFromQuantity that no longer
// matches what Shopify holds.
const shopifyStale = "CHANGE_FROM_QUANTITY_STALE"

// shopifyGraphQLURL is the Admin GraphQL endpoint of API version under a
// channel's base URL.
func shopifyGraphQLURL(base, version string) string {
	return strings.TrimRight(base, "/") + "/admin/api/" + version + "/graphql.json"
}

// shopifyOrderGID is the GraphQL id of a Shopify order id.
func shopifyOrderGID(id string) string {
	if strings.HasPrefix(id, "gid://") {
		return id
	}
	return "gid://shopify/Order/" + id
}

// gqlError is one GraphQL error or user error.
type gqlError struct {
	Field   []string `json:"field"`
	Message string   `json:"message"`
	Code    string   `json:"code"`
}

// shopifyCall posts one GraphQL request and decodes data into out.
func (d *push) shopifyCall(ctx context.Context, ch store.Channel, query string, vars map[string]any, out any) outbox.Result {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return outbox.Result{Err: err}
	}
	hdr := http.Header{"Content-Type": {"application/json"}, "X-Shopify-Access-Token": {ch.CallbackToken}}
	status, resp, err := d.do(ctx, http.MethodPost, shopifyGraphQLURL(ch.CallbackBaseUrl, shopifyVersionOf(ch)), hdr, body)
	if r := outbox.HTTPFailure(status, err); r.Err != nil {
		return r
	}
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(resp, &env); err != nil {
		return outbox.Result{Status: status, Err: fmt.Errorf("%d but the answer is not GraphQL JSON: %v", status, err)}
	}
	if len(env.Errors) > 0 {
		return outbox.Result{Status: status, Err: fmt.Errorf("%d with GraphQL errors: %s", status, env.Errors[0].Message)}
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return outbox.Result{Status: status, Err: fmt.Errorf("%d but the data is unexpected: %v", status, err)}
	}
	return outbox.Result{Status: status}
}

// shopifyOrderState is what shopifyOrderQuery returns.
type shopifyOrderState struct {
	Order *struct {
		Fulfillments []struct {
			ID           string `json:"id"`
			TrackingInfo []struct {
				Number string `json:"number"`
			} `json:"trackingInfo"`
		} `json:"fulfillments"`
		FulfillmentOrders struct {
			Nodes []struct {
				ID        string `json:"id"`
				Status    string `json:"status"`
				LineItems struct {
					Nodes []struct {
						ID                string `json:"id"`
						RemainingQuantity int64  `json:"remainingQuantity"`
						LineItem          struct {
							ID  string `json:"id"`
							SKU string `json:"sku"`
						} `json:"lineItem"`
					} `json:"nodes"`
				} `json:"lineItems"`
			} `json:"nodes"`
		} `json:"fulfillmentOrders"`
	} `json:"order"`
}

// shopifyOrder reads an order's fulfillment orders and fulfillments
// (shopifyOrderQuery); an order Shopify does not have is a failed attempt.
func (d *push) shopifyOrder(ctx context.Context, ch store.Channel, externalID string) (shopifyOrderState, outbox.Result) {
	var st shopifyOrderState
	if r := d.shopifyCall(ctx, ch, shopifyOrderQuery, map[string]any{"id": shopifyOrderGID(externalID)}, &st); r.Err != nil {
		return st, r
	}
	if st.Order == nil {
		return st, outbox.Result{Status: 200, Err: fmt.Errorf("Shopify has no order %s", externalID)}
	}
	return st, outbox.Result{}
}

// shopifyFulfillment tells Shopify of a shipment: it re-reads the order first
// (skipping when a fulfillment with our tracking number is already there, e.g.
// after an attempt that timed out but landed), then creates the fulfillment for
// the fulfillment-order lines that match the shipped lines.
func (d *push) shopifyFulfillment(ctx context.Context, m store.OutboxMessage) outbox.Result {
	ch, p, r := d.channelAndPayload(ctx, m)
	if r.Err != nil {
		return r
	}
	st, r := d.shopifyOrder(ctx, ch, p.ExternalID)
	if r.Err != nil {
		return r
	}
	for _, f := range st.Order.Fulfillments {
		for _, t := range f.TrackingInfo {
			if t.Number != "" && t.Number == p.TrackingNumber {
				return outbox.Result{Status: 200, Note: "the fulfillment was already there"}
			}
		}
	}
	m2 := matchFulfillmentOrders(st, p.Lines)
	if m2.missing != "" {
		return outbox.Result{Status: 200, Err: fmt.Errorf("Shopify has no open fulfillment order line for %s", m2.missing)}
	}
	if len(m2.groups) == 0 { // every line waits in a held or scheduled fulfillment order
		return outbox.Result{Status: 200, Skipped: true, Note: m2.heldWords()}
	}
	vars := map[string]any{
		"fulfillment": map[string]any{
			"notifyCustomer":              true,
			"trackingInfo":                map[string]any{"company": p.Company, "number": p.TrackingNumber, "url": p.TrackingURL},
			"lineItemsByFulfillmentOrder": m2.groups,
		},
		"message": "Shipped by Switchyard (" + p.Order + ")",
	}
	var out struct {
		FulfillmentCreate struct {
			UserErrors []gqlError `json:"userErrors"`
		} `json:"fulfillmentCreate"`
	}
	if r := d.shopifyCall(ctx, ch, shopifyFulfillmentCreate, vars, &out); r.Err != nil {
		return r
	}
	if ue := out.FulfillmentCreate.UserErrors; len(ue) > 0 {
		return outbox.Result{Status: 200, Err: fmt.Errorf("Shopify refused: %s", ue[0].Message)}
	}
	return outbox.Result{Status: 200, Note: m2.heldWords()}
}

// shopifyFulfillable are the fulfillment order statuses a fulfillment may be
// created for; ON_HOLD and SCHEDULED ones wait for the merchant (a hold
// released, a date reached), CLOSED, CANCELLED and INCOMPLETE ones are done.
var shopifyFulfillable = map[string]bool{"OPEN": true, "IN_PROGRESS": true}

// shopifyWaiting are the statuses of fulfillment orders that wait in Shopify,
// in words for the timeline.
var shopifyWaiting = map[string]string{"ON_HOLD": "on hold", "SCHEDULED": "scheduled for later"}

// foMatch is which fulfillment-order lines the shipped lines map to.
type foMatch struct {
	groups  []map[string]any // lineItemsByFulfillmentOrder, open ones only
	held    []string         // "2 × TEE (on hold)": lines left in waiting fulfillment orders
	missing string           // "1 × MUG": a line found nowhere (a failed attempt)
}

// heldWords says, in plain words, what was not marked fulfilled in Shopify and why.
func (m foMatch) heldWords() string {
	if len(m.held) == 0 {
		return ""
	}
	return "not marked fulfilled in Shopify: " + strings.Join(m.held, ", ") +
		"; the merchant releases it there (Switchyard does not retry)"
}

// matchFulfillmentOrders maps the shipped lines (by Shopify line item id, else
// by SKU) to open or in-progress fulfillment-order line items, grouped by
// fulfillment order. What is left over and sits in a held or scheduled
// fulfillment order is reported as held; anything else left over is missing.
func matchFulfillmentOrders(st shopifyOrderState, lines []app.ShipmentLine) foMatch {
	var out foMatch
	left := make([]int64, len(lines))
	for i, l := range lines {
		left[i] = l.Quantity
	}
	for _, fo := range st.Order.FulfillmentOrders.Nodes {
		if !shopifyFulfillable[fo.Status] {
			continue
		}
		var items []map[string]any
		for _, li := range fo.LineItems.Nodes {
			room := li.RemainingQuantity
			for i, l := range lines {
				if !lineMatches(li.LineItem.ID, li.LineItem.SKU, l) || left[i] == 0 || room == 0 {
					continue
				}
				q := min(left[i], room)
				items = append(items, map[string]any{"id": li.ID, "quantity": q})
				left[i] -= q
				room -= q
			}
		}
		if len(items) > 0 {
			out.groups = append(out.groups, map[string]any{"fulfillmentOrderId": fo.ID, "fulfillmentOrderLineItems": items})
		}
	}
	for i, l := range lines {
		if left[i] == 0 {
			continue
		}
		if why := waitingFor(st, l); why != "" {
			out.held = append(out.held, fmt.Sprintf("%d × %s (its fulfillment order is %s)", left[i], l.SKU, why))
		} else if out.missing == "" {
			out.missing = fmt.Sprintf("%d × %s", left[i], l.SKU)
		}
	}
	return out
}

// lineMatches says whether a fulfillment-order line is the shipped line l.
func lineMatches(lineItemID, sku string, l app.ShipmentLine) bool {
	return (l.ExternalID != "" && strings.HasSuffix(lineItemID, "/"+l.ExternalID)) || (l.SKU != "" && sku == l.SKU)
}

// waitingFor is why a shipped line sits in a fulfillment order that waits
// (on hold, scheduled), or "" when none holds it.
func waitingFor(st shopifyOrderState, l app.ShipmentLine) string {
	for _, fo := range st.Order.FulfillmentOrders.Nodes {
		why, ok := shopifyWaiting[fo.Status]
		if !ok {
			continue
		}
		for _, li := range fo.LineItems.Nodes {
			if li.RemainingQuantity > 0 && lineMatches(li.LineItem.ID, li.LineItem.SKU, l) {
				return why
			}
		}
	}
	return ""
}

// shopifyCancel cancels the order at Shopify (no refund to the original
// payment methods, no restock: the merchant decides those there).
func (d *push) shopifyCancel(ctx context.Context, m store.OutboxMessage) outbox.Result {
	ch, err := d.a.Read().GetChannel(ctx, m.ChannelID.Int64)
	if err != nil {
		return outbox.Result{Err: fmt.Errorf("channel: %w", err)}
	}
	if !app.ChannelConnected(ch.Kind, ch.CallbackBaseUrl, ch.CallbackToken) {
		return notConnected(ch)
	}
	var p app.CancelPayload
	if err := json.Unmarshal([]byte(m.Payload), &p); err != nil {
		return outbox.Result{Err: fmt.Errorf("payload: %w", err)}
	}
	vars := map[string]any{"orderId": shopifyOrderGID(p.ExternalID), "reason": "OTHER",
		"refundMethod": map[string]any{"originalPaymentMethodsRefund": false}, "restock": false,
		"notifyCustomer": true, "staffNote": "Cancelled in Switchyard (" + p.Order + "): " + p.Reason}
	return d.shopifyMutate(ctx, ch, shopifyOrderCancel, "orderCancel", vars)
}

// shopifyMutate runs a mutation whose answer (the field named) lists user
// errors, and is done (200) unless Shopify refused it with one.
func (d *push) shopifyMutate(ctx context.Context, ch store.Channel, doc, field string, vars map[string]any) outbox.Result {
	var out map[string]struct {
		UserErrors            []gqlError `json:"userErrors"`
		OrderCancelUserErrors []gqlError `json:"orderCancelUserErrors"`
	}
	if r := d.shopifyCall(ctx, ch, doc, vars, &out); r.Err != nil {
		return r
	}
	if ue := append(out[field].UserErrors, out[field].OrderCancelUserErrors...); len(ue) > 0 {
		return outbox.Result{Status: 200, Err: fmt.Errorf("Shopify refused: %s", ue[0].Message)}
	}
	return outbox.Result{Status: 200}
}

// shopifyStock sets the "available" quantity of the SKU's inventory item at
// the channel's Shopify location, comparing with the level Switchyard last
// set there (null the first time: nothing to compare with). When Shopify
// holds something else (a sale there, an edit by hand), it reads what Shopify
// holds and sets the level once more from that, saying so; a second mismatch
// in a row is a failed attempt, retried later like any other. A SKU the store
// does not sell is nothing to update.
func (d *push) shopifyStock(ctx context.Context, m store.OutboxMessage, ch store.Channel, sku string, available int64) outbox.Result {
	item, r := d.shopifyInventoryItem(ctx, ch, sku)
	if r.Err != nil || item == "" {
		return r
	}
	from, err := d.a.Read().GetShopifyStockPushed(ctx, store.GetShopifyStockPushedParams{ChannelID: ch.ID, SkuID: m.SkuID.Int64, Location: ch.InventoryLocation})
	var last *int64
	switch {
	case err == nil:
		last = &from
	case !store.IsNoRows(err):
		return outbox.Result{Err: fmt.Errorf("stock last set in Shopify: %w", err)}
	}
	note := ""
	stale, r := d.shopifySetAvailable(ctx, m, ch, sku, item, last, available)
	if r.Err == nil && stale {
		held, r2 := d.shopifyAvailable(ctx, ch, sku, item)
		if r2.Err != nil {
			return r2
		}
		note = fmt.Sprintf("Shopify held %d where Switchyard last set %s (changed in Shopify meanwhile); set to %d", held, levelWords(last), available)
		if stale, r = d.shopifySetAvailable(ctx, m, ch, sku, item, &held, available); r.Err == nil && stale {
			r.Err = fmt.Errorf("the stock of %s changed in Shopify again while it was being set: trying again later", sku)
		}
	}
	if r.Err != nil {
		return r
	}
	d.rememberStock(ctx, m, ch, available, note)
	r.Note = note
	return r
}

// levelWords is a level last set, or "nothing".
func levelWords(n *int64) string {
	if n == nil {
		return "nothing"
	}
	return fmt.Sprint(*n)
}

// shopifySetAvailable sends one inventorySetQuantities for item at the
// channel's location, from changeFrom (nil: no compare) to available. stale
// reports Shopify's compare mismatch; other user errors are a failed attempt.
// The idempotency key is the outbox message id and attempt with a digest of
// what is set: a repeat of the same request is answered once by Shopify, a
// different request is never mistaken for it, and a later attempt never meets
// IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED for a request refused before (Shopify
// answers a refused key's repeat with that, whatever holds now).
func (d *push) shopifySetAvailable(ctx context.Context, m store.OutboxMessage, ch store.Channel, sku, item string, changeFrom *int64, available int64) (bool, outbox.Result) {
	var from any // null: the documented way to skip the compare
	if changeFrom != nil {
		from = *changeFrom
	}
	q := map[string]any{"inventoryItemId": item, "locationId": ch.InventoryLocation, "quantity": available, "changeFromQuantity": from}
	vars := map[string]any{
		"input":          map[string]any{"name": "available", "reason": "correction", "quantities": []map[string]any{q}},
		"idempotencyKey": shopifyIdempotencyKey(m.ID, m.Attempts+1, q),
	}
	var out struct {
		InventorySetQuantities struct {
			UserErrors []gqlError `json:"userErrors"`
		} `json:"inventorySetQuantities"`
	}
	if r := d.shopifyCall(ctx, ch, shopifyInventorySet, vars, &out); r.Err != nil {
		r.Err = fmt.Errorf("set the stock of %s: %w", sku, r.Err)
		return false, r
	}
	for _, ue := range out.InventorySetQuantities.UserErrors {
		if ue.Code == shopifyStale {
			return true, outbox.Result{Status: 200}
		}
	}
	if ue := out.InventorySetQuantities.UserErrors; len(ue) > 0 {
		return false, outbox.Result{Status: 200, Err: fmt.Errorf("Shopify refused the stock of %s: %s", sku, ue[0].Message)}
	}
	return false, outbox.Result{Status: 200}
}

// shopifyIdempotencyKey names one inventorySetQuantities request: the outbox
// message, its attempt, and a digest of the quantity it sets.
func shopifyIdempotencyKey(messageID, attempt int64, quantity map[string]any) string {
	b, _ := json.Marshal(quantity) // map keys are sorted: the same request, the same key
	sum := sha256.Sum256(b)
	return fmt.Sprintf("switchyard-outbox-%d-%d-%s", messageID, attempt, hex.EncodeToString(sum[:8]))
}

// shopifyAvailable reads the "available" quantity Shopify holds for item at
// the channel's location.
func (d *push) shopifyAvailable(ctx context.Context, ch store.Channel, sku, item string) (int64, outbox.Result) {
	var out struct {
		InventoryItem *struct {
			InventoryLevel *struct {
				Quantities []struct {
					Name     string `json:"name"`
					Quantity int64  `json:"quantity"`
				} `json:"quantities"`
			} `json:"inventoryLevel"`
		} `json:"inventoryItem"`
	}
	r := d.shopifyCall(ctx, ch, shopifyInventoryLevel, map[string]any{"item": item, "location": ch.InventoryLocation}, &out)
	if r.Err != nil {
		r.Err = fmt.Errorf("read the stock of %s in Shopify: %w", sku, r.Err)
		return 0, r
	}
	if out.InventoryItem != nil && out.InventoryItem.InventoryLevel != nil {
		for _, q := range out.InventoryItem.InventoryLevel.Quantities {
			if q.Name == "available" {
				return q.Quantity, r
			}
		}
	}
	return 0, outbox.Result{Status: r.Status, Err: fmt.Errorf("Shopify has no available quantity of %s at %s", sku, ch.InventoryLocation)}
}

// rememberStock records the level just set, the next push's changeFromQuantity.
// Not recording it only costs the next push a mismatch and a read.
func (d *push) rememberStock(ctx context.Context, m store.OutboxMessage, ch store.Channel, available int64, note string) {
	err := d.a.Write(ctx, func(tx app.Tx) error {
		return tx.Q.PutShopifyStockPushed(ctx, store.PutShopifyStockPushedParams{ChannelID: ch.ID, SkuID: m.SkuID.Int64,
			Location: ch.InventoryLocation, Quantity: available, MessageID: m.ID, Note: note, PushedAt: app.Millis(tx.Now)})
	})
	if err != nil {
		d.a.Log().Error("outbox: remember the stock set in Shopify", "message", m.ID, "err", err)
	}
}

// shopifyInventoryItem is the inventory item GID of the variant whose SKU is
// sku; "" (with a note) when the store has none.
func (d *push) shopifyInventoryItem(ctx context.Context, ch store.Channel, sku string) (string, outbox.Result) {
	var out struct {
		ProductVariants struct {
			Nodes []struct {
				SKU           string `json:"sku"`
				InventoryItem struct {
					ID string `json:"id"`
				} `json:"inventoryItem"`
			} `json:"nodes"`
		} `json:"productVariants"`
	}
	if r := d.shopifyCall(ctx, ch, shopifyVariantBySKU, map[string]any{"query": "sku:" + shopifySearchValue(sku)}, &out); r.Err != nil {
		r.Err = fmt.Errorf("find SKU %s: %w", sku, r.Err)
		return "", r
	}
	for _, v := range out.ProductVariants.Nodes {
		if v.SKU == sku && v.InventoryItem.ID != "" { // the search may match more loosely than the SKU
			return v.InventoryItem.ID, outbox.Result{Status: 200}
		}
	}
	return "", outbox.Result{Status: 200, Note: fmt.Sprintf("no variant with SKU %s in the store: nothing to update", sku)}
}

// shopifySearchValue quotes a value for Shopify's search syntax, escaping
// backslashes and double quotes.
func shopifySearchValue(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// channelAndPayload reads a shipment message's channel and payload.
func (d *push) channelAndPayload(ctx context.Context, m store.OutboxMessage) (store.Channel, app.ShipmentPayload, outbox.Result) {
	var p app.ShipmentPayload
	ch, err := d.a.Read().GetChannel(ctx, m.ChannelID.Int64)
	if err != nil {
		return ch, p, outbox.Result{Err: fmt.Errorf("channel: %w", err)}
	}
	if !app.ChannelConnected(ch.Kind, ch.CallbackBaseUrl, ch.CallbackToken) {
		return ch, p, notConnected(ch)
	}
	if err := json.Unmarshal([]byte(m.Payload), &p); err != nil {
		return ch, p, outbox.Result{Err: fmt.Errorf("payload: %w", err)}
	}
	return ch, p, outbox.Result{}
}

// do sends one request through the dispatcher's client (see outbox.Do).
func (d *push) do(ctx context.Context, method, url string, hdr http.Header, body []byte) (int, []byte, error) {
	return outbox.Do(ctx, d.client, method, url, hdr, body)
}
