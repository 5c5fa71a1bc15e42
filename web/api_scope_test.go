package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/web"
	"switchyard/web/webtest"
)

// scopeEnv is two channels, web-eu and web-us, both served by LYS-WH, with one
// routed order each: SY-000001 of web-eu (taken in by a key bound to web-eu)
// and SY-000002 of web-us (external id US-77, customer bob@example.us).
type scopeEnv struct {
	*webtest.Env
	eu, all      string // a key bound to web-eu and an unbound key, both with every scope
	euFul, usFul int64  // the pending fulfillment of each order
}

// usOrderBody is the web-us order, told apart by its customer and external id.
var usOrderBody = strings.NewReplacer(`"web-eu"`, `"web-us"`, `"100234"`, `"US-77"`,
	"ana@example.com", "bob@example.us", "Ana Lima", "Bob Stone").Replace(orderBody)

// newScopeEnv sets up scopeEnv.
func newScopeEnv(t *testing.T) *scopeEnv {
	t.Helper()
	env := orderEnv(t)
	if _, _, err := env.App.PutChannel(context.Background(), app.System, "web-us", app.ChannelInput{Name: "Web US", Kind: "shopify"}); err != nil {
		t.Fatal(err)
	}
	env.AddLocation("LYS-WH", "Lyon warehouse", "web-eu", "web-us")
	s := &scopeEnv{Env: env, eu: env.APIKey("web-eu", accounts.Scopes...), all: env.APIKey("", accounts.Scopes...)}
	if st, b := postOrder(t, env, s.eu, "", orderBody); st != http.StatusCreated {
		t.Fatalf("EU order = %d %s", st, b)
	}
	if st, b := postOrder(t, env, s.all, "", usOrderBody); st != http.StatusCreated {
		t.Fatalf("US order = %d %s", st, b)
	}
	s.euFul, s.usFul = s.fulfillment(t, "SY-000001"), s.fulfillment(t, "SY-000002")
	return s
}

// fulfillment is the id of the order's first fulfillment.
func (s *scopeEnv) fulfillment(t *testing.T, number string) int64 {
	t.Helper()
	o, err := s.App.OrderByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Fulfillments) == 0 {
		t.Fatalf("order %s has no fulfillment", number)
	}
	return o.Fulfillments[0].ID
}

// state is what a request may have changed on an order, in one line.
func (s *scopeEnv) state(t *testing.T, number string) string {
	t.Helper()
	o, err := s.App.OrderByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	var fs []string
	for _, f := range o.Fulfillments {
		fs = append(fs, fmt.Sprintf("%d:%s", f.ID, f.Status))
	}
	return fmt.Sprintf("status=%s hold=%v address=%s events=%d fulfillments=%v updated=%s",
		o.Status, o.OnHold, o.ShippingAddress.Line1, len(o.Events), fs, o.UpdatedAt)
}

// scopeRequest is one API request on an order.
type scopeRequest struct {
	method, path, body string
}

// orderRequests are the requests that read or act on order number (of channel
// channel, known to it as ext), in an order that a live order can go through.
func orderRequests(number, channel, ext string) []scopeRequest {
	o := "/api/v1/orders/" + number
	return []scopeRequest{
		{http.MethodGet, o, ""},
		{http.MethodGet, "/api/v1/orders?channel=" + channel + "&external_id=" + ext, ""},
		{http.MethodPost, o + "/hold", `{"reason": "fraud_review", "note": "odd IP"}`},
		{http.MethodPost, o + "/release", ""},
		{http.MethodPut, o + "/shipping_address", `{"line1": "1 rue de Rivoli", "city": "Paris", "country": "FR"}`},
		{http.MethodPost, o + "/notes", `{"note": "called the customer"}`},
		{http.MethodPost, o + "/reroute", ""},
		{http.MethodPost, o + "/reroute", `{"location": "LYS-WH"}`},
		{http.MethodPost, o + "/cancel", `{"reason": "customer request"}`},
	}
}

