package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
	"switchyard/web/webtest"
)

// TestBrowserPreorder: an admin lets channel web sell incoming stock, up to
// 10 units of a SKU, on its settings page (the page is admins'); an ops
// manager makes a purchase order of 20 TEE to Lyon expected 20 Dec 2026 and
// sees, on the stock page and TEE's page, web's ATP of 2 on hand plus 10
// incoming with the date; an order of 5 TEE placed through the API (more
// than the 2 on hand) shows on its page as 3 pre-ordered, expected then.
func TestBrowserPreorder(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := webtest.New(t)
	if _, _, err := env.App.PutChannel(context.Background(), app.System, "web", app.ChannelInput{Name: "Web", Kind: "api"}); err != nil {
		t.Fatal(err)
	}
	env.AddLocation("LYS", "Lyon", "web")
	env.AddSKU("TEE")
	env.Stock("LYS", "TEE", 2)
	admin, adminPassword := env.AddUser(app.RoleAdmin)
	ops, opsPassword := env.AddUser(app.RoleOps)

	signIn(t, b, env.Server.URL, admin.Email, adminPassword)
	if st := b.Open(env.Server.URL + "/admin/channels/web"); st != http.StatusOK {
		t.Fatalf("the channel's settings answered %d", st)
	}
	if st := b.Follow("sell incoming stock, up to 10 units of a SKU",
		chromedp.Click(chromedp.CSS(`[data-testid=sell-incoming]`)),
		chromedp.SetValue(chromedp.CSS(`[data-testid=incoming-limit]`), "10"),
		chromedp.Click(browsertest.Find(`form button[type=submit]`, "Save")),
	); st != http.StatusOK || b.Path() != "/admin/channels/web" {
		t.Fatalf("saving answered %d at %s: %s", st, b.Path(), b.Text(`main`))
	}
	if ch, err := env.App.Channel(context.Background(), "web"); err != nil || !ch.SellIncoming || ch.IncomingLimit != 10 {
		t.Fatalf("stored %+v, %v: want selling incoming stock up to 10", ch, err)
	}
	b.Follow("sign out", chromedp.Click(browsertest.Find("header.top button", "Sign out")))

	signIn(t, b, env.Server.URL, ops.Email, opsPassword)
	if st := b.Open(env.Server.URL + "/inbound/new"); st != http.StatusOK {
		t.Fatalf("the new inbound form answered %d", st)
	}
	if st := b.Follow("create a purchase order of 20 TEE to Lyon",
		chromedp.SendKeys(chromedp.CSS(`[data-testid=inbound-supplier]`), "Acme Textiles"),
		chromedp.SetValue(chromedp.CSS(`[data-testid=inbound-to]`), "LYS"),
		chromedp.SetValue(chromedp.CSS(`[data-testid=inbound-expected]`), "2026-12-20"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=inbound-lines]`), "TEE 20"),
		chromedp.Click(chromedp.CSS(`[data-testid=inbound-create]`)),
	); st != http.StatusOK || b.Path() != "/inbound/IN-000001" {
		t.Fatalf("creating answered %d at %s: %s", st, b.Path(), b.Text(`main`))
	}

	if st := b.Follow("click Stock in the navigation", chromedp.Click(browsertest.Find("header.top nav a", "Stock"))); st != http.StatusOK || b.Path() != "/stock" {
		t.Fatalf("the Stock link led to %s with %d", b.Path(), st)
	}
	const overview = `tr[data-testid=sku-stock][data-sku=TEE] td[data-channel=web]`
	if got := b.Text(overview); !strings.HasPrefix(got, "12") || !strings.Contains(got, "incl. 10 incoming, expected 20 Dec 2026") {
		t.Errorf("web's ATP of TEE on the stock page reads %q, want 12 incl. 10 incoming expected 20 Dec 2026", got)
	}
	if st := b.Follow("open TEE", chromedp.Click(browsertest.Find(`tr[data-testid=sku-stock] a`, "TEE"))); st != http.StatusOK || b.Path() != "/skus/TEE" {
		t.Fatalf("the SKU link led to %s with %d", b.Path(), st)
	}
	const atp = `[data-testid=atp] tr[data-channel=web] [data-testid=atp-available]`
	if got := b.Text(atp); !strings.HasPrefix(got, "12") || b.Text(atp+` [data-testid=atp-incoming]`) != "incl. 10 incoming, expected 20 Dec 2026" {
		t.Errorf("web's ATP of TEE on its page reads %q, want 12 incl. 10 incoming expected 20 Dec 2026", got)
	}

	key := env.APIKey("", "orders:write")
	status, out := env.API(http.MethodPost, "/api/v1/orders", key, teeOrder("browser-pre", 5))
	if status != http.StatusCreated {
		t.Fatalf("placing 5 TEE answered %d: %s", status, out)
	}
	var placed struct {
		Number string `json:"number"`
	}
	if err := json.Unmarshal([]byte(out), &placed); err != nil {
		t.Fatal(err)
	}
	if st := b.Open(env.Server.URL + "/orders/" + placed.Number); st != http.StatusOK {
		t.Fatalf("the order's page answered %d", st)
	}
	const line = `tr[data-testid=line][data-sku=TEE]`
	if got := b.Text(line + ` [data-testid=preorder-badge]`); got != "3 pre-ordered" {
		t.Errorf("the TEE line's badge reads %q, want 3 pre-ordered", got)
	}
	if got := b.Text(`[data-testid=promise][data-sku=TEE]`); !strings.Contains(got, "Expected around 20 Dec 2026: purchase IN-000001 from Acme Textiles") {
		t.Errorf("the promise reads %q, want expected around 20 Dec 2026 from IN-000001", got)
	}
	if got := b.Text(`main`); !strings.Contains(got, "Pre-order: 3 × TEE taken against stock on its way in, expected around 20 Dec 2026 (inbound IN-000001)") {
		t.Errorf("the timeline does not say the pre-order:\n%s", got)
	}
}
