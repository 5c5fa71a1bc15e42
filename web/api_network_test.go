package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

// nwAPI calls the API with one key and checks answers.
type nwAPI struct {
	t   *testing.T
	env *webtest.Env
	key string
}

// nwSetup starts Switchyard with a key holding every catalog and stock scope.
func nwSetup(t *testing.T) nwAPI {
	env := webtest.New(t)
	return nwAPI{t: t, env: env, key: env.APIKey("", "catalog:write", "stock:read", "stock:write")}
}

// call sends a request and fails the test unless the answer has status want.
func (a nwAPI) call(method, path, body string, want int) string {
	a.t.Helper()
	status, out := a.env.API(method, path, a.key, body)
	if status != want {
		a.t.Fatalf("%s %s = %d, want %d\n%s", method, path, status, want, out)
	}
	return out
}

// do sends req with the key and returns the answer with its body read.
func (a nwAPI) do(req *http.Request) (*http.Response, string) {
	a.t.Helper()
	req.Header.Set("Authorization", "Bearer "+a.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatalf("read answer: %v", err)
	}
	return res, string(body)
}

// nwJSON encodes v.
func nwJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode %v: %v", v, err)
	}
	return string(b)
}

// nwDecode decodes an answer into a T.
func nwDecode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v
}

// nwError is the API's error shape.
type nwError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// wantFieldError checks that an error answer blames field with a message containing words.
func wantFieldError(t *testing.T, body, field, words string) {
	t.Helper()
	e := nwDecode[nwError](t, body)
	msg, ok := e.Error.Fields[field]
	if !ok {
		t.Fatalf("error names fields %v, want %q\n%s", e.Error.Fields, field, body)
	}
	if !strings.Contains(msg, words) {
		t.Errorf("field %s: %q, want it to say %q", field, msg, words)
	}
}

// wantErrorCode checks the code of an error answer and that its message contains words.
func wantErrorCode(t *testing.T, body, code, words string) {
	t.Helper()
	e := nwDecode[nwError](t, body)
	if e.Error.Code != code || !strings.Contains(e.Error.Message, words) {
		t.Errorf("error = %q %q, want code %q saying %q", e.Error.Code, e.Error.Message, code, words)
	}
}

// locationBody is a valid location serving channels, changed by change.
func locationBody(t *testing.T, channels []string, change func(map[string]any)) string {
	loc := map[string]any{
		"name": "Lyon warehouse", "kind": "warehouse", "timezone": "Europe/Paris", "ships": true, "pickup": false,
		"address":  map[string]any{"line1": "1 rue de la Gare", "city": "Lyon", "postal_code": "69002", "country": "FR"},
		"channels": channels,
	}
	if change != nil {
		change(loc)
	}
	return nwJSON(t, loc)
}

// count sets the stock of sku at loc.
func (a nwAPI) count(loc, sku string, onHand, safety int64) app.StockLevel {
	a.t.Helper()
	body := nwJSON(a.t, map[string]int64{"on_hand": onHand, "safety_stock": safety})
	return nwDecode[app.StockLevel](a.t, a.call(http.MethodPut, "/api/v1/stock/"+loc+"/"+sku, body, http.StatusOK))
}

// level reads the stock of sku at loc through the API; ok is false if it was never stocked.
func (a nwAPI) level(loc, sku string) (app.StockLevel, bool) {
	a.t.Helper()
	out := a.call(http.MethodGet, "/api/v1/stock?location="+loc+"&sku="+sku, "", http.StatusOK)
	levels := nwDecode[[]app.StockLevel](a.t, out)
	if len(levels) == 0 {
		return app.StockLevel{}, false
	}
	return levels[0], true
}

