package web

import (
	"encoding/json"
	"time"

	"switchyard/app"
	"switchyard/app/returns"
	"switchyard/web/views"
)

// webhookEventDocs says what each event an endpoint may subscribe to tells,
// with an example payload built from the very types the event carries (so the
// fields shown are the fields sent), in app.WebhookEvents' order.
func webhookEventDocs() []views.WebhookEventDoc {
	at := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	order := app.EventOrderRef{Number: "SY-000123", ExternalID: "100234"}
	timeline := func(kind, message string, details map[string]any) any {
		return app.TimelineEventData{Channel: "web-eu", Order: order, Kind: kind, Message: message, At: at, Details: details}
	}
	shipment := app.ShipmentPayload{Order: order.Number, ExternalID: order.ExternalID, ShipmentID: 42, Carrier: "ups", Company: "UPS",
		TrackingNumber: "1Z5R89390357567127", TrackingURL: "https://www.ups.com/track?tracknum=1Z5R89390357567127",
		Lines: []app.ShipmentLine{{ExternalID: "1", SKU: "TEE-BLK-M", Quantity: 2}}}
	ret := returns.Return{Number: "RT-000007", Order: order.Number, Channel: "web-eu", Status: "requested", Resolution: "refund"}
	refund := returns.Refund{ID: 3, Kind: "refund", Amount: "39.80", Shipping: "0.00", Return: ret.Number}
	docs := map[string]struct {
		what string
		data any
	}{
		app.EventOrderCreated: {"a new order was taken in (any channel, the API, an import)",
			timeline("received", "Order received from Web EU (Shopify) as 100234: 2 items, EUR 44.70.", map[string]any{"channel": "web-eu", "lines": 1})},
		app.EventOrderRouted: {"routing placed the order's lines, at intake or again later (details.trigger says why)",
			timeline("routed", "Routed to Lyon warehouse: the only location with all 2 items.", map[string]any{"decision": 17, "rule": "default", "rule_version": 3, "trigger": "intake"})},
		app.EventOrderHeld: {"the order was put on hold, by a person or by routing",
			timeline("held", "Order put on hold for an address check.", map[string]any{"reason": "address_check", "note": ""})},
		app.EventOrderReleased: {"a hold was released: the order goes ahead",
			timeline("released", "Hold (address check) released: the order goes ahead.", nil)},
		app.EventFulfillmentAccepted: {"a location took on its part of the order",
			timeline("fulfillment_accepted", "Lyon warehouse accepted its part: 2 items.", map[string]any{"fulfillment": 31, "location": "LYS-WH"})},
		app.EventFulfillmentRejected: {"a location could not ship its part; the order is routed again",
			timeline("fulfillment_rejected", "Lyon warehouse rejected its part (out of stock): routing the order again.", map[string]any{"fulfillment": 31, "location": "LYS-WH", "reason": "out_of_stock"})},
		app.EventOrderShipped:         {"a parcel left (one event per shipment)", map[string]any{"channel": "web-eu", "shipment": shipment}},
		app.EventOrderCancelled:       {"the order, or some of its lines, was cancelled", map[string]any{"channel": "web-eu", "cancellation": app.CancelPayload{Order: order.Number, ExternalID: order.ExternalID, Reason: "the customer changed their mind"}}},
		app.EventOrderTrackingUpdated: {"a shipment's carrier or tracking number was corrected", map[string]any{"channel": "web-eu", "shipment": app.TrackingUpdatePayload{ShipmentPayload: shipment, PreviousCarrier: "ups", PreviousTrackingNumber: "1Z5R89390357567128"}}},
		app.EventStockShort: {"a count found fewer units than an order holds reserved there; the order is routed again",
			timeline("stock_short", "A count at LYS-WH found 0 of TEE-BLK-M for 2 reserved: routing the order again.", map[string]any{"location": "LYS-WH", "sku": "TEE-BLK-M"})},
		app.EventReturnRequested: {"a return was started (by support, the customer or the channel)", map[string]any{"return": ret}},
		app.EventReturnApproved:  {"a return was approved", map[string]any{"return": ret}},
		app.EventReturnReceived:  {"a return's goods were received (some or all)", map[string]any{"return": ret}},
		app.EventRefundCreated:   {"a refund was made for a return", map[string]any{"refund": refund, "order": order.Number, "channel": "web-eu"}},
		app.EventAutomation: {"an automation rule's webhook action fired (the rule, its trigger and the name it gave the event)",
			app.AutomationEventData{Channel: "web-eu", Order: order, Rule: "Big first orders", Trigger: "order.received", Event: "fraud.review"}},
	}
	out := make([]views.WebhookEventDoc, 0, len(app.WebhookEvents))
	for _, event := range app.WebhookEvents {
		d := docs[event]
		body, _ := json.MarshalIndent(map[string]any{"type": event, "timestamp": at, "data": d.data}, "", "  ")
		out = append(out, views.WebhookEventDoc{Event: event, What: d.what, Example: string(body)})
	}
	return out
}
