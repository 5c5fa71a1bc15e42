package web_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// TestBrowserManualOrderLifecycle takes a phone order through the pages in a
// real Chromium: an ops manager types it into /orders/new (the SKU input's
// datalist fills as they type, a fourth line is added), lands on the order
// routed to the Lyon warehouse, holds it, releases it and cancels part of a
// line, each step in place by htmx, and each step shows on the timeline.
func TestBrowserManualOrderLifecycle(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := ordEnv(t)
	ops, password := env.AddUser(app.RoleOps)
	signIn(t, b, env.Server.URL, ops.Email, password)

	if st := b.Open(env.Server.URL + "/orders/new"); st != http.StatusOK {
		t.Fatalf("GET /orders/new answered %d, want 200", st)
	}
	if ch, err := chromedp.Run(b.Ctx, chromedp.Value(chromedp.ID("channel"))); err != nil || ch != "phone" {
		t.Errorf("the channel select holds %q (err %v), want the manual channel phone", ch, err)
	}

	// Typing in a line's SKU fills its datalist with the matching SKUs.
	b.Do("type the start of a SKU", chromedp.SendKeys(chromedp.ID("lines-0-sku"), "TEE"))
	ordWait(t, b, "the SKU suggestions appear", `document.querySelectorAll("#sku-options-0 option").length >= 2`)
	if got := b.Texts(`#sku-options-0 option`); !slices.Equal(got, []string{"Black tee M", "White tee S"}) {
		t.Errorf("the suggestions for TEE are %q, want the two active tees", got)
	}
	if got := ordAttrs(t, b, `#sku-options-0 option`, "value"); !slices.Equal(got, []string{"TEE-BLK-M", "TEE-WHT-S"}) {
		t.Errorf("the suggestions' values are %q, want the SKU codes", got)
	}
	if list, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.getElementById("lines-0-sku").list?.id || ""`)); err != nil || list != "sku-options-0" {
		t.Errorf("the SKU input's list is %q (err %v), want its datalist", list, err)
	}
	b.Do("fill the first line",
		chromedp.SendKeys(chromedp.ID("lines-0-sku"), "-BLK-M"),
		chromedp.SendKeys(chromedp.ID("lines-0-quantity"), "2"),
		chromedp.SendKeys(chromedp.ID("lines-0-unit_price"), "19.90"),
	)

	// A fourth line, fetched by htmx; the button then fetches the fifth.
	b.Do("add a line", chromedp.Click(chromedp.ID("add-line")))
	ordWait(t, b, "the fourth line appears", `document.getElementById("lines-3-sku") !== null`)
	if next, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.getElementById("add-line").getAttribute("hx-get")`)); err != nil || next != "/orders/new/line?i=4" {
		t.Errorf("after adding a line the button fetches %q (err %v), want row 4", next, err)
	}
	b.Do("fill the fourth line and the customer",
		chromedp.SendKeys(chromedp.ID("lines-3-sku"), "MUG-WHT"),
		chromedp.SendKeys(chromedp.ID("lines-3-quantity"), "1"),
		chromedp.SendKeys(chromedp.ID("lines-3-unit_price"), "9.50"),
		chromedp.SendKeys(chromedp.ID("customer-email"), "bo@example.com"),
		chromedp.SendKeys(chromedp.ID("customer-name"), "Bo Berg"),
		chromedp.SendKeys(chromedp.ID("shipping_address-line1"), "Drottninggatan 1"),
		chromedp.SendKeys(chromedp.ID("shipping_address-postal_code"), "111 51"),
		chromedp.SendKeys(chromedp.ID("shipping_address-city"), "Stockholm"),
		chromedp.SendKeys(chromedp.ID("shipping_address-country"), "SE"),
	)
	if st := b.Follow("create the order", chromedp.Click(browsertest.Find("button[type=submit]", "Create order"))); st != http.StatusOK {
		t.Fatalf("creating the order ended with %d on %s; page says:\n%s", st, b.Path(), b.Text(`main`))
	}
	if !regexp.MustCompile(`^/orders/SY-\d+$`).MatchString(b.Path()) {
		t.Fatalf("after creating the order the browser is on %s, want the order's page", b.Path())
	}
	if got := b.Texts(`tr[data-testid=line] td:nth-child(2) code`); !slices.Equal(got, []string{"TEE-BLK-M", "MUG-WHT"}) {
		t.Errorf("the order's lines are %q, want the tee and the mug", got)
	}
	if total := b.Text(`[data-testid=total]`); total != "49.30 EUR" {
		t.Errorf("the order's total is %q, want 49.30 EUR", total)
	}

	// Routed at intake: Lyon, the only location serving phone orders, reserves everything.
	if st := ordStatus(t, b); st != "routed" {
		t.Errorf("the new order's status is %q, want routed", st)
	}
	ordWaitEvent(t, b, "routed", ordRoutedFromLyon)
	if got := b.Texts(`tr[data-testid=line] [data-testid=reserved]`); !slices.Equal(got, []string{"2", "1"}) {
		t.Errorf("the lines reserve %q, want 2 tees and 1 mug", got)
	}
	if got := b.Text(`[data-testid=customer-sentence]`); !strings.Contains(got, "We have your order and are preparing it; it should leave by") {
		t.Errorf("the customer sentence of a routed order is %q", got)
	}
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`window.samePage = true`)); err != nil {
		t.Fatalf("mark the page: %v", err)
	}

	// Hold with a reason.
	// Every action is closed until chosen, so that the timeline shows without scrolling.
	if open := ordAttrs(t, b, `details.action-toggle[open]`, "data-testid"); len(open) != 0 {
		t.Errorf("actions open before they are chosen: %q", open)
	}
	b.Do("hold the order",
		chromedp.Click(browsertest.Find("[data-testid=toggle-hold] summary", "Put on hold")),
		chromedp.SetValue(chromedp.ID("hold-reason"), "payment"),
		chromedp.SendKeys(chromedp.ID("hold-note"), "card declined"),
		chromedp.Click(browsertest.Find("[data-testid=action-hold] button", "Hold")),
	)
	ordWait(t, b, "the hold shows", `document.querySelector("[data-testid=hold-banner]") !== null`)
	if st := ordStatus(t, b); st != "on_hold" {
		t.Errorf("after the hold the status is %q", st)
	}
	ordWaitEvent(t, b, "held", "Order put on hold until the payment is confirmed: card declined.")

	// Release.
	b.Do("release the order", chromedp.Click(browsertest.Find("[data-testid=action-release] button", "Release")))
	ordWait(t, b, "the release shows", `document.querySelector("[data-testid=hold-banner]") === null`)
	if st := ordStatus(t, b); st != "routed" {
		t.Errorf("after the release the status is %q, want routed (its reservations were kept)", st)
	}
	ordWaitEvent(t, b, "released", "Hold (payment) released")

	// Cancel one of the two tees.
	b.Do("cancel one tee",
		chromedp.Click(browsertest.Find("[data-testid=toggle-cancel-lines] summary", "Cancel some lines")),
		chromedp.SendKeys(chromedp.ID("cancel-lines-0-quantity"), "1"),
		chromedp.SendKeys(chromedp.ID("cancel-lines-reason"), "out of stock"),
		chromedp.Click(browsertest.Find("[data-testid=action-cancel-lines] button", "Cancel these quantities")),
	)
	ordWaitEvent(t, b, "lines_cancelled", "Cancelled 1 × TEE-BLK-M (out of stock).")
	if got := b.Text(`tr[data-testid=line][data-sku="TEE-BLK-M"] [data-testid=open]`); got != "1" {
		t.Errorf("the tee has %q open after cancelling one of two, want 1", got)
	}
	if got := b.Text(`tr[data-testid=line][data-sku="TEE-BLK-M"] [data-testid=reserved]`); got != "1" {
		t.Errorf("the tee reserves %q after cancelling one of two, want 1 (the other given back)", got)
	}

	kinds := ordAttrs(t, b, `li[data-testid=event]`, "data-kind")
	if !slices.Equal(kinds, []string{"received", "routed", "held", "released", "lines_cancelled"}) {
		t.Errorf("the timeline's entries are %q, want received, routed, held, released, lines_cancelled in order", kinds)
	}
	if same, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`window.samePage === true`)); err != nil || !same {
		t.Errorf("the actions loaded the page again (marker gone, err %v): htmx should answer them in place", err)
	}
	number := strings.TrimPrefix(b.Path(), "/orders/")

	// The order list: changing a filter updates the results and the address in place.
	if st := b.Open(env.Server.URL + "/orders"); st != http.StatusOK {
		t.Fatalf("GET /orders answered %d, want 200", st)
	}
	if got := ordAttrs(t, b, `tr[data-testid=order]`, "data-number"); !slices.Equal(got, []string{number}) {
		t.Fatalf("the order list shows %q, want the new order %s", got, number)
	}
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`window.samePage = true`)); err != nil {
		t.Fatalf("mark the page: %v", err)
	}
	ordChoose(t, b, "filter-status", "cancelled")
	ordWait(t, b, "the cancelled filter applies", `document.querySelector("[data-testid=no-orders]") !== null && location.search.includes("status=cancelled")`)
	ordChoose(t, b, "filter-status", "routed")
	ordWait(t, b, "the routed filter applies", `document.querySelector('tr[data-testid=order][data-number="`+number+`"]') !== null && location.search.includes("status=routed")`)
	if same, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`window.samePage === true`)); err != nil || !same {
		t.Errorf("filtering loaded the page again (marker gone, err %v): htmx should swap the results", err)
	}
}