func TestAPIChannelBoundKeyActsOnItsChannelOnly(t *testing.T) {
	s := newScopeEnv(t)
	before := s.state(t, "SY-000002")
	for _, r := range orderRequests("SY-000002", "web-us", "US-77") {
		st, b := s.API(r.method, r.path, s.eu, r.body)
		if st != http.StatusNotFound || strings.Contains(b, "bob@") || strings.Contains(b, "Bob") {
			t.Errorf("web-eu key: %s %s = %d %s; want 404 telling nothing of the order", r.method, r.path, st, b)
		}
		wantErrorCode(t, b, "not_found", "")
	}
	if after := s.state(t, "SY-000002"); after != before {
		t.Errorf("the web-us order changed under the web-eu key:\n%s\n%s", before, after)
	}
	// The same key acts on its own channel's order.
	for _, r := range orderRequests("SY-000001", "web-eu", "100234") {
		if st, b := s.API(r.method, r.path, s.eu, r.body); st != http.StatusOK || !strings.Contains(b, `"SY-000001"`) {
			t.Errorf("web-eu key on its order: %s %s = %d %s; want 200", r.method, r.path, st, b)
		}
	}
	if o, err := s.App.OrderByNumber(context.Background(), "SY-000001"); err != nil || o.Status != app.StatusCancelled {
		t.Errorf("own order after the requests: %v %v; want it cancelled", o.Status, err)
	}
	// It may not create an order for another channel, known or not (403 both: no probing).
	for _, ch := range []string{"web-us", "no-such-channel"} {
		body := strings.Replace(strings.Replace(orderBody, `"web-eu"`, `"`+ch+`"`, 1), `"100234"`, `"NEW-1"`, 1)
		if st, b := postOrder(t, s.Env, s.eu, "", body); st != http.StatusForbidden {
			t.Errorf("web-eu key creating a %s order = %d %s; want 403", ch, st, b)
		}
	}
	if _, err := s.App.OrderByExternal(context.Background(), "web-us", "NEW-1"); err == nil {
		t.Error("the refused order was stored")
	}
}

func TestAPIChannelBoundKeyFulfillmentsOfItsChannelOnly(t *testing.T) {
	s := newScopeEnv(t)
	before := s.state(t, "SY-000002")
	us := "/api/v1/fulfillments/" + itoa(s.usFul)
	for _, r := range []scopeRequest{
		{http.MethodPost, us + "/accept", ""},
		{http.MethodPost, us + "/reject", `{"reason": "damaged"}`},
		{http.MethodPost, us + "/ship", `{"carrier": "ups", "tracking_number": "1Z5R89390357567127"}`},
		{http.MethodPost, us + "/deliver", ""},
	} {
		if st, b := s.API(r.method, r.path, s.eu, r.body); st != http.StatusNotFound || strings.Contains(b, "SY-000002") {
			t.Errorf("web-eu key: %s %s = %d %s; want 404", r.method, r.path, st, b)
		}
	}
	if after := s.state(t, "SY-000002"); after != before {
		t.Errorf("the web-us order changed under the web-eu key:\n%s\n%s", before, after)
	}
	eu := "/api/v1/fulfillments/" + itoa(s.euFul)
	for _, r := range []scopeRequest{
		{http.MethodPost, eu + "/accept", ""},
		{http.MethodPost, eu + "/ship", `{"carrier": "ups", "tracking_number": "1Z5R89390357567127"}`},
		{http.MethodPost, eu + "/deliver", ""},
	} {
		if st, b := s.API(r.method, r.path, s.eu, r.body); st != http.StatusOK {
			t.Errorf("web-eu key on its fulfillment: %s %s = %d %s; want 200", r.method, r.path, st, b)
		}
	}
}