func TestAPISKUCreateReplaceGet(t *testing.T) {
	api := nwSetup(t)
	out := api.call(http.MethodPut, "/api/v1/skus/TEE-BLK-M", `{"name":"Tee black M","tags":["Summer"]}`, http.StatusCreated)
	if sku := nwDecode[app.SKU](t, out); sku.Code != "TEE-BLK-M" || sku.Name != "Tee black M" || !sku.Active || len(sku.Tags) != 1 {
		t.Errorf("created SKU = %+v", sku)
	}
	api.call(http.MethodPut, "/api/v1/skus/TEE-BLK-M", `{"name":"Tee black, M","active":false}`, http.StatusOK)
	sku := nwDecode[app.SKU](t, api.call(http.MethodGet, "/api/v1/skus/TEE-BLK-M", "", http.StatusOK))
	if sku.Name != "Tee black, M" || sku.Active || len(sku.Tags) != 0 {
		t.Errorf("replaced SKU = %+v, want the new name, inactive, no tags", sku)
	}
	out = api.call(http.MethodGet, "/api/v1/skus/NOPE", "", http.StatusNotFound)
	wantErrorCode(t, out, "not_found", "NOPE")
}

func TestAPIEscapedCodesInPaths(t *testing.T) {
	api := nwSetup(t)
	out := api.call(http.MethodPut, "/api/v1/skus/TEE%2DBLK", `{"name":"Tee black"}`, http.StatusCreated)
	if sku := nwDecode[app.SKU](t, out); sku.Code != "TEE-BLK" {
		t.Errorf("escaped code stored as %q, want TEE-BLK", sku.Code)
	}
	api.call(http.MethodGet, "/api/v1/skus/TEE-BLK", "", http.StatusOK)
	out = api.call(http.MethodPut, "/api/v1/skus/A%2541", `{"name":"Percent"}`, http.StatusUnprocessableEntity)
	wantFieldError(t, out, "code", "letters, digits") // "A%41", unescaped once only
}

func TestAPISKUListPages(t *testing.T) {
	api := nwSetup(t)
	for _, code := range []string{"MUG", "CAP", "TEE"} {
		api.call(http.MethodPut, "/api/v1/skus/"+code, `{"name":"A `+strings.ToLower(code)+`"}`, http.StatusCreated)
	}
	type page struct {
		SKUs []app.SKU `json:"skus"`
		Next *string   `json:"next"`
	}
	first := nwDecode[page](t, api.call(http.MethodGet, "/api/v1/skus?limit=2", "", http.StatusOK))
	if len(first.SKUs) != 2 || first.SKUs[0].Code != "CAP" || first.SKUs[1].Code != "MUG" || first.Next == nil {
		t.Fatalf("first page = %+v", first)
	}
	second := nwDecode[page](t, api.call(http.MethodGet, "/api/v1/skus?limit=2&after="+url.QueryEscape(*first.Next), "", http.StatusOK))
	if len(second.SKUs) != 1 || second.SKUs[0].Code != "TEE" || second.Next != nil {
		t.Fatalf("second page = %+v, want TEE and no next", second)
	}
	found := nwDecode[page](t, api.call(http.MethodGet, "/api/v1/skus?q=mug", "", http.StatusOK))
	if len(found.SKUs) != 1 || found.SKUs[0].Code != "MUG" {
		t.Errorf("q=mug found %+v", found.SKUs)
	}
}

func TestAPISKURefusals(t *testing.T) {
	api := nwSetup(t)
	out := api.call(http.MethodPut, "/api/v1/skus/bad%20code!", `{"name":"Bad"}`, http.StatusUnprocessableEntity)
	wantFieldError(t, out, "code", "letters, digits")
	out = api.call(http.MethodPut, "/api/v1/skus/NONAME", `{"barcode":"123"}`, http.StatusUnprocessableEntity)
	wantFieldError(t, out, "name", "required")
	out = api.call(http.MethodPut, "/api/v1/skus/HEAVY", `{"name":"Heavy","weight_grams":-1}`, http.StatusUnprocessableEntity)
	wantFieldError(t, out, "weight_grams", "at least 0")
	list := api.call(http.MethodGet, "/api/v1/skus", "", http.StatusOK)
	if list != `{"skus":[],"next":null}`+"\n" {
		t.Errorf("refused SKUs were written: %s", list)
	}
}

func TestAPILimitMustBeAWholeNumber(t *testing.T) {
	api := nwSetup(t)
	for _, path := range []string{"/api/v1/skus?limit=ten", "/api/v1/stock?limit=ten", "/api/v1/skus?limit=0", "/api/v1/stock?limit=501"} {
		out := api.call(http.MethodGet, path, "", http.StatusUnprocessableEntity)
		wantFieldError(t, out, "limit", "whole number")
	}
}

