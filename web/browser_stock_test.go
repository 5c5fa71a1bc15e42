package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
	"switchyard/web/webtest"
)

// TestBrowserInlineStockAdjustment adjusts stock in a SKU page's row in a real
// Chromium: a refused delta shows its error in the row, a good one changes the
// row in place without loading the page again, and the ledger shows the movement.
func TestBrowserInlineStockAdjustment(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	env.AddLocation("PAR-WH", "Paris warehouse")
	pgAddChannel(t, env, "web-eu")
	pgServeChannel(t, env, "LYS-WH", "web-eu")
	pgAddSKU(t, env, "TEE-BLK-M", "Black tee M")
	pgSetStock(t, env, "LYS-WH", "TEE-BLK-M", 10, 0)
	pgSetStock(t, env, "PAR-WH", "TEE-BLK-M", 4, 0)
	ops, password := env.AddUser(app.RoleOps)
	signIn(t, b, env.Server.URL, ops.Email, password)

	if st := b.Open(env.Server.URL + "/skus/TEE-BLK-M"); st != http.StatusOK {
		t.Fatalf("GET /skus/TEE-BLK-M answered %d, want 200", st)
	}
	const row = `tr[data-testid=level][data-location="LYS-WH"]`
	if got := b.Text(row + ` [data-testid=on-hand]`); got != "10" {
		t.Fatalf("Lyon's on hand is %q before the adjustment, want 10", got)
	}
	const atp = `#atp tr[data-channel="web-eu"] td:last-child`
	if got := b.Text(atp); got != "10" {
		t.Fatalf("web-eu may sell %q before the adjustment, want 10 (Lyon serves it)", got)
	}
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`window.samePage = true`)); err != nil {
		t.Fatalf("mark the page: %v", err)
	}

	// Too much out: the row shows why, in place, and nothing changes.
	b.Do("type a delta that would go below zero",
		chromedp.SendKeys(chromedp.CSS(row+` input[name=delta]`), "-100"),
		chromedp.Click(chromedp.CSS(row+` button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(row+` .field-error[data-field=delta]`)),
	)
	if msg := b.Text(row + ` .field-error[data-field=delta]`); !strings.Contains(msg, "below zero") {
		t.Errorf("the row's error says %q, want it to say the stock would go below zero", msg)
	}
	if got := b.Text(row + ` [data-testid=on-hand]`); got != "10" {
		t.Fatalf("Lyon's on hand is %q after a refused adjustment, want 10", got)
	}

	// A receipt of 5 with a note.
	b.Do("fill the Lyon row's adjustment",
		chromedp.SetValue(chromedp.CSS(row+` input[name=delta]`), ""),
		chromedp.SendKeys(chromedp.CSS(row+` input[name=delta]`), "5"),
		chromedp.SetValue(chromedp.CSS(row+` select[name=reason]`), "receipt"),
		chromedp.SendKeys(chromedp.CSS(row+` input[name=note]`), "PO 4411 from Porto"),
	)
	b.Do("apply the adjustment",
		chromedp.Click(chromedp.CSS(row+` button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(row+` .saved`)),
	)
	if got := b.Text(row + ` [data-testid=on-hand]`); got != "15" {
		t.Fatalf("Lyon's on hand is %q after receiving 5, want 15", got)
	}
	if n := len(b.Texts(row + ` .field-error`)); n != 0 {
		t.Errorf("the row still shows %d errors after a good adjustment", n)
	}
	same, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`window.samePage === true`))
	if err != nil || !same {
		t.Fatalf("the page was loaded again (marker gone, err %v): the row should change in place", err)
	}
	if p := b.Path(); p != "/skus/TEE-BLK-M" {
		t.Errorf("the browser moved to %s", p)
	}
	ok, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](`document.querySelector(`+"`"+atp+"`"+`)?.textContent.trim() === "15"`,
		chromedp.WithPollingTimeout(browsertest.StepTimeout)))
	if err != nil || !ok {
		t.Errorf("web-eu may sell %q after receiving 5 at Lyon, want 15 (err %v)", b.Text(atp), err)
	}
	if got := b.Text(`tr[data-testid=level][data-location="PAR-WH"] [data-testid=on-hand]`); got != "4" {
		t.Errorf("Paris's on hand is %q, want it untouched at 4", got)
	}

	// The ledger shows the movement, newest first.
	if st := b.Follow("open the Lyon ledger", chromedp.Click(chromedp.CSS(row+` a[href$="/ledger"]`))); st != http.StatusOK {
		t.Fatalf("the ledger link answered %d, want 200", st)
	}
	if p := b.Path(); p != "/stock/LYS-WH/TEE-BLK-M/ledger" {
		t.Fatalf("the ledger link led to %s", p)
	}
	entry := b.Text(`tr[data-testid=ledger-entry]`)
	for _, want := range []string{"receipt", "+5", "PO 4411 from Porto", ops.Name} {
		if !strings.Contains(entry, want) {
			t.Errorf("the newest ledger row %q lacks %q", entry, want)
		}
	}
	if got := b.Text(`dd[data-testid=on-hand]`); got != "15" {
		t.Errorf("the ledger page shows %q on hand, want 15", got)
	}
}

// pgServeChannel makes location serve channel, keeping the rest of the location.
func pgServeChannel(t *testing.T, env *webtest.Env, location, channel string) {
	t.Helper()
	ctx := context.Background()
	l, err := env.App.Location(ctx, location)
	if err != nil {
		t.Fatal(err)
	}
	in := app.LocationInput{
		Name: l.Name, Kind: l.Kind, Address: l.Address, Timezone: l.Timezone, Ships: &l.Ships, Pickup: &l.Pickup,
		Channels: append(l.Channels, channel), Active: &l.Active,
	}
	if _, _, err := env.App.PutLocation(ctx, app.System, location, in); err != nil {
		t.Fatalf("%s serves %s: %v", location, channel, err)
	}
}
