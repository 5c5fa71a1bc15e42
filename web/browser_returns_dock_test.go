package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"switchyard/app"
	"switchyard/app/returns"
	"switchyard/web/browsertest"
)

// TestBrowserCustomerStartsReturn: the customer opens the tracking page of a
// delivered order, follows "Return items", gives their postal code, picks a
// line and a reason, and sees the confirmation with where to send the parcel.
func TestBrowserCustomerStartsReturn(t *testing.T) {
	b := browsertest.New(t)
	env := returnsNet(t)
	o := deliveredOrder(t, env, "b-1", 2)
	if _, err := env.Svc.Returns.SetPolicy(context.Background(), app.Actor{Kind: app.ActorUser, Name: "O", Role: app.RoleOps}, "web",
		returns.Policy{WindowDays: 30, RefundShipping: "whole_order"}); err != nil {
		t.Fatal(err)
	}
	token := trackingToken(t, env, o.Number)
	if st := b.Open(env.Server.URL + "/t/" + token); st != http.StatusOK {
		t.Fatalf("tracking page answered %d", st)
	}
	if st := b.Follow("follow Return items", chromedp.Click(chromedp.CSS(`[data-testid=return-items]`))); st != http.StatusOK {
		t.Fatalf("return page answered %d", st)
	}
	b.Do("type the postal code", chromedp.SendKeys(chromedp.CSS(`[data-testid=proof]`), "69 002"))
	if st := b.Follow("continue", chromedp.Click(chromedp.CSS(`[data-testid=proof-go]`))); st != http.StatusOK {
		t.Fatalf("proof answered %d:\n%s", st, b.Text(`main`))
	}
	b.Do("pick one unit and a reason",
		chromedp.SetValue(chromedp.CSS(`[data-testid=return-quantity]`), "1"),
		chromedp.SetValue(chromedp.CSS(`[data-testid=return-reason]`), "too_large"))
	if st := b.Follow("start the return", chromedp.Click(chromedp.CSS(`[data-testid=return-go]`))); st != http.StatusCreated {
		t.Fatalf("start answered %d:\n%s", st, b.Text(`main`))
	}
	if got := b.Text(`[data-testid=next-step]`); !strings.Contains(got, "approved") {
		t.Errorf("next step says %q", got)
	}
	if got := b.Text(`[data-testid=return-address]`); !strings.Contains(got, "Lyon warehouse") || !strings.Contains(got, "1 rue de la Gare") {
		t.Errorf("address says %q", got)
	}
	if got := b.Text(`[data-testid=refund-expected]`); !strings.Contains(got, "EUR 10.00") {
		t.Errorf("refund says %q", got)
	}
	rs, err := env.Svc.Returns.ForOrder(context.Background(), o.ID)
	if err != nil || len(rs) != 1 || rs[0].Lines[0].Quantity != 1 || rs[0].Lines[0].Reason != "too_large" {
		t.Fatalf("returns %+v %v", rs, err)
	}
}

// TestBrowserLeadReceivesWithTwoDispositions: a warehouse lead opens the
// location's returns, types the SKU and Enter, adds a row, and receives one
// unit as restock and one as quarantine; the stock rose by one.
func TestBrowserLeadReceivesWithTwoDispositions(t *testing.T) {
	b := browsertest.New(t)
	env := returnsNet(t)
	o := deliveredOrder(t, env, "b-1", 2)
	r := approvedReturn(t, env, o, 2)
	before := onHandAt(t, env, "LYS", "TEE")
	u, password := env.AddUser(app.RoleWarehouse, "LYS")
	if st := b.Open(env.Server.URL + "/login"); st != http.StatusOK {
		t.Fatalf("login answered %d", st)
	}
	b.Do("sign in", chromedp.SendKeys(chromedp.ID("email"), u.Email), chromedp.SendKeys(chromedp.ID("password"), password))
	b.Follow("submit", chromedp.Click(browsertest.Find("button[type=submit]", "Sign in")))
	if st := b.Open(env.Server.URL + "/locations/LYS/queue"); st != http.StatusOK {
		t.Fatalf("queue answered %d", st)
	}
	if st := b.Follow("open the returns", chromedp.Click(chromedp.CSS(`[data-testid=returns-link]`))); st != http.StatusOK {
		t.Fatalf("returns page answered %d", st)
	}
	if st := b.Follow("scan the SKU", chromedp.SendKeys(chromedp.CSS(`[data-testid=scan]`), "TEE"+kb.Enter)); st != http.StatusOK {
		t.Fatalf("scan answered %d:\n%s", st, b.Text(`main`))
	}
	row := func(n int, field string) string {
		return `[data-testid=receive-form] tbody tr:nth-child(` + itoa(int64(n)) + `) [data-testid=row-` + field + `]`
	}
	b.Do("the scan counted one", chromedp.WaitVisible(chromedp.CSS(row(1, "quantity")+`[value="1"]`)))
	if st := b.Follow("add a row", chromedp.Click(chromedp.CSS(`[data-testid=add-row]`))); st != http.StatusOK {
		t.Fatalf("add a row answered %d", st)
	}
	b.Do("one more unit, quarantined",
		chromedp.SetValue(chromedp.CSS(row(2, "line")), itoa(r.Lines[0].OrderLineID)),
		chromedp.SendKeys(chromedp.CSS(row(2, "quantity")), "1"),
		chromedp.SetValue(chromedp.CSS(row(2, "disposition")), "quarantine"))
	if st := b.Follow("receive", chromedp.Click(chromedp.CSS(`[data-testid=receive]`))); st != http.StatusOK {
		t.Fatalf("receive answered %d:\n%s", st, b.Text(`main`))
	}
	if got := b.Text(`[data-testid=notice]`); !strings.Contains(got, r.Number) {
		t.Errorf("notice says %q", got)
	}
	if got := onHandAt(t, env, "LYS", "TEE"); got != before+1 {
		t.Errorf("on hand %d, want %d", got, before+1)
	}
	got, err := env.Svc.Returns.Get(context.Background(), app.Everywhere, r.Number)
	if err != nil || len(got.Lines[0].Dispositions) != 2 {
		t.Fatalf("return %+v %v: want two dispositions", got.Lines, err)
	}
}
