package web_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"switchyard/app"
	"switchyard/app/channels"
	"switchyard/web/webtest"
)

const hookSecret = "shpss_test_secret_1"

// hookChannel creates a channel of kind with webhook secrets, served by a Lyon warehouse.
func hookChannel(t *testing.T, env *webtest.Env, code, kind string, secrets ...string) {
	t.Helper()
	if len(secrets) == 0 {
		secrets = []string{hookSecret}
	}
	if _, _, err := env.App.PutChannel(context.Background(), app.System, code, app.ChannelInput{
		Name: strings.ToUpper(code[:1]) + code[1:], Kind: kind, Secrets: &secrets,
	}); err != nil {
		t.Fatal(err)
	}
	env.AddLocation("LYS", "Lyon", code)
}

func hookFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "app", "channels", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sendHook posts body to path with headers; it returns the status and body.
func sendHook(t *testing.T, env *webtest.Env, path string, body []byte, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	defer res.Body.Close()
	return res.StatusCode, readAll(t, res)
}

func shopifyHeaders(body []byte, secret, topic, id string) map[string]string {
	return map[string]string{
		"X-Shopify-Hmac-Sha256": channels.Sign(body, secret), "X-Shopify-Topic": topic,
		"X-Shopify-Webhook-Id": id, "X-Shopify-Shop-Domain": "example.myshopify.com",
	}
}

func TestShopifyWebhookTakesOrderInHeldFromChannel(t *testing.T) {
	env := webtest.New(t)
	hookChannel(t, env, "shop", "shopify")
	body := hookFixture(t, "shopify_orders_cancelled_activepieces_devstore_2023.json")
	// Sent as orders/create of a cancelled order: it is taken in, held (no SKU), and cancelled.
	status, answer := sendHook(t, env, "/webhooks/shopify/shop", body, shopifyHeaders(body, hookSecret, "orders/create", "wh-1"))
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, answer)
	}
	o, err := env.App.OrderByExternal(context.Background(), "shop", "5324790137142")
	if err != nil {
		t.Fatalf("order not taken in: %v (answer %s)", err, answer)
	}
	if o.ChannelRef != "#1009" || o.Status != app.StatusCancelled || !o.OnHold || o.HoldReason != "other" {
		t.Errorf("order %s: ref %q status %s hold %v %q", o.Number, o.ChannelRef, o.Status, o.OnHold, o.HoldReason)
	}
	if len(o.Lines) != 2 {
		t.Errorf("lines = %d, want 2 (none dropped)", len(o.Lines))
	}
	var received, held, cancelled bool
	for _, e := range o.Events {
		switch {
		case e.Kind == "received" && e.ActorKind == app.ActorChannel && strings.Contains(e.Message, "from Shop (Shopify) as #1009"):
			received = true
		case strings.Contains(e.Message, "line 1 (The Complete Snowboard - Powder, variant 44872881537334) has no SKU"):
			held = true
		case strings.Contains(e.Message, "Cancelled in Shopify (reason: other)"):
			cancelled = true
		}
	}
	if !received || !held || !cancelled {
		for _, e := range o.Events {
			t.Logf("%s %s %s: %s", e.Kind, e.ActorKind, e.ActorName, e.Message)
		}
		t.Errorf("timeline: received from channel %v, hold naming the line %v, cancelled %v", received, held, cancelled)
	}
	// The same webhook id again: nothing done.
	status, answer = sendHook(t, env, "/webhooks/shopify/shop", body, shopifyHeaders(body, hookSecret, "orders/create", "wh-1"))
	if status != http.StatusOK || !strings.Contains(answer, "duplicate") {
		t.Errorf("repeat: %d %s", status, answer)
	}
	// Unknown topics are acknowledged and ignored.
	status, answer = sendHook(t, env, "/webhooks/shopify/shop", body, shopifyHeaders(body, hookSecret, "products/update", "wh-2"))
	if status != http.StatusOK || !strings.Contains(answer, "ignored") {
		t.Errorf("unknown topic: %d %s", status, answer)
	}
}

