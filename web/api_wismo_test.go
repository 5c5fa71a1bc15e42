package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/app/desk"
	"switchyard/app/returns"
	"switchyard/app/wismo"
	"switchyard/web/webtest"
)

// wismoEnv is a Switchyard with the channels web-eu (served by the Lyon
// warehouse, which holds 100 TEE-BLK-M) and pos (served by nobody), the SKU
// RARE-1 in stock nowhere, and the answer API's limits (nil: the defaults).
func wismoEnv(t *testing.T, limits *wismo.Limits) *webtest.Env {
	t.Helper()
	env := webtest.NewWith(t, webtest.Options{Wismo: limits})
	ctx := context.Background()
	for code, name := range map[string]string{"web-eu": "Web EU", "pos": "Stores"} {
		if _, _, err := env.App.PutChannel(ctx, app.System, code, app.ChannelInput{Name: name, Kind: "shopify"}); err != nil {
			t.Fatal(err)
		}
	}
	env.AddLocation("LYS-WH", "Lyon warehouse", "web-eu")
	for _, sku := range []string{"TEE-BLK-M", "RARE-1"} {
		if _, _, err := env.App.PutSKU(ctx, app.System, sku, app.SKUInput{Name: "Item " + sku}); err != nil {
			t.Fatal(err)
		}
	}
	env.Stock("LYS-WH", "TEE-BLK-M", 100)
	return env
}

// wismoOrder places an order of 2 × sku through the API and returns it.
func wismoOrder(t *testing.T, env *webtest.Env, channel, ext, ref, email, postal, sku string) app.Order {
	t.Helper()
	body := fmt.Sprintf(`{"channel": %q, "external_id": %q, "channel_ref": %q, "placed_at": "2026-11-26T09:00:00Z", "currency": "EUR",
 "customer": {"email": %q, "name": "Ana Lima", "phone": "+33 6 12 34 56 78"},
 "shipping_address": {"name": "Ana Lima", "line1": "12 rue Mercière", "city": "Lyon", "postal_code": %q, "country": "FR", "lat": 45.762, "lon": 4.832},
 "delivery": {"method": "ship"},
 "lines": [{"external_id": "1", "sku": %q, "quantity": 2, "unit_price": "19.90"}], "shipping_price": "4.90"}`,
		channel, ext, ref, email, postal, sku)
	st, b := postOrder(t, env, env.APIKey("", "orders:write"), "", body)
	if st != http.StatusCreated {
		t.Fatalf("order = %d %s", st, b)
	}
	var o struct{ Number string }
	if err := json.Unmarshal([]byte(b), &o); err != nil {
		t.Fatal(err)
	}
	return reread(t, env, o.Number)
}

