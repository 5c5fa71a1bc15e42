package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/returns"
	"switchyard/web/webtest"
)

// A decline's reason and a confirmed refund's channel id are text of a
// bounded length: anything else is a 422 naming the field, and nothing changes.
func TestReturnActionsRefuseNonTextAndOverlongFields(t *testing.T) {
	env := returnsNet(t)
	o := deliveredOrder(t, env, "rv-1", 2)
	no := false
	req, _, err := env.Svc.Returns.Create(context.Background(), supportActor, o.Number, returns.NewReturn{Resolution: "refund",
		Location: "LYS", Approve: &no, Lines: []returns.LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "too_small"}}})
	if err != nil {
		t.Fatal(err)
	}
	support, _ := env.SignedIn(app.RoleSupport)
	for name, reason := range map[string]string{"NUL": "late\x00", "not UTF-8": "bad \xff\xfe", "escape": "x\x1b[31m"} {
		res := support.PostForm("/returns/"+req.Number+"/decline", url.Values{"reason": {reason}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="reason"`) {
			t.Errorf("decline with a %s reason = %d", name, res.StatusCode)
		}
	}
	if r, err := env.Svc.Returns.Get(context.Background(), app.Everywhere, req.Number); err != nil || r.Status != returns.StatusRequested {
		t.Fatalf("after refused declines: %v %v", r.Status, err)
	}
	// A refund the channel ("api": Switchyard cannot ask it) makes by hand.
	ap := approvedReturn(t, env, deliveredOrder(t, env, "rv-2", 1), 1)
	if res := support.PostForm("/returns/"+ap.Number+"/refund", url.Values{"amount": {""}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refund = %d %s", res.StatusCode, res.Body)
	}
	r, err := env.Svc.Returns.Get(context.Background(), app.Everywhere, ap.Number)
	if err != nil || len(r.Refunds) != 1 || r.Refunds[0].Status != returns.RefundPending {
		t.Fatalf("refunds: %+v %v", r.Refunds, err)
	}
	id := itoa(r.Refunds[0].ID)
	for name, ext := range map[string]string{"NUL": "re\x00f", "newline": "ref\n1", "too long": strings.Repeat("r", 201)} {
		res := support.PostForm("/returns/"+ap.Number+"/confirm-refund", url.Values{"refund": {id}, "external_id": {ext}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="external_id"`) {
			t.Errorf("confirm with a %s id = %d", name, res.StatusCode)
		}
	}
	if r, err := env.Svc.Returns.Get(context.Background(), app.Everywhere, ap.Number); err != nil || r.Refunds[0].Status != returns.RefundPending {
		t.Fatalf("after refused confirmations: %+v %v", r.Refunds, err)
	}
	res := support.PostForm("/returns/"+ap.Number+"/confirm-refund", url.Values{"refund": {id}, "external_id": {"re_123"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm = %d %s", res.StatusCode, res.Body)
	}
}

// secondOrder takes in and delivers SY-000002 (as orderBody, another
// external id) and answers its first line's id.
func secondOrder(t *testing.T, env *webtest.Env, key string) int64 {
	t.Helper()
	if st, b := postOrder(t, env, key, "", strings.Replace(orderBody, `"100234"`, `"100235"`, 1)); st != http.StatusCreated {
		t.Fatalf("second order = %d %s", st, b)
	}
	return deliverOrder(t, env, "SY-000002")
}

// A channel's return id names one return of one order: the same id on
// another order of the channel is a 422 naming external_id, not the other
// order's return.
func TestAPIReturnExternalIDOfAnotherOrder(t *testing.T) {
	env, key, line := returnEnv(t)
	line2 := secondOrder(t, env, key)
	body := func(line int64) string {
		return `{"lines": [{"line": ` + itoa(line) + `, "quantity": 1, "reason": "too_small"}], "resolution": "refund", "external_id": "ext-1"}`
	}
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key, body(line)); st != http.StatusCreated {
		t.Fatalf("first = %d %s", st, b)
	}
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key, body(line)); st != http.StatusOK {
		t.Fatalf("the same again = %d %s", st, b)
	}
	st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000002/returns", key, body(line2))
	if st != http.StatusUnprocessableEntity || !strings.Contains(b, "external_id") || strings.Contains(b, `"number"`) {
		t.Fatalf("another order, the same external id = %d %s", st, b)
	}
	o2, err := env.App.OrderByNumber(context.Background(), "SY-000002")
	if err != nil {
		t.Fatal(err)
	}
	if rs, err := env.Svc.Returns.ForOrder(context.Background(), o2.ID); err != nil || len(rs) != 0 {
		t.Fatalf("SY-000002 returns: %+v %v", rs, err)
	}
}