func TestAPILocationCreateReplaceGetList(t *testing.T) {
	api := nwSetup(t)
	api.call(http.MethodPut, "/api/v1/channels/web-eu", `{"name":"Web EU","kind":"shopify"}`, http.StatusCreated)
	out := api.call(http.MethodPut, "/api/v1/locations/LYS-WH", locationBody(t, []string{"web-eu"}, func(m map[string]any) {
		m["lat"], m["lon"], m["cutoff"] = 45.76, 4.83, "15:00"
	}), http.StatusCreated)
	loc := nwDecode[app.Location](t, out)
	if loc.Code != "LYS-WH" || loc.Lat != 45.76 || loc.Cutoff != "15:00" || len(loc.Channels) != 1 || loc.Channels[0] != "web-eu" {
		t.Errorf("created location = %+v", loc)
	}
	api.call(http.MethodPut, "/api/v1/locations/LYS-WH", locationBody(t, nil, func(m map[string]any) {
		m["name"] = "Lyon main warehouse"
	}), http.StatusOK)
	loc = nwDecode[app.Location](t, api.call(http.MethodGet, "/api/v1/locations/LYS-WH", "", http.StatusOK))
	if loc.Name != "Lyon main warehouse" || len(loc.Channels) != 0 || !loc.ApproxCoords {
		t.Errorf("replaced location = %+v, want the new name, no channels, approximate coordinates", loc)
	}
	list := nwDecode[struct {
		Locations []app.Location `json:"locations"`
	}](t, api.call(http.MethodGet, "/api/v1/locations", "", http.StatusOK))
	if len(list.Locations) != 1 || list.Locations[0].Code != "LYS-WH" {
		t.Errorf("locations = %+v", list.Locations)
	}
	api.call(http.MethodGet, "/api/v1/locations/NOPE", "", http.StatusNotFound)
}

func TestAPILocationRefusals(t *testing.T) {
	api := nwSetup(t)
	for _, tc := range []struct {
		name, field, words string
		change             func(map[string]any)
	}{
		{"three-letter country", "address.country", "", func(m map[string]any) {
			m["address"].(map[string]any)["country"] = "FRA"
		}},
		{"unknown country", "address.country", "ISO 3166-1", func(m map[string]any) {
			m["address"].(map[string]any)["country"] = "XX"
		}},
		{"lat without lon", "lat", "both", func(m map[string]any) { m["lat"] = 45.7 }},
		{"unknown time zone", "timezone", "IANA", func(m map[string]any) { m["timezone"] = "Mars/Base" }},
		{"unknown channel", "channels", `"nope"`, func(m map[string]any) { m["channels"] = []string{"nope"} }},
		{"unknown kind", "kind", "warehouse", func(m map[string]any) { m["kind"] = "garage" }},
		{"country of the wrong type", "address.country", "must be a string", func(m map[string]any) {
			m["address"].(map[string]any)["country"] = 33
		}},
		{"ships not a boolean", "ships", "true or false", func(m map[string]any) { m["ships"] = "yes" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := api.call(http.MethodPut, "/api/v1/locations/LYS-WH", locationBody(t, nil, tc.change), http.StatusUnprocessableEntity)
			wantErrorCode(t, out, "invalid", "")
			wantFieldError(t, out, tc.field, tc.words)
			api.call(http.MethodGet, "/api/v1/locations/LYS-WH", "", http.StatusNotFound)
		})
	}
}

