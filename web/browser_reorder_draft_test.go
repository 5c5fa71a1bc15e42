package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/app/inbound"
	"switchyard/app/reorder"
	"switchyard/web/browsertest"
	"switchyard/web/webtest"
)

// TestBrowserReorderDraftPurchaseOrder: an ops manager selects two
// suggestions at LYS, names the supplier and creates a draft purchase order,
// then sees it named on the page with its lines and units.
func TestBrowserReorderDraftPurchaseOrder(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := webtest.New(t)
	env.AddLocation("LYS", "Lyon")
	for _, sku := range []string{"TEE", "MUG", "CAP"} {
		env.AddSKU(sku)
		env.Stock("LYS", sku, 2)
	}
	ops, password := env.AddUser(app.RoleOps)
	for _, f := range []reorder.SettingsForm{
		{SKU: "TEE", Location: "LYS", LeadTime: "7", Cover: "30", Min: "10", Max: "40"},
		{SKU: "MUG", Location: "LYS", LeadTime: "14", Cover: "30", Min: "5", Max: "12"},
		{SKU: "CAP", Location: "LYS", LeadTime: "14", Cover: "30", Min: "5", Max: "9"},
	} {
		if err := reorder.New(env.App).SaveSettings(t.Context(), app.System, f); err != nil {
			t.Fatal(err)
		}
	}
	signIn(t, b, env.Server.URL, ops.Email, password)
	if st := b.Open(env.Server.URL + "/reorder?location=LYS&only=1"); st != http.StatusOK {
		t.Fatalf("GET /reorder answered %d", st)
	}
	row := func(sku string) string { return `tr[data-testid="reorder-row-` + sku + `-LYS"]` }
	if st := b.Follow("select TEE and MUG and create a draft purchase order",
		chromedp.Click(chromedp.CSS(row("TEE")+` [data-testid=select-line]`)),
		chromedp.Click(chromedp.CSS(row("MUG")+` [data-testid=select-line]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=draft-supplier]`), "Acme Textiles"),
		chromedp.Click(chromedp.CSS(`[data-testid=draft-po]`)),
	); st != http.StatusOK {
		t.Fatalf("create draft answered %d", st)
	}
	got := b.Text(`[data-testid=notice]`)
	if !strings.Contains(got, "Created draft purchase order IN-000001 to LYS from Acme Textiles: 2 lines, 48 units") {
		t.Fatalf("notice %q, want the draft named", got)
	}
	if st := b.Follow("open the draft from the notice", chromedp.Click(chromedp.CSS(`[data-testid=notice] a[data-testid=drafted-IN-000001]`))); st != http.StatusOK || b.Path() != "/inbound/IN-000001" {
		t.Fatalf("the notice's link answered %d at %s, want the draft's page", st, b.Path())
	}
	po, err := inbound.New(env.App).Get(t.Context(), app.System, "IN-000001")
	if err != nil || po.Status != inbound.StatusDraft || len(po.Lines) != 2 || po.Lines[0].SKU != "MUG" || po.Lines[1].SKU != "TEE" {
		t.Fatalf("draft %+v, %v: want MUG and TEE only", po, err)
	}
}