func TestShopifyWebhookRoutesOrderWithKnownSKU(t *testing.T) {
	env := webtest.New(t)
	hookChannel(t, env, "shop", "shopify")
	if _, _, err := env.App.PutSKU(context.Background(), app.System, "TEE-BLK-M", app.SKUInput{Name: "Black tee"}); err != nil {
		t.Fatal(err)
	}
	env.Stock("LYS", "TEE-BLK-M", 10)
	body := []byte(`{"id": 9007199254740993, "admin_graphql_api_id": "gid://shopify/Order/9007199254740993", "name": "#1001",
	 "email": "ann@example.com", "currency": "EUR", "created_at": "2026-11-25T10:00:00+01:00", "test": true,
	 "total_shipping_price_set": {"shop_money": {"amount": 4.9}},
	 "shipping_address": {"name": "Ann", "address1": "2 place Bellecour", "city": "Lyon", "zip": "69002", "country_code": "FR", "latitude": 45.7578, "longitude": 4.832},
	 "line_items": [{"id": 9007199254740995, "variant_id": 9007199254740997, "sku": "TEE-BLK-M", "name": "Black tee - M", "quantity": 2, "price": "19.90"},
	                {"id": 9007199254740999, "variant_id": null, "sku": "NOPE", "name": "Mystery", "quantity": 1, "price": "1.00"}]}`)
	status, answer := sendHook(t, env, "/webhooks/shopify/shop", body, shopifyHeaders(body, hookSecret, "orders/create", "wh-9"))
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, answer)
	}
	o, err := env.App.OrderByExternal(context.Background(), "shop", "9007199254740993")
	if err != nil {
		t.Fatal(err)
	}
	if !o.Test || !o.OnHold || o.ShippingAddress == nil || o.ShippingAddress.Lat == nil || *o.ShippingAddress.Lat != 45.7578 {
		t.Errorf("order: test %v hold %v address %+v", o.Test, o.OnHold, o.ShippingAddress)
	}
	found := false
	for _, e := range o.Events {
		found = found || strings.Contains(e.Message, `line 2 (Mystery) has unknown SKU "NOPE"`)
	}
	if !found {
		t.Error("the hold does not name the unknown line")
	}
	// The address changes in Shopify: orders/updated changes it here.
	moved := bytes.Replace(body, []byte("2 place Bellecour"), []byte("5 rue Merciere"), 1)
	status, answer = sendHook(t, env, "/webhooks/shopify/shop", moved, shopifyHeaders(moved, hookSecret, "orders/updated", "wh-10"))
	if status != http.StatusOK || !strings.Contains(answer, "changed the address") {
		t.Fatalf("update: %d %s", status, answer)
	}
	if o, _ = env.App.OrderByExternal(context.Background(), "shop", "9007199254740993"); o.ShippingAddress.Line1 != "5 rue Merciere" {
		t.Errorf("address = %+v", o.ShippingAddress)
	}
	// Then it is cancelled there.
	status, answer = sendHook(t, env, "/webhooks/shopify/shop", moved, shopifyHeaders(
		bytes.Replace(moved, []byte(`"test": true`), []byte(`"test": true, "cancelled_at": "2026-11-26T09:00:00Z", "cancel_reason": "customer"`), 1),
		hookSecret, "orders/cancelled", "wh-11"))
	if status != http.StatusUnauthorized {
		t.Errorf("a body other than the signed one: %d %s", status, answer)
	}
	cancelled := bytes.Replace(moved, []byte(`"test": true`), []byte(`"test": true, "cancelled_at": "2026-11-26T09:00:00Z", "cancel_reason": "customer"`), 1)
	status, answer = sendHook(t, env, "/webhooks/shopify/shop", cancelled, shopifyHeaders(cancelled, hookSecret, "orders/cancelled", "wh-11"))
	if o, _ = env.App.OrderByExternal(context.Background(), "shop", "9007199254740993"); status != http.StatusOK || o.Status != app.StatusCancelled {
		t.Errorf("cancel: %d %s, status %s", status, answer, o.Status)
	}
}

