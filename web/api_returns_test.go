package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/web/webtest"
)

// returnEnv is orderEnv with SY-000001 (2 × TEE-BLK-M at 19.90, shipping
// 4.90) shipped and delivered, and a key holding every scope.
func returnEnv(t *testing.T) (*webtest.Env, string, int64) {
	t.Helper()
	env := orderEnv(t)
	key := env.APIKey("", accounts.Scopes...)
	if st, b := postOrder(t, env, key, "", orderBody); st != http.StatusCreated {
		t.Fatalf("order = %d %s", st, b)
	}
	return env, key, deliverOrder(t, env, "SY-000001")
}

// deliverOrder ships and delivers an order's first fulfillment and answers its first line's id.
func deliverOrder(t *testing.T, env *webtest.Env, number string) int64 {
	t.Helper()
	ctx := context.Background()
	o, err := env.App.OrderByNumber(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	f := o.Fulfillments[0].ID
	if _, err := env.App.Ship(ctx, app.System, f, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Deliver(ctx, app.System, f); err != nil {
		t.Fatal(err)
	}
	return o.Lines[0].ID
}

// returnAnswer is the API's return, as far as the tests read it.
type returnAnswer struct {
	Number     string `json:"number"`
	Order      string `json:"order"`
	Status     string `json:"status"`
	Resolution string `json:"resolution"`
	Location   string `json:"location"`
	Lines      []struct {
		Line         int64  `json:"line"`
		SKU          string `json:"sku"`
		Quantity     int64  `json:"quantity"`
		Received     int64  `json:"received"`
		Reason       string `json:"reason"`
		Dispositions []struct {
			Disposition string `json:"disposition"`
			Quantity    int64  `json:"quantity"`
		} `json:"dispositions"`
	} `json:"lines"`
	Refund *struct {
		Amount, Currency, Status string
	} `json:"refund"`
	ExchangeOrder *string         `json:"exchange_order"`
	ReturnLabel   json.RawMessage `json:"return_label"`
}

func decodeReturn(t *testing.T, body string) returnAnswer {
	t.Helper()
	var r returnAnswer
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return r
}

func TestAPIReturnFromRequestToRefund(t *testing.T) {
	env, key, line := returnEnv(t)
	body := `{"lines": [{"line": ` + itoa(line) + `, "quantity": 1, "reason": "too_small", "note": "needs M"}],
	          "resolution": "refund", "location": "LYS-WH", "approve": true, "external_id": "gid://shopify/Return/123"}`
	st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key, body)
	if st != http.StatusCreated {
		t.Fatalf("create = %d %s", st, b)
	}
	r := decodeReturn(t, b)
	if r.Number != "RT-000001" || r.Order != "SY-000001" || r.Status != "approved" || r.Location != "LYS-WH" ||
		len(r.Lines) != 1 || r.Lines[0].Line != line || r.Lines[0].SKU != "TEE-BLK-M" || r.Lines[0].Reason != "too_small" ||
		r.Lines[0].Dispositions == nil || r.Refund == nil || r.Refund.Amount != "19.90" || r.Refund.Currency != "EUR" ||
		r.Refund.Status != "pending" || r.ExchangeOrder != nil || string(r.ReturnLabel) != "null" {
		t.Fatalf("created return:\n%s", b)
	}
	// The same external id again: 200 and the same return.
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key, body); st != http.StatusOK || decodeReturn(t, b).Number != "RT-000001" {
		t.Fatalf("again = %d %s", st, b)
	}
	for _, path := range []string{"/api/v1/returns/RT-000001", "/api/v1/orders/SY-000001/returns"} {
		if st, b := env.API(http.MethodGet, path, key, ""); st != http.StatusOK || !strings.Contains(b, `"RT-000001"`) {
			t.Fatalf("GET %s = %d %s", path, st, b)
		}
	}
	st, b = env.API(http.MethodPost, "/api/v1/returns/RT-000001/receive", key,
		`{"lines": [{"line": `+itoa(line)+`, "quantity": 1, "disposition": "restock"}], "note": "fine"}`)
	if st != http.StatusOK {
		t.Fatalf("receive = %d %s", st, b)
	}
	r = decodeReturn(t, b)
	if r.Status != "received" || r.Lines[0].Received != 1 || len(r.Lines[0].Dispositions) != 1 || r.Refund.Amount != "19.90" {
		t.Fatalf("received:\n%s", b)
	}
	st, b = env.API(http.MethodGet, "/api/v1/orders/SY-000001", key, "")
	if st != http.StatusOK || !strings.Contains(b, `"status":"partially_returned"`) || !strings.Contains(b, `"returned":1`) ||
		!strings.Contains(b, `"refunded":"19.90"`) {
		t.Fatalf("order after = %d %s", st, b)
	}
}