func TestAPIChannelBoundKeyListsItsChannelOnly(t *testing.T) {
	s := newScopeEnv(t)
	codes := func(key string) []string {
		t.Helper()
		st, b := s.API(http.MethodGet, "/api/v1/channels", key, "")
		if st != http.StatusOK {
			t.Fatalf("channels = %d %s", st, b)
		}
		var out []string
		for _, c := range nwDecode[struct{ Channels []app.Channel }](t, b).Channels {
			out = append(out, c.Code)
		}
		slices.Sort(out)
		return out
	}
	if got := codes(s.eu); !slices.Equal(got, []string{"web-eu"}) {
		t.Errorf("web-eu key lists channels %v; want only web-eu", got)
	}
	if got := codes(s.all); !slices.Equal(got, []string{"pos", "web-eu", "web-us"}) {
		t.Errorf("unbound key lists channels %v; want all three", got)
	}

	ids := func(key, status string) []int64 {
		t.Helper()
		st, b := s.API(http.MethodGet, "/api/v1/locations/LYS-WH/fulfillments"+status, key, "")
		if st != http.StatusOK {
			t.Fatalf("location fulfillments = %d %s", st, b)
		}
		var out []int64
		for _, f := range nwDecode[struct{ Fulfillments []struct{ ID int64 } }](t, b).Fulfillments {
			out = append(out, f.ID)
		}
		return out
	}
	if got := ids(s.eu, ""); !slices.Equal(got, []int64{s.euFul}) {
		t.Errorf("web-eu key sees fulfillments %v at LYS-WH; want only %d (its order's)", got, s.euFul)
	}
	if got := ids(s.all, ""); !slices.Equal(got, []int64{s.euFul, s.usFul}) {
		t.Errorf("unbound key sees fulfillments %v; want %d and %d", got, s.euFul, s.usFul)
	}
	// Closed ones too: reject both, and the bound key lists only its own.
	for _, f := range []int64{s.euFul, s.usFul} {
		if st, b := s.API(http.MethodPost, "/api/v1/fulfillments/"+itoa(f)+"/reject", s.all, `{"reason": "damaged"}`); st != http.StatusOK {
			t.Fatalf("reject %d = %d %s", f, st, b)
		}
	}
	if got := ids(s.eu, "?status=rejected"); !slices.Equal(got, []int64{s.euFul}) {
		t.Errorf("web-eu key sees rejected fulfillments %v; want only %d", got, s.euFul)
	}
	if got := ids(s.all, "?status=rejected"); len(got) != 2 {
		t.Errorf("unbound key sees rejected fulfillments %v; want both", got)
	}

	// Availability: another channel is answered exactly as an unknown one.
	other, _ := sameAsUnknown(t, s, s.eu, scopeRequest{http.MethodGet, "/api/v1/availability?channel=:code&sku=TEE-BLK-M", ""}, "web-us", "zz-none")
	if other != http.StatusUnprocessableEntity {
		t.Errorf("availability of web-us for the web-eu key = %d; want 422 as for an unknown channel", other)
	}
	for _, key := range []string{s.eu, s.all} {
		if st, b := s.API(http.MethodGet, "/api/v1/availability?channel=web-eu&sku=TEE-BLK-M", key, ""); st != http.StatusOK {
			t.Errorf("availability of web-eu = %d %s", st, b)
		}
	}
	if st, b := s.API(http.MethodGet, "/api/v1/availability?channel=web-us&sku=TEE-BLK-M", s.all, ""); st != http.StatusOK {
		t.Errorf("unbound key: availability of web-us = %d %s", st, b)
	}
}

// sameAsUnknown sends r with :code as other and as unknown, and fails unless
// both answers are the same once the code is taken out; it returns the status
// and the body (for other).
func sameAsUnknown(t *testing.T, s *scopeEnv, key string, r scopeRequest, other, unknown string) (int, string) {
	t.Helper()
	st1, b1 := s.API(r.method, strings.ReplaceAll(r.path, ":code", other), key, r.body)
	st2, b2 := s.API(r.method, strings.ReplaceAll(r.path, ":code", unknown), key, r.body)
	if n1, n2 := strings.ReplaceAll(b1, other, "X"), strings.ReplaceAll(b2, unknown, "X"); st1 != st2 || n1 != n2 {
		t.Errorf("%s %s: another channel's answer tells it exists:\n%d %s\nunknown: %d %s", r.method, r.path, st1, b1, st2, b2)
	}
	return st1, b1
}

func TestAPIUnboundKeyReachesEveryChannel(t *testing.T) {
	s := newScopeEnv(t)
	for _, r := range []scopeRequest{
		{http.MethodGet, "/api/v1/orders/SY-000001", ""},
		{http.MethodGet, "/api/v1/orders/SY-000002", ""},
		{http.MethodGet, "/api/v1/orders?channel=web-us&external_id=US-77", ""},
		{http.MethodGet, "/api/v1/channels/web-us", ""},
		{http.MethodPut, "/api/v1/channels/web-us", `{"name": "Web US", "kind": "shopify"}`},
		{http.MethodPost, "/api/v1/orders/SY-000002/hold", `{"reason": "fraud_review"}`},
		{http.MethodPost, "/api/v1/fulfillments/" + itoa(s.euFul) + "/accept", ""},
	} {
		if st, b := s.API(r.method, r.path, s.all, r.body); st != http.StatusOK {
			t.Errorf("unbound key: %s %s = %d %s; want 200", r.method, r.path, st, b)
		}
	}
	// A bound key still reads and changes its own channel.
	if st, b := s.API(http.MethodPut, "/api/v1/channels/web-eu", s.eu, `{"name": "Web Europe", "kind": "shopify"}`); st != http.StatusOK {
		t.Errorf("web-eu key putting web-eu = %d %s", st, b)
	}
	if st, b := s.API(http.MethodGet, "/api/v1/channels/web-eu", s.eu, ""); st != http.StatusOK || !strings.Contains(b, "Web Europe") {
		t.Errorf("web-eu key getting web-eu = %d %s", st, b)
	}
}

