package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
	"switchyard/web/webtest"
)

// TestBrowserInboundPurchase: an ops manager opens Inbound from the
// stock page, makes a purchase order with the form, receives part of it with
// one unit damaged, and sees the status and the stock change.
func TestBrowserInboundPurchase(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	env.AddSKU("TEE")
	env.AddSKU("MUG")
	env.Stock("LYS-WH", "TEE", 5)
	ops, password := env.AddUser(app.RoleOps)
	signIn(t, b, env.Server.URL, ops.Email, password)

	if st := b.Follow("click Stock in the navigation", chromedp.Click(browsertest.Find("header.top nav a", "Stock"))); st != http.StatusOK || b.Path() != "/stock" {
		t.Fatalf("the Stock link led to %s with %d", b.Path(), st)
	}
	if st := b.Follow("open Inbound from the stock page", chromedp.Click(chromedp.CSS(`[data-testid=inbound-link]`))); st != http.StatusOK || b.Path() != "/inbound" {
		t.Fatalf("the Inbound link led to %s with %d", b.Path(), st)
	}
	if st := b.Follow("open the new form", chromedp.Click(chromedp.CSS(`[data-testid=inbound-new]`))); st != http.StatusOK || b.Path() != "/inbound/new" {
		t.Fatalf("the new link led to %s with %d", b.Path(), st)
	}
	if st := b.Follow("create a purchase order",
		chromedp.SendKeys(chromedp.CSS(`[data-testid=inbound-supplier]`), "Acme Textiles"),
		chromedp.SetValue(chromedp.CSS(`[data-testid=inbound-to]`), "LYS-WH"),
		chromedp.SetValue(chromedp.CSS(`[data-testid=inbound-expected]`), "2026-12-20"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=inbound-lines]`), "TEE 10\nMUG 4"),
		chromedp.Click(chromedp.CSS(`[data-testid=inbound-create]`)),
	); st != http.StatusOK || b.Path() != "/inbound/IN-000001" {
		t.Fatalf("creating answered %d at %s: %s", st, b.Path(), b.Text(`main`))
	}
	if got := b.Text(`h1 [data-testid=inbound-status]`); got != "sent" {
		t.Errorf("status %q, want sent", got)
	}

	const tee = `tr[data-testid=inbound-line][data-sku=TEE]`
	if st := b.Follow("receive 6 good and 1 damaged TEE",
		chromedp.SendKeys(chromedp.CSS(tee+` [data-testid=receive-quantity]`), "6"),
		chromedp.SendKeys(chromedp.CSS(tee+` [data-testid=receive-damaged]`), "1"),
		chromedp.Click(chromedp.CSS(`[data-testid=receive-go]`)),
	); st != http.StatusOK || b.Path() != "/inbound/IN-000001" {
		t.Fatalf("receiving answered %d at %s: %s", st, b.Path(), b.Text(`main`))
	}
	if got := b.Text(`h1 [data-testid=inbound-status]`); got != "partly received" {
		t.Errorf("status %q after the receipt, want partly received", got)
	}
	if got, damaged := b.Text(tee+` [data-testid=line-received]`), b.Text(tee+` [data-testid=line-damaged]`); got != "6" || damaged != "1" {
		t.Errorf("TEE received %q damaged %q, want 6 and 1", got, damaged)
	}
	if st := b.Follow("open TEE's ledger from the receipt", chromedp.Click(browsertest.Find(`[data-testid=inbound-receipts] a`, "TEE"))); st != http.StatusOK {
		t.Fatalf("the ledger answered %d", st)
	}
	if got := b.Text(`[data-testid=level] [data-testid=on-hand]`); got != "11" {
		t.Errorf("TEE on hand at LYS-WH %q, want 11 (5 + 6 good; the damaged one is not stock)", got)
	}
	if got := b.Text(`[data-testid=ledger-entry]`); !strings.Contains(got, "receipt") || !strings.Contains(got, "IN-000001") {
		t.Errorf("the newest ledger entry %q, want the receipt of IN-000001", got)
	}
}
