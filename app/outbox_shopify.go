package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	store "switchyard/sql"
)

// ShopifyAPIVersion is the Admin API version Switchyard calls.
const ShopifyAPIVersion = "2025-01"

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

// shopifyOrderCancel cancels an order at Shopify.
const shopifyOrderCancel = `mutation orderCancel($orderId: ID!, $reason: OrderCancelReason!, $refund: Boolean!, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refund: $refund, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}`

// shopifyVariantBySKU finds the inventory item of the variant with a SKU.
const shopifyVariantBySKU = `query SwitchyardVariantBySku($query: String!) {
  productVariants(first: 10, query: $query) { nodes { sku inventoryItem { id } } }
}`

// shopifyInventorySet sets an absolute quantity (the documented
// inventorySetQuantities with InventorySetQuantitiesInput).
const shopifyInventorySet = `mutation inventorySetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { reason }
    userErrors { field message }
  }
}`

// shopifyGraphQLURL is the Admin GraphQL endpoint under a channel's base URL.
func shopifyGraphQLURL(base string) string {
	base = strings.TrimRight(base, "/")
	if strings.HasSuffix(base, ".json") {
		return base
	}
	return base + "/admin/api/" + ShopifyAPIVersion + "/graphql.json"
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
}

// shopifyCall posts one GraphQL request and decodes data into out.
func (d *dispatcher) shopifyCall(ctx context.Context, ch store.Channel, query string, vars map[string]any, out any) sendResult {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return sendResult{err: err}
	}
	hdr := http.Header{"Content-Type": {"application/json"}, "X-Shopify-Access-Token": {ch.CallbackToken}}
	status, resp, err := d.do(ctx, http.MethodPost, shopifyGraphQLURL(ch.CallbackBaseUrl), hdr, body)
	if r := httpFailure(status, err); r.err != nil {
		return r
	}
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(resp, &env); err != nil {
		return sendResult{status: status, err: fmt.Errorf("%d but the answer is not GraphQL JSON: %v", status, err)}
	}
	if len(env.Errors) > 0 {
		return sendResult{status: status, err: fmt.Errorf("%d with GraphQL errors: %s", status, env.Errors[0].Message)}
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return sendResult{status: status, err: fmt.Errorf("%d but the data is unexpected: %v", status, err)}
	}
	return sendResult{status: status}
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

// shopifyFulfillment tells Shopify of a shipment: it re-reads the order first
// (skipping when a fulfillment with our tracking number is already there, e.g.
// after an attempt that timed out but landed), then creates the fulfillment for
// the fulfillment-order lines that match the shipped lines.
func (d *dispatcher) shopifyFulfillment(ctx context.Context, m store.OutboxMessage) sendResult {
	ch, p, r := d.channelAndPayload(ctx, m)
	if r.err != nil {
		return r
	}
	var st shopifyOrderState
	if r := d.shopifyCall(ctx, ch, shopifyOrderQuery, map[string]any{"id": shopifyOrderGID(p.ExternalID)}, &st); r.err != nil {
		return r
	}
	if st.Order == nil {
		return sendResult{status: 200, err: fmt.Errorf("Shopify has no order %s", p.ExternalID)}
	}
	for _, f := range st.Order.Fulfillments {
		for _, t := range f.TrackingInfo {
			if t.Number != "" && t.Number == p.TrackingNumber {
				return sendResult{status: 200, note: "the fulfillment was already there"}
			}
		}
	}
	groups, err := matchFulfillmentOrders(st, p.Lines)
	if err != nil {
		return sendResult{status: 200, err: err}
	}
	vars := map[string]any{
		"fulfillment": map[string]any{
			"notifyCustomer":              true,
			"trackingInfo":                map[string]any{"company": p.Company, "number": p.TrackingNumber, "url": p.TrackingURL},
			"lineItemsByFulfillmentOrder": groups,
		},
		"message": "Shipped by Switchyard (" + p.Order + ")",
	}
	var out struct {
		FulfillmentCreate struct {
			UserErrors []gqlError `json:"userErrors"`
		} `json:"fulfillmentCreate"`
	}
	if r := d.shopifyCall(ctx, ch, shopifyFulfillmentCreate, vars, &out); r.err != nil {
		return r
	}
	if ue := out.FulfillmentCreate.UserErrors; len(ue) > 0 {
		return sendResult{status: 200, err: fmt.Errorf("Shopify refused: %s", ue[0].Message)}
	}
	return sendResult{status: 200}
}

// matchFulfillmentOrders maps the shipped lines (by Shopify line item id, else
// by SKU) to open fulfillment-order line items, grouped by fulfillment order.
func matchFulfillmentOrders(st shopifyOrderState, lines []shipmentLine) ([]map[string]any, error) {
	var groups []map[string]any
	left := map[int]int64{}
	for i, l := range lines {
		left[i] = l.Quantity
	}
	for _, fo := range st.Order.FulfillmentOrders.Nodes {
		if fo.Status == "CLOSED" || fo.Status == "CANCELLED" {
			continue
		}
		var items []map[string]any
		for _, li := range fo.LineItems.Nodes {
			room := li.RemainingQuantity
			for i, l := range lines {
				match := (l.ExternalID != "" && strings.HasSuffix(li.LineItem.ID, "/"+l.ExternalID)) || (l.SKU != "" && li.LineItem.SKU == l.SKU)
				if !match || left[i] == 0 || room == 0 {
					continue
				}
				q := min(left[i], room)
				items = append(items, map[string]any{"id": li.ID, "quantity": q})
				left[i] -= q
				room -= q
			}
		}
		if len(items) > 0 {
			groups = append(groups, map[string]any{"fulfillmentOrderId": fo.ID, "fulfillmentOrderLineItems": items})
		}
	}
	for i, q := range left {
		if q > 0 {
			return nil, fmt.Errorf("Shopify has no open fulfillment order line for %d × %s", q, lines[i].SKU)
		}
	}
	return groups, nil
}