func TestShopifyWebhookSignatureFailuresStoreNothing(t *testing.T) {
	env := webtest.New(t)
	hookChannel(t, env, "shop", "shopify", "old_secret_1", hookSecret)
	body := hookFixture(t, "shopify_orders_create_docs_sample_2026-04_gadget.json")
	altered := bytes.Clone(body)
	altered[len(altered)/2] ^= 0x01
	good := shopifyHeaders(body, hookSecret, "orders/create", "wh-1")
	missing := shopifyHeaders(body, hookSecret, "orders/create", "wh-2")
	delete(missing, "X-Shopify-Hmac-Sha256")
	for name, c := range map[string]struct {
		body    []byte
		headers map[string]string
	}{
		"bad signature":  {body, map[string]string{"X-Shopify-Hmac-Sha256": "bm90IGEgc2lnbmF0dXJl", "X-Shopify-Topic": "orders/create", "X-Shopify-Webhook-Id": "wh-3"}},
		"missing header": {body, missing},
		"wrong secret":   {body, shopifyHeaders(body, "another_secret", "orders/create", "wh-4")},
		"altered body":   {altered, good},
	} {
		if status, answer := sendHook(t, env, "/webhooks/shopify/shop", c.body, c.headers); status != http.StatusUnauthorized {
			t.Errorf("%s: %d %s, want 401", name, status, answer)
		}
	}
	if ds, err := env.Svc.Channels.WebhookDeliveries(context.Background(), "shop", 10); err != nil {
		t.Fatal(err)
	} else if len(ds) != 0 {
		t.Errorf("deliveries stored: %+v", ds)
	}
	if _, err := env.App.OrderByExternal(context.Background(), "shop", "820982911946154508"); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("order stored: %v", err)
	}
	// Either secret of a rotation verifies.
	for i, secret := range []string{"old_secret_1", hookSecret} {
		h := shopifyHeaders(body, secret, "orders/create", fmt.Sprint("ok-", i))
		if status, answer := sendHook(t, env, "/webhooks/shopify/shop", body, h); status != http.StatusOK {
			t.Errorf("secret %d: %d %s", i, status, answer)
		}
	}
	if status, _ := sendHook(t, env, "/webhooks/shopify/nope", body, good); status != http.StatusUnauthorized {
		t.Errorf("unknown channel: %d, want 401 as for a bad signature (codes cannot be probed)", status)
	}
}