// scopeShared are the API routes that name no order, fulfillment or channel:
// what they reach is shared by every channel, so a bound key reaches it too.
var scopeShared = map[string]string{
	"PUT /api/v1/skus/:code":                   "SKUs are shared by every channel",
	"GET /api/v1/skus/:code":                   "SKUs are shared by every channel",
	"GET /api/v1/skus":                         "SKUs are shared by every channel",
	"PUT /api/v1/locations/:code":              "locations are shared by every channel",
	"GET /api/v1/locations/:code":              "locations are shared by every channel",
	"GET /api/v1/locations":                    "locations are shared by every channel",
	"PUT /api/v1/stock/:location/:sku":         "stock is shared by every channel",
	"POST /api/v1/stock/adjustments":           "stock is shared by every channel",
	"GET /api/v1/stock":                        "stock is shared by every channel",
	"GET /api/v1/routing/rules":                "the routing rules are shared by every channel",
	"PUT /api/v1/routing/rules/draft":          "the routing rules are shared by every channel",
	"POST /api/v1/routing/rules/publish":       "the routing rules are shared by every channel",
	"GET /api/v1/automation/rules":             "the automation rules are shared by every channel",
	"PUT /api/v1/automation/rules/draft":       "the automation rules are shared by every channel",
	"POST /api/v1/automation/rules/publish":    "the automation rules are shared by every channel",
	"POST /api/v1/automation/rules/simulate":   "replays only the key's channel's orders (TestAutomationRulesThroughTheAPI)",
	"POST /api/v1/orders":                      "names the channel in the body: 403 for another (TestAPIChannelBoundKeyActsOnItsChannelOnly)",
	"GET /api/v1/locations/:code/fulfillments": "a shared location; the list holds only the key's channel's (TestAPIChannelBoundKeyListsItsChannelOnly)",
	"GET /api/v1/locations/:code/returns":      "a shared location; the list holds only the key's channel's returns (TestAPILocationReturns)",
	"POST /api/v1/wismo":                       "names the order in the body: a key bound to another channel gets the unknown order's 404 (TestWismoNameOnSeveralChannels)",
	"POST /api/v1/inbound":                     "inbound stock is shared by every channel",
	"GET /api/v1/inbound":                      "inbound stock is shared by every channel",
	"GET /api/v1/inbound/:number":              "inbound stock is shared by every channel",
	"POST /api/v1/inbound/:number/send":        "inbound stock is shared by every channel",
	"POST /api/v1/inbound/:number/ship":        "inbound stock is shared by every channel",
	"POST /api/v1/inbound/:number/receive":     "inbound stock is shared by every channel",
	"POST /api/v1/inbound/:number/cancel":      "inbound stock is shared by every channel",
	"POST /api/v1/inbound/:number/close":       "inbound stock is shared by every channel",
}

// scopeCases are the requests that name another channel's object (:number,
// :id, :code) for every API route that names an order, a fulfillment or a
// channel; the key bound to web-eu must get 404 for each, as for an unknown one.
var scopeCases = map[string]scopeRequest{
	"GET /api/v1/orders":                          {http.MethodGet, "/api/v1/orders?channel=:code&external_id=US-77", ""},
	"GET /api/v1/availability":                    {http.MethodGet, "/api/v1/availability?channel=:code&sku=TEE-BLK-M", ""},
	"GET /api/v1/orders/:number":                  {body: ""},
	"POST /api/v1/orders/:number/hold":            {body: `{"reason": "fraud_review"}`},
	"POST /api/v1/orders/:number/release":         {body: ""},
	"POST /api/v1/orders/:number/cancel":          {body: `{"reason": "customer request"}`},
	"PUT /api/v1/orders/:number/shipping_address": {body: `{"line1": "1 rue de Rivoli", "city": "Paris", "country": "FR"}`},
	"POST /api/v1/orders/:number/notes":           {body: `{"note": "hello"}`},
	"POST /api/v1/orders/:number/reroute":         {body: ""},
	"POST /api/v1/orders/:number/returns":         {body: `{"lines": [{"line": 1, "quantity": 1, "reason": "late"}], "resolution": "none"}`},
	"GET /api/v1/orders/:number/returns":          {body: ""},
	// Returns of another channel's orders: TestAPIReturnScopesAndChannels sends a real one.
	"GET /api/v1/returns/:number":           {body: ""},
	"POST /api/v1/returns/:number/approve":  {body: ""},
	"POST /api/v1/returns/:number/decline":  {body: `{"reason": "no"}`},
	"POST /api/v1/returns/:number/cancel":   {body: ""},
	"POST /api/v1/returns/:number/receive":  {body: `{"lines": [{"line": 1, "quantity": 1, "disposition": "restock"}]}`},
	"POST /api/v1/returns/:number/refund":   {body: ""},
	"POST /api/v1/fulfillments/:id/accept":  {body: ""},
	"POST /api/v1/fulfillments/:id/reject":  {body: `{"reason": "damaged"}`},
	"POST /api/v1/fulfillments/:id/ship":    {body: `{"carrier": "ups", "tracking_number": "1Z5R89390357567127"}`},
	"POST /api/v1/fulfillments/:id/deliver": {body: ""},
	"PUT /api/v1/channels/:code":            {body: `{"name": "Taken over", "kind": "shopify"}`},
	"GET /api/v1/channels/:code":            {body: ""},
	"GET /api/v1/channels":                  {body: ""},
	"POST /api/v1/channels/:code/pull":      {body: ""},
}

