package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// TestBrowserKitPickAndScan: an order of a gift set (2 mugs and 1 tray) and
// a tee routes to Lyon, which has the parts and requires scanning. The lead
// reads the set's parts on the pick list, the queue and the ship form's
// "What leaves", then packs by scanning: the set's own code is refused (scan
// its parts), the parts fill their rows, the set shows complete when both are
// scanned, and Confirm is enabled only when the tee is scanned too; the
// shipment takes the parts off the shelf.
func TestBrowserKitPickAndScan(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := kfEnv(t)
	o := quPlace(t, env, "1", nil, "SET", 1, "TEE", 1)
	if o.Fulfillments[0].Location != "LYS-WH" || !strings.Contains(o.Routing.Explanation, "Gift set: 2 × White mug and 1 × Wooden tray from Lyon warehouse.") {
		t.Fatalf("the kit routed to %s: %q", o.Fulfillments[0].Location, o.Routing.Explanation)
	}
	if _, err := env.App.AcceptFulfillment(context.Background(), app.System, o.Fulfillments[0].ID); err != nil {
		t.Fatal(err)
	}
	lead, password := env.AddUser(app.RoleWarehouse, "LYS-WH")
	signIn(t, b, env.Server.URL, lead.Email, password)

	if st := b.Open(env.Server.URL + "/locations/LYS-WH/picklist"); st != http.StatusOK {
		t.Fatalf("the pick list answered %d", st)
	}
	floorWait(t, b, "the pick list shows the set's mugs under it, 2",
		`document.querySelector('[data-testid=pick-sku] + [data-testid=pick-part][data-kit=SET][data-sku=MUG] [data-testid=quantity]')?.textContent === "2"`)
	floorWait(t, b, "and its tray, 1",
		`document.querySelector('[data-testid=pick-part][data-kit=SET][data-sku=TRAY] [data-testid=quantity]')?.textContent === "1"`)
	floorWait(t, b, "the order's set line lists its parts",
		`document.querySelector('[data-testid=pick-order] [data-testid=pick-line][data-sku=SET] [data-testid=pick-part][data-sku=MUG]')?.textContent.includes("× 2") === true`)

	if st := b.Open(env.Server.URL + "/locations/LYS-WH/queue?status=accepted"); st != http.StatusOK {
		t.Fatalf("the queue answered %d", st)
	}
	floorWait(t, b, "the queue lists the set's parts under it",
		`document.querySelector('[data-testid=queue-line][data-sku=SET] [data-testid=kit-part][data-sku=TRAY]')?.textContent.includes("× 1") === true`)

	if st := b.Open(env.Server.URL + "/fulfillments/" + quFID(o) + "/ship"); st != http.StatusOK {
		t.Fatalf("the ship page answered %d", st)
	}
	floorWait(t, b, "what leaves lists the set's parts under it",
		`document.querySelector('[data-testid=ship-line][data-sku=SET] [data-testid=kit-part][data-sku=MUG]')?.textContent.includes("× 2") === true`)
	floorWait(t, b, "the scan input has the focus", `document.activeElement?.id === "ship-scan-input"`)
	scan := func(code string) {
		t.Helper()
		b.Do("scan "+code, chromedp.SendKeys(chromedp.ID("ship-scan-input"), code+"\n"))
	}
	progress := func(sku, want string) {
		t.Helper()
		floorWait(t, b, sku+" shows "+want+" scanned",
			`document.querySelector('[data-testid=scan-row][data-sku="`+sku+`"] [data-testid=scanned]')?.textContent === "`+want+`"`)
	}
	kitDone := func(want string) {
		t.Helper()
		floorWait(t, b, "the set is complete: "+want, `document.querySelector('[data-testid=scan-kit][data-sku=SET]')?.dataset.complete === "`+want+`"`)
	}
	confirm := func(enabled string) {
		t.Helper()
		floorWait(t, b, "Confirm enabled: "+enabled, `document.querySelector("[data-testid=confirm-ship]").disabled === !`+enabled)
	}

	scan("SET")
	floorWait(t, b, "the set's own code is refused aloud",
		`document.querySelector('[data-testid=scan-alert][role=alert]')?.textContent.includes("SET is a kit: scan each of its parts") === true`)
	progress("MUG", "0")
	scan("MUG")
	progress("MUG", "1")
	scan("mug")
	progress("MUG", "2")
	scan("MUG")
	floorWait(t, b, "a third mug is one too many",
		`document.querySelector('[data-testid=scan-alert][role=alert]')?.textContent.includes("One too many") === true`)
	kitDone("false")
	scan(kfTrayBarcode)
	progress("TRAY", "1")
	kitDone("true")
	confirm("false") // the tee is still to scan
	scan(scTeeBarcode)
	progress("TEE", "1")
	confirm("true")

	b.Do("fill the tracking",
		chromedp.SetValue(chromedp.ID("ship-carrier"), "ups"),
		chromedp.SendKeys(chromedp.ID("ship-tracking"), quUPS),
	)
	if st := b.Follow("confirm the shipment", chromedp.Click(chromedp.CSS(`[data-testid=confirm-ship]`))); st != http.StatusOK {
		t.Fatalf("confirming answered %d on %s:\n%s", st, b.Path(), b.Text(`main`))
	}
	if got := b.Text(`[data-testid=notice]`); got != "Saved: order "+o.Number+" has shipped." {
		t.Fatalf("after confirming, the notice is %q on %s", got, b.Path())
	}
	quStatus(t, env, o.Number, app.StatusShipped, app.FulfillmentShipped)
	if mug, tray := quLevel(t, env, "LYS-WH", "MUG"), quLevel(t, env, "LYS-WH", "TRAY"); mug.OnHand != 48 || tray.OnHand != 9 || mug.Reserved+tray.Reserved != 0 {
		t.Fatalf("after shipping: mugs %+v, trays %+v", mug, tray)
	}
}