// An Idempotency-Key answers the same request again: the same body sent to
// another order is not that request, and gets no other order's return.
func TestAPIReturnIdempotencyKeyNamesTheOrder(t *testing.T) {
	env, key, line := returnEnv(t)
	secondOrder(t, env, key)
	body := `{"lines": [{"line": ` + itoa(line) + `, "quantity": 1, "reason": "too_small"}], "resolution": "refund"}`
	send := func(path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, env.Server.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "k-1")
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
	if st, b := send("/api/v1/orders/SY-000001/returns"); st != http.StatusCreated {
		t.Fatalf("first = %d %s", st, b)
	}
	if st, b := send("/api/v1/orders/SY-000002/returns"); st != http.StatusUnprocessableEntity || strings.Contains(b, "RT-000001") {
		t.Fatalf("same key and body, another order = %d %s", st, b)
	}
}

// The counter checks the customer's proof; a lead guessing postal codes
// is stopped as a customer would be (429), even with the right one then.
func TestCounterProofAttemptsAreLimited(t *testing.T) {
	env := returnsNet(t)
	o := deliveredOrder(t, env, "C1", 2)
	lead, _ := env.SignedIn(app.RoleWarehouse, "PAR")
	for i := range returns.MaxAttemptsPerToken {
		guess := url.Values{"step": {"find"}, "order": {o.Number}, "proof": {fmt.Sprintf("%05d", 10000+i)}}
		if res := lead.PostForm("/locations/PAR/returns/counter", guess); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d = %d", i, res.StatusCode)
		}
	}
	right := url.Values{"step": {"find"}, "order": {o.Number}, "proof": {"69002"}}
	if res := lead.PostForm("/locations/PAR/returns/counter", right); res.StatusCode != http.StatusTooManyRequests ||
		strings.Contains(res.Body, `data-sku="TEE"`) {
		t.Fatalf("after %d guesses = %d", returns.MaxAttemptsPerToken, res.StatusCode)
	}
	env.Clock.Advance(returns.CustomerAttemptWindow + time.Minute)
	if res := lead.PostForm("/locations/PAR/returns/counter", right); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-sku="TEE"`) {
		t.Fatalf("an hour later = %d", res.StatusCode)
	}
}

// A return whose refund went out (before the goods came back) cannot be
// cancelled: the customer would keep the goods and the money.
func TestCancelAfterARefundIsRefused(t *testing.T) {
	env := returnsNet(t)
	ap := approvedReturn(t, env, deliveredOrder(t, env, "rv-3", 1), 1)
	support, _ := env.SignedIn(app.RoleSupport)
	if res := support.PostForm("/returns/"+ap.Number+"/refund", url.Values{"amount": {"4"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refund = %d %s", res.StatusCode, res.Body)
	}
	res := support.PostForm("/returns/"+ap.Number+"/cancel", url.Values{})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "refund") {
		t.Fatalf("cancel after a refund = %d", res.StatusCode)
	}
	if r, err := env.Svc.Returns.Get(context.Background(), app.Everywhere, ap.Number); err != nil || r.Status != returns.StatusApproved {
		t.Fatalf("after the refused cancel: %v %v", r.Status, err)
	}
}

// Refund amounts the API refuses: each a 422 naming amount, nothing written.
func TestAPIRefundAmountsRefused(t *testing.T) {
	env, key, line := returnEnv(t)
	body := `{"lines": [{"line": ` + itoa(line) + `, "quantity": 1, "reason": "too_small"}], "resolution": "refund", "approve": true}`
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key, body); st != http.StatusCreated {
		t.Fatalf("create = %d %s", st, b)
	}
	for _, amount := range []string{`"1e3"`, `1e3`, `"0.001"`, `"-1"`, `-1`, `"19.91"`, `"99999999999999999999"`, `0`, `"0"`,
		`" 1"`, `"1,00"`, `"NaN"`, `true`, `{}`, `"١٢"`} {
		st, b := env.API(http.MethodPost, "/api/v1/returns/RT-000001/refund", key, `{"amount": `+amount+`}`)
		if st != http.StatusUnprocessableEntity && st != http.StatusBadRequest {
			t.Errorf("amount %s = %d %s", amount, st, b)
		}
	}
	r, err := env.Svc.Returns.Get(context.Background(), app.Everywhere, "RT-000001")
	if err != nil || len(r.Refunds) != 0 {
		t.Fatalf("refunds after refused amounts: %+v %v", r.Refunds, err)
	}
	if st, b := env.API(http.MethodPost, "/api/v1/returns/RT-000001/refund", key, `{"amount": "19.90"}`); st != http.StatusOK {
		t.Fatalf("refund = %d %s", st, b)
	}
	if st, b := env.API(http.MethodPost, "/api/v1/returns/RT-000001/refund", key, `{"amount": "0.01"}`); st != http.StatusUnprocessableEntity {
		t.Fatalf("a second refund beyond what is due = %d %s", st, b)
	}
}

// An exchange is placed at no charge: it sends no more units than come back.
func TestAPIExchangeSendsNoMoreThanComesBack(t *testing.T) {
	env, key, line := returnEnv(t)
	body := `{"lines": [{"line": ` + itoa(line) + `, "quantity": 1, "reason": "too_small"}], "resolution": "exchange", "approve": true,
	 "exchange_lines": [{"sku": "TEE-BLK-M", "quantity": 1}, {"sku": "TEE-BLK-M", "quantity": 4}]}`
	st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key, body)
	if st != http.StatusUnprocessableEntity || !strings.Contains(b, "exchange_lines") {
		t.Fatalf("1 back, 5 out = %d %s", st, b)
	}
	if rs, err := env.Svc.Returns.ForOrder(context.Background(), 1); err != nil || len(rs) != 0 {
		t.Fatalf("returns: %+v %v", rs, err)
	}
	if _, err := env.App.OrderByNumber(context.Background(), "SY-000002"); app.ErrorKind(err) != app.KindNotFound {
		t.Fatalf("an exchange order was placed: %v", err)
	}
	body = strings.Replace(body, `, {"sku": "TEE-BLK-M", "quantity": 4}`, "", 1)
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key, body); st != http.StatusCreated {
		t.Fatalf("1 back, 1 out = %d %s", st, b)
	}
}

// An exchanged return is not refunded as well while its exchange order stands.
func TestAPIRefundOfAnExchangeIsRefused(t *testing.T) {
	env, key, line := returnEnv(t)
	body := `{"lines": [{"line": ` + itoa(line) + `, "quantity": 1, "reason": "too_small"}], "resolution": "exchange", "approve": true,
	 "exchange_lines": [{"sku": "TEE-BLK-M", "quantity": 1}]}`
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key, body); st != http.StatusCreated {
		t.Fatalf("create = %d %s", st, b)
	}
	st, b := env.API(http.MethodPost, "/api/v1/returns/RT-000001/refund", key, `{"amount": "19.90"}`)
	if st != http.StatusConflict || !strings.Contains(b, "SY-000002") {
		t.Fatalf("refund of an exchange = %d %s", st, b)
	}
	if r, err := env.Svc.Returns.Get(context.Background(), app.Everywhere, "RT-000001"); err != nil || len(r.Refunds) != 0 {
		t.Fatalf("refunds: %+v %v", r.Refunds, err)
	}
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000002/cancel", key, `{"reason": "out of stock"}`); st != http.StatusOK {
		t.Fatalf("cancel the exchange = %d %s", st, b)
	}
	if st, b := env.API(http.MethodPost, "/api/v1/returns/RT-000001/refund", key, `{"amount": "19.90"}`); st != http.StatusOK {
		t.Fatalf("refund once the exchange is cancelled = %d %s", st, b)
	}
}

// A quantity that is not a number on the customer's form is named, not
// dropped while the other lines go back.
func TestCustomerReturnQuantityNotANumber(t *testing.T) {
	env := ordEnv(t)
	o := retDelivered(t, env, "rv-c1")
	token := trackingToken(t, env, o.Number)
	cust := env.Client()
	form := url.Values{"step": {"start"}, "proof": {"69002"}, "resolution": {"refund"},
		"line": {itoa(o.Lines[0].ID), itoa(o.Lines[1].ID)}, "quantity": {"1", "one"}, "reason": {"too_small", "damaged"}}
	res := cust.PostForm("/t/"+token+"/return", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "line."+itoa(o.Lines[1].ID)+".quantity") {
		t.Fatalf("a quantity that is not a number = %d\n%s", res.StatusCode, res.Body)
	}
	if n := returnCount(t, env, o); n != 0 {
		t.Fatalf("%d returns written", n)
	}
}

// Notes are limited in characters, as the forms' maxlength counts them, not
// in bytes: 600 accented characters are a note of 1000 at most.
func TestAPIReturnNotesCountCharacters(t *testing.T) {
	env, key, line := returnEnv(t)
	note, lineNote := strings.Repeat("é", 600), strings.Repeat("ü", 400)
	body := `{"lines": [{"line": ` + itoa(line) + `, "quantity": 1, "reason": "too_small", "note": "` + lineNote + `"}],
	 "resolution": "refund", "note": "` + note + `"}`
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key, body); st != http.StatusCreated {
		t.Fatalf("600 accented characters = %d %s", st, b)
	}
	body = strings.Replace(body, `"too_small", "note": "`, `"too_small", "note": "ü`+strings.Repeat("ü", 100), 1)
	if st, b := env.API(http.MethodPost, "/api/v1/orders/SY-000001/returns", key, body); st != http.StatusUnprocessableEntity ||
		!strings.Contains(b, "lines[0].note") {
		t.Fatalf("501 characters = %d %s", st, b)
	}
}

// TestReturnRulesAreLinkedForThoseWhoEditThem: ops find the return rules from
// the returns list; support, who may not edit them, see no link.
func TestReturnRulesAreLinkedForThoseWhoEditThem(t *testing.T) {
	env := ordEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	if page := ops.Get("/returns"); !strings.Contains(page.Body, `href="/returns/rules"`) {
		t.Error("the returns list does not link the return rules for ops")
	}
	support, _ := env.SignedIn(app.RoleSupport)
	if page := support.Get("/returns"); strings.Contains(page.Body, `href="/returns/rules"`) {
		t.Error("the returns list links the return rules for support")
	}
}

// TestDockWritesTimesInTheLocationsZone: a location's returns page writes
// when a return was approved in the location's zone, whatever the viewer's.
func TestDockWritesTimesInTheLocationsZone(t *testing.T) {
	env := returnsNet(t) // LYS is in Europe/Paris
	o := deliveredOrder(t, env, "Z1", 1)
	approvedReturn(t, env, o, 1)
	lead, _ := env.SignedIn(app.RoleWarehouse, "LYS")
	page := lead.Get("/locations/LYS/returns")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "CET") {
		t.Fatalf("the dock page (%d) does not write its times in Paris time (CET)", page.StatusCode)
	}
}
