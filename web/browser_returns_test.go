package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// TestBrowserSupportStartsAReturn: a support agent opens a delivered order,
// starts a return of one tee from the order page, finds it on /returns and on
// its own page (approved, as staff's returns start), and the order page then
// lists it and tells the customer where to send it.
func TestBrowserSupportStartsAReturn(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := ordEnv(t)
	o := retDelivered(t, env, "R900")
	support, password := env.AddUser(app.RoleSupport)
	signIn(t, b, env.Server.URL, support.Email, password)

	if st := b.Follow("click Returns in the navigation", chromedp.Click(browsertest.Find("header.top nav a", "Returns"))); st != http.StatusOK || b.Path() != "/returns" {
		t.Fatalf("the Returns link led to %s (%d)", b.Path(), st)
	}
	if got := b.Text(`[data-testid=no-returns]`); got != "No returns match." {
		t.Errorf("the empty list says %q", got)
	}
	if st := b.Open(env.Server.URL + "/orders/" + o.Number); st != http.StatusOK {
		t.Fatalf("GET the order answered %d", st)
	}
	b.Do("open the Start a return form and fill one line",
		chromedp.Click(chromedp.CSS(`[data-testid=toggle-start-return] summary`)),
		chromedp.WaitVisible(chromedp.ID("return-lines-0-quantity")),
		chromedp.SendKeys(chromedp.ID("return-lines-0-quantity"), "1"),
		chromedp.SetValue(chromedp.ID("return-lines-0-reason"), "too_small"),
		chromedp.SendKeys(chromedp.ID("return-lines-0-note"), "needs L"),
		chromedp.SetValue(chromedp.ID("return-resolution"), "refund"),
	)
	if st := b.Follow("start the return", chromedp.Click(browsertest.Find("button[type=submit]", "Start the return"))); st != http.StatusOK || b.Path() != "/orders/"+o.Number {
		t.Fatalf("starting the return ended with %d on %s; page says:\n%s", st, b.Path(), b.Text(`main`))
	}
	numbers := b.Texts(`tr[data-testid=order-return] td:first-child code`)
	if len(numbers) != 1 || !strings.HasPrefix(numbers[0], "RT-") {
		t.Fatalf("the order page lists returns %q, want one", numbers)
	}
	num := numbers[0]
	if got := b.Text(`tr[data-testid=order-return] [data-testid=return-status]`); got != "approved" {
		t.Errorf("the return on the order page is %q, want approved", got)
	}
	if got := b.Text(`[data-testid=customer-sentence]`); !strings.Contains(got, "Your return "+num+" is approved: please send the items back to Lyon warehouse") {
		t.Errorf("Tell the customer says %q", got)
	}

	if st := b.Follow("click Returns in the navigation", chromedp.Click(browsertest.Find("header.top nav a", "Returns"))); st != http.StatusOK {
		t.Fatalf("the Returns page answered %d", st)
	}
	if got := b.Texts(`tr[data-testid=return] td:first-child code`); !slices.Equal(got, []string{num}) {
		t.Fatalf("/returns lists %q, want %s", got, num)
	}
	// The filters work in place (htmx): declined returns, none.
	b.Do("filter by declined", chromedp.SetValue(chromedp.ID("rf-status"), "declined"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("rf-status").dispatchEvent(new Event("change", {bubbles: true}))`))
	ordWait(t, b, "the list is filtered", `document.querySelector("[data-testid=no-returns]") !== null`)
	if !strings.Contains(b.URL(), "status=declined") {
		t.Errorf("the address is %s, want the filter in it", b.URL())
	}
	b.Do("filter by approved", chromedp.SetValue(chromedp.ID("rf-status"), "approved"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("rf-status").dispatchEvent(new Event("change", {bubbles: true}))`))
	ordWait(t, b, "the return is listed again", `document.querySelector("tr[data-testid=return]") !== null`)
	// htmx pushes the filtered address after the swap: wait for it, so that it
	// does not land in the middle of the next click's navigation.
	ordWait(t, b, "the address has the filter", `location.search.includes("status=approved")`)

	if st := b.Follow("open the return", chromedp.Click(browsertest.Find("tr[data-testid=return] td:first-child a", num))); st != http.StatusOK || b.Path() != "/returns/"+num {
		t.Fatalf("opening the return ended with %d on %s", st, b.Path())
	}
	if got := b.Text(`h1 [data-testid=return-status]`); got != "approved" {
		t.Errorf("the return's page says %q, want approved", got)
	}
	if got := b.Text(`tr[data-testid=return-line]`); !strings.Contains(got, "TEE-BLK-M") || !strings.Contains(got, "too small") || !strings.Contains(got, "needs L") {
		t.Errorf("the return's line reads %q", got)
	}
	if got := b.Text(`[data-testid=return-history]`); !strings.Contains(got, "Return "+num+" started by") {
		t.Errorf("the history reads %q", got)
	}
	if st := b.Follow("go back to the order", chromedp.Click(chromedp.CSS(`[data-testid=return-order]`))); st != http.StatusOK || b.Path() != "/orders/"+o.Number {
		t.Fatalf("the order link led to %s (%d)", b.Path(), st)
	}
	if got := b.Texts(`tr[data-testid=order-return] td:first-child code`); !slices.Equal(got, []string{num}) {
		t.Errorf("the order page lists %q, want %s", got, num)
	}
	if errs := b.Exceptions(); len(errs) > 0 {
		t.Errorf("JavaScript exceptions: %q", errs)
	}
}