func TestAPIReturnBadInputWritesNothing(t *testing.T) {
	env, key, line := returnEnv(t)
	post := func(path, body string) (int, string) { return env.API(http.MethodPost, path, key, body) }
	st, b := post("/api/v1/orders/SY-000001/returns", `{"lines": [{"line": `+itoa(line)+`, "quantity": 3, "reason": "too_small"}], "resolution": "refund"}`)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("more than shipped = %d %s", st, b)
	}
	wantFieldError(t, b, "lines[0].quantity", "at most 2")
	// A line of another order.
	if st, b := postOrder(t, env, key, "", strings.Replace(orderBody, `"100234"`, `"100235"`, 1)); st != http.StatusCreated {
		t.Fatalf("second order = %d %s", st, b)
	}
	other, err := env.App.OrderByNumber(context.Background(), "SY-000002")
	if err != nil {
		t.Fatal(err)
	}
	st, b = post("/api/v1/orders/SY-000001/returns", `{"lines": [{"line": `+itoa(other.Lines[0].ID)+`, "quantity": 1, "reason": "late"}], "resolution": "refund"}`)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("line of another order = %d %s", st, b)
	}
	wantFieldError(t, b, "lines[0].line", "not a line of order SY-000001")
	// An exchange SKU unknown, and one inactive.
	if _, _, err := env.App.PutSKU(context.Background(), app.System, "OLD", app.SKUInput{Name: "Old", Active: new(bool)}); err != nil {
		t.Fatal(err)
	}
	st, b = post("/api/v1/orders/SY-000001/returns", `{"lines": [{"line": `+itoa(line)+`, "quantity": 1, "reason": "too_small"}],
		"resolution": "exchange", "exchange_lines": [{"sku": "NOPE", "quantity": 1}, {"sku": "OLD", "quantity": 1}]}`)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("exchange SKUs = %d %s", st, b)
	}
	wantFieldError(t, b, "exchange_lines[0].sku", "unknown SKU")
	wantFieldError(t, b, "exchange_lines[1].sku", "inactive")
	if st, b := env.API(http.MethodGet, "/api/v1/orders/SY-000001/returns", key, ""); st != http.StatusOK || b != `{"returns":[]}`+"\n" && b != `{"returns":[]}` {
		t.Fatalf("refused returns were written: %d %s", st, b)
	}
	// A good one, then: an unknown disposition, a refund above what is due, a receipt on a declined return.
	st, b = post("/api/v1/orders/SY-000001/returns", `{"lines": [{"line": `+itoa(line)+`, "quantity": 1, "reason": "too_small"}], "resolution": "refund", "approve": true}`)
	if st != http.StatusCreated {
		t.Fatalf("create = %d %s", st, b)
	}
	st, b = post("/api/v1/returns/RT-000001/receive", `{"lines": [{"line": `+itoa(line)+`, "quantity": 1, "disposition": "burn"}]}`)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("unknown disposition = %d %s", st, b)
	}
	wantFieldError(t, b, "lines[0].disposition", "must be one of")
	st, b = post("/api/v1/returns/RT-000001/refund", `{"amount": "50.00"}`)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("refund above due = %d %s", st, b)
	}
	wantFieldError(t, b, "amount", "at most EUR 19.90")
	st, b = post("/api/v1/orders/SY-000001/returns", `{"lines": [{"line": `+itoa(line)+`, "quantity": 1, "reason": "late"}], "resolution": "none"}`)
	if st != http.StatusCreated || decodeReturn(t, b).Status != "requested" {
		t.Fatalf("API return without approve = %d %s; want requested", st, b)
	}
	if st, b := post("/api/v1/returns/RT-000002/decline", `{"reason": "worn"}`); st != http.StatusOK {
		t.Fatalf("decline = %d %s", st, b)
	}
	st, b = post("/api/v1/returns/RT-000002/receive", `{"lines": [{"line": `+itoa(line)+`, "quantity": 1, "disposition": "restock"}]}`)
	if st != http.StatusConflict {
		t.Fatalf("receive a declined return = %d %s", st, b)
	}
	wantErrorCode(t, b, "conflict", "declined")
	r, err := env.Svc.Returns.Get(context.Background(), app.Everywhere, "RT-000001")
	if err != nil || r.Lines[0].Received != 0 || len(r.Refunds) != 0 {
		t.Fatalf("after refused requests: %+v %v", r, err)
	}
}