func TestAPIChannelSecretsAreWriteOnly(t *testing.T) {
	api := nwSetup(t)
	const secret, token = "a-long-secret-1", "callback-token-xyz"
	body := nwJSON(t, map[string]any{
		"name": "Web EU", "kind": "shopify", "buffer": 2, "webhook_secrets": []string{secret},
		"callback": map[string]string{"base_url": "https://shop.example.com", "token": token},
	})
	answers := []string{api.call(http.MethodPut, "/api/v1/channels/web-eu", body, http.StatusCreated)}
	answers = append(answers,
		api.call(http.MethodPut, "/api/v1/channels/web-eu", `{"name":"Web Europe","kind":"shopify","buffer":3}`, http.StatusOK),
		api.call(http.MethodGet, "/api/v1/channels/web-eu", "", http.StatusOK),
		api.call(http.MethodGet, "/api/v1/channels", "", http.StatusOK))
	for _, out := range answers {
		if strings.Contains(out, secret) || strings.Contains(out, token) {
			t.Errorf("a secret or token was returned: %s", out)
		}
	}
	ch := nwDecode[app.Channel](t, answers[2])
	if ch.Name != "Web Europe" || ch.Buffer != 3 || ch.Secrets != 1 || !ch.HasToken {
		t.Errorf("channel = %+v, want the new name and buffer, the secret and token kept", ch)
	}
	list := nwDecode[struct {
		Channels []app.Channel `json:"channels"`
	}](t, answers[3])
	if len(list.Channels) != 1 || list.Channels[0].Code != "web-eu" {
		t.Errorf("channels = %+v", list.Channels)
	}
	out := api.call(http.MethodPut, "/api/v1/channels/web-us", `{"name":"Web US","kind":"shopify","webhook_secrets":["short"]}`, http.StatusUnprocessableEntity)
	wantErrorCode(t, out, "invalid", "channel is invalid")
	api.call(http.MethodGet, "/api/v1/channels/web-us", "", http.StatusNotFound)
}

func TestAPIStockCount(t *testing.T) {
	api := nwSetup(t)
	api.env.AddLocation("LYS-WH", "Lyon warehouse")
	api.call(http.MethodPut, "/api/v1/skus/TEE", `{"name":"Tee"}`, http.StatusCreated)
	lvl := api.count("LYS-WH", "TEE", 10, 3)
	if lvl.Location != "LYS-WH" || lvl.SKU != "TEE" || lvl.OnHand != 10 || lvl.SafetyStock != 3 || lvl.Available != 7 {
		t.Errorf("counted level = %+v", lvl)
	}
	out := api.call(http.MethodPut, "/api/v1/stock/LYS-WH/TEE", `{"on_hand":4,"note":"recount"}`, http.StatusOK)
	if lvl := nwDecode[app.StockLevel](t, out); lvl.OnHand != 4 || lvl.SafetyStock != 3 || lvl.Available != 1 {
		t.Errorf("recounted level = %+v, want 4 on hand and the safety stock kept", lvl)
	}
}

func TestAPIStockCountRefusals(t *testing.T) {
	api := nwSetup(t)
	api.env.AddLocation("LYS-WH", "Lyon warehouse")
	api.call(http.MethodPut, "/api/v1/skus/TEE", `{"name":"Tee"}`, http.StatusCreated)
	api.count("LYS-WH", "TEE", 10, 0)
	for _, tc := range []struct {
		name, path, body, field, words string
	}{
		{"unknown SKU", "/api/v1/stock/LYS-WH/NOPE", `{"on_hand":1}`, "sku", `unknown SKU "NOPE"`},
		{"unknown location", "/api/v1/stock/NOWHERE/TEE", `{"on_hand":1}`, "location", `unknown location "NOWHERE"`},
		{"negative count", "/api/v1/stock/LYS-WH/TEE", `{"on_hand":-1}`, "on_hand", "at least 0"},
		{"no count", "/api/v1/stock/LYS-WH/TEE", `{"note":"forgot"}`, "on_hand", "required"},
		{"count as a word", "/api/v1/stock/LYS-WH/TEE", `{"on_hand":"ten"}`, "on_hand", "must be a whole number"},
		{"count as a fraction", "/api/v1/stock/LYS-WH/TEE", `{"on_hand":1.5}`, "on_hand", "must be a whole number"},
		{"count too large", "/api/v1/stock/LYS-WH/TEE", `{"on_hand":99999999999999999999}`, "on_hand", "out of range"},
		{"negative safety stock", "/api/v1/stock/LYS-WH/TEE", `{"on_hand":1,"safety_stock":-2}`, "safety_stock", "at least 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := api.call(http.MethodPut, tc.path, tc.body, http.StatusUnprocessableEntity)
			wantFieldError(t, out, tc.field, tc.words)
		})
	}
	if lvl, _ := api.level("LYS-WH", "TEE"); lvl.OnHand != 10 || lvl.SafetyStock != 0 {
		t.Errorf("a refused count changed the level: %+v", lvl)
	}
	if _, ok := api.level("LYS-WH", "NOPE"); ok {
		t.Error("a refused count created a level")
	}
}