// reread reads an order as it is now.
func reread(t *testing.T, env *webtest.Env, number string) app.Order {
	t.Helper()
	o, err := env.App.OrderByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// assistantKey makes an assistant's key named name, bound to channel when not "".
func assistantKey(t *testing.T, env *webtest.Env, name, channel string) string {
	t.Helper()
	key, _, err := env.Svc.Accounts.CreateAPIKey(context.Background(), app.System,
		accounts.NewAPIKey{Name: name, Scopes: []string{accounts.WismoScope}, Channel: channel})
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// ask sends a question to the answer API.
func ask(env *webtest.Env, key, body string) (int, string) {
	return env.API(http.MethodPost, "/api/v1/wismo", key, body)
}

// answerKeys are the only keys an answer has, and a parcel's.
var (
	answerKeys = []string{"expected_by", "order", "parcels", "return_url", "returnable", "returnable_until", "sentence", "status"}
	parcelKeys = []string{"carrier", "tracking_number", "tracking_url"}
)

// decodeAnswer reads an answer, failing unless it has exactly the answer's
// keys (and each parcel exactly a parcel's) and none of the customer's
// personal data, prices, SKUs or Switchyard's number. (Where a return goes
// back to is the sentence's, for the customer to send it.)
func decodeAnswer(t *testing.T, b string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(b), &m); err != nil {
		t.Fatalf("answer %s: %v", b, err)
	}
	if got := slices.Sorted(mapKeys(m)); !slices.Equal(got, answerKeys) {
		t.Errorf("answer keys = %v, want %v", got, answerKeys)
	}
	parcels, _ := m["parcels"].([]any)
	for _, p := range parcels {
		if got := slices.Sorted(mapKeys(p.(map[string]any))); !slices.Equal(got, parcelKeys) {
			t.Errorf("parcel keys = %v, want %v", got, parcelKeys)
		}
	}
	for _, secret := range []string{"ana@", "Ana", "Lima", "Mercière", "+33", "69002", "19.90", "4.90", "TEE-BLK-M", "SY-0"} {
		if strings.Contains(b, secret) {
			t.Errorf("the answer gives away %q: %s", secret, b)
		}
	}
	return m
}

// mapKeys are m's keys.
func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// wantSentence is the one sentence the order page and the tracking page say now.
func wantSentence(t *testing.T, env *webtest.Env, number string) string {
	t.Helper()
	o := reread(t, env, number)
	rets, err := env.Svc.Returns.ForOrder(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return desk.Sentence(desk.OrderFacts(o), rets)
}

// TestWismoAnswersWhatTheCustomerMayKnow: an order followed from routed to
// shipped, delivered and a return requested; each answer has exactly the
// answer's keys, the sentence the order page and the tracking page say, the
// parcel, the promise while it means something, the return window and link
// once delivered; each is on the timeline, in the key's name.
func TestWismoAnswersWhatTheCustomerMayKnow(t *testing.T) {
	env := wismoEnv(t, nil)
	ctx := context.Background()
	o := wismoOrder(t, env, "web-eu", "100234", "#1042", "ana@example.com", "69002", "TEE-BLK-M")
	key := assistantKey(t, env, "Chatty bot", "")
	q := `{"order": "#1042", "email": "  Ana@Example.com "}`

	st, b := ask(env, key, q)
	if st != http.StatusOK {
		t.Fatalf("routed: %d %s", st, b)
	}
	m := decodeAnswer(t, b)
	if m["order"] != "#1042" || m["status"] != "routed" || m["sentence"] != wantSentence(t, env, o.Number) ||
		m["returnable"] != false || m["returnable_until"] != nil || m["return_url"] != nil || len(m["parcels"].([]any)) != 0 {
		t.Errorf("routed: %s", b)
	}
	if o.PromisedBy != nil && m["expected_by"] != o.PromisedBy.In(zoneOf(t, "Europe/Paris")).Format("2006-01-02") {
		t.Errorf("expected_by = %v, promise %v", m["expected_by"], o.PromisedBy)
	}

	if _, err := env.App.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	st, b = ask(env, key, `{"order": "1042", "postal_code": "69 002"}`)
	m = decodeAnswer(t, b)
	parcel, _ := m["parcels"].([]any)
	if st != http.StatusOK || m["status"] != "shipped" || m["sentence"] != wantSentence(t, env, o.Number) || len(parcel) != 1 {
		t.Fatalf("shipped: %d %s", st, b)
	}
	p := parcel[0].(map[string]any)
	if p["carrier"] != "UPS" || p["tracking_number"] != "1Z5R89390357567127" || !strings.HasPrefix(fmtAny(p["tracking_url"]), "https://") {
		t.Errorf("parcel = %v", p)
	}
	// The tracking page says the same sentence.
	page := env.Client().Get("/t/" + o.TrackingToken)
	if !strings.Contains(page.Body, html.EscapeString(fmtAny(m["sentence"]))) {
		t.Errorf("the tracking page does not say %q", m["sentence"])
	}

	if _, err := env.App.Deliver(ctx, app.System, o.Fulfillments[0].ID); err != nil {
		t.Fatal(err)
	}
	st, b = ask(env, key, `{"order": "`+o.Number+`", "email": "ana@example.com"}`)
	m = decodeAnswer(t, b)
	tr, err := env.Svc.Returns.ForTracking(ctx, o.TrackingToken)
	if err != nil {
		t.Fatal(err)
	}
	if st != http.StatusOK || m["status"] != "delivered" || m["expected_by"] != nil || m["returnable"] != true ||
		m["returnable_until"] != tr.Until.In(zoneOf(t, "Europe/Paris")).Format("2006-01-02") ||
		m["return_url"] != env.Server.URL+"/t/"+o.TrackingToken+"/return" || m["order"] != "#1042" {
		t.Errorf("delivered: %d %s (window until %v)", st, b, tr.Until)
	}

	if _, _, err := env.Svc.Returns.Create(ctx, app.System, o.Number, returns.NewReturn{Resolution: "refund",
		Lines: []returns.LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "too_small"}}}); err != nil {
		t.Fatal(err)
	}
	st, b = ask(env, key, q)
	m = decodeAnswer(t, b)
	if want := wantSentence(t, env, o.Number); st != http.StatusOK || m["sentence"] != want || !strings.Contains(want, "return") {
		t.Errorf("return started: %d %s, want sentence %q", st, b, want)
	}

	var given []string
	for _, e := range reread(t, env, o.Number).Events {
		if e.Kind == "status_given" {
			given = append(given, e.Message)
			if e.CustomerVisible {
				t.Errorf("the customer sees %q", e.Message)
			}
		}
	}
	want := "Status given to the customer through Chatty bot."
	if len(given) != 4 || given[0] != want {
		t.Errorf("timeline = %q, want 4 × %q", given, want)
	}
}