func TestAPIReturnIdempotencyKey(t *testing.T) {
	env, key, line := returnEnv(t)
	body := `{"lines": [{"line": ` + itoa(line) + `, "quantity": 1, "reason": "too_small"}], "resolution": "refund", "approve": true}`
	send := func(idem, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/api/v1/orders/SY-000001/returns", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", idem)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var raw json.RawMessage
		if err := json.NewDecoder(res.Body).Decode(&raw); err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, string(raw)
	}
	st1, b1 := send("k-1", body)
	st2, b2 := send("k-1", body)
	if st1 != http.StatusCreated || st2 != http.StatusCreated || decodeReturn(t, b2).Number != "RT-000001" {
		t.Fatalf("replay: %d %s / %d %s", st1, b1, st2, b2)
	}
	st, b := send("k-1", strings.Replace(body, "too_small", "too_large", 1))
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("same key, other body = %d %s", st, b)
	}
	if rs, err := env.Svc.Returns.ForOrder(context.Background(), 1); err != nil || len(rs) != 1 {
		t.Fatalf("returns: %d %v; want the one", len(rs), err)
	}
}

func TestAPIReturnScopesAndChannels(t *testing.T) {
	env, key, line := returnEnv(t)
	body := `{"lines": [{"line": ` + itoa(line) + `, "quantity": 1, "reason": "too_small"}], "resolution": "refund"}`
	reader := env.APIKey("", "orders:read")
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", reader, body); st != http.StatusForbidden {
		t.Fatalf("orders:read key creating a return = %d %s", st, b)
	}
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key, body); st != http.StatusCreated {
		t.Fatalf("create = %d %s", st, b)
	}
	if st, b := env.API(http.MethodGet, "/api/v1/returns/RT-000001", reader, ""); st != http.StatusOK {
		t.Fatalf("orders:read key reading = %d %s", st, b)
	}
	// A key bound to another channel learns nothing of the return, as for an unknown one.
	if _, _, err := env.App.PutChannel(context.Background(), app.System, "web-us", app.ChannelInput{Name: "Web US", Kind: "api"}); err != nil {
		t.Fatal(err)
	}
	us := env.APIKey("web-us", accounts.Scopes...)
	for _, r := range []struct{ method, path, body string }{
		{http.MethodGet, "/api/v1/returns/%s", ""},
		{http.MethodPost, "/api/v1/returns/%s/approve", ""},
		{http.MethodPost, "/api/v1/returns/%s/decline", `{"reason": "no"}`},
		{http.MethodPost, "/api/v1/returns/%s/cancel", ""},
		{http.MethodPost, "/api/v1/returns/%s/receive", `{"lines": [{"line": ` + itoa(line) + `, "quantity": 1, "disposition": "restock"}]}`},
		{http.MethodPost, "/api/v1/returns/%s/refund", ""},
	} {
		st1, b1 := env.API(r.method, strings.Replace(r.path, "%s", "RT-000001", 1), us, r.body)
		st2, _ := env.API(r.method, strings.Replace(r.path, "%s", "RT-999999", 1), us, r.body)
		if st1 != http.StatusNotFound || st2 != http.StatusNotFound || strings.Contains(b1, "SY-000001") {
			t.Errorf("web-us key %s %s = %d %s (unknown: %d); want 404 for both", r.method, r.path, st1, b1, st2)
		}
	}
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", us, body); st != http.StatusNotFound {
		t.Errorf("web-us key returning a web-eu order = %d %s", st, b)
	}
	r, err := env.Svc.Returns.Get(context.Background(), app.Everywhere, "RT-000001")
	if err != nil || r.Status != "requested" {
		t.Fatalf("return after the other channel's requests: %+v %v", r.Status, err)
	}
}