func TestAPIAdjustments(t *testing.T) {
	api := nwSetup(t)
	api.env.AddLocation("LYS-WH", "Lyon warehouse")
	api.call(http.MethodPut, "/api/v1/skus/TEE", `{"name":"Tee"}`, http.StatusCreated)
	api.call(http.MethodPut, "/api/v1/skus/CAP", `{"name":"Cap"}`, http.StatusCreated)
	out := api.call(http.MethodPost, "/api/v1/stock/adjustments", `{"adjustments":[
		{"location":"LYS-WH","sku":"TEE","delta":5,"reason":"receipt"},
		{"location":"LYS-WH","sku":"CAP","delta":2,"reason":"receipt","note":"pallet 7"}]}`, http.StatusOK)
	levels := nwDecode[struct {
		Levels []app.StockLevel `json:"levels"`
	}](t, out).Levels
	if len(levels) != 2 || levels[0].SKU != "TEE" || levels[0].OnHand != 5 || levels[1].SKU != "CAP" || levels[1].OnHand != 2 {
		t.Errorf("levels = %+v", levels)
	}
}

func TestAPIAdjustmentsAreAllOrNothing(t *testing.T) {
	api := nwSetup(t)
	api.env.AddLocation("LYS-WH", "Lyon warehouse")
	api.call(http.MethodPut, "/api/v1/skus/TEE", `{"name":"Tee"}`, http.StatusCreated)
	api.count("LYS-WH", "TEE", 3, 0)
	for _, tc := range []struct {
		name, second, field, words string
	}{
		{"below zero", `{"location":"LYS-WH","sku":"TEE","delta":-10,"reason":"adjustment"}`, "adjustments[1].delta", "below zero"},
		{"unknown location", `{"location":"NOWHERE","sku":"TEE","delta":1,"reason":"receipt"}`, "adjustments[1].location", `"NOWHERE"`},
		{"unknown SKU", `{"location":"LYS-WH","sku":"NOPE","delta":1,"reason":"receipt"}`, "adjustments[1].sku", `"NOPE"`},
		{"no reason", `{"location":"LYS-WH","sku":"TEE","delta":1}`, "adjustments[1].reason", "required"},
		{"delta as a word", `{"location":"LYS-WH","sku":"TEE","delta":"x","reason":"receipt"}`, "adjustments[1].delta", "whole number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"adjustments":[{"location":"LYS-WH","sku":"TEE","delta":4,"reason":"receipt"},` + tc.second + `]}`
			out := api.call(http.MethodPost, "/api/v1/stock/adjustments", body, http.StatusUnprocessableEntity)
			wantFieldError(t, out, tc.field, tc.words)
			if lvl, _ := api.level("LYS-WH", "TEE"); lvl.OnHand != 3 {
				t.Errorf("the first adjustment was applied: %+v", lvl)
			}
		})
	}
	out := api.call(http.MethodPost, "/api/v1/stock/adjustments", `{"adjustments":[]}`, http.StatusUnprocessableEntity)
	wantFieldError(t, out, "adjustments", "at least 1")
}

