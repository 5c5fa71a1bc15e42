package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/channels"
	"switchyard/web/webtest"
)

// privacyEnv is Switchyard with a Shopify channel "shop" signed with secret and one order of Ana's.
func privacyEnv(t *testing.T, secret string) *webtest.Env {
	t.Helper()
	env := webtest.New(t)
	ctx := context.Background()
	if _, _, err := env.App.PutChannel(ctx, app.System, "shop", app.ChannelInput{Name: "Shop", Kind: "shopify", Secrets: &[]string{secret}}); err != nil {
		t.Fatal(err)
	}
	env.AddLocation("LYS-WH", "Lyon warehouse", "shop")
	env.AddSKU("TEE")
	env.Stock("LYS-WH", "TEE", 10)
	lat, lon := 45.75, 4.85
	if _, _, err := env.App.PlaceOrder(ctx, app.System, app.NewOrder{Channel: "shop", ExternalID: "299938", Currency: "EUR",
		Customer:        app.CustomerInput{Email: "ana@example.com", Name: "Ana Lima"},
		ShippingAddress: &app.AddressInput{Line1: "12 rue Mercière", City: "Lyon", Country: "FR", Lat: &lat, Lon: &lon},
		Lines:           []app.LineInput{{SKU: "TEE", Quantity: 1, UnitPrice: "10"}}}); err != nil {
		t.Fatal(err)
	}
	return env
}

// emailOfOrder is the customer email of the order SY-000001.
func emailOfOrder(t *testing.T, env *webtest.Env) string {
	t.Helper()
	o, err := env.App.OrderByNumber(context.Background(), "SY-000001")
	if err != nil {
		t.Fatal(err)
	}
	return o.Customer.Email
}

func TestAdminRedactsACustomer(t *testing.T) {
	env := privacyEnv(t, "shpss_privacy")
	support, _ := env.SignedIn(app.RoleSupport)
	if res := support.PostForm("/admin/privacy/redact", url.Values{"email": {"ana@example.com"}, "confirm": {"yes"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("support redacting = %d, want 403", res.StatusCode)
	}
	admin, _ := env.SignedIn(app.RoleAdmin)
	if res := admin.Get("/admin/privacy"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="privacy-email"`) {
		t.Fatalf("privacy page = %d", res.StatusCode)
	}
	if res := admin.PostRaw("/admin/privacy/redact", url.Values{"email": {"ana@example.com"}, "confirm": {"yes"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("without CSRF = %d, want 403", res.StatusCode)
	}
	bad := admin.PostForm("/admin/privacy/redact", url.Values{"email": {"ana"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "is not an email address") || !strings.Contains(bad.Body, "tick to confirm") {
		t.Errorf("bad form = %d\n%s", bad.StatusCode, bad.Body)
	}
	if emailOfOrder(t, env) == "" {
		t.Fatal("a refused form erased data")
	}
	res := admin.PostForm("/admin/privacy/redact", url.Values{"email": {"ANA@example.com"}, "confirm": {"yes"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("redact = %d\n%s", res.StatusCode, res.Body)
	}
	if page := admin.Get("/admin/privacy"); !strings.Contains(page.Body, "Personal data erased from 1 order of customer #") {
		t.Errorf("no notice after redacting:\n%s", page.Body)
	}
	if emailOfOrder(t, env) != "" {
		t.Error("the order kept its email")
	}
}

func TestAdminSetsTheAnonymiseAge(t *testing.T) {
	env := privacyEnv(t, "shpss_privacy")
	admin, _ := env.SignedIn(app.RoleAdmin)
	if bad := admin.PostForm("/admin/privacy/anonymise", url.Values{"days": {"5"}}); bad.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(bad.Body, "must be 0 (never) or 30 to 3650") {
		t.Errorf("bad age = %d\n%s", bad.StatusCode, bad.Body)
	}
	if res := admin.PostForm("/admin/privacy/anonymise", url.Values{"days": {"400"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("save = %d\n%s", res.StatusCode, res.Body)
	}
	if page := admin.Get("/admin/privacy"); !strings.Contains(page.Body, "anonymised 400 days after") || !strings.Contains(page.Body, `value="400"`) {
		t.Errorf("the page does not show the age:\n%s", page.Body)
	}
}

func TestShopifyPrivacyWebhooksThroughTheRouter(t *testing.T) {
	env := privacyEnv(t, "shpss_privacy")
	send := func(topic, fixture, secret string) int {
		body, err := os.ReadFile("../app/channels/testdata/" + fixture)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/webhooks/shopify/shop", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Shopify-Topic", topic)
		req.Header.Set("X-Shopify-Webhook-Id", topic+"-1")
		req.Header.Set("X-Shopify-Hmac-Sha256", channels.Sign(body, secret))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := send("customers/data_request", "shopify_customers_data_request_docs_sample_2026-07_gadget.json", "shpss_privacy"); code != http.StatusOK {
		t.Errorf("data_request = %d", code)
	}
	admin, _ := env.SignedIn(app.RoleAdmin)
	if page := admin.Get("/admin/privacy"); !strings.Contains(page.Body, "299938 280263 220458") ||
		!strings.Contains(page.Body, ">1 data request, newest first.<") {
		t.Errorf("the data request is not listed, with its count:\n%s", page.Body)
	}
	if code := send("customers/redact", "shopify_customers_redact_docs_sample_2026-07_gadget.json", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("bad signature = %d, want 401", code)
	}
	if emailOfOrder(t, env) == "" {
		t.Fatal("an unsigned delivery erased data")
	}
	if code := send("customers/redact", "shopify_customers_redact_docs_sample_2026-07_gadget.json", "shpss_privacy"); code != http.StatusOK {
		t.Errorf("customers/redact = %d", code)
	}
	if emailOfOrder(t, env) != "" {
		t.Error("order 299938 kept its email")
	}
}
