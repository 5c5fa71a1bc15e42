package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"switchyard/app"
	"switchyard/app/desk"
	"switchyard/web/webtest"
)

// orderBody is a valid order for the channel "web-eu".
const orderBody = `{"channel": "web-eu", "external_id": "100234", "placed_at": "2026-11-26T10:00:00Z",
 "currency": "EUR",
 "customer": {"email": "ana@example.com", "name": "Ana Lima", "phone": "+33 6 12 34 56 78"},
 "shipping_address": {"name": "Ana Lima", "line1": "12 rue Mercière", "city": "Lyon",
                      "postal_code": "69002", "country": "FR", "lat": 45.762, "lon": 4.832},
 "delivery": {"method": "ship"},
 "lines": [{"external_id": "1", "sku": "TEE-BLK-M", "quantity": 2, "unit_price": "19.90"}],
 "shipping_price": "4.90", "tags": ["vip"], "note": "leave at the door"}`

// orderEnv sets up the channel web-eu, a location serving it and the SKU
// TEE-BLK-M, of which the location holds 100 (orders are routed there at intake).
func orderEnv(t *testing.T) *webtest.Env {
	t.Helper()
	env := webtest.New(t)
	ctx := context.Background()
	if _, _, err := env.App.PutChannel(ctx, app.System, "web-eu", app.ChannelInput{Name: "Web EU", Kind: "shopify"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.App.PutChannel(ctx, app.System, "pos", app.ChannelInput{Name: "Stores", Kind: "pos"}); err != nil {
		t.Fatal(err)
	}
	env.AddLocation("LYS-WH", "Lyon warehouse", "web-eu")
	if _, _, err := env.App.PutSKU(ctx, app.System, "TEE-BLK-M", app.SKUInput{Name: "T-shirt black M"}); err != nil {
		t.Fatal(err)
	}
	env.Stock("LYS-WH", "TEE-BLK-M", 100)
	return env
}

// postOrder sends an order with an optional Idempotency-Key.
func postOrder(t *testing.T, env *webtest.Env, key, idem, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/api/v1/orders", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// fmtAny is v as a string, or "" when it is not one.
func fmtAny(v any) string {
	s, _ := v.(string)
	return s
}

// apiReserved reads how much of sku is reserved at location.
func apiReserved(t *testing.T, env *webtest.Env, location, sku string) int64 {
	t.Helper()
	st, err := env.App.StockOfSKU(context.Background(), sku)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range st.Levels {
		if l.Location == location {
			return l.Reserved
		}
	}
	return 0
}

// decodeOrderOut reads an order answer.
func decodeOrderOut(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return m
}

func TestAPICreateOrder(t *testing.T) {
	env := orderEnv(t)
	key := env.APIKey("web-eu", "orders:write", "orders:read")
	status, body := postOrder(t, env, key, "", orderBody)
	if status != http.StatusCreated {
		t.Fatalf("create = %d %s", status, body)
	}
	o := decodeOrderOut(t, body)
	if o["number"] != "SY-000001" || o["status"] != "routed" || o["on_hold"] != false || o["total"] != "44.70" || o["currency"] != "EUR" {
		t.Fatalf("order %v", o)
	}
	lines := o["lines"].([]any)
	if l := lines[0].(map[string]any); l["unit_price"] != "19.90" || l["quantity"] != float64(2) || l["sku"] != "TEE-BLK-M" || l["reserved"] != float64(2) {
		t.Fatalf("line %v", l)
	}
	// Routed at intake: one fulfillment at Lyon with both tees, and the decision explained.
	fs := o["fulfillments"].([]any)
	if len(fs) != 1 {
		t.Fatalf("fulfillments %v, want one", fs)
	}
	f := fs[0].(map[string]any)
	fl, _ := f["lines"].([]any)
	if f["location"] != "LYS-WH" || f["status"] != "pending" || len(fl) != 1 ||
		fl[0].(map[string]any)["sku"] != "TEE-BLK-M" || fl[0].(map[string]any)["quantity"] != float64(2) {
		t.Fatalf("fulfillment %v, want LYS-WH pending with 2 x TEE-BLK-M", f)
	}
	if r, _ := o["routing"].(map[string]any); r == nil || !strings.Contains(fmtAny(r["explanation"]), "Lyon warehouse") {
		t.Fatalf("routing %v, want the decision naming Lyon warehouse", o["routing"])
	}
	if lvl := apiReserved(t, env, "LYS-WH", "TEE-BLK-M"); lvl != 2 {
		t.Fatalf("Lyon reserves %d tees, want 2", lvl)
	}
	if tp, _ := o["tracking_page"].(string); !strings.HasPrefix(tp, "/t/") || len(tp) != 3+44 { // the time, then 128 random bits, in hex
		t.Fatalf("tracking page %q", tp)
	}
	status, body = postOrder(t, env, key, "", strings.Replace(orderBody, `"quantity": 2`, `"quantity": 5`, 1))
	if again := decodeOrderOut(t, body); status != http.StatusOK || again["number"] != "SY-000001" || again["lines"].([]any)[0].(map[string]any)["quantity"] != float64(2) {
		t.Fatalf("same order again = %d %v; want 200 and the order unchanged", status, again)
	}
	status, body = env.API(http.MethodGet, "/api/v1/orders/SY-000001", key, "")
	if status != http.StatusOK || !strings.Contains(body, `"external_id":"100234"`) {
		t.Fatalf("get = %d %s", status, body)
	}
	status, body = env.API(http.MethodGet, "/api/v1/orders?channel=web-eu&external_id=100234", key, "")
	if status != http.StatusOK || !strings.Contains(body, `"number":"SY-000001"`) {
		t.Fatalf("find = %d %s", status, body)
	}
	if status, _ := env.API(http.MethodGet, "/api/v1/orders/SY-999999", key, ""); status != http.StatusNotFound {
		t.Fatalf("unknown order = %d", status)
	}
}

func TestAPICreateOrderBadInput(t *testing.T) {
	env := orderEnv(t)
	key := env.APIKey("", "orders:write")
	cases := []struct {
		name   string
		body   string
		status int
		field  string
	}{
		{"malformed", `{"channel": "web-eu",`, 400, ""},
		{"not an object", `[1, 2]`, 400, ""},
		{"quantity of the wrong type", strings.Replace(orderBody, `"quantity": 2`, `"quantity": "two"`, 1), 422, "lines[0].quantity"},
		{"unknown SKU", strings.Replace(orderBody, `"TEE-BLK-M"`, `"TEE-XX"`, 1), 422, "lines[0].sku"},
		{"bad currency", strings.Replace(orderBody, `"EUR"`, `"EURO"`, 1), 422, "currency"},
		{"unknown channel", strings.Replace(orderBody, `"web-eu"`, `"nope"`, 1), 422, "channel"},
		{"too many decimals", strings.Replace(orderBody, `"19.90"`, `"19.901"`, 1), 422, "lines[0].unit_price"},
		{"too large", `{"note": "` + strings.Repeat("x", 1<<20) + `"}`, 413, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := postOrder(t, env, key, "", tc.body)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			var e struct {
				Error struct {
					Code, Message string
					Fields        map[string]string
				} `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Message == "" {
				t.Fatalf("not the JSON error shape: %s", body)
			}
			if tc.field != "" && e.Error.Fields[tc.field] == "" {
				t.Fatalf("fields %v, want one for %s", e.Error.Fields, tc.field)
			}
			if tc.name == "malformed" && !strings.Contains(e.Error.Message, "line 1") {
				t.Fatalf("a malformed body must say where: %q", e.Error.Message)
			}
		})
	}
	if n, err := env.Svc.Desk.Orders(context.Background(), desk.OrderQuery{}); err != nil {
		t.Fatal(err)
	} else if n.Total != 0 {
		t.Fatalf("%d orders written by refused requests", n.Total)
	}
	other := env.APIKey("pos", "orders:write")
	if status, _ := postOrder(t, env, other, "", orderBody); status != http.StatusForbidden {
		t.Fatalf("a key bound to another channel = %d, want 403", status)
	}
	readOnly := env.APIKey("", "orders:read")
	if status, _ := postOrder(t, env, readOnly, "", orderBody); status != http.StatusForbidden {
		t.Fatalf("a key without orders:write = %d, want 403", status)
	}
}

func TestAPIIdempotencyKey(t *testing.T) {
	env := orderEnv(t)
	key := env.APIKey("", "orders:write")
	s1, b1 := postOrder(t, env, key, "k-1", orderBody)
	s2, b2 := postOrder(t, env, key, "k-1", orderBody)
	if s1 != http.StatusCreated || s2 != http.StatusCreated || decodeOrderOut(t, b1)["number"] != decodeOrderOut(t, b2)["number"] {
		t.Fatalf("replay: %d then %d", s1, s2)
	}
	other := strings.Replace(orderBody, `"100234"`, `"100999"`, 1)
	if s, b := postOrder(t, env, key, "k-1", other); s != http.StatusUnprocessableEntity || !strings.Contains(b, "Idempotency-Key") {
		t.Fatalf("same key, other body = %d %s; want 422", s, b)
	}
	// While the first request with a key is running, the same key is 409.
	keyInfo, err := env.Svc.Accounts.AuthenticateAPIKey(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	done, err := env.App.BeginIdempotent(app.IdempotencyIn{APIKeyID: keyInfo.ID, Key: "k-2"})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := postOrder(t, env, key, "k-2", other); s != http.StatusConflict {
		t.Fatalf("key in flight = %d, want 409", s)
	}
	done()
	if s, _ := postOrder(t, env, key, "k-2", other); s != http.StatusCreated {
		t.Fatalf("after the first finished = %d, want 201", s)
	}
}

// TestAPISameOrderConcurrently: 20 clients sending the same order at once make one order.
func TestAPISameOrderConcurrently(t *testing.T) {
	env := orderEnv(t)
	key := env.APIKey("", "orders:write")
	var wg sync.WaitGroup
	statuses := make([]int, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i], _ = postOrder(t, env, key, "", orderBody)
		}()
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Fatalf("status %d", s)
		}
	}
	if list, _ := env.Svc.Desk.Orders(context.Background(), desk.OrderQuery{}); created != 1 || list.Total != 1 {
		t.Fatalf("%d answered 201, %d stored; want 1 and 1", created, list.Total)
	}
}

func TestAPIOrderActions(t *testing.T) {
	env := orderEnv(t)
	key := env.APIKey("", "orders:write")
	if s, b := postOrder(t, env, key, "", orderBody); s != http.StatusCreated || decodeOrderOut(t, b)["status"] != "routed" {
		t.Fatalf("create = %d %s; want 201 and the order routed", s, b)
	}
	// A routed order may be held: nothing has shipped yet, and it keeps its reservation.
	s, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/hold", key, `{"reason": "fraud_review", "note": "odd IP"}`)
	if s != http.StatusOK || decodeOrderOut(t, b)["status"] != "on_hold" {
		t.Fatalf("hold = %d %s", s, b)
	}
	if r := apiReserved(t, env, "LYS-WH", "TEE-BLK-M"); r != 2 {
		t.Fatalf("the held order reserves %d tees, want 2", r)
	}
	if s, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/hold", key, `{"reason": "payment"}`); s != http.StatusConflict || !strings.Contains(b, "on hold") {
		t.Fatalf("hold twice = %d %s; want 409 naming the state", s, b)
	}
	if s, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/release", key, ""); s != http.StatusOK || decodeOrderOut(t, b)["status"] != "routed" {
		t.Fatalf("release = %d %s; want 200 and the order routed again", s, b)
	}
	// A new address routes the pending fulfillment again.
	s, b = env.API(http.MethodPut, "/api/v1/orders/SY-000001/shipping_address", key, `{"line1": "1 rue de Rivoli", "city": "Paris", "country": "FR"}`)
	if s != http.StatusOK || !strings.Contains(b, "Rivoli") || decodeOrderOut(t, b)["status"] != "routed" {
		t.Fatalf("address = %d %s", s, b)
	}
	if r := apiReserved(t, env, "LYS-WH", "TEE-BLK-M"); r != 2 {
		t.Fatalf("after routing again Lyon reserves %d tees, want 2", r)
	}
	if s, _ := env.API(http.MethodPost, "/api/v1/orders/SY-000001/notes", key, `{"note": "called the customer"}`); s != http.StatusOK {
		t.Fatalf("note = %d", s)
	}
	s, b = env.API(http.MethodPost, "/api/v1/orders/SY-000001/cancel", key, `{"reason": "customer request"}`)
	if s != http.StatusOK || decodeOrderOut(t, b)["status"] != "cancelled" {
		t.Fatalf("cancel = %d %s", s, b)
	}
	if r := apiReserved(t, env, "LYS-WH", "TEE-BLK-M"); r != 0 {
		t.Fatalf("the cancelled order still reserves %d tees", r)
	}
	o, err := env.App.OrderByNumber(context.Background(), "SY-000001")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range o.Events {
		kinds = append(kinds, e.Kind)
		// Routing is Switchyard's doing; the rest, intake included, is the API key's.
		want := "API key test key"
		if e.Kind == "routed" || e.Kind == "rerouted" {
			want = app.System.Label()
		}
		if e.ActorName != want {
			t.Errorf("event %s by %q, want %q", e.Kind, e.ActorName, want)
		}
	}
	if got := strings.Join(kinds, ","); got != "received,routed,held,released,address_changed,rerouted,note,cancelled" {
		t.Fatalf("timeline %s", got)
	}
}