func TestAPIStockList(t *testing.T) {
	api := nwSetup(t)
	api.env.AddLocation("LYS-WH", "Lyon warehouse")
	api.env.AddLocation("PAR-01", "Paris store")
	for _, sku := range []string{"CAP", "TEE"} {
		api.call(http.MethodPut, "/api/v1/skus/"+sku, `{"name":"A thing"}`, http.StatusCreated)
		api.count("LYS-WH", sku, 10, 2)
		api.count("PAR-01", sku, 4, 0)
	}
	out := api.call(http.MethodGet, "/api/v1/stock?sku=TEE", "", http.StatusOK)
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("the stock list is not a bare array: %v\n%s", err, out)
	}
	for _, f := range []string{"location", "sku", "on_hand", "reserved", "safety_stock", "available"} {
		if _, ok := raw[0][f]; !ok {
			t.Errorf("a stock level lacks %q: %s", f, out)
		}
	}
	levels := nwDecode[[]app.StockLevel](t, out)
	if len(levels) != 2 || levels[0].Location != "LYS-WH" || levels[0].Available != 8 || levels[1].Location != "PAR-01" {
		t.Errorf("stock of TEE = %+v", levels)
	}
	if levels := nwDecode[[]app.StockLevel](t, api.call(http.MethodGet, "/api/v1/stock?location=PAR-01", "", http.StatusOK)); len(levels) != 2 || levels[0].SKU != "CAP" || levels[1].SKU != "TEE" {
		t.Errorf("stock at PAR-01 = %+v", levels)
	}
	if out := api.call(http.MethodGet, "/api/v1/stock?sku=NOPE", "", http.StatusOK); out != "[]\n" {
		t.Errorf("stock of an unknown SKU = %s, want []", out)
	}
}

func TestAPIStockListPages(t *testing.T) {
	api := nwSetup(t)
	api.env.AddLocation("LYS-WH", "Lyon warehouse")
	api.env.AddLocation("PAR-01", "Paris store")
	for _, sku := range []string{"CAP", "TEE"} {
		api.call(http.MethodPut, "/api/v1/skus/"+sku, `{"name":"A thing"}`, http.StatusCreated)
		api.count("LYS-WH", sku, 1, 0)
		api.count("PAR-01", sku, 1, 0)
	}
	var seen []string
	next := "/api/v1/stock?limit=3"
	for next != "" {
		req, _ := http.NewRequest(http.MethodGet, api.env.Server.URL+next, nil)
		res, out := api.do(req)
		for _, l := range nwDecode[[]app.StockLevel](t, out) {
			seen = append(seen, l.SKU+"@"+l.Location)
		}
		next = nextLink(t, res.Header.Get("Link"))
		if cur := res.Header.Get("X-Next-Cursor"); (cur == "") != (next == "") || (cur != "" && !strings.Contains(next, url.QueryEscape(cur))) {
			t.Errorf("X-Next-Cursor %q does not match Link %q", cur, next)
		}
	}
	if strings.Join(seen, " ") != "CAP@LYS-WH CAP@PAR-01 TEE@LYS-WH TEE@PAR-01" {
		t.Errorf("pages gave %v", seen)
	}
}

// nextLink returns the target of a Link header's rel="next", "" when there is none.
func nextLink(t *testing.T, header string) string {
	t.Helper()
	if header == "" {
		return ""
	}
	target, rel, ok := strings.Cut(header, ">; ")
	if !ok || rel != `rel="next"` || !strings.HasPrefix(target, "</api/v1/stock?") {
		t.Fatalf("Link header %q", header)
	}
	return strings.TrimPrefix(target, "<")
}