// shopifyCancel cancels the order at Shopify (no refund or restock: the
// merchant decides those there).
func (d *dispatcher) shopifyCancel(ctx context.Context, m store.OutboxMessage) sendResult {
	ch, err := d.a.read().GetChannel(ctx, m.ChannelID.Int64)
	if err != nil {
		return sendResult{err: fmt.Errorf("channel: %w", err)}
	}
	var p cancelPayload
	if err := json.Unmarshal([]byte(m.Payload), &p); err != nil {
		return sendResult{err: fmt.Errorf("payload: %w", err)}
	}
	vars := map[string]any{"orderId": shopifyOrderGID(p.ExternalID), "reason": "OTHER", "refund": false, "restock": false,
		"notifyCustomer": true, "staffNote": "Cancelled in Switchyard (" + p.Order + "): " + p.Reason}
	var out struct {
		OrderCancel struct {
			UserErrors []gqlError `json:"orderCancelUserErrors"`
		} `json:"orderCancel"`
	}
	if r := d.shopifyCall(ctx, ch, shopifyOrderCancel, vars, &out); r.err != nil {
		return r
	}
	if ue := out.OrderCancel.UserErrors; len(ue) > 0 {
		return sendResult{status: 200, err: fmt.Errorf("Shopify refused: %s", ue[0].Message)}
	}
	return sendResult{status: 200}
}

// shopifyStock sets the "available" quantity of the SKU's inventory item at
// the channel's Shopify location. A SKU the store does not sell is nothing to update.
func (d *dispatcher) shopifyStock(ctx context.Context, ch store.Channel, sku string, available int64) sendResult {
	item, r := d.shopifyInventoryItem(ctx, ch, sku)
	if r.err != nil || item == "" {
		return r
	}
	vars := map[string]any{"input": map[string]any{
		"name": "available", "reason": "correction", "ignoreCompareQuantity": true,
		"quantities": []map[string]any{{"inventoryItemId": item, "locationId": ch.InventoryLocation, "quantity": available}},
	}}
	var out struct {
		InventorySetQuantities struct {
			UserErrors []gqlError `json:"userErrors"`
		} `json:"inventorySetQuantities"`
	}
	if r := d.shopifyCall(ctx, ch, shopifyInventorySet, vars, &out); r.err != nil {
		r.err = fmt.Errorf("set the stock of %s: %w", sku, r.err)
		return r
	}
	if ue := out.InventorySetQuantities.UserErrors; len(ue) > 0 {
		return sendResult{status: 200, err: fmt.Errorf("Shopify refused the stock of %s: %s", sku, ue[0].Message)}
	}
	return sendResult{status: 200}
}

// shopifyInventoryItem is the inventory item GID of the variant whose SKU is
// sku; "" (with a note) when the store has none.
func (d *dispatcher) shopifyInventoryItem(ctx context.Context, ch store.Channel, sku string) (string, sendResult) {
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
	if r := d.shopifyCall(ctx, ch, shopifyVariantBySKU, map[string]any{"query": "sku:" + shopifySearchValue(sku)}, &out); r.err != nil {
		r.err = fmt.Errorf("find SKU %s: %w", sku, r.err)
		return "", r
	}
	for _, v := range out.ProductVariants.Nodes {
		if v.SKU == sku && v.InventoryItem.ID != "" { // the search may match more loosely than the SKU
			return v.InventoryItem.ID, sendResult{status: 200}
		}
	}
	return "", sendResult{status: 200, note: fmt.Sprintf("no variant with SKU %s in the store: nothing to update", sku)}
}

// shopifySearchValue quotes a value for Shopify's search syntax, escaping
// backslashes and double quotes.
func shopifySearchValue(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// channelAndPayload reads a shipment message's channel and payload.
func (d *dispatcher) channelAndPayload(ctx context.Context, m store.OutboxMessage) (store.Channel, shipmentPayload, sendResult) {
	var p shipmentPayload
	ch, err := d.a.read().GetChannel(ctx, m.ChannelID.Int64)
	if err != nil {
		return ch, p, sendResult{err: fmt.Errorf("channel: %w", err)}
	}
	if ch.CallbackBaseUrl == "" {
		return ch, p, sendResult{err: fmt.Errorf("channel %s has no callback base URL", ch.Code)}
	}
	if err := json.Unmarshal([]byte(m.Payload), &p); err != nil {
		return ch, p, sendResult{err: fmt.Errorf("payload: %w", err)}
	}
	return ch, p, sendResult{}
}

// do sends one request and reads the answer (at most 1 MiB).
func (d *dispatcher) do(ctx context.Context, method, url string, hdr http.Header, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header = hdr
	req.Header.Set("User-Agent", "Switchyard-Outbox/1")
	resp, err := d.o.Client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, nil, err
	}
	return resp.StatusCode, b, nil
}
