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

// TestBrowserEditSKUIntoKit edits a plain SKU into a kit on its page in a
// real Chromium: a component that would contain the kit is refused beside its
// row, then two components are saved and the kit's page shows what they make
// at each location and what the channel may sell.
func TestBrowserEditSKUIntoKit(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := webtest.New(t)
	pgAddChannel(t, env, "web-eu")
	env.AddLocation("LYS-WH", "Lyon warehouse", "web-eu")
	pgAddSKU(t, env, "MUG-1", "Mug")
	pgAddSKU(t, env, "TRAY-1", "Tray")
	pgAddSKU(t, env, "GIFT-1", "Gift set")
	pgSetStock(t, env, "LYS-WH", "MUG-1", 7, 0)
	pgSetStock(t, env, "LYS-WH", "TRAY-1", 5, 0)
	ops, password := env.AddUser(app.RoleOps)
	signIn(t, b, env.Server.URL, ops.Email, password)

	if st := b.Open(env.Server.URL + "/skus/GIFT-1"); st != http.StatusOK {
		t.Fatalf("GET /skus/GIFT-1 answered %d, want 200", st)
	}
	if st := b.Follow("open the edit form", chromedp.Click(browsertest.Find("a.button", "Edit"))); st != http.StatusOK {
		t.Fatalf("the edit form answered %d", st)
	}
	// GIFT-1 inside itself: refused beside the row.
	b.Do("give the kit itself as a component",
		chromedp.SendKeys(chromedp.CSS(`#component-0-sku`), "GIFT-1"),
		chromedp.SendKeys(chromedp.CSS(`#component-0-quantity`), "1"),
	)
	if st := b.Follow("save", chromedp.Click(chromedp.CSS(`button.primary[type=submit]`))); st != http.StatusUnprocessableEntity {
		t.Fatalf("saving a kit inside itself answered %d, want 422", st)
	}
	if msg := b.Text(`.field-error[data-field="components[0].sku"]`); !strings.Contains(msg, "cannot contain itself") {
		t.Fatalf("the row's error says %q", msg)
	}
	b.Do("give a mug twice and a tray",
		chromedp.SetValue(chromedp.CSS(`#component-0-sku`), "MUG-1"),
		chromedp.SetValue(chromedp.CSS(`#component-0-quantity`), "2"),
		chromedp.SendKeys(chromedp.CSS(`#component-1-sku`), "TRAY-1"),
		chromedp.SendKeys(chromedp.CSS(`#component-1-quantity`), "1"),
	)
	if st := b.Follow("save", chromedp.Click(chromedp.CSS(`button.primary[type=submit]`))); st != http.StatusOK {
		t.Fatalf("saving the kit answered %d, want 200 after the redirect", st)
	}
	if p := b.Path(); p != "/skus/GIFT-1" {
		t.Fatalf("after saving, the browser is on %s", p)
	}
	if got := b.Text(`[data-testid=kit-components]`); !strings.Contains(got, "MUG-1") || !strings.Contains(got, "TRAY-1") {
		t.Fatalf("the kit's components read %q", got)
	}
	// 7 mugs make 3 kits, 5 trays 5: Lyon makes 3, and web-eu may sell 3.
	if got := b.Text(`tr[data-testid=level][data-location="LYS-WH"] [data-testid=available]`); got != "3" {
		t.Fatalf("Lyon's kits available: %q, want 3", got)
	}
	if got := b.Text(`#atp tr[data-channel="web-eu"] td:last-child`); got != "3" {
		t.Fatalf("web-eu may sell %q kits, want 3", got)
	}
	if n := len(b.Texts(`tr[data-testid=level] input[name=delta]`)); n != 0 {
		t.Errorf("the kit's page offers %d stock adjustments", n)
	}
}
