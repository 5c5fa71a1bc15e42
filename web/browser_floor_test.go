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

// TestBrowserShipmentAndTracking takes an order across the warehouse floor in a
// real Chromium: the Lyon lead accepts it in the queue, checks the pick list and
// confirms the shipment with a UPS tracking number; then a support agent finds
// the order by typing that number loosely in the header's search box, sees it
// shipped with its tracking link, and opens the customer's tracking page.
func TestBrowserShipmentAndTracking(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := webtest.New(t)
	ctx := context.Background()
	if _, _, err := env.App.PutChannel(ctx, app.System, "web-eu", app.ChannelInput{Name: "Web EU", Kind: "shopify"}); err != nil {
		t.Fatalf("add channel web-eu: %v", err)
	}
	env.AddLocation("LYS-WH", "Lyon warehouse", "web-eu")
	if _, _, err := env.App.PutSKU(ctx, app.System, "TEE-BLK-M", app.SKUInput{Name: "Black tee M"}); err != nil {
		t.Fatalf("add SKU TEE-BLK-M: %v", err)
	}
	env.Stock("LYS-WH", "TEE-BLK-M", 50)
	lead, leadPassword := env.AddUser(app.RoleWarehouse, "LYS-WH")
	agent, agentPassword := env.AddUser(app.RoleSupport)

	const customerEmail = "camille.martin@example.com"
	o, _, err := env.App.PlaceOrder(ctx, app.System, app.NewOrder{
		Channel: "web-eu", ExternalID: "1001", Currency: "EUR",
		Customer:        app.CustomerInput{Email: customerEmail, Name: "Camille Martin"},
		ShippingAddress: &app.AddressInput{Line1: "1 rue", City: "Lyon", Country: "FR"},
		Lines:           []app.LineInput{{SKU: "TEE-BLK-M", Quantity: 2, UnitPrice: "19.90"}},
	})
	if err != nil {
		t.Fatalf("place order: %v", err)
	}
	const number = "SY-000001"
	if o.Number != number {
		t.Fatalf("the order is numbered %q, want %s", o.Number, number)
	}
	const (
		trackingNumber = "1Z5R89390357567127"
		typedTracking  = "1z5r 8939 0357 5671 27"
	)
	row := `tr[data-testid=fulfillment][data-order="` + number + `"]`

	// 1. The warehouse lead accepts the order in the Lyon queue.
	signIn(t, b, env.Server.URL, lead.Email, leadPassword)
	if st := b.Open(env.Server.URL + "/queue"); st != http.StatusOK {
		t.Fatalf("GET /queue answered %d, want 200 after the redirect", st)
	}
	if p := b.Path(); p != "/locations/LYS-WH/queue" {
		t.Fatalf("/queue led the Lyon lead to %s, want /locations/LYS-WH/queue", p)
	}
	if got := b.Text(chromedp.CSS(row + ` td code`)); got != number {
		t.Fatalf("the queue's row shows the order %q, want %s", got, number)
	}
	b.Do("accept the order",
		chromedp.Click(chromedp.CSS(row+` [data-testid=action-accept] button[type=submit]`)),
	)
	floorWait(t, b, "the accepted notice shows",
		`document.querySelector("#queue [data-testid=notice]")?.textContent.includes("Accepted") === true`)
	if kind := floorAttr(t, b, `#queue [data-testid=notice]`, "data-kind"); kind != "ok" {
		t.Errorf("the notice after accepting is of kind %q, want ok: %q", kind, b.Text(`#queue [data-testid=notice]`))
	}

	if st := b.Follow("open the Accepted tab", chromedp.Click(chromedp.CSS(`[data-testid=queue-tabs] a[data-status=accepted]`))); st != http.StatusOK {
		t.Fatalf("the Accepted tab answered %d, want 200", st)
	}
	b.Do("wait for the accepted tab", chromedp.WaitVisible(chromedp.CSS(`#queue[data-status=accepted] `+row)))

	// The pick list lists the two tees.
	if st := b.Follow("open the pick list", chromedp.Click(chromedp.CSS(`[data-testid=picklist-link]`))); st != http.StatusOK {
		t.Fatalf("the pick list answered %d, want 200", st)
	}
	if p := b.Path(); p != "/locations/LYS-WH/picklist" {
		t.Fatalf("the pick list link led to %s", p)
	}
	if got := b.Text(`tr[data-testid=pick-sku][data-sku="TEE-BLK-M"] [data-testid=quantity]`); got != "2" {
		t.Errorf("the pick list asks for %q of TEE-BLK-M, want 2", got)
	}
	if got := b.Texts(`[data-testid=pick-order][data-order="` + number + `"] [data-testid=pick-line]`); len(got) != 1 || !strings.Contains(got[0], "TEE-BLK-M") || !strings.Contains(got[0], "× 2") {
		t.Errorf("the pick list's lines for %s are %q, want TEE-BLK-M × 2", number, got)
	}

	// Back to the accepted tab, and confirm the shipment.
	if st := b.Follow("go back to the queue", chromedp.Click(browsertest.Find("a", "Back to the queue"))); st != http.StatusOK {
		t.Fatalf("Back to the queue answered %d, want 200", st)
	}
	b.Do("wait for the accepted tab again", chromedp.WaitVisible(chromedp.CSS(`#queue[data-status=accepted] `+row)))
	if st := b.Follow("click Confirm shipment", chromedp.Click(browsertest.Find(row+` [data-testid=ship-link]`, "Confirm shipment"))); st != http.StatusOK {
		t.Fatalf("Confirm shipment answered %d, want 200", st)
	}
	b.Do("wait for the ship form", chromedp.WaitVisible(chromedp.CSS(`[data-testid=ship-form]`)))
	if got := b.Text(`[data-testid=ship-page] h1 code`); got != number {
		t.Errorf("the ship page is for %q, want %s", got, number)
	}
	if got, err := chromedp.Run(b.Ctx, chromedp.Value(chromedp.CSS(`tr[data-testid=ship-line][data-sku="TEE-BLK-M"] input.qty`))); err != nil || got != "2" {
		t.Errorf("the ship form offers %q tees (err %v), want all 2", got, err)
	}
	b.Do("fill the shipment",
		chromedp.SetValue(chromedp.ID("ship-carrier"), "ups"),
		chromedp.SendKeys(chromedp.ID("ship-tracking"), trackingNumber),
	)
	if got, err := chromedp.Run(b.Ctx, chromedp.Value(chromedp.ID("ship-carrier"))); err != nil || got != "ups" {
		t.Fatalf("the carrier select holds %q (err %v), want ups", got, err)
	}
	if st := b.Follow("submit the shipment", chromedp.Click(browsertest.Find(`[data-testid=ship-form] button[type=submit]`, "Confirm shipment"))); st != http.StatusOK {
		t.Fatalf("confirming the shipment ended with %d on %s; page says:\n%s", st, b.Path(), b.Text(`main`))
	}
	if p := b.Path(); p != "/locations/LYS-WH/queue" {
		t.Fatalf("after confirming the shipment the browser is on %s, want the queue; page says:\n%s", p, b.Text(`main`))
	}
	if got := b.Text(`#queue [data-testid=notice]`); got != "Saved: order "+number+" has shipped." {
		t.Errorf("the queue's notice after shipping is %q, want the order to have shipped", got)
	}
	if kind := floorAttr(t, b, `#queue [data-testid=notice]`, "data-kind"); kind != "ok" {
		t.Errorf("the notice after shipping is of kind %q, want ok (a valid UPS number)", kind)
	}

	// 2. The lead signs out; a support agent finds the order by its tracking number.
	b.Follow("click Sign out", chromedp.Click(browsertest.Find("header.top button", "Sign out")))
	if p := b.Path(); p != "/login" {
		t.Fatalf("after signing out the browser is on %s, want /login", p)
	}
	signIn(t, b, env.Server.URL, agent.Email, agentPassword)
	if st := b.Follow("search for the tracking number",
		chromedp.SendKeys(chromedp.CSS(`header.top input[data-search]`), typedTracking+"\r"),
	); st != http.StatusOK {
		t.Fatalf("searching for %q ended with %d on %s, want 200", typedTracking, st, b.Path())
	}
	if p := b.Path(); p != "/orders/"+number {
		t.Fatalf("searching for %q led to %s, want /orders/%s (the only exact hit); page says:\n%s", typedTracking, p, number, b.Text(`main`))
	}
	b.Do("wait for the order page", chromedp.WaitVisible(chromedp.CSS(`[data-testid=order-page]`)))
	if st := floorAttr(t, b, `main h1 [data-testid=status]`, "data-status"); st != "shipped" {
		t.Errorf("the order's status is %q, want shipped", st)
	}
	const orderLink = `[data-testid=order-page] [data-testid=tracking-link]`
	if got := b.Text(orderLink); got != trackingNumber {
		t.Errorf("the order's tracking link says %q, want %s", got, trackingNumber)
	}
	if href := floorAttr(t, b, orderLink, "href"); !strings.Contains(href, "ups.com") {
		t.Errorf("the order's tracking link goes to %q, want a ups.com address", href)
	}

	// 3. The customer's tracking page.
	if st := b.Follow("open the customer's tracking page", chromedp.Click(chromedp.CSS(`[data-testid=customer-tracking-page]`))); st != http.StatusOK {
		t.Fatalf("the customer's tracking page answered %d, want 200", st)
	}
	if p := b.Path(); !strings.HasPrefix(p, "/t/") || len(p) <= len("/t/") {
		t.Fatalf("the customer's tracking page is at %s, want /t/<token>", p)
	}
	b.Do("wait for the tracking page", chromedp.WaitVisible(chromedp.CSS(`[data-testid=tracking]`)))
	if got := b.Text(`[data-testid=tracking-sentence]`); !strings.Contains(got, "UPS") {
		t.Errorf("the tracking page's sentence is %q, want it to mention UPS", got)
	}
	const pageLink = `[data-testid=tracking] [data-testid=tracking-link]`
	if got := b.Text(pageLink); got != trackingNumber {
		t.Errorf("the tracking page's link says %q, want %s", got, trackingNumber)
	}
	if href := floorAttr(t, b, pageLink, "href"); !strings.Contains(href, "ups.com") {
		t.Errorf("the tracking page's link goes to %q, want a ups.com address", href)
	}
	html, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		t.Fatalf("read the tracking page: %v", err)
	}
	if strings.Contains(strings.ToLower(html), strings.ToLower(customerEmail)) {
		t.Errorf("the customer's tracking page shows the customer's email %s", customerEmail)
	}
}

// floorWait waits until the JavaScript expression is true, failing the test after a step's timeout.
func floorWait(t *testing.T, b *browsertest.Browser, what, expr string) {
	t.Helper()
	ok, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(browsertest.StepTimeout)))
	if err != nil || !ok {
		t.Fatalf("browser: %s: still not the case after %s (%v) on %s\npage says:\n%s", what, browsertest.StepTimeout, err, b.URL(), b.Text(`main`))
	}
}

// floorAttr reads an attribute of the first element matching css, "" when there is none.
func floorAttr(t *testing.T, b *browsertest.Browser, css, attr string) string {
	t.Helper()
	q, _ := json.Marshal(css)
	a, _ := json.Marshal(attr)
	out, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](
		`document.querySelector(`+string(q)+`)?.getAttribute(`+string(a)+`) ?? ""`))
	if err != nil {
		t.Fatalf("read %s of %s: %v", attr, css, err)
	}
	return out
}
