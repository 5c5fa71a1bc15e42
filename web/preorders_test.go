package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/inbound"
	"switchyard/web/webtest"
)

// preorderEnv: channel web served by LYS (nothing on hand), TEE, and a
// purchase of 40 TEE to LYS expected 20 Dec 2026, sent.
func preorderEnv(t *testing.T) *webtest.Env {
	t.Helper()
	env := webtest.New(t)
	if _, _, err := env.App.PutChannel(context.Background(), app.System, "web", app.ChannelInput{Name: "Web", Kind: "api"}); err != nil {
		t.Fatal(err)
	}
	env.AddLocation("LYS", "Lyon", "web")
	env.AddSKU("TEE")
	env.Stock("LYS", "TEE", 0)
	if _, err := inbound.New(env.App).Create(context.Background(), app.System, inbound.NewInbound{Kind: inbound.KindPurchase,
		Supplier: "Acme", To: "LYS", ExpectedAt: "2026-12-20", Lines: []inbound.LineInput{{SKU: "TEE", Quantity: 40}}}); err != nil {
		t.Fatal(err)
	}
	return env
}

// TestAPIPreorders: PUT /api/v1/channels/{code} sets sell_incoming and
// incoming_limit (refusals name incoming_limit and store nothing; absent
// fields keep what is stored), and the availability answer adds the
// incoming units with their promise date.
func TestAPIPreorders(t *testing.T) {
	env := preorderEnv(t)
	key := env.APIKey("", "catalog:write", "stock:read")
	const avail = "/api/v1/availability?channel=web&sku=TEE"
	if status, out := env.API(http.MethodGet, avail, key, ""); status != http.StatusOK ||
		!strings.Contains(out, `{"sku":"TEE","available":0}`) {
		t.Fatalf("availability before: %d %s", status, out)
	}
	for _, body := range []string{
		`{"name":"Web","kind":"api","sell_incoming":true,"incoming_limit":0}`,
		`{"name":"Web","kind":"api","sell_incoming":true}`,
		`{"name":"Web","kind":"api","incoming_limit":-4}`,
		`{"name":"Web","kind":"api","incoming_limit":1000001}`,
	} {
		status, out := env.API(http.MethodPut, "/api/v1/channels/web", key, body)
		if status != http.StatusUnprocessableEntity || !strings.Contains(out, `"incoming_limit"`) {
			t.Errorf("%s: %d %s, want 422 naming incoming_limit", body, status, out)
		}
	}
	status, out := env.API(http.MethodPut, "/api/v1/channels/web", key, `{"name":"Web","kind":"api","sell_incoming":true,"incoming_limit":25}`)
	if status != http.StatusOK || !strings.Contains(out, `"sell_incoming":true,"incoming_limit":25`) {
		t.Fatalf("PUT with pre-orders: %d %s", status, out)
	}
	if status, out := env.API(http.MethodPut, "/api/v1/channels/web", key, `{"name":"Web","kind":"api","buffer":1}`); status != http.StatusOK ||
		!strings.Contains(out, `"sell_incoming":true,"incoming_limit":25`) {
		t.Fatalf("PUT without the fields must keep them: %d %s", status, out)
	}
	if status, out := env.API(http.MethodGet, avail, key, ""); status != http.StatusOK ||
		!strings.Contains(out, `{"sku":"TEE","available":25,"incoming":25,"promise_date":"2026-12-20"}`) {
		t.Fatalf("availability with pre-orders: %d %s", status, out)
	}
}

// TestChannelSettingsPreorders: the settings page shows and saves the
// pre-orders; a limit that is not a number, or none with selling on, is
// refused beside the field, keeping what was typed and storing nothing.
func TestChannelSettingsPreorders(t *testing.T) {
	env := preorderEnv(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	page := admin.Get("/admin/channels/web")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="sell-incoming"`) ||
		!strings.Contains(page.Body, `name="incoming_limit" value="0"`) {
		t.Fatalf("page %d lacks the pre-orders:\n%s", page.StatusCode, page.Body)
	}
	stored := func() app.Channel {
		ch, err := env.App.Channel(context.Background(), "web")
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	form := func(sell, limit string) url.Values {
		v := url.Values{"locations_shown": {"1"}, "locations": {"LYS"}, "incoming_shown": {"1"}, "incoming_limit": {limit}}
		if sell != "" {
			v.Set("sell_incoming", sell)
		}
		return v
	}
	for _, c := range []struct{ sell, limit, text string }{
		{"1", "lots", "must be a whole number of units"},
		{"1", "0", "give how many units"},
		{"1", "", "give how many units"},
		{"", "-2", "from 0 to"},
	} {
		res := admin.PostForm("/admin/channels/web", form(c.sell, c.limit))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="incoming_limit"`) ||
			!strings.Contains(res.Body, c.text) || !strings.Contains(res.Body, `name="incoming_limit" value="`+c.limit+`"`) {
			t.Errorf("limit %q: %d\n%s", c.limit, res.StatusCode, res.Body)
		}
		if ch := stored(); ch.SellIncoming || ch.IncomingLimit != 0 {
			t.Fatalf("a refused form stored %+v", ch)
		}
	}
	if res := admin.PostForm("/admin/channels/web", form("1", " 12 ")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.Body)
	}
	if ch := stored(); !ch.SellIncoming || ch.IncomingLimit != 12 {
		t.Fatalf("stored %+v, want selling up to 12", ch)
	}
	if page := admin.Get("/admin/channels/web"); !strings.Contains(page.Body, `value="1" checked`) ||
		!strings.Contains(page.Body, `name="incoming_limit" value="12"`) {
		t.Errorf("the page does not show the setting saved")
	}
	got, err := env.App.Availability(context.Background(), "web", []string{"TEE"})
	if err != nil || got[0].Available != 12 || got[0].PromiseDate != "2026-12-20" {
		t.Fatalf("availability %+v, %v", got, err)
	}
	if res := admin.PostForm("/admin/channels/web", form("", "12")); res.StatusCode != http.StatusSeeOther || stored().SellIncoming {
		t.Fatalf("turn off: %d, stored %+v", res.StatusCode, stored())
	}
}