// zoneOf loads a zone.
func zoneOf(t *testing.T, name string) *time.Location {
	t.Helper()
	z, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// TestWismoEveryState: for every state an order can be in, the answer's
// status and the sentence the order page says.
func TestWismoEveryState(t *testing.T) {
	env := wismoEnv(t, nil)
	ctx := context.Background()
	key := assistantKey(t, env, "bot", "")
	place := func(ext, sku string) app.Order {
		return wismoOrder(t, env, "web-eu", ext, "#"+ext, "ana@example.com", "69002", sku)
	}
	routed := place("2001", "TEE-BLK-M")
	backordered := place("2002", "RARE-1")
	held := place("2003", "TEE-BLK-M")
	if _, err := env.App.Hold(ctx, app.System, held.Number, app.HoldInput{Reason: "customer_request"}); err != nil {
		t.Fatal(err)
	}
	accepted := place("2004", "TEE-BLK-M")
	if _, err := env.App.AcceptFulfillment(ctx, app.System, accepted.Fulfillments[0].ID); err != nil {
		t.Fatal(err)
	}
	shipped := place("2005", "TEE-BLK-M")
	if _, err := env.App.Ship(ctx, app.System, shipped.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	delivered := place("2006", "TEE-BLK-M")
	deliverOrder(t, env, delivered.Number)
	cancelled := place("2007", "TEE-BLK-M")
	if _, err := env.App.Cancel(ctx, app.System, cancelled.Number, app.CancelInput{Reason: "customer request"}); err != nil {
		t.Fatal(err)
	}
	returned := place("2008", "TEE-BLK-M")
	line := deliverOrder(t, env, returned.Number)
	r, _, err := env.Svc.Returns.Create(ctx, app.System, returned.Number, returns.NewReturn{Resolution: "refund", Approve: ptr(true),
		Lines: []returns.LineInput{{Line: line, Quantity: 2, Reason: "too_small"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Returns.Receive(ctx, app.System, r.Number, returns.Receipt{Lines: []returns.ReceiptLine{{Line: line, Quantity: 2, Disposition: "restock"}}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		o    app.Order
		want app.Status
	}{
		{routed, app.StatusRouted}, {backordered, app.StatusBackordered}, {held, app.StatusOnHold},
		{accepted, app.StatusInFulfillment}, {shipped, app.StatusShipped}, {delivered, app.StatusDelivered},
		{cancelled, app.StatusCancelled}, {returned, app.StatusReturned},
	} {
		st, b := ask(env, key, `{"order": "`+tc.o.ChannelRef+`", "postal_code": "69002"}`)
		if st != http.StatusOK {
			t.Errorf("%s: %d %s", tc.want, st, b)
			continue
		}
		m := decodeAnswer(t, b)
		if m["status"] != string(tc.want) || m["sentence"] != wantSentence(t, env, tc.o.Number) {
			t.Errorf("%s: %s, want sentence %q", tc.want, b, wantSentence(t, env, tc.o.Number))
		}
		t.Logf("%s: %s", tc.want, m["sentence"])
	}
}

// ptr is a pointer to v.
func ptr[T any](v T) *T { return &v }

// TestWismoWrongProofIsAnUnknownOrder: a wrong email, a wrong postal code,
// an unknown order, the order of another channel for a bound key, an empty
// stored email: one 404, byte for byte, and nothing on the timeline.
func TestWismoWrongProofIsAnUnknownOrder(t *testing.T) {
	env := wismoEnv(t, nil)
	o := wismoOrder(t, env, "web-eu", "100234", "#1042", "ana@example.com", "69002", "TEE-BLK-M")
	noEmail := wismoOrder(t, env, "web-eu", "100235", "#1043", "", "69003", "TEE-BLK-M")
	key := assistantKey(t, env, "bot", "")
	posKey := assistantKey(t, env, "pos bot", "pos")
	var bodies []string
	for _, tc := range []struct{ key, q string }{
		{key, `{"order": "#1042", "email": "bob@example.com"}`},
		{key, `{"order": "#1042", "postal_code": "75001"}`},
		{key, `{"order": "#1042", "postal_code": "ana@example.com"}`}, // the email is not a postal code
		{key, `{"order": "#9999", "email": "ana@example.com"}`},
		{key, `{"order": "SY-999999", "postal_code": "69002"}`},
		{posKey, `{"order": "#1042", "email": "ana@example.com"}`},
		{posKey, `{"order": "` + o.Number + `", "postal_code": "69002"}`},
		{key, `{"order": "#1043", "email": "x"}`},
	} {
		st, b := ask(env, tc.key, tc.q)
		if st != http.StatusNotFound {
			t.Errorf("%s: %d %s", tc.q, st, b)
		}
		bodies = append(bodies, b)
	}
	for i, b := range bodies {
		if b != bodies[0] {
			t.Errorf("answer %d differs:\n%s\n%s", i, b, bodies[0])
		}
	}
	for _, n := range []string{o.Number, noEmail.Number} {
		for _, e := range reread(t, env, n).Events {
			if e.Kind == "status_given" {
				t.Errorf("%s: a wrong proof is on the timeline: %q", n, e.Message)
			}
		}
	}
	// The right proof, for the same keys: the bound key reaches its own channel only.
	if st, b := ask(env, key, `{"order": "#1042", "email": "ana@example.com"}`); st != http.StatusOK {
		t.Errorf("right proof: %d %s", st, b)
	}
}

// TestWismoNameOnSeveralChannels: #1042 on two channels; an unbound key
// finds the one whose proof matches, a bound key its channel's only, and
// neither answer tells that the other exists.
func TestWismoNameOnSeveralChannels(t *testing.T) {
	env := wismoEnv(t, nil)
	eu := wismoOrder(t, env, "web-eu", "100234", "#1042", "ana@example.com", "69002", "TEE-BLK-M")
	pos := wismoOrder(t, env, "pos", "P-77", "#1042", "bob@example.com", "75001", "TEE-BLK-M")
	key := assistantKey(t, env, "bot", "")
	posKey := assistantKey(t, env, "pos bot", "pos")
	for _, tc := range []struct {
		key, q string
		want   app.Order
	}{
		{key, `{"order": "#1042", "email": "ana@example.com"}`, eu},
		{key, `{"order": "#1042", "email": "bob@example.com"}`, pos},
		{key, `{"order": "1042", "postal_code": "75001"}`, pos},
		{posKey, `{"order": "#1042", "email": "bob@example.com"}`, pos},
	} {
		st, b := ask(env, tc.key, tc.q)
		m := decodeAnswer(t, b)
		if st != http.StatusOK || m["status"] != string(reread(t, env, tc.want.Number).Status) || m["sentence"] != wantSentence(t, env, tc.want.Number) {
			t.Errorf("%s: %d %s, want %s", tc.q, st, b, tc.want.Number)
		}
	}
	if st, b := ask(env, posKey, `{"order": "#1042", "email": "ana@example.com"}`); st != http.StatusNotFound {
		t.Errorf("bound key, the other channel's customer: %d %s", st, b)
	}
	given := func(n string) int {
		c := 0
		for _, e := range reread(t, env, n).Events {
			if e.Kind == "status_given" {
				c++
			}
		}
		return c
	}
	if given(eu.Number) != 1 || given(pos.Number) != 3 {
		t.Errorf("timeline entries: eu %d, pos %d; want 1 and 3", given(eu.Number), given(pos.Number))
	}
}

// concurrently sends n questions at once and counts the answers by status.
func concurrently(env *webtest.Env, n int, key func(i int) string, q func(i int) string) map[int]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	got := map[int]int{}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, _ := ask(env, key(i), q(i))
			mu.Lock()
			got[st]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return got
}

// TestWismoLimitPerOrder: attempts at one order name sent all at once (from
// two keys) get through exactly the allowance; the rest are 429 with
// Retry-After, the right proof included; another name still answers.
func TestWismoLimitPerOrder(t *testing.T) {
	env := wismoEnv(t, nil)
	wismoOrder(t, env, "web-eu", "100234", "#1042", "ana@example.com", "69002", "TEE-BLK-M")
	wismoOrder(t, env, "web-eu", "100235", "#1043", "ana@example.com", "69002", "TEE-BLK-M")
	keys := []string{assistantKey(t, env, "bot A", ""), assistantKey(t, env, "bot B", "")}
	limit := int(wismo.DefaultLimits().PerOrder)
	got := concurrently(env, limit+8, func(i int) string { return keys[i%2] }, func(i int) string {
		if i%2 == 0 {
			return `{"order": "#1042", "email": "guess` + itoa(int64(i)) + `@example.com"}`
		}
		return `{"order": " 1042", "postal_code": "0000` + itoa(int64(i)) + `"}`
	})
	if got[http.StatusNotFound] != limit || got[http.StatusTooManyRequests] != 8 {
		t.Errorf("answers = %v, want %d × 404 and 8 × 429", got, limit)
	}
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/api/v1/wismo", strings.NewReader(`{"order": "#1042", "email": "ana@example.com"}`))
	req.Header.Set("Authorization", "Bearer "+keys[0])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("right proof over the limit: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if st, b := ask(env, keys[0], `{"order": "#1043", "email": "ana@example.com"}`); st != http.StatusOK {
		t.Errorf("another order: %d %s", st, b)
	}
	// The window slides: an hour later the order answers again.
	env.Clock.Advance(wismo.DefaultLimits().Window + 1)
	if st, b := ask(env, keys[0], `{"order": "#1042", "email": "ana@example.com"}`); st != http.StatusOK {
		t.Errorf("after the window: %d %s", st, b)
	}
}

// TestWismoLimitPerKey: one key's questions about many orders, all at once,
// get through exactly its allowance; another key still answers.
func TestWismoLimitPerKey(t *testing.T) {
	limits := wismo.Limits{Window: wismo.DefaultLimits().Window, PerKey: 5, PerOrder: 100}
	env := wismoEnv(t, &limits)
	wismoOrder(t, env, "web-eu", "100234", "#1042", "ana@example.com", "69002", "TEE-BLK-M")
	key, other := assistantKey(t, env, "bot", ""), assistantKey(t, env, "other bot", "")
	got := concurrently(env, 14, func(int) string { return key }, func(i int) string {
		if i%2 == 0 {
			return `{"order": "#1042", "email": "ana@example.com"}`
		}
		return `{"order": "#` + itoa(int64(3000+i)) + `", "email": "ana@example.com"}`
	})
	if got[http.StatusOK]+got[http.StatusNotFound] != 5 || got[http.StatusTooManyRequests] != 9 {
		t.Errorf("answers = %v, want 5 through and 9 × 429", got)
	}
	if st, b := ask(env, other, `{"order": "#1042", "email": "ana@example.com"}`); st != http.StatusOK {
		t.Errorf("another key: %d %s", st, b)
	}
}

// TestWismoScopeAndInput: a key without wismo:read is 403; an assistant's
// key reaches nothing else; bad questions are 422 naming the field.
func TestWismoScopeAndInput(t *testing.T) {
	env := wismoEnv(t, nil)
	o := wismoOrder(t, env, "web-eu", "100234", "#1042", "ana@example.com", "69002", "TEE-BLK-M")
	key := assistantKey(t, env, "bot", "")
	q := `{"order": "#1042", "email": "ana@example.com"}`
	if st, b := ask(env, env.APIKey("", accounts.Scopes...), q); st != http.StatusForbidden || !strings.Contains(b, "wismo:read") {
		t.Errorf("every other scope: %d %s", st, b)
	}
	if st, _ := ask(env, "", q); st != http.StatusUnauthorized {
		t.Errorf("no key: %d", st)
	}
	if st, b := env.API(http.MethodGet, "/api/v1/orders/"+o.Number, key, ""); st != http.StatusForbidden {
		t.Errorf("assistant's key reads an order: %d %s", st, b)
	}
	for _, tc := range []struct {
		body   string
		fields []string
	}{
		{`{"email": "ana@example.com"}`, []string{"order"}},
		{`{"order": "  ", "email": "ana@example.com"}`, []string{"order"}},
		{`{"order": "#1042"}`, []string{"email", "postal_code"}},
		{`{"order": "#1042", "email": " ", "postal_code": ""}`, []string{"email", "postal_code"}},
		{`{"order": "#1042", "email": "ana@example.com", "postal_code": "69002"}`, []string{"email", "postal_code"}},
		{`{"order": "#1042", "email": "ana@example.com\udc00"}`, []string{"email"}},
		{`{"order": "#10\u000742", "email": "ana@example.com"}`, []string{"order"}},
		{`{"order": "` + strings.Repeat("1", 65) + `", "email": "ana@example.com"}`, []string{"order"}},
		{`{"order": "#1042", "postal_code": "` + strings.Repeat("9", 33) + `"}`, []string{"postal_code"}},
		{`{"order": 1042, "email": "ana@example.com"}`, []string{"order"}},
	} {
		st, b := ask(env, key, tc.body)
		var e struct {
			Error struct{ Fields map[string]string }
		}
		_ = json.Unmarshal([]byte(b), &e)
		if st != http.StatusUnprocessableEntity || !slices.Equal(slices.Sorted(func(y func(string) bool) {
			for k := range e.Error.Fields {
				if !y(k) {
					return
				}
			}
		}), tc.fields) {
			t.Errorf("%s: %d %s, want 422 naming %v", tc.body, st, b, tc.fields)
		}
	}
	for _, e := range reread(t, env, o.Number).Events {
		if e.Kind == "status_given" {
			t.Errorf("a refused question is on the timeline: %q", e.Message)
		}
	}
}

// TestAssistantKeyHoldsNoOtherScope: on the API keys page, wismo:read with
// another scope is refused naming scopes; alone it is made, and the page
// shows how to call it.
func TestAssistantKeyHoldsNoOtherScope(t *testing.T) {
	env := wismoEnv(t, nil)
	admin, _ := env.SignedIn(app.RoleAdmin)
	res := admin.PostForm("/admin/apikeys", map[string][]string{"name": {"Chat vendor"}, "scopes": {accounts.WismoScope, "orders:read"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "holds no other scope") {
		t.Errorf("wismo:read with orders:read: %d", res.StatusCode)
	}
	res = admin.PostForm("/admin/apikeys", map[string][]string{"name": {"Chat vendor"}, "scopes": {accounts.WismoScope}, "channel": {"web-eu"}})
	if res.StatusCode != http.StatusCreated || !strings.Contains(res.Body, "/api/v1/wismo") {
		t.Errorf("assistant's key: %d", res.StatusCode)
	}
	_, _, err := env.Svc.Accounts.CreateAPIKey(context.Background(), app.System,
		accounts.NewAPIKey{Name: "mixed", Scopes: []string{"returns:write", accounts.WismoScope}})
	if f := fieldsOf(err); f["scopes"] == "" {
		t.Errorf("mixed key: %v", err)
	}
}

// fieldsOf is the field errors of err, nil for none.
func fieldsOf(err error) map[string]string {
	var ae *app.Error
	if !errors.As(err, &ae) {
		return nil
	}
	return ae.Fields
}
