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

// TestBrowserOpsReadsTheStockPage walks an ops manager through the stock
// page: Stock in the navigation shows each SKU's levels and ATP, the filters
// narrow it, and a location's level leads to its ledger.
func TestBrowserOpsReadsTheStockPage(t *testing.T) {
	b := browsertest.New(t)
	env := pgStockEnv(t) // TEE-BLK-M: 10 at Lyon (safety 2), 4 at Paris
	pgAddSKU(t, env, "MUG-1", "Mug")
	ops, password := env.AddUser(app.RoleOps)
	signIn(t, b, env.Server.URL, ops.Email, password)

	if st := b.Follow("click Stock in the navigation", chromedp.Click(browsertest.Find("header.top nav a", "Stock"))); st != http.StatusOK || b.Path() != "/stock" {
		t.Fatalf("Stock led to %s with %d", b.Path(), st)
	}
	const tee = `tr[data-testid=sku-stock][data-sku="TEE-BLK-M"]`
	if got := b.Text(tee + ` [data-testid=on-hand]`); got != "14" {
		t.Errorf("the tee's stock on hand reads %q, want 14 (10 in Lyon, 4 in Paris)", got)
	}
	if got := b.Text(tee + ` [data-testid=available]`); got != "12" {
		t.Errorf("the tee's available reads %q, want 12 (Lyon 10 less its safety stock of 2, Paris 4)", got)
	}
	if got := b.Texts(`tr[data-testid=sku-stock]`); len(got) != 2 {
		t.Errorf("the stock page shows %d SKUs, want 2", len(got))
	}
	// "Nothing on hand" keeps the mug only.
	if st := b.Follow("filter to nothing on hand", chromedp.Click(browsertest.Find("nav.filters a", "Zero on hand"))); st != http.StatusOK {
		t.Fatalf("the filter answered %d", st)
	}
	skus, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("tr[data-testid=sku-stock]"), r => r.dataset.sku)`))
	if err != nil || !slices.Equal(skus, []string{"MUG-1"}) || !strings.Contains(b.URL(), "filter=zero") {
		t.Errorf("the zero filter shows %q at %s (%v), want the mug, the filter in the address", skus, b.URL(), err)
	}
	// Back to all, then Lyon's level of the tee opens its ledger.
	b.Open(env.Server.URL + "/stock")
	if st := b.Follow("open Lyon's tee ledger", chromedp.Click(chromedp.CSS(tee+` a.level[data-location="LYS-WH"]`))); st != http.StatusOK || b.Path() != "/stock/LYS-WH/TEE-BLK-M/ledger" {
		t.Fatalf("the level led to %s with %d", b.Path(), st)
	}
	if active := b.Texts(`header.top nav a.active`); !slices.Equal(active, []string{"Stock"}) {
		t.Errorf("on the ledger the navigation highlights %q, want Stock", active)
	}
}

// TestBrowserWarehousePagesAndAcceptsItsQueue walks a warehouse lead through
// a queue longer than a page: the tab says how many wait, Next page goes on,
// and a fulfillment ticked on the second page is accepted.
func TestBrowserWarehousePagesAndAcceptsItsQueue(t *testing.T) {
	b := browsertest.New(t)
	env := quEnv(t)
	var orders []app.Order
	for i := range 3 {
		orders = append(orders, quPlace(t, env, "w"+itoa(int64(i)), nil, "TEE", 1))
	}
	lead, password := env.AddUser(app.RoleWarehouse, "LYS-WH")
	signIn(t, b, env.Server.URL, lead.Email, password)

	if st := b.Open(env.Server.URL + "/locations/LYS-WH/queue?limit=2"); st != http.StatusOK {
		t.Fatalf("the queue answered %d", st)
	}
	if pager := b.Text(`main`); !strings.Contains(pager, "3 fulfillments") {
		t.Errorf("the queue does not say how many wait:\n%s", pager)
	}
	if active := b.Texts(`header.top nav a.active`); !slices.Equal(active, []string{"Queue"}) {
		t.Errorf("on the queue the navigation highlights %q, want Queue", active)
	}
	if st := b.Follow("next page", chromedp.Click(browsertest.Find("a", "Next page"))); st != http.StatusOK {
		t.Fatalf("Next page answered %d", st)
	}
	body := b.Text(`main`)
	if !strings.Contains(body, orders[2].Number) || strings.Contains(body, orders[0].Number) {
		t.Fatalf("the second page does not show the third order only:\n%s", body)
	}
	id := itoa(orders[2].Fulfillments[0].ID)
	b.Do("tick the third order and accept it",
		chromedp.Click(chromedp.CSS(`input[type=checkbox][value="`+id+`"]`)),
		chromedp.Click(browsertest.Find("button", "Accept selected")),
	)
	waitFor(t, b, "the acceptance notice", `document.body.textContent.includes("Accepted 1 fulfillment.")`)
	quStatus(t, env, orders[2].Number, app.StatusInFulfillment, app.FulfillmentAccepted)
	quStatus(t, env, orders[0].Number, app.StatusRouted, app.FulfillmentPending)
}

// waitFor waits until expr is true in the page, or fails the test.
func waitFor(t *testing.T, b *browsertest.Browser, what, expr string) {
	t.Helper()
	ok, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(browsertest.StepTimeout)))
	if err != nil || !ok {
		t.Fatalf("%s never showed (%v)", what, err)
	}
}
