package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"switchyard/app"
	"switchyard/app/returns"
	"switchyard/web/webtest"
)

// trackingToken reads the order's tracking token.
func trackingToken(t *testing.T, env *webtest.Env, number string) string {
	t.Helper()
	o, err := env.App.Read().GetOrderByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return o.TrackingToken
}

// returnCount is how many returns the order has.
func returnCount(t *testing.T, env *webtest.Env, o app.Order) int {
	t.Helper()
	rs, err := env.Svc.Returns.ForOrder(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return len(rs)
}

func TestCustomerReturnFromTrackingPage(t *testing.T) {
	env := returnsNet(t)
	o := deliveredOrder(t, env, "c-1", 2)
	token := trackingToken(t, env, o.Number)
	cust := env.Client()
	page := cust.Get("/t/" + token)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `href="/t/`+token+`/return"`) {
		t.Fatalf("tracking page: status %d, want the Return items link\n%s", page.StatusCode, page.Body)
	}
	if res := cust.Get("/t/" + token + "/return"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `name="proof"`) {
		t.Fatalf("return page: status %d\n%s", res.StatusCode, res.Body)
	}
	res := cust.PostForm("/t/"+token+"/return", url.Values{"step": {"proof"}, "proof": {" 69 002 "}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="return-line"`) {
		t.Fatalf("proof by postal code: status %d\n%s", res.StatusCode, res.Body)
	}
	if res := cust.PostForm("/t/"+token+"/return", url.Values{"step": {"proof"}, "proof": {"CAMILLE@example.COM"}}); res.StatusCode != http.StatusOK {
		t.Fatalf("proof by email: status %d\n%s", res.StatusCode, res.Body)
	}
	line := itoa(o.Lines[0].ID)
	// A reason the shop does not offer and more than was shipped: refused, nothing written.
	if _, err := env.Svc.Returns.SetPolicy(context.Background(), app.Actor{Kind: app.ActorUser, Name: "O", Role: app.RoleOps}, "web",
		returns.Policy{WindowDays: 30, CustomerNeedsApproval: false, RefundShipping: "never", Reasons: []string{"too_small", "damaged"}}); err != nil {
		t.Fatal(err)
	}
	res = cust.PostForm("/t/"+token+"/return", url.Values{"step": {"start"}, "proof": {"69002"}, "line": {line},
		"quantity": {"3"}, "reason": {"too_small"}, "resolution": {"refund"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="line.`+line+`.quantity"`) {
		t.Fatalf("too many: status %d\n%s", res.StatusCode, res.Body)
	}
	res = cust.PostForm("/t/"+token+"/return", url.Values{"step": {"start"}, "proof": {"69002"}, "line": {line},
		"quantity": {"1"}, "reason": {"changed_mind"}, "resolution": {"refund"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="line.`+line+`.reason"`) {
		t.Fatalf("reason not offered: status %d\n%s", res.StatusCode, res.Body)
	}
	// An exchange is not the customer's to ask for here.
	res = cust.PostForm("/t/"+token+"/return", url.Values{"step": {"start"}, "proof": {"69002"}, "line": {line},
		"quantity": {"1"}, "reason": {"too_small"}, "resolution": {"exchange"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("exchange: status %d\n%s", res.StatusCode, res.Body)
	}
	if n := returnCount(t, env, o); n != 0 {
		t.Fatalf("%d returns after refusals, want 0", n)
	}
	if res := cust.PostRaw("/t/"+token+"/return", url.Values{"step": {"start"}, "proof": {"69002"}, "line": {line},
		"quantity": {"1"}, "reason": {"too_small"}, "resolution": {"refund"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("no CSRF: status %d, want 403", res.StatusCode)
	}
	res = cust.PostForm("/t/"+token+"/return", url.Values{"step": {"start"}, "proof": {"69002"}, "line": {line},
		"quantity": {"1"}, "reason": {"too_small"}, "resolution": {"refund"}})
	if res.StatusCode != http.StatusCreated || !strings.Contains(res.Body, "Lyon warehouse") ||
		!strings.Contains(res.Body, "1 rue de la Gare") || !strings.Contains(res.Body, "EUR 10.00") {
		t.Fatalf("start: status %d, want the address and the refund\n%s", res.StatusCode, res.Body)
	}
	rs, err := env.Svc.Returns.ForOrder(context.Background(), o.ID)
	if err != nil || len(rs) != 1 || rs[0].StartedBy != returns.OriginCustomer || rs[0].Status != returns.StatusApproved {
		t.Fatalf("returns %+v %v, want one approved from the customer", rs, err)
	}
	page = cust.Get("/t/" + token)
	if !strings.Contains(page.Body, rs[0].Number) || !strings.Contains(page.Body, "approved: send the parcel to Lyon warehouse") {
		t.Errorf("tracking page lacks the return:\n%s", page.Body)
	}
}

func TestCustomerReturnNeedsApprovalSaysSo(t *testing.T) {
	env := returnsNet(t)
	o := deliveredOrder(t, env, "c-1", 1)
	token := trackingToken(t, env, o.Number)
	cust := env.Client()
	res := cust.PostForm("/t/"+token+"/return", url.Values{"step": {"start"}, "proof": {"camille@example.com"},
		"line": {itoa(o.Lines[0].ID)}, "quantity": {"1"}, "reason": {"too_small"}, "resolution": {"store_credit"}})
	if res.StatusCode != http.StatusCreated || !strings.Contains(res.Body, "will look at your request and email you") {
		t.Fatalf("status %d\n%s", res.StatusCode, res.Body)
	}
	// Nothing more to return: the tracking page offers no link.
	if page := cust.Get("/t/" + token); strings.Contains(page.Body, `data-testid="return-items"`) {
		t.Errorf("link offered with nothing returnable:\n%s", page.Body)
	}
}

func TestCustomerReturnWrongProofTellsNothing(t *testing.T) {
	env := returnsNet(t)
	o := deliveredOrder(t, env, "c-1", 1)
	token := trackingToken(t, env, o.Number)
	fake := strings.Repeat("x", len(token))
	cust := env.Client()
	var bodies []string
	for _, tok := range []string{token, fake} {
		res := cust.PostForm("/t/"+tok+"/return", url.Values{"step": {"start"}, "proof": {"75001"},
			"line": {itoa(o.Lines[0].ID)}, "quantity": {"1"}, "reason": {"too_small"}, "resolution": {"refund"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("token %s: status %d, want 422\n%s", tok, res.StatusCode, res.Body)
		}
		bodies = append(bodies, strings.ReplaceAll(res.Body, tok, "TOKEN"))
	}
	if bodies[0] != bodies[1] {
		t.Errorf("the answers differ between a real and an unknown token:\n%s\n---\n%s", bodies[0], bodies[1])
	}
	if res := cust.PostForm("/t/"+token+"/return", url.Values{"step": {"proof"}, "proof": {""}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("empty proof: status %d, want 422", res.StatusCode)
	}
	if n := returnCount(t, env, o); n != 0 {
		t.Errorf("%d returns written, want 0", n)
	}
	if res := cust.Get("/t/" + fake + "/return"); res.StatusCode != http.StatusOK {
		t.Errorf("proof page of an unknown token: status %d, want 200 like any", res.StatusCode)
	}
}

func TestCustomerReturnRateLimitCannotBeRaced(t *testing.T) {
	env := returnsNet(t)
	o := deliveredOrder(t, env, "c-1", 1)
	token := trackingToken(t, env, o.Number)
	cust := env.Client()
	csrf := cust.CSRF()
	const tries = 3 * returns.MaxAttemptsPerToken
	codes := make([]int, tries)
	var wg sync.WaitGroup
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := cust.PostRaw("/t/"+token+"/return", url.Values{"_csrf": {csrf}, "step": {"proof"}, "proof": {"wrong"}})
			codes[i] = res.StatusCode
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	if count[http.StatusUnprocessableEntity] != returns.MaxAttemptsPerToken || count[http.StatusTooManyRequests] != tries-returns.MaxAttemptsPerToken {
		t.Fatalf("answers %v: want %d wrong proofs and the rest 429", count, returns.MaxAttemptsPerToken)
	}
	// Even the right proof waits now; an hour later it passes.
	res := cust.PostForm("/t/"+token+"/return", url.Values{"step": {"proof"}, "proof": {"69002"}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("right proof while limited: status %d, want 429 with Retry-After", res.StatusCode)
	}
	env.Clock.Advance(returns.CustomerAttemptWindow + 1)
	if res := cust.PostForm("/t/"+token+"/return", url.Values{"step": {"proof"}, "proof": {"69002"}}); res.StatusCode != http.StatusOK {
		t.Fatalf("after the window: status %d", res.StatusCode)
	}
}

func TestCustomerReturnLimitPerClient(t *testing.T) {
	env := returnsNet(t)
	cust := env.Client()
	limited := false
	for i := range returns.MaxAttemptsPerClient + 1 {
		tok := strings.Repeat(string(rune('a'+i%26)), 20) + itoa(int64(i))
		res := cust.PostForm("/t/"+tok+"/return", url.Values{"step": {"proof"}, "proof": {"x"}})
		if res.StatusCode == http.StatusTooManyRequests {
			limited = i == returns.MaxAttemptsPerClient
			break
		}
	}
	if !limited {
		t.Fatal("one client trying many tokens was not limited after its allowance")
	}
}

func TestCustomerReturnOutsideWindow(t *testing.T) {
	env := returnsNet(t)
	o := deliveredOrder(t, env, "c-1", 1)
	token := trackingToken(t, env, o.Number)
	env.Clock.Advance(31 * 24 * 3600e9)
	cust := env.Client()
	if page := cust.Get("/t/" + token); strings.Contains(page.Body, `data-testid="return-items"`) {
		t.Errorf("link offered after the window:\n%s", page.Body)
	}
	res := cust.PostForm("/t/"+token+"/return", url.Values{"step": {"proof"}, "proof": {"69002"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "The 30 days to return this order ended") {
		t.Fatalf("proof after the window: status %d\n%s", res.StatusCode, res.Body)
	}
	res = cust.PostForm("/t/"+token+"/return", url.Values{"step": {"start"}, "proof": {"69002"},
		"line": {itoa(o.Lines[0].ID)}, "quantity": {"1"}, "reason": {"too_small"}, "resolution": {"refund"}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("start after the window: status %d, want 409\n%s", res.StatusCode, res.Body)
	}
	if n := returnCount(t, env, o); n != 0 {
		t.Errorf("%d returns written, want 0", n)
	}
}

func TestCustomerReturnSaysTheRefundAfterTheFee(t *testing.T) {
	env := returnsNet(t)
	o := deliveredOrder(t, env, "c-1", 2)
	if _, err := env.Svc.Returns.SetPolicy(context.Background(), app.Actor{Kind: app.ActorUser, Name: "O", Role: app.RoleOps}, "web",
		returns.Policy{WindowDays: 30, RestockingFeePct: 10, RefundShipping: "never"}); err != nil {
		t.Fatal(err)
	}
	token := trackingToken(t, env, o.Number)
	res := env.Client().PostForm("/t/"+token+"/return", url.Values{"step": {"start"}, "proof": {"69002"},
		"line": {itoa(o.Lines[0].ID)}, "quantity": {"2"}, "reason": {"too_small"}, "resolution": {"refund"}})
	if res.StatusCode != http.StatusCreated || !strings.Contains(res.Body, "EUR 18.00 back") ||
		!strings.Contains(res.Body, "restocking fee of EUR 2.00") {
		t.Fatalf("status %d, want EUR 18.00 after a fee of EUR 2.00\n%s", res.StatusCode, res.Body)
	}
}
