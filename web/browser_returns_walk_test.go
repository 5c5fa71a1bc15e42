package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"switchyard/app"
	"switchyard/app/outbox"
	"switchyard/web/browsertest"
)

// TestBrowserReturnsWalk follows a delivered order's returns through the
// pages people click: support starts an exchange of a tee and a refund of
// the mug on the order page; the Lyon lead receives both, one unit restocked
// and one quarantined; the refund goes out (the refund.created webhook is
// delivered, and support confirms on the return's page that the shop made
// it); and the lead ships the exchange order from the queue.
func TestBrowserReturnsWalk(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := ordEnv(t)
	ctx := context.Background()
	var mu sync.Mutex
	var hooks []string
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		hooks = append(hooks, string(body))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()
	if _, _, err := env.Svc.Outbox.CreateWebhookEndpoint(ctx, app.System, outbox.NewWebhookEndpoint{URL: receiver.URL + "/hook",
		Events: []string{app.EventRefundCreated}}); err != nil {
		t.Fatal(err)
	}
	o := retDelivered(t, env, "W1") // two black tees M and a mug
	agent, agentPassword := env.AddUser(app.RoleSupport)
	lead, leadPassword := env.AddUser(app.RoleWarehouse, "LYS-WH")

	// 1. Support: an exchange of one tee for a white tee S, then a refund of the mug.
	signIn(t, b, env.Server.URL, agent.Email, agentPassword)
	startReturn := func(what string, line int, reason, resolution string, more ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if st := b.Open(env.Server.URL + "/orders/" + o.Number); st != http.StatusOK {
			t.Fatalf("the order page answered %d", st)
		}
		id := "return-lines-" + itoa(int64(line))
		actions := []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid=toggle-start-return] summary`)),
			chromedp.WaitVisible(chromedp.ID(id + "-quantity")),
			chromedp.SendKeys(chromedp.ID(id+"-quantity"), "1"),
			chromedp.SetValue(chromedp.ID(id+"-reason"), reason),
			chromedp.SetValue(chromedp.ID("return-resolution"), resolution),
		}
		b.Do(what, append(actions, more...)...)
		if st := b.Follow("start the return", chromedp.Click(browsertest.Find("button[type=submit]", "Start the return"))); st != http.StatusOK || b.Path() != "/orders/"+o.Number {
			t.Fatalf("%s ended with %d on %s; page says:\n%s", what, st, b.Path(), b.Text(`main`))
		}
	}
	startReturn("an exchange of a tee", 0, "too_small", "exchange",
		chromedp.SendKeys(chromedp.ID("exchange-0-sku"), "TEE-WHT-S"), chromedp.SendKeys(chromedp.ID("exchange-0-quantity"), "1"))
	exchange := b.Text(`[data-testid=exchange-order] code`)
	if !strings.HasPrefix(exchange, "SY-") {
		t.Fatalf("the order page links no exchange order: %q", exchange)
	}
	startReturn("a refund of the mug", 1, "damaged", "refund")
	numbers := b.Texts(`tr[data-testid=order-return] td:first-child code`)
	if len(numbers) != 2 {
		t.Fatalf("the order page lists returns %q, want two", numbers)
	}
	exchangeReturn, mugReturn := numbers[0], numbers[1]
	if st := b.Open(env.Server.URL + "/orders/" + exchange); st != http.StatusOK {
		t.Fatalf("the exchange order answered %d", st)
	}
	if got := b.Text(`[data-testid=exchange-of]`); !strings.Contains(got, exchangeReturn) {
		t.Errorf("the exchange order says %q, want it to name %s", got, exchangeReturn)
	}
	b.Follow("sign out", chromedp.Click(browsertest.Find("header.top button", "Sign out")))

	// 2. The lead receives both: the tee back on the shelf, the mug quarantined.
	signIn(t, b, env.Server.URL, lead.Email, leadPassword)
	receive := func(number, sku, disposition string) {
		t.Helper()
		if st := b.Open(env.Server.URL + "/locations/LYS-WH/returns"); st != http.StatusOK {
			t.Fatalf("the location's returns answered %d", st)
		}
		form := `[data-testid=expected-return][data-return="` + number + `"] `
		if st := b.Follow("scan "+sku, chromedp.SendKeys(chromedp.CSS(form+`[data-testid=scan]`), sku+kb.Enter)); st != http.StatusOK {
			t.Fatalf("scanning %s answered %d:\n%s", sku, st, b.Text(`main`))
		}
		b.Do("choose "+disposition, chromedp.WaitVisible(chromedp.CSS(form+`[data-testid=row-quantity][value="1"]`)),
			chromedp.SetValue(chromedp.CSS(form+`[data-testid=row-disposition]`), disposition))
		if st := b.Follow("receive "+number, chromedp.Click(chromedp.CSS(form+`[data-testid=receive]`))); st != http.StatusOK {
			t.Fatalf("receiving %s answered %d:\n%s", number, st, b.Text(`main`))
		}
		if got := b.Text(`[data-testid=notice]`); !strings.Contains(got, number) {
			t.Errorf("after receiving %s the notice says %q", number, got)
		}
	}
	receive(exchangeReturn, "TEE-BLK-M", "restock")
	receive(mugReturn, "MUG-WHT", "quarantine")

	// 3. The refund goes out: the webhook carries it, and support confirms it was made.
	if _, err := env.Svc.Outbox.DispatchDue(ctx, outbox.DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	sent := strings.Join(hooks, "\n")
	mu.Unlock()
	var hook struct {
		Type string `json:"type"`
		Data struct {
			Refund struct{ Amount, Return string } `json:"refund"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(strings.SplitN(sent, "\n", 2)[0]), &hook); err != nil || hook.Type != "refund.created" ||
		hook.Data.Refund.Amount != "9.50" || hook.Data.Refund.Return != mugReturn {
		t.Fatalf("the refund webhook carried %s (%v)", sent, err)
	}
	b.Follow("sign out", chromedp.Click(browsertest.Find("header.top button", "Sign out")))
	signIn(t, b, env.Server.URL, agent.Email, agentPassword)
	if st := b.Open(env.Server.URL + "/returns/" + mugReturn); st != http.StatusOK {
		t.Fatalf("the return's page answered %d", st)
	}
	if got := b.Text(`tr[data-testid=refund]`); !strings.Contains(got, "EUR 9.50") || !strings.Contains(got, "pending") {
		t.Errorf("the refund reads %q, want EUR 9.50 pending", got)
	}
	if st := b.Follow("confirm the refund", chromedp.SendKeys(chromedp.CSS(`[data-testid=action-confirm-refund] input[name=external_id]`), "re_123"),
		chromedp.Click(chromedp.CSS(`[data-testid=action-confirm-refund] button[type=submit]`))); st != http.StatusOK {
		t.Fatalf("confirming the refund answered %d:\n%s", st, b.Text(`main`))
	}
	if got := b.Text(`h1 [data-testid=return-status]`); got != "closed" {
		t.Errorf("after the refund the return is %q, want closed", got)
	}
	b.Follow("sign out", chromedp.Click(browsertest.Find("header.top button", "Sign out")))

	// 4. The exchange ships from the queue like any order.
	signIn(t, b, env.Server.URL, lead.Email, leadPassword)
	if st := b.Open(env.Server.URL + "/locations/LYS-WH/queue"); st != http.StatusOK {
		t.Fatalf("the queue answered %d", st)
	}
	row := `tr[data-testid=fulfillment][data-order="` + exchange + `"]`
	b.Do("accept the exchange", chromedp.Click(chromedp.CSS(row+` [data-testid=action-accept] button[type=submit]`)))
	floorWait(t, b, "the accepted notice shows",
		`document.querySelector("#queue [data-testid=notice]")?.textContent.includes("Accepted") === true`)
	if st := b.Follow("open the Accepted tab", chromedp.Click(chromedp.CSS(`[data-testid=queue-tabs] a[data-status=accepted]`))); st != http.StatusOK {
		t.Fatalf("the Accepted tab answered %d", st)
	}
	if st := b.Follow("click Confirm shipment", chromedp.Click(browsertest.Find(row+` [data-testid=ship-link]`, "Confirm shipment"))); st != http.StatusOK {
		t.Fatalf("Confirm shipment answered %d", st)
	}
	b.Do("fill the shipment", chromedp.WaitVisible(chromedp.CSS(`[data-testid=ship-form]`)),
		chromedp.SetValue(chromedp.ID("ship-carrier"), "ups"), chromedp.SendKeys(chromedp.ID("ship-tracking"), "1Z5R89390357567127"))
	if st := b.Follow("submit the shipment", chromedp.Click(browsertest.Find(`[data-testid=ship-form] button[type=submit]`, "Confirm shipment"))); st != http.StatusOK {
		t.Fatalf("shipping the exchange ended with %d on %s:\n%s", st, b.Path(), b.Text(`main`))
	}
	x, err := env.App.OrderByNumber(ctx, exchange)
	if err != nil || x.Status != app.StatusShipped || x.Total != 0 {
		t.Fatalf("the exchange order is %s (total %d, %v), want shipped at no charge", x.Status, x.Total, err)
	}
	orig, err := env.App.OrderByNumber(ctx, o.Number)
	if err != nil || orig.Status != app.StatusPartiallyReturned {
		t.Fatalf("the original order is %s (%v), want partially returned", orig.Status, err)
	}
	if errs := b.Exceptions(); len(errs) > 0 {
		t.Errorf("JavaScript exceptions: %q", errs)
	}
}
