package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

// TestChannelSettingsShopifyAPIVersion: a Shopify channel's settings page
// shows the Admin API version (empty: this build's) and saves a later stable
// one; an older or malformed one is refused beside the field, keeping what
// was typed and storing nothing. The API refuses it the same way.
func TestChannelSettingsShopifyAPIVersion(t *testing.T) {
	env := webtest.New(t)
	hookChannel(t, env, "shop", "shopify")
	admin, _ := env.SignedIn(app.RoleAdmin)
	page := admin.Get("/admin/channels/shop")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `name="shopify_api_version" value=""`) ||
		!strings.Contains(page.Body, `placeholder="`+app.ShopifyAPIVersion+`"`) {
		t.Fatalf("page %d lacks the empty version field:\n%s", page.StatusCode, page.Body)
	}
	stored := func() string {
		ch, err := env.App.Channel(context.Background(), "shop")
		if err != nil {
			t.Fatal(err)
		}
		return ch.ShopifyAPIVersion
	}
	res := admin.PostForm("/admin/channels/shop", url.Values{"shop_domain": {"example.myshopify.com"}, "shopify_api_version": {" 2026-07 "}})
	if res.StatusCode != http.StatusSeeOther || stored() != "2026-07" {
		t.Fatalf("save 2026-07: %d, stored %q\n%s", res.StatusCode, stored(), res.Body)
	}
	if page := admin.Get("/admin/channels/shop"); !strings.Contains(page.Body, `name="shopify_api_version" value="2026-07"`) {
		t.Errorf("page does not show the version set")
	}
	for _, bad := range []string{"2025-01", "2026-01", "2026-05", "latest", "2026-07-01"} {
		res := admin.PostForm("/admin/channels/shop", url.Values{"shop_domain": {"example.myshopify.com"}, "shopify_api_version": {bad}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="shopify_api_version"`) ||
			!strings.Contains(res.Body, "stable Shopify API version") || !strings.Contains(res.Body, `value="`+bad+`"`) {
			t.Errorf("version %q: %d\n%s", bad, res.StatusCode, res.Body)
		}
		if v := stored(); v != "2026-07" {
			t.Fatalf("a refused form changed the version to %q", v)
		}
	}
	res = admin.PostForm("/admin/channels/shop", url.Values{"shop_domain": {"example.myshopify.com"}, "shopify_api_version": {""}})
	if res.StatusCode != http.StatusSeeOther || stored() != "" {
		t.Fatalf("clear: %d, stored %q", res.StatusCode, stored())
	}

	key := env.APIKey("", "catalog:write")
	status, out := env.API(http.MethodPut, "/api/v1/channels/shop", key, `{"name":"Shop","kind":"shopify","shopify_api_version":"2025-10"}`)
	if status != http.StatusUnprocessableEntity || !strings.Contains(out, `"shopify_api_version"`) {
		t.Fatalf("API with 2025-10: %d %s", status, out)
	}
	status, out = env.API(http.MethodPut, "/api/v1/channels/shop", key, `{"name":"Shop","kind":"shopify","shopify_api_version":"2027-01"}`)
	if status != http.StatusOK || !strings.Contains(out, `"shopify_api_version":"2027-01"`) || stored() != "2027-01" {
		t.Fatalf("API with 2027-01: %d %s", status, out)
	}

	hookChannel(t, env, "woo", "woocommerce")
	if page := admin.Get("/admin/channels/woo"); strings.Contains(page.Body, `name="shopify_api_version"`) {
		t.Errorf("a WooCommerce channel shows the Shopify API version field")
	}
}

// TestChannelSettingsWooNeedsHTTPS: a WooCommerce channel's base URL must be
// https:// (its REST API key travels as HTTP Basic) and its token a
// key:secret pair, on the settings form (error beside the field, nothing
// stored) and on the API (422 naming the field).
func TestChannelSettingsWooNeedsHTTPS(t *testing.T) {
	env := webtest.New(t)
	hookChannel(t, env, "woo", "woocommerce")
	admin, _ := env.SignedIn(app.RoleAdmin)
	stored := func() app.Channel {
		ch, err := env.App.Channel(context.Background(), "woo")
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	for _, c := range []struct{ base, token, field, says string }{
		{"http://woo.example", "ck_a:cs_b", "callback.base_url", "https:// address"},
		{"https://woo.example", "a-bearer-token", "callback.token", "consumer_key:consumer_secret"},
	} {
		res := admin.PostForm("/admin/channels/woo", url.Values{"callback_base_url": {c.base}, "callback_token": {c.token}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="`+c.field+`"`) || !strings.Contains(res.Body, c.says) ||
			!strings.Contains(res.Body, `value="`+c.base+`"`) {
			t.Errorf("%s %s: %d\n%s", c.base, c.token, res.StatusCode, res.Body)
		}
		if ch := stored(); ch.CallbackURL != "" || ch.HasToken {
			t.Fatalf("a refused form stored %+v", ch)
		}
	}
	res := admin.PostForm("/admin/channels/woo", url.Values{"callback_base_url": {"https://woo.example"}, "callback_token": {"ck_a:cs_b"}})
	if res.StatusCode != http.StatusSeeOther || stored().CallbackURL != "https://woo.example" {
		t.Fatalf("https: %d %s", res.StatusCode, res.Body)
	}

	key := env.APIKey("", "catalog:write")
	status, out := env.API(http.MethodPut, "/api/v1/channels/woo", key,
		`{"name":"Woo","kind":"woocommerce","callback":{"base_url":"http://woo.example","token":"ck_a:cs_b"}}`)
	if status != http.StatusUnprocessableEntity || !strings.Contains(out, `"callback.base_url"`) || !strings.Contains(out, "https://") {
		t.Fatalf("API with http://: %d %s", status, out)
	}
	if stored().CallbackURL != "https://woo.example" {
		t.Fatalf("a refused PUT changed the base URL")
	}
}
