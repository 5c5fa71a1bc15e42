package web_test

import (
	"context"
	"encoding/json"
	"fmt"
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

// TestAPIOrderPreorderLines: the order as the API returns it tells, per
// line, whether it waits as a pre-order and when its backorder is promised:
// a line taken against the purchase coming is preordered with its date; a
// backorder nothing is coming for has neither; a line in stock has neither.
// The promise follows the inbound: cancelled, the date is gone.
func TestAPIOrderPreorderLines(t *testing.T) {
	env := preorderEnv(t)
	env.AddSKU("MUG")
	env.Stock("LYS", "MUG", 5)
	env.AddSKU("BAG")
	env.Stock("LYS", "BAG", 0)
	yes, limit := true, int64(10)
	if _, _, err := env.App.PutChannel(context.Background(), app.System, "web", app.ChannelInput{Name: "Web", Kind: "api",
		SellIncoming: &yes, IncomingLimit: &limit}); err != nil {
		t.Fatal(err)
	}
	key := env.APIKey("", "orders:write", "orders:read")
	body := `{"channel": "web", "external_id": "pre-1", "placed_at": "2026-11-26T10:00:00Z", "currency": "EUR",
 "customer": {"email": "ana@example.com", "name": "Ana Lima"},
 "shipping_address": {"name": "Ana Lima", "line1": "12 rue Mercière", "city": "Lyon", "postal_code": "69002", "country": "FR"},
 "delivery": {"method": "ship"},
 "lines": [{"external_id": "1", "sku": "TEE", "quantity": 3, "unit_price": "19.90"},
           {"external_id": "2", "sku": "MUG", "quantity": 1, "unit_price": "9.00"},
           {"external_id": "3", "sku": "BAG", "quantity": 1, "unit_price": "5.00"}]}`
	status, out := env.API(http.MethodPost, "/api/v1/orders", key, body)
	if status != http.StatusCreated {
		t.Fatalf("place: %d %s", status, out)
	}
	var placed struct {
		Number string `json:"number"`
	}
	if err := json.Unmarshal([]byte(out), &placed); err != nil {
		t.Fatal(err)
	}
	type line struct {
		SKU         string  `json:"sku"`
		Backordered int64   `json:"backordered"`
		Preordered  *bool   `json:"preordered"`
		PromisedOn  *string `json:"promised_on"`
	}
	lines := func(out string) map[string]line {
		var o struct {
			Lines []line `json:"lines"`
		}
		if err := json.Unmarshal([]byte(out), &o); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		m := map[string]line{}
		for _, l := range o.Lines {
			m[l.SKU] = l
		}
		return m
	}
	check := func(what, out string, wantDate string) {
		t.Helper()
		got := lines(out)
		tee, mug, bag := got["TEE"], got["MUG"], got["BAG"]
		if tee.Backordered != 3 || tee.Preordered == nil || !*tee.Preordered {
			t.Errorf("%s: TEE %+v, want 3 backordered as a pre-order", what, tee)
		}
		if wantDate == "" && tee.PromisedOn != nil || wantDate != "" && (tee.PromisedOn == nil || *tee.PromisedOn != wantDate) {
			t.Errorf("%s: TEE promised on %v, want %q", what, tee.PromisedOn, wantDate)
		}
		for _, l := range []line{mug, bag} {
			if l.Preordered == nil || *l.Preordered || l.PromisedOn != nil {
				t.Errorf("%s: %s %+v, want no pre-order and no promise", what, l.SKU, l)
			}
		}
		if bag.Backordered != 1 || mug.Backordered != 0 {
			t.Errorf("%s: BAG %+v, MUG %+v", what, bag, mug)
		}
	}
	check("the 201", out, "2026-12-20")
	status, out = env.API(http.MethodGet, "/api/v1/orders/"+placed.Number, key, "")
	if status != http.StatusOK {
		t.Fatalf("get: %d %s", status, out)
	}
	check("GET", out, "2026-12-20")
	if _, err := inbound.New(env.App).Cancel(context.Background(), app.System, "IN-000001", "supplier out of stock"); err != nil {
		t.Fatal(err)
	}
	_, out = env.API(http.MethodGet, "/api/v1/orders/"+placed.Number, key, "")
	check("GET after the purchase is cancelled", out, "")
}

// TestPagesShowIncoming: the stock page and the SKU's page show, for a
// channel that sells incoming stock, how much of its ATP is on its way in
// and when it is expected (nothing while it does not sell it); the order
// page marks a line taken as a pre-order beside its promise date.
func TestPagesShowIncoming(t *testing.T) {
	env := preorderEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	const words = "incl. 25 incoming, expected 20 Dec 2026"
	for _, path := range []string{"/stock", "/skus/TEE"} {
		if page := ops.Get(path); page.StatusCode != http.StatusOK || strings.Contains(page.Body, `data-testid="atp-incoming"`) {
			t.Fatalf("%s before selling incoming: %d\n%s", path, page.StatusCode, page.Body)
		}
	}
	yes, limit := true, int64(25)
	if _, _, err := env.App.PutChannel(context.Background(), app.System, "web", app.ChannelInput{Name: "Web", Kind: "api",
		SellIncoming: &yes, IncomingLimit: &limit}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/stock", "/skus/TEE"} {
		if page := ops.Get(path); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, words) {
			t.Errorf("%s: %d, want %q\n%s", path, page.StatusCode, words, page.Body)
		}
	}
	status, out := env.API(http.MethodPost, "/api/v1/orders", env.APIKey("", "orders:write"), teeOrder("pre-page", 3))
	if status != http.StatusCreated {
		t.Fatalf("place: %d %s", status, out)
	}
	var o struct {
		Number string `json:"number"`
	}
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatal(err)
	}
	page := ops.Get("/orders/" + o.Number)
	if !strings.Contains(page.Body, `data-testid="preorder-badge"`) || !strings.Contains(page.Body, "3 pre-ordered") ||
		!strings.Contains(page.Body, "Expected around 20 Dec 2026: purchase IN-000001 from Acme") {
		t.Errorf("the order page does not show the pre-order with its date:\n%s", page.Body)
	}
	if page := ops.Get("/skus/TEE"); !strings.Contains(page.Body, "incl. 22 incoming, expected 20 Dec 2026") {
		t.Errorf("the SKU's page after 3 pre-ordered:\n%s", page.Body)
	}
}

// teeOrder is an order of qty TEE on channel web, to Lyon.
func teeOrder(external string, qty int) string {
	return fmt.Sprintf(`{"channel": "web", "external_id": %q, "placed_at": "2026-11-26T10:00:00Z", "currency": "EUR",
 "customer": {"email": "ana@example.com", "name": "Ana Lima"},
 "shipping_address": {"name": "Ana Lima", "line1": "12 rue Mercière", "city": "Lyon", "postal_code": "69002", "country": "FR"},
 "delivery": {"method": "ship"},
 "lines": [{"external_id": "1", "sku": "TEE", "quantity": %d, "unit_price": "19.90"}]}`, external, qty)
}