// Each order fixture delivered 10 times, concurrently, in a random order of
// topics and webhook ids (retries share an id): one order each.
func TestWebhookFixturesConcurrentlyGiveOneOrder(t *testing.T) {
	env := webtest.New(t)
	hookChannel(t, env, "shop", "shopify")
	if _, _, err := env.App.PutChannel(context.Background(), app.System, "woo", app.ChannelInput{
		Name: "Woo", Kind: "woocommerce", Secrets: &[]string{hookSecret},
	}); err != nil {
		t.Fatal(err)
	}
	fixtures := map[string]string{
		"shopify_orders_create_activepieces_devstore_2023.json":                "5324830114101",
		"shopify_orders_cancelled_activepieces_devstore_2023.json":             "5324790137142",
		"shopify_orders_create_docs_sample_2026-04_gadget.json":                "820982911946154508",
		"shopify_order_rest_wrapped_2014_shopify-fulfillment-integration.json": "450789469",
		"shopify_order_rest_wrapped_go-shopify.json":                           "123456",
		"woocommerce_order_created_v3_docs.json":                               "727",
	}
	var wg sync.WaitGroup
	for name := range fixtures {
		body := hookFixture(t, name)
		for i := range 10 {
			wg.Go(func() {
				var status int
				var answer string
				if strings.HasPrefix(name, "woocommerce") {
					topic := []string{"order.created", "order.updated"}[rand.IntN(2)]
					status, answer = sendHook(t, env, "/webhooks/woocommerce/woo", body, map[string]string{
						"X-WC-Webhook-Signature": channels.Sign(body, hookSecret), "X-WC-Webhook-Topic": topic,
						"X-WC-Webhook-Delivery-ID": fmt.Sprint(i)})
				} else {
					topic := channels.ShopifyTopics[rand.IntN(3)]
					status, answer = sendHook(t, env, "/webhooks/shopify/shop", body,
						shopifyHeaders(body, hookSecret, topic, fmt.Sprintf("%s-%d", name, i%4)))
				}
				if status != http.StatusOK || strings.Contains(answer, "refused") {
					t.Errorf("%s #%d: %d %s", name, i, status, answer)
				}
			})
		}
	}
	wg.Wait()
	for name, ext := range fixtures {
		ch := "shop"
		if strings.HasPrefix(name, "woocommerce") {
			ch = "woo"
		}
		if _, err := env.App.OrderByExternal(context.Background(), ch, ext); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	orders, err := env.App.Read().CountOrders(context.Background())
	if err != nil || orders != int64(len(fixtures)) {
		t.Errorf("%d orders, want %d", orders, len(fixtures))
	}
}

func TestWooWebhookPingAndOrder(t *testing.T) {
	env := webtest.New(t)
	hookChannel(t, env, "woo", "woocommerce")
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/webhooks/woocommerce/woo", strings.NewReader("webhook_id=15"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("ping: %d", res.StatusCode)
	}
	body := hookFixture(t, "woocommerce_order_created_v3_docs.json")
	if status, _ := sendHook(t, env, "/webhooks/woocommerce/woo", body, map[string]string{"X-WC-Webhook-Topic": "order.created"}); status != http.StatusUnauthorized {
		t.Errorf("unsigned order: %d", status)
	}
	status, answer := sendHook(t, env, "/webhooks/woocommerce/woo", body, map[string]string{
		"X-WC-Webhook-Signature": channels.Sign(body, hookSecret), "X-WC-Webhook-Topic": "order.created"})
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, answer)
	}
	o, err := env.App.OrderByExternal(context.Background(), "woo", "727")
	if err != nil {
		t.Fatal(err)
	}
	if o.ChannelRef != "727" || !o.OnHold || o.PlacedAt.Format("2006-01-02T15:04:05") != "2017-03-22T19:28:02" {
		t.Errorf("order %+v", o)
	}
}

