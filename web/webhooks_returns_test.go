package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

// TestShopifyReturnWebhookThroughRouter: Shopify's returns/request sample
// (with the line item its sample leaves out) through POST /webhooks/shopify
// starts a return on the order; a bad signature is 401 and writes nothing;
// the same delivery again is a duplicate.
func TestShopifyReturnWebhookThroughRouter(t *testing.T) {
	ctx := context.Background()
	env := webtest.New(t)
	hookChannel(t, env, "shop", "shopify")
	env.AddSKU("TEE")
	env.Stock("LYS", "TEE", 10)
	lat, lon := 45.75, 4.85
	o, _, err := env.App.PlaceOrder(ctx, app.System, app.NewOrder{Channel: "shop", ExternalID: "4783296544821", Currency: "EUR",
		ShippingAddress: &app.AddressInput{Line1: "1 rue", City: "Lyon", Country: "FR", Lat: &lat, Lon: &lon},
		Lines:           []app.LineInput{{ExternalID: "11111", SKU: "TEE", Quantity: 1, UnitPrice: "10"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	sample := string(hookFixture(t, "shopify_versions/2026-04_returns_request.json"))
	body := []byte(strings.Replace(sample, `"return_line_items": []`, `"return_line_items": [{"id": 1, "quantity": 1,
	  "return_reason": "SIZE_TOO_LARGE", "fulfillment_line_item": {"id": 2, "line_item": {"id": 11111}}}]`, 1))
	if string(body) == sample {
		t.Fatal("the sample has no empty return_line_items to fill")
	}
	status, answer := sendHook(t, env, "/webhooks/shopify/shop", body, shopifyHeaders(body, "not the secret", "returns/request", "rw-1"))
	if status != http.StatusUnauthorized {
		t.Fatalf("bad signature: %d %s", status, answer)
	}
	if rs, err := env.Svc.Returns.ForOrder(ctx, o.ID); err != nil || len(rs) != 0 {
		t.Fatalf("a bad signature wrote %+v %v", rs, err)
	}
	status, answer = sendHook(t, env, "/webhooks/shopify/shop", body, shopifyHeaders(body, hookSecret, "returns/request", "rw-1"))
	if status != http.StatusOK || !strings.Contains(answer, "took in return") {
		t.Fatalf("request: %d %s", status, answer)
	}
	rs, err := env.Svc.Returns.ForOrder(ctx, o.ID)
	if err != nil || len(rs) != 1 || rs[0].Lines[0].Reason != "too_large" || *rs[0].ExternalID != "gid://shopify/Return/123134564567890" {
		t.Fatalf("returns %+v %v", rs, err)
	}
	status, answer = sendHook(t, env, "/webhooks/shopify/shop", body, shopifyHeaders(body, hookSecret, "returns/request", "rw-1"))
	if status != http.StatusOK || !strings.Contains(answer, `"duplicate":true`) {
		t.Fatalf("again: %d %s", status, answer)
	}
}