func TestAPIAvailability(t *testing.T) {
	api := nwSetup(t)
	api.call(http.MethodPut, "/api/v1/channels/web-eu", `{"name":"Web EU","kind":"shopify","buffer":2}`, http.StatusCreated)
	serving := []string{"web-eu"}
	for code, change := range map[string]func(map[string]any){
		"LYS-WH": nil,
		"PAR-01": nil,
		"BER-01": func(m map[string]any) { m["channels"] = []string{} },            // does not serve web-eu
		"MRS-01": func(m map[string]any) { m["active"] = false },                   // inactive
		"NTE-01": func(m map[string]any) { m["ships"], m["pickup"] = false, true }, // pickup only
	} {
		api.call(http.MethodPut, "/api/v1/locations/"+code, locationBody(t, serving, change), http.StatusCreated)
	}
	for _, sku := range []string{"TEE", "CAP", "MUG"} {
		api.call(http.MethodPut, "/api/v1/skus/"+sku, `{"name":"A thing"}`, http.StatusCreated)
	}
	api.count("LYS-WH", "TEE", 10, 3) // 7 available
	api.count("PAR-01", "TEE", 5, 0)  // 5 available
	for _, loc := range []string{"BER-01", "MRS-01", "NTE-01"} {
		api.count(loc, "TEE", 100, 0) // not counted
	}
	api.count("LYS-WH", "CAP", 1, 0)  // 1 available, less a buffer of 2
	api.count("PAR-01", "CAP", 4, 10) // safety stock above on hand: 0, not -6
	want := map[string]int64{"MUG": 0, "TEE": 7 + 5 - 2, "CAP": 0}
	wantATP(t, api, "/api/v1/availability?channel=web-eu&sku=MUG&sku=TEE,CAP", []string{"MUG", "TEE", "CAP"}, want)

	api.count("LYS-WH", "TEE", 10, 0) // less safety stock, more to sell
	api.count("PAR-01", "CAP", 4, 0)
	want = map[string]int64{"TEE": 10 + 5 - 2, "CAP": 1 + 4 - 2}
	wantATP(t, api, "/api/v1/availability?channel=web-eu&sku=TEE&sku=CAP", []string{"TEE", "CAP"}, want)

	api.call(http.MethodPut, "/api/v1/channels/web-eu", `{"name":"Web EU","kind":"shopify","buffer":2,"active":false}`, http.StatusOK)
	wantATP(t, api, "/api/v1/availability?channel=web-eu&sku=TEE", []string{"TEE"}, map[string]int64{"TEE": 0})
}

// wantATP checks the availability answer of path: the SKUs in order, each with its ATP.
func wantATP(t *testing.T, api nwAPI, path string, order []string, want map[string]int64) {
	t.Helper()
	got := nwDecode[struct {
		Channel string                `json:"channel"`
		SKUs    []app.SKUAvailability `json:"skus"`
	}](t, api.call(http.MethodGet, path, "", http.StatusOK))
	if got.Channel != "web-eu" || len(got.SKUs) != len(order) {
		t.Fatalf("availability = %+v", got)
	}
	for i, s := range got.SKUs {
		if s.SKU != order[i] || s.Available != want[s.SKU] {
			t.Errorf("availability[%d] = %s %d, want %s %d", i, s.SKU, s.Available, order[i], want[order[i]])
		}
	}
}

func TestAPIAvailabilityRefusals(t *testing.T) {
	api := nwSetup(t)
	api.call(http.MethodPut, "/api/v1/channels/web-eu", `{"name":"Web EU","kind":"shopify"}`, http.StatusCreated)
	api.call(http.MethodPut, "/api/v1/skus/TEE", `{"name":"Tee"}`, http.StatusCreated)
	for _, tc := range []struct{ query, field, words string }{
		{"channel=nope&sku=TEE", "channel", `unknown channel "nope"`},
		{"channel=web-eu&sku=TEE&sku=NOPE", "sku[1]", `unknown SKU "NOPE"`},
		{"channel=web-eu", "sku", "at least one"},
		{"sku=TEE", "channel", "required"},
	} {
		out := api.call(http.MethodGet, "/api/v1/availability?"+tc.query, "", http.StatusUnprocessableEntity)
		wantFieldError(t, out, tc.field, tc.words)
	}
}

func TestAPIBodyProblems(t *testing.T) {
	api := nwSetup(t)
	for _, tc := range []struct {
		name, body string
		status     int
		code       string
		words      string
	}{
		{"empty", "", http.StatusBadRequest, "malformed", "empty"},
		{"white space", " \n ", http.StatusBadRequest, "malformed", "empty"},
		{"malformed", "{\n  \"name\": \"Tee\",\n  oops}", http.StatusBadRequest, "malformed", "at line 3, column "},
		{"cut short", `{"name": "Tee"`, http.StatusBadRequest, "malformed", "ends too early"},
		{"data after the value", `{"name": "Tee"} {"name": "Cap"}`, http.StatusBadRequest, "malformed", "more data after"},
		{"a list, not an object", `[{"name": "Tee"}]`, http.StatusBadRequest, "malformed", "must be an object"},
		{"name as a number", `{"name": 12}`, http.StatusUnprocessableEntity, "invalid", "name"},
		{"tags as a string", `{"name": "Tee", "tags": "summer"}`, http.StatusUnprocessableEntity, "invalid", "tags: must be a list"},
		{"a tag as a number", `{"name": "Tee", "tags": ["summer", 2]}`, http.StatusUnprocessableEntity, "invalid", "tags[1]: must be a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := api.call(http.MethodPut, "/api/v1/skus/TEE", tc.body, tc.status)
			wantErrorCode(t, out, tc.code, tc.words)
		})
	}
	api.call(http.MethodPut, "/api/v1/skus/TEE", `{"name": "Tee", "colour": "black"}`, http.StatusCreated) // unknown fields are ignored
}