// namesChannelObject reports whether a route's path names an order, a
// fulfillment or a channel, so that it must be in scopeCases.
func namesChannelObject(path string) bool {
	if strings.HasPrefix(path, "/api/v1/inbound") {
		return false // an inbound's number names no channel's object
	}
	return strings.Contains(path, ":number") || strings.Contains(path, "/fulfillments/:id") ||
		strings.HasPrefix(path, "/api/v1/channels") || strings.HasPrefix(path, "/api/v1/orders")
}

// TestAPIChannelScopeCoversEveryRoute sends, for every API route that names an
// order, a fulfillment or a channel, the web-us object to a key bound to
// web-eu, and wants the answer an unknown object gets (404, or 422 for an
// unknown channel in a query), with nothing changed. A new route is either in
// scopeCases or in scopeShared with a reason, or this test fails.
func TestAPIChannelScopeCoversEveryRoute(t *testing.T) {
	s := newScopeEnv(t)
	before := s.state(t, "SY-000002")
	seen := map[string]bool{}
	for _, r := range web.RouteTable() {
		if !r.API() {
			continue
		}
		name := r.Method + " " + r.Path
		seen[name] = true
		c, scoped := scopeCases[name]
		if reason, shared := scopeShared[name]; shared {
			if scoped || namesChannelObject(r.Path) && !strings.HasPrefix(reason, "names the channel in the body") {
				t.Errorf("%s names a channel's object but is listed as shared (%s)", name, reason)
			}
			continue
		}
		if !scoped {
			t.Errorf("%s is neither scoped to the key's channel (scopeCases) nor shared (scopeShared): decide", name)
			continue
		}
		if name == "GET /api/v1/channels" {
			if st, b := s.API(http.MethodGet, r.Path, s.eu, ""); st != http.StatusOK || strings.Contains(b, "web-us") {
				t.Errorf("%s = %d %s; want 200 without web-us", name, st, b)
			}
			continue
		}
		if c.method == "" {
			c.method, c.path = r.Method, r.Path
		}
		other, unknown := c, c
		for _, sub := range []struct{ param, other, unknown string }{
			{":number", "SY-000002", "SY-999999"},
			{":id", itoa(s.usFul), "999999"},
		} {
			other.path = strings.ReplaceAll(other.path, sub.param, sub.other)
			unknown.path = strings.ReplaceAll(unknown.path, sub.param, sub.unknown)
		}
		if strings.Contains(c.path, ":code") {
			st, b := sameAsUnknown(t, s, s.eu, c, "web-us", "zz-none")
			want := http.StatusNotFound
			if strings.Contains(c.path, "availability") {
				want = http.StatusUnprocessableEntity // an unknown channel in a query is a field error
			}
			if st != want {
				t.Errorf("%s of web-us for the web-eu key = %d %s; want %d", name, st, b, want)
			}
			continue
		}
		st1, b1 := s.API(other.method, other.path, s.eu, other.body)
		st2, _ := s.API(unknown.method, unknown.path, s.eu, unknown.body)
		if st1 != http.StatusNotFound || st2 != http.StatusNotFound {
			t.Errorf("%s on the web-us object = %d %s (unknown: %d); want 404 for both", name, st1, b1, st2)
		}
	}
	for name := range scopeCases {
		if !seen[name] {
			t.Errorf("scopeCases names %s, which is not a route", name)
		}
	}
	if after := s.state(t, "SY-000002"); after != before {
		t.Errorf("the web-us order changed under the web-eu key:\n%s\n%s", before, after)
	}
	if ch, err := s.App.Channel(context.Background(), "web-us"); err != nil || ch.Name != "Web US" {
		t.Errorf("web-us after the requests: %+v %v; want it unchanged", ch, err)
	}
	if _, err := s.App.Channel(context.Background(), "zz-none"); err == nil {
		t.Error("the web-eu key created channel zz-none")
	}
}