func TestSearchingAReturnNumberOpensTheReturn(t *testing.T) {
	env, key, line := returnEnv(t)
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key,
		`{"lines": [{"line": `+itoa(line)+`, "quantity": 1, "reason": "too_small"}], "resolution": "refund"}`); st != http.StatusCreated {
		t.Fatalf("create = %d %s", st, b)
	}
	support, _ := env.SignedIn(app.RoleSupport)
	if res := support.Get("/search?q=rt-000001"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/returns/RT-000001" {
		t.Fatalf("search RT-000001 = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	// An unknown return number is searched like any words; a warehouse user is not sent to /returns.
	if res := support.Get("/search?q=RT-000009"); res.StatusCode != http.StatusOK {
		t.Fatalf("search RT-000009 = %d", res.StatusCode)
	}
	env.AddLocation("PAR-01", "Paris store", "web-eu")
	lead, _ := env.SignedIn(app.RoleWarehouse, "PAR-01")
	if res := lead.Get("/search?q=RT-000001"); res.StatusCode == http.StatusSeeOther {
		t.Fatalf("warehouse user sent to %q", res.Header.Get("Location"))
	}
}

func TestAPILocationReturns(t *testing.T) {
	env, key, line := returnEnv(t)
	for i := range 3 {
		body := `{"lines": [{"line": ` + itoa(line) + `, "quantity": 1, "reason": "too_small"}], "resolution": "none", "approve": ` +
			map[bool]string{true: "true", false: "false"}[i != 1] + `}`
		if i == 2 {
			// the first two units are on returns: decline one to free a unit
			if st, b := env.API(http.MethodPost, "/api/v1/returns/RT-000002/decline", key, `{"reason": "no"}`); st != http.StatusOK {
				t.Fatalf("decline = %d %s", st, b)
			}
		}
		if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key, body); st != http.StatusCreated {
			t.Fatalf("create %d = %d %s", i, st, b)
		}
	}
	var page struct {
		Returns []returnAnswer `json:"returns"`
		Next    *string        `json:"next"`
	}
	st, b := env.API(http.MethodGet, "/api/v1/locations/LYS-WH/returns?status=approved", key, "")
	if err := json.Unmarshal([]byte(b), &page); st != http.StatusOK || err != nil || len(page.Returns) != 2 ||
		page.Returns[0].Number != "RT-000003" || page.Returns[1].Number != "RT-000001" || page.Next != nil {
		t.Fatalf("approved at LYS-WH = %d %s", st, b)
	}
	st, b = env.API(http.MethodGet, "/api/v1/locations/LYS-WH/returns?limit=1", key, "")
	if err := json.Unmarshal([]byte(b), &page); st != http.StatusOK || err != nil || len(page.Returns) != 1 || page.Next == nil {
		t.Fatalf("first page = %d %s", st, b)
	}
	st, b = env.API(http.MethodGet, "/api/v1/locations/LYS-WH/returns?limit=5&after="+*page.Next, key, "")
	if err := json.Unmarshal([]byte(b), &page); st != http.StatusOK || err != nil || len(page.Returns) != 2 || page.Returns[0].Number != "RT-000002" {
		t.Fatalf("second page = %d %s", st, b)
	}
	if st, b := env.API(http.MethodGet, "/api/v1/locations/LYS-WH/returns?status=lost", key, ""); st != http.StatusUnprocessableEntity {
		t.Fatalf("bad status = %d %s", st, b)
	} else {
		wantFieldError(t, b, "status", "must be one of")
	}
	// A key bound to another channel sees none of web-eu's returns.
	if _, _, err := env.App.PutChannel(context.Background(), app.System, "web-us", app.ChannelInput{Name: "Web US", Kind: "api"}); err != nil {
		t.Fatal(err)
	}
	us := env.APIKey("web-us", "orders:read")
	if st, b := env.API(http.MethodGet, "/api/v1/locations/LYS-WH/returns", us, ""); st != http.StatusOK || strings.Contains(b, "RT-") {
		t.Fatalf("web-us key = %d %s", st, b)
	}
}