func TestAPIBodyOverOneMiB(t *testing.T) {
	api := nwSetup(t)
	big := `{"name": "` + strings.Repeat("a", 1<<20) + `"}`
	for name, body := range map[string]func() io.Reader{
		"with a length":    func() io.Reader { return strings.NewReader(big) },
		"without a length": func() io.Reader { return io.MultiReader(strings.NewReader(big)) }, // sent chunked
	} {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPut, api.env.Server.URL+"/api/v1/skus/BIG", body())
			res, out := api.do(req)
			if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("over 1 MiB = %d %s, want 413 JSON\n%.200s", res.StatusCode, res.Header.Get("Content-Type"), out)
			}
			wantErrorCode(t, out, "too_large", "1 MiB")
		})
	}
	api.call(http.MethodGet, "/api/v1/skus/BIG", "", http.StatusNotFound)
}

func TestAPIKeysAndScopes(t *testing.T) {
	api := nwSetup(t)
	api.env.AddLocation("LYS-WH", "Lyon warehouse")
	api.call(http.MethodPut, "/api/v1/skus/TEE", `{"name":"Tee"}`, http.StatusCreated)
	reader := api.env.APIKey("", "stock:read")
	cataloguer := api.env.APIKey("", "catalog:write")
	for _, tc := range []struct {
		name, method, path, key string
		want                    int
	}{
		{"no key", http.MethodPut, "/api/v1/stock/LYS-WH/TEE", "", http.StatusUnauthorized},
		{"a made-up key", http.MethodPut, "/api/v1/stock/LYS-WH/TEE", "sy_notarealkey", http.StatusUnauthorized},
		{"not a key at all", http.MethodPut, "/api/v1/stock/LYS-WH/TEE", "hunter2", http.StatusUnauthorized},
		{"stock:read counting", http.MethodPut, "/api/v1/stock/LYS-WH/TEE", reader, http.StatusForbidden},
		{"stock:read adjusting", http.MethodPost, "/api/v1/stock/adjustments", reader, http.StatusForbidden},
		{"stock:read writing a SKU", http.MethodPut, "/api/v1/skus/TEE", reader, http.StatusForbidden},
		{"catalog:write reading stock", http.MethodGet, "/api/v1/stock", cataloguer, http.StatusForbidden},
		{"stock:read reading the catalog", http.MethodGet, "/api/v1/skus/TEE", reader, http.StatusOK},
		{"catalog:write reading the catalog", http.MethodGet, "/api/v1/locations", cataloguer, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := ""
			if tc.method != http.MethodGet {
				body = `{"on_hand":5,"name":"Renamed","adjustments":[{"location":"LYS-WH","sku":"TEE","delta":5,"reason":"receipt"}]}`
			}
			status, out := api.env.API(tc.method, tc.path, tc.key, body)
			if status != tc.want {
				t.Fatalf("%s %s = %d, want %d\n%s", tc.method, tc.path, status, tc.want, out)
			}
			if status >= 400 {
				wantErrorCode(t, out, map[int]string{401: "unauthorized", 403: "forbidden"}[status], "")
			}
		})
	}
	if _, ok := api.level("LYS-WH", "TEE"); ok {
		t.Error("a refused request wrote stock")
	}
	if sku, _ := api.env.App.SKU(context.Background(), "TEE"); sku.Name != "Tee" {
		t.Errorf("a refused request renamed the SKU to %q", sku.Name)
	}
}