func TestChannelSettingsPage(t *testing.T) {
	env := webtest.New(t)
	hookChannel(t, env, "shop", "shopify")
	admin, _ := env.SignedIn(app.RoleAdmin)
	res := admin.PostForm("/admin/channels/shop", url.Values{
		"shop_domain": {"example.myshopify.com"}, "secret_1": {"first_secret_1"}, "secret_2": {"second_secret_2"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, res.Body)
	}
	body := hookFixture(t, "shopify_orders_create_activepieces_devstore_2023.json")
	if status, answer := sendHook(t, env, "/webhooks/shopify/shop", body, shopifyHeaders(body, "second_secret_2", "orders/create", "wh-1")); status != http.StatusOK {
		t.Fatalf("webhook with the new secret: %d %s", status, answer)
	}
	page := admin.Get("/admin/channels/shop")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("page: %d", page.StatusCode)
	}
	for _, want := range []string{"2 set", "example.myshopify.com", "orders/create", "took in order", "/webhooks/shopify/shop"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, secret := range []string{"first_secret_1", "second_secret_2", hookSecret} {
		if strings.Contains(page.Body, secret) {
			t.Errorf("page shows a secret")
		}
	}
	if ops, _ := env.SignedIn(app.RoleOps); ops.Get("/admin/channels/shop").StatusCode != http.StatusForbidden {
		t.Error("ops may see channel secrets settings")
	}
}

// TestChannelSettingsInventoryLocation: a Shopify channel's location id is
// saved as a GID and shown; a malformed one is refused with the field named.
func TestChannelSettingsInventoryLocation(t *testing.T) {
	env := webtest.New(t)
	hookChannel(t, env, "shop", "shopify")
	admin, _ := env.SignedIn(app.RoleAdmin)
	res := admin.PostForm("/admin/channels/shop", url.Values{"shop_domain": {"example.myshopify.com"}, "inventory_location": {" 123 "}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, res.Body)
	}
	ch, err := env.App.Channel(context.Background(), "shop")
	if err != nil || ch.InventoryLocation != "gid://shopify/Location/123" {
		t.Fatalf("stored %q, %v", ch.InventoryLocation, err)
	}
	if page := admin.Get("/admin/channels/shop"); !strings.Contains(page.Body, `value="gid://shopify/Location/123"`) {
		t.Errorf("page does not show the location")
	}
	res = admin.PostForm("/admin/channels/shop", url.Values{"shop_domain": {"example.myshopify.com"}, "inventory_location": {"Lyon warehouse"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="inventory_location"`) ||
		!strings.Contains(res.Body, "Shopify location id") || !strings.Contains(res.Body, `value="Lyon warehouse"`) {
		t.Fatalf("malformed: %d %s", res.StatusCode, res.Body)
	}
	if ch, _ := env.App.Channel(context.Background(), "shop"); ch.InventoryLocation != "gid://shopify/Location/123" {
		t.Errorf("a refused form changed the location to %q", ch.InventoryLocation)
	}
	hookChannel(t, env, "woo", "woocommerce")
	if page := admin.Get("/admin/channels/woo"); strings.Contains(page.Body, `name="inventory_location"`) {
		t.Errorf("a WooCommerce channel shows the Shopify location field")
	}
}

// TestChannelSettingsServingLocations: the settings page sets which locations
// serve the channel; an unknown location is refused by name and changes nothing.
func TestChannelSettingsServingLocations(t *testing.T) {
	env := webtest.New(t)
	hookChannel(t, env, "shop", "shopify")
	env.AddLocation("LYS", "Lyon warehouse")
	env.AddLocation("PAR", "Paris store")
	env.AddLocation("BER", "Berlin store")
	admin, _ := env.SignedIn(app.RoleAdmin)
	served := func() []string {
		ch, err := env.App.Channel(context.Background(), "shop")
		if err != nil {
			t.Fatal(err)
		}
		return ch.Locations
	}
	res := admin.PostForm("/admin/channels/shop", url.Values{"shop_domain": {"example.myshopify.com"},
		"locations_shown": {"1"}, "locations": {"LYS", "PAR"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, res.Body)
	}
	if got := served(); !slices.Equal(got, []string{"LYS", "PAR"}) {
		t.Fatalf("served by %v, want LYS and PAR", got)
	}
	page := admin.Get("/admin/channels/shop")
	if !strings.Contains(page.Body, `value="LYS" checked`) || strings.Contains(page.Body, `value="BER" checked`) {
		t.Errorf("the page should tick LYS and not BER:\n%s", page.Body)
	}
	res = admin.PostForm("/admin/channels/shop", url.Values{"shop_domain": {"example.myshopify.com"},
		"locations_shown": {"1"}, "locations": {"BER", "NOPE"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="locations"`) ||
		!strings.Contains(res.Body, `unknown location &#34;NOPE&#34;`) {
		t.Fatalf("unknown location: %d %s", res.StatusCode, res.Body)
	}
	if got := served(); !slices.Equal(got, []string{"LYS", "PAR"}) {
		t.Fatalf("a refused form changed the locations to %v", got)
	}
	res = admin.PostForm("/admin/channels/shop", url.Values{"shop_domain": {"example.myshopify.com"}, "locations_shown": {"1"}})
	if res.StatusCode != http.StatusSeeOther || len(served()) != 0 {
		t.Fatalf("none ticked should leave no location serving the channel: %d %v", res.StatusCode, served())
	}
}