// ordChoose picks value in the select with id and lets the page know, as a person would.
func ordChoose(t *testing.T, b *browsertest.Browser, id, value string) {
	t.Helper()
	b.Do("choose "+value+" in "+id,
		chromedp.SetValue(chromedp.ID(id), value),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("`+id+`").dispatchEvent(new Event("change", {bubbles: true}))`),
	)
}

// ordWait waits until the JavaScript expression is true, failing the test after a step's timeout.
func ordWait(t *testing.T, b *browsertest.Browser, what, expr string) {
	t.Helper()
	ok, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(browsertest.StepTimeout)))
	if err != nil || !ok {
		t.Fatalf("browser: %s: still not the case after %s (%v) on %s\npage says:\n%s", what, browsertest.StepTimeout, err, b.URL(), b.Text(`main`))
	}
}

// ordWaitEvent waits for a timeline entry of kind and checks its message.
func ordWaitEvent(t *testing.T, b *browsertest.Browser, kind, message string) {
	t.Helper()
	sel := `li[data-testid=event][data-kind="` + kind + `"] .message`
	ordWait(t, b, "the timeline shows "+kind, `document.querySelector('`+sel+`') !== null`)
	if got := b.Text(chromedp.CSS(sel)); !strings.Contains(got, message) {
		t.Errorf("the %s entry says %q, want %q", kind, got, message)
	}
}

// ordStatus reads the order's status from its page.
func ordStatus(t *testing.T, b *browsertest.Browser) string {
	t.Helper()
	st, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.querySelector("main h1 [data-testid=status]")?.dataset.status || ""`))
	if err != nil {
		t.Fatalf("read the status: %v", err)
	}
	return st
}

// ordAttrs reads an attribute of every element matching css.
func ordAttrs(t *testing.T, b *browsertest.Browser, css, attr string) []string {
	t.Helper()
	out, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('`+css+`'), e => e.getAttribute('`+attr+`'))`))
	if err != nil {
		t.Fatalf("read %s of %s: %v", attr, css, err)
	}
	return out
}
