package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/channels"
	"switchyard/app/channels/wootest"
	"switchyard/web/webtest"
)

// pullStore starts a fake WooCommerce store with one order changed an hour
// ago, and Switchyard with channel "woo" reading it with token.
func pullStore(t *testing.T, token string) (*webtest.Env, *wootest.Store) {
	t.Helper()
	woo := wootest.New(t, "ck_key", "cs_secret", 100)
	env := webtest.NewWith(t, webtest.Options{WooClient: woo.Client})
	fixture := hookFixture(t, "woocommerce_order_created_v3_docs.json")
	woo.Put(t, wootest.Order(t, fixture, 4242, env.Clock.Now().Add(-time.Hour)))
	setPullToken(t, env, woo, token)
	return env, woo
}

// setPullToken points channel "woo" at the store with token.
func setPullToken(t *testing.T, env *webtest.Env, woo *wootest.Store, token string) {
	t.Helper()
	_, _, err := env.App.PutChannel(context.Background(), app.System, "woo", app.ChannelInput{
		Name: "Woo shop", Kind: "woocommerce", Callback: &app.CallbackInput{BaseURL: woo.URL, Token: token}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPullOrdersNowButton(t *testing.T) {
	env, woo := pullStore(t, "ck_key:cs_secret")
	c, _ := env.SignedIn(app.RoleAdmin)
	page := c.Get("/admin/channels/woo")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="pull-now"`) || !strings.Contains(page.Body, "Not pulled yet") {
		t.Fatalf("settings page %d lacks the pull button or its state:\n%s", page.StatusCode, page.Body)
	}

	if res := c.PostRaw("/admin/channels/woo/pull", nil); res.StatusCode != http.StatusForbidden || len(woo.Queries()) != 0 {
		t.Fatalf("pull without CSRF token = %d, store asked %d times", res.StatusCode, len(woo.Queries()))
	}
	res := c.PostForm("/admin/channels/woo/pull", nil)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || loc != "/admin/channels/woo" {
		t.Fatalf("pull = %d to %q\n%s", res.StatusCode, loc, res.Body)
	}
	o, err := env.App.OrderByExternal(context.Background(), "woo", "4242")
	if err != nil {
		t.Fatalf("the pulled order was not taken in: %v", err)
	}
	page = c.Get(loc)
	for _, want := range []string{`data-kind="ok"`, "1 taken in", "Last pull", "reconciliation pull", o.Number} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("page after the pull lacks %q", want)
		}
	}

	setPullToken(t, env, woo, "ck_key:revoked")
	res = c.PostForm("/admin/channels/woo/pull", nil)
	if res.StatusCode != http.StatusBadGateway || !strings.Contains(res.Body, `data-kind="error"`) || !strings.Contains(res.Body, "401") {
		t.Errorf("pull with revoked credentials = %d, want the settings page with the store's refusal:\n%s", res.StatusCode, res.Body)
	}
}

func TestAPIPullChannel(t *testing.T) {
	env, woo := pullStore(t, "ck_key:cs_secret")
	if status, _ := env.API(http.MethodPost, "/api/v1/channels/woo/pull", env.APIKey("", "orders:read"), ""); status != http.StatusForbidden {
		t.Errorf("pull with orders:read = %d, want 403", status)
	}
	status, body := env.API(http.MethodPost, "/api/v1/channels/woo/pull", env.APIKey("", "orders:write"), "")
	if status != http.StatusOK {
		t.Fatalf("pull = %d: %s", status, body)
	}
	var res channels.PullResult
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	o, err := env.App.OrderByExternal(context.Background(), "woo", "4242")
	if err != nil || res.TakenIn != 1 || len(res.Orders) != 1 || res.Orders[0] != o.Number {
		t.Errorf("answer %s; order %s (%v)", body, o.Number, err)
	}
	q := woo.Queries()
	if len(q) != 1 || q[0].Get("modified_after") != res.Since.Format(time.RFC3339) {
		t.Errorf("store asked %v, want modified_after %s", q, res.Since.Format(time.RFC3339))
	}

	setPullToken(t, env, woo, "ck_key:revoked")
	status, body = env.API(http.MethodPost, "/api/v1/channels/woo/pull", env.APIKey("", "orders:write"), "")
	if status != http.StatusBadGateway || !strings.Contains(body, `"upstream"`) || !strings.Contains(body, "401") {
		t.Errorf("pull with revoked credentials = %d: %s", status, body)
	}
}
