package web_test

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// TestBrowserScanToVerifyPacking packs an order of 2 tees and 1 mug at Lyon,
// which requires scanning, as a lead with a keyboard-wedge scanner does:
// each code typed into the focused scan input then Enter. A wrong item and
// one too many are refused with an alert (and a beep); right items fill the
// progress, and the Confirm button is enabled once everything is scanned.
func TestBrowserScanToVerifyPacking(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := scEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 2, "MUG", 1)
	lead, password := env.AddUser(app.RoleWarehouse, "LYS-WH")
	signIn(t, b, env.Server.URL, lead.Email, password)
	if st := b.Open(env.Server.URL + "/fulfillments/" + quFID(o) + "/ship"); st != http.StatusOK {
		t.Fatalf("the ship page answered %d", st)
	}
	floorWait(t, b, "the scan input has the focus", `document.activeElement?.id === "ship-scan-input"`)
	floorWait(t, b, "Confirm waits for the scans", `document.querySelector("[data-testid=confirm-ship]").disabled === true`)

	scan := func(code string) {
		t.Helper()
		b.Do("scan "+code, chromedp.SendKeys(chromedp.ID("ship-scan-input"), code+"\n"))
	}
	progress := func(sku, want string) {
		t.Helper()
		floorWait(t, b, sku+" shows "+want+" scanned",
			`document.querySelector('[data-testid=scan-row][data-sku="`+sku+`"] [data-testid=scanned]')?.textContent === "`+want+`"`)
	}
	alert := func(what, text string) {
		t.Helper()
		floorWait(t, b, what+" is refused aloud",
			`document.querySelector('[data-testid=scan-alert][role=alert]')?.textContent.includes(`+jsString(text)+`) === true`)
	}

	// A wrong item: the alert names it, a beep sounds, nothing counts.
	scan("CAP")
	alert("a cap", `"CAP" is not in this shipment`)
	floorWait(t, b, "the refusal beeps", `Number(document.documentElement.dataset.scanBeeps || 0) >= 1`)
	progress("TEE", "0")
	floorWait(t, b, "the new scan input has the focus, empty, for the next scan",
		`document.activeElement?.id === "ship-scan-input" && document.activeElement.value === ""`)

	// Right items, by barcode and by code in lower case.
	scan(scTeeBarcode)
	progress("TEE", "1")
	floorWait(t, b, "the alert is gone", `document.querySelector("[data-testid=scan-alert]") === null`)
	scan("tee")
	progress("TEE", "2")
	// One too many.
	scan("TEE")
	alert("a third tee", "One too many")
	progress("TEE", "2")
	floorWait(t, b, "Confirm still waits", `document.querySelector("[data-testid=confirm-ship]").disabled === true`)
	scan("MUG")
	progress("MUG", "1")
	floorWait(t, b, "Confirm is enabled", `document.querySelector("[data-testid=confirm-ship]").disabled === false`)

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
}

// jsString is s as a JavaScript string literal (no quotes of its own inside).
func jsString(s string) string { return "'" + s + "'" }
