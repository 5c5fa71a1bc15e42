package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/desk"
	"switchyard/web/webtest"
)

// ordEnv is a Switchyard with two channels (web-eu, and phone of kind manual),
// a Lyon warehouse that serves both, offers pickup and holds 1000 of each
// active SKU (so that orders are routed there at intake), and SKUs (one of
// them inactive).
func ordEnv(t *testing.T) *webtest.Env {
	t.Helper()
	env := webtest.New(t)
	ctx := context.Background()
	for _, ch := range [][3]string{{"web-eu", "Web EU", "shopify"}, {"phone", "Phone orders", "manual"}} {
		if _, _, err := env.App.PutChannel(ctx, app.System, ch[0], app.ChannelInput{Name: ch[1], Kind: ch[2]}); err != nil {
			t.Fatalf("add channel %s: %v", ch[0], err)
		}
	}
	env.AddLocation("LYS-WH", "Lyon warehouse", "web-eu", "phone")
	for code, name := range map[string]string{"TEE-BLK-M": "Black tee M", "TEE-WHT-S": "White tee S", "MUG-WHT": "White mug"} {
		if _, _, err := env.App.PutSKU(ctx, app.System, code, app.SKUInput{Name: name}); err != nil {
			t.Fatalf("add SKU %s: %v", code, err)
		}
		env.Stock("LYS-WH", code, 1000)
	}
	no := false
	if _, _, err := env.App.PutSKU(ctx, app.System, "TEE-OLD", app.SKUInput{Name: "Old tee", Active: &no}); err != nil {
		t.Fatalf("add SKU TEE-OLD: %v", err)
	}
	return env
}

// ordPlace places an order as the system: two tees at 19.90 and a mug at 9.50,
// 4.90 shipping to Lyon (54.20 EUR), changed by edit when not nil.
func ordPlace(t *testing.T, env *webtest.Env, externalID string, edit func(*app.NewOrder)) app.Order {
	t.Helper()
	placed := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	in := app.NewOrder{
		Channel: "web-eu", ExternalID: externalID, PlacedAt: &placed, Currency: "EUR",
		Customer:        app.CustomerInput{Email: "ana@example.com", Name: "Ana Lima", Phone: "+33 6 12 34 56 78"},
		ShippingAddress: &app.AddressInput{Name: "Ana Lima", Line1: "12 rue Mercière", City: "Lyon", PostalCode: "69002", Country: "FR"},
		Delivery:        app.DeliveryInput{Method: "ship"},
		Lines: []app.LineInput{
			{SKU: "TEE-BLK-M", Name: "Black tee M", Quantity: 2, UnitPrice: "19.90"},
			{SKU: "MUG-WHT", Name: "White mug", Quantity: 1, UnitPrice: "9.50"},
		},
		ShippingPrice: "4.90",
	}
	if edit != nil {
		edit(&in)
	}
	o, _, err := env.App.PlaceOrder(context.Background(), app.System, in)
	if err != nil {
		t.Fatalf("place order %s: %v", externalID, err)
	}
	return o
}

// ordAt places an order at a time.
func ordAt(at time.Time) func(*app.NewOrder) { return func(in *app.NewOrder) { in.PlacedAt = &at } }

// ordOrder reads an order back through the app.
func ordOrder(t *testing.T, env *webtest.Env, number string) app.Order {
	t.Helper()
	o, err := env.App.OrderByNumber(context.Background(), number)
	if err != nil {
		t.Fatalf("read order %s: %v", number, err)
	}
	return o
}

// ordReserved reads how much of sku is reserved at location.
func ordReserved(t *testing.T, env *webtest.Env, location, sku string) int64 {
	t.Helper()
	st, err := env.App.StockOfSKU(context.Background(), sku)
	if err != nil {
		t.Fatalf("stock of %s: %v", sku, err)
	}
	for _, l := range st.Levels {
		if l.Location == location {
			return l.Reserved
		}
	}
	t.Fatalf("no level of %s at %s", sku, location)
	return 0
}

// ordRoutedFromLyon is the explanation of an order of ordPlace routed at intake.
const ordRoutedFromLyon = "Routed to Lyon warehouse: the only location with all 3 items."

// ordCount counts every stored order.
func ordCount(t *testing.T, env *webtest.Env) int64 {
	t.Helper()
	l, err := env.Svc.Desk.Orders(context.Background(), desk.OrderQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return l.Total
}

// ordRow finds the numbers of the order rows of a list page, in order.
var ordRow = regexp.MustCompile(`data-testid="order" data-number="([^"]+)"`)

// ordNumbers lists the orders a list page shows, in order.
func ordNumbers(body string) []string {
	var out []string
	for _, m := range ordRow.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// ordList fetches the order list with query and returns the orders shown, failing unless 200.
func ordList(t *testing.T, c *webtest.Client, query string) []string {
	t.Helper()
	res := c.Get("/orders?" + query)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /orders?%s = %d, want 200\n%s", query, res.StatusCode, res.Body)
	}
	return ordNumbers(res.Body)
}

// ordSame reports whether two lists hold the same numbers, in any order.
func ordSame(got []string, want ...string) bool {
	a, b := slices.Clone(got), slices.Clone(want)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// ordErrorBeside returns the error shown beside field, and whether there is one.
func ordErrorBeside(body, field string) (string, bool) {
	m := regexp.MustCompile(`data-field="` + regexp.QuoteMeta(field) + `">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

// ordCountOf reads the count shown on a status tab ("" is All).
func ordCountOf(body, status string) string {
	m := regexp.MustCompile(`data-status="` + regexp.QuoteMeta(status) + `">\s*[^<]*<span class="count">(\d+)</span>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// ordTimeline is the text of the timeline entries of an order page.
func ordTimeline(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<p class="message">([^<]*)</p>`).FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// ordHas reports whether any entry contains part.
func ordHas(entries []string, part string) bool {
	return slices.ContainsFunc(entries, func(e string) bool { return strings.Contains(e, part) })
}

// ordPost posts form to path and wants status.
func ordPost(t *testing.T, c *webtest.Client, path string, form url.Values, want int) *webtest.Response {
	t.Helper()
	res := c.PostForm(path, form)
	if res.StatusCode != want {
		t.Fatalf("POST %s %v = %d, want %d\n%s", path, form, res.StatusCode, want, res.Body)
	}
	return res
}

// ordHTMX sends a request as htmx does: HX-Request and the CSRF header.
func ordHTMX(t *testing.T, env *webtest.Env, c *webtest.Client, method, path string, form url.Values) *webtest.Response {
	t.Helper()
	req, _ := http.NewRequest(method, env.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", c.CSRF())
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return c.Do(req)
}

func TestOrderListFiltersAndCounts(t *testing.T) {
	env := ordEnv(t)
	ctx := context.Background()
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	a := ordPlace(t, env, "A", func(in *app.NewOrder) { in.PlacedAt = ptrTime(day(20, 9)); in.Tags = []string{"vip"} })
	b := ordPlace(t, env, "B", ordAt(day(22, 23)))
	c := ordPlace(t, env, "C", func(in *app.NewOrder) {
		in.PlacedAt = ptrTime(day(24, 0))
		in.Channel = "phone"
		in.ChannelRef = "#1001"
	})
	d := ordPlace(t, env, "D", ordAt(day(25, 12)))
	e := ordPlace(t, env, "E", func(in *app.NewOrder) { in.PlacedAt = ptrTime(day(26, 8)); in.Channel = "phone"; in.Test = true })
	if _, err := env.App.Hold(ctx, app.System, d.Number, app.HoldInput{Reason: "fraud_review"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Cancel(ctx, app.System, e.Number, app.CancelInput{Reason: "test order"}); err != nil {
		t.Fatal(err)
	}
	support, _ := env.SignedIn(app.RoleSupport)

	res := support.Get("/orders")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /orders = %d\n%s", res.StatusCode, res.Body)
	}
	if got := ordNumbers(res.Body); !slices.Equal(got, []string{e.Number, d.Number, c.Number, b.Number, a.Number}) {
		t.Errorf("the list shows %v, want every order newest first", got)
	}
	// Orders are routed at intake: none is left received, so it has no tab.
	for status, want := range map[string]string{"": "5", "routed": "3", "on_hold": "1", "cancelled": "1", "received": ""} {
		if got := ordCountOf(res.Body, status); got != want {
			t.Errorf("the %q tab counts %q, want %q", status, got, want)
		}
	}
	for _, want := range []string{"ana@example.com", "Ana Lima", "54.20 EUR", "#1001", "held for a fraud review", `class="badge test"`, `href="/orders?status=on_hold"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the list lacks %q", want)
		}
	}

	for query, want := range map[string][]string{
		"status=on_hold":                  {d.Number},
		"status=routed&channel=web-eu":    {a.Number, b.Number},
		"status=received":                 {},
		"channel=phone":                   {c.Number, e.Number},
		"tag=VIP":                         {a.Number},
		"on_hold=1":                       {d.Number},
		"from=2026-11-22&to=2026-11-24":   {b.Number, c.Number},
		"to=2026-11-22":                   {a.Number, b.Number},
		"from=2026-11-25":                 {d.Number, e.Number},
		"channel=web-eu&on_hold=1&tag=":   {d.Number},
		"status=&channel=&from=&to=&tag=": {a.Number, b.Number, c.Number, d.Number, e.Number},
	} {
		if got := ordList(t, support, query); !ordSame(got, want...) {
			t.Errorf("/orders?%s shows %v, want %v", query, got, want)
		}
	}
	if got := ordList(t, support, "sort=oldest"); !slices.Equal(got, []string{a.Number, b.Number, c.Number, d.Number, e.Number}) {
		t.Errorf("sort=oldest shows %v, want oldest first", got)
	}

	// Bad filters are explained with 422, never a 500, and show no orders.
	for query, want := range map[string]string{
		"status=lost":       "is not an order status",
		"sort=sideways":     "must be newest or oldest",
		"channel=nope":      `unknown channel "nope"`,
		"after=garbage":     "is not a page cursor",
		"from=yesterday":    "must be a day",
		"limit=lots":        "must be a whole number",
		"status=lost&tag=x": "is not an order status",
	} {
		res := support.Get("/orders?" + query)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("/orders?%s = %d, want 422", query, res.StatusCode)
			continue
		}
		if !strings.Contains(html.UnescapeString(res.Body), want) || !strings.Contains(res.Body, `data-testid="list-problem"`) {
			t.Errorf("/orders?%s does not say %q at the top", query, want)
		}
		if n := len(ordNumbers(res.Body)); n != 0 {
			t.Errorf("/orders?%s shows %d orders, want none", query, n)
		}
	}
	if msg, ok := ordErrorBeside(support.Get("/orders?status=lost").Body, "status"); !ok || msg != "is not an order status" {
		t.Errorf("the status filter shows %q beside it, want the app's message", msg)
	}

	// htmx gets the content without the layout.
	res = ordHTMX(t, env, support, http.MethodGet, "/orders?status=on_hold", nil)
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "<html") || !strings.Contains(res.Body, `id="order-results"`) {
		t.Errorf("htmx GET /orders = %d, want the fragment with the results", res.StatusCode)
	}
}

// ptrTime points at t.
func ptrTime(t time.Time) *time.Time { return &t }

func TestOrderListPages(t *testing.T) {
	env := ordEnv(t)
	var all []string
	for i := range 7 {
		o := ordPlace(t, env, "P"+string(rune('A'+i)), ordAt(time.Date(2026, 11, 1+i, 10, 0, 0, 0, time.UTC)))
		all = append(all, o.Number)
	}
	ordPlace(t, env, "PHONE", func(in *app.NewOrder) { in.Channel = "phone" })
	ops, _ := env.SignedIn(app.RoleOps)

	next := regexp.MustCompile(`href="([^"]*)" rel="next"`)
	path := "/orders?channel=web-eu&limit=3"
	var seen []string
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatalf("more than 3 pages for 7 orders by 3")
		}
		res := ops.Get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d\n%s", path, res.StatusCode, res.Body)
		}
		got := ordNumbers(res.Body)
		if len(got) == 0 || len(got) > 3 {
			t.Fatalf("%s shows %d orders, want 1 to 3", path, len(got))
		}
		for _, n := range got {
			if slices.Contains(seen, n) {
				t.Errorf("order %s is on two pages", n)
			}
		}
		seen = append(seen, got...)
		path = ""
		if m := next.FindStringSubmatch(res.Body); m != nil {
			path = html.UnescapeString(m[1])
			if !strings.Contains(path, "channel=web-eu") || !strings.Contains(path, "limit=3") || !strings.Contains(path, "after=") {
				t.Errorf("the next-page link %q does not carry the filters and the cursor", path)
			}
		}
	}
	slices.Reverse(all)
	if !slices.Equal(seen, all) {
		t.Errorf("the pages showed %v, want %v (newest first, no gaps)", seen, all)
	}
}

func TestOrderPageShowsTheOrder(t *testing.T) {
	env := ordEnv(t)
	o := ordPlace(t, env, "100234", func(in *app.NewOrder) {
		in.ChannelRef, in.Tags, in.Note = "#1001", []string{"vip", "gift"}, "leave at the door"
	})
	support, _ := env.SignedIn(app.RoleSupport)

	res := support.Get("/orders/" + o.Number)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /orders/%s = %d\n%s", o.Number, res.StatusCode, res.Body)
	}
	body := html.UnescapeString(res.Body)
	for _, want := range []string{
		o.Number, `data-status="routed"`, "We have your order and are preparing it; it should leave by", "Web EU", "100234", "#1001",
		"20 Nov 2026, 09:00 UTC", "ana@example.com", "Ana Lima", "+33 6 12 34 56 78", "12 rue Mercière", "69002 Lyon", "FR",
		"Shipping", "gift, vip", "leave at the door", "TEE-BLK-M", "Black tee M", "MUG-WHT", "19.90", "9.50",
		`data-testid="subtotal">49.30`, `data-testid="shipping">4.90`, `data-testid="total">54.20 EUR`,
		"Order received from Web EU (Shopify) as #1001", "customer sees this", "Switchyard",
		`data-kind="routed"`, ordRoutedFromLyon,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the order page lacks %q", want)
		}
	}
	// An undelivered order's promise reads as what is expected, not as done.
	if o.PromisedBy == nil || (!strings.Contains(body, "Expected by") || strings.Contains(body, "Delivered by")) {
		t.Error("the promise of an undelivered order does not read \"Expected by\"")
	}
	if got := ordTimeline(body); len(got) != 2 || !strings.HasPrefix(got[0], "Order received") || got[1] != ordRoutedFromLyon {
		t.Errorf("the timeline is %q, want the intake then the routing decision", got)
	}
	if strings.Contains(body, "unknown SKU") {
		t.Errorf("the page flags a known SKU as unknown")
	}

	// A held order with a SKU the catalog does not know: flagged, with the banner.
	held := ordPlace(t, env, "HELD-1", func(in *app.NewOrder) {
		in.Lines[1].SKU = "GHOST-1"
		in.Hold = &app.HoldInput{Reason: "address_check"}
	})
	body = html.UnescapeString(support.Get("/orders/" + held.Number).Body)
	for _, want := range []string{"unknown SKU", `data-testid="hold-banner"`, "On hold for an address check", "We are checking your shipping address; we will contact you if we need anything."} {
		if !strings.Contains(body, want) {
			t.Errorf("the held order's page lacks %q", want)
		}
	}
	if strings.Contains(body, `data-kind="routed"`) {
		t.Errorf("an order held at intake was routed")
	}

	// A pickup order names its location.
	pickup := ordPlace(t, env, "PICK-1", func(in *app.NewOrder) {
		in.Delivery, in.ShippingAddress = app.DeliveryInput{Method: "pickup", Location: "LYS-WH"}, nil
	})
	body = support.Get("/orders/" + pickup.Number).Body
	if !strings.Contains(body, "Pickup at") || !strings.Contains(body, "Lyon warehouse") || strings.Contains(body, `data-testid="shipping-address"`) {
		t.Errorf("the pickup order's page does not show the pickup location instead of an address")
	}
	if !strings.Contains(body, `data-status="routed"`) || !strings.Contains(body, `data-kind="routed"`) {
		t.Errorf("the pickup order was not routed to its pickup location at intake")
	}

	if res := support.Get("/orders/SY-999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /orders/SY-999999 = %d, want 404", res.StatusCode)
	}
}

func TestHoldAndRelease(t *testing.T) {
	env := ordEnv(t)
	o := ordPlace(t, env, "H1", nil)
	support, _ := env.SignedIn(app.RoleSupport)
	path := "/orders/" + o.Number

	// A reason that is not one of the list: 422, the error beside it, nothing held.
	res := ordPost(t, support, path+"/hold", url.Values{"reason": {"boredom"}, "note": {"why not"}}, http.StatusUnprocessableEntity)
	if msg, ok := ordErrorBeside(res.Body, "reason"); !ok || !strings.Contains(msg, "must be one of") {
		t.Errorf("the hold form shows %q beside the reason, want the list of reasons", msg)
	}
	if !strings.Contains(res.Body, `value="why not"`) {
		t.Errorf("the refused hold form lost the note typed")
	}
	if st := ordOrder(t, env, o.Number).Status; st != app.StatusRouted {
		t.Fatalf("after a refused hold the order is %s", st)
	}

	res = ordPost(t, support, path+"/hold", url.Values{"reason": {"address_check"}, "note": {"Check the door code"}}, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != path {
		t.Errorf("the hold redirected to %q, want %q", loc, path)
	}
	held := ordOrder(t, env, o.Number)
	if held.Status != app.StatusOnHold || held.HoldReason != "address_check" {
		t.Fatalf("after the hold the order is %s (%q)", held.Status, held.HoldReason)
	}
	body := html.UnescapeString(support.Get(path).Body)
	if !strings.Contains(body, "On hold for an address check") || !ordHas(ordTimeline(body), "Order put on hold for an address check: Check the door code.") {
		t.Errorf("the page does not show the hold: banner or timeline missing\n%v", ordTimeline(body))
	}
	if strings.Contains(body, `data-testid="action-hold"`) || !strings.Contains(body, `data-testid="action-release"`) {
		t.Errorf("a held order should offer release and not hold")
	}

	// Holding it again is refused by its status: 409 with the reason on the page.
	res = ordPost(t, support, path+"/hold", url.Values{"reason": {"payment"}}, http.StatusConflict)
	if !strings.Contains(res.Body, "Cannot hold an order that is on hold.") || !strings.Contains(res.Body, `data-testid="order-page"`) {
		t.Errorf("the refused hold does not say why on the order's page")
	}

	// A hold keeps the order's reservations.
	if got := ordOrder(t, env, o.Number); got.Lines[0].Reserved != 2 || got.Lines[1].Reserved != 1 || ordReserved(t, env, "LYS-WH", "TEE-BLK-M") != 2 {
		t.Errorf("the held order's lines reserve %+v", got.Lines)
	}

	// Released, the routed order goes ahead as it was: everything is still
	// reserved, so there is nothing to route again.
	ordPost(t, support, path+"/release", nil, http.StatusSeeOther)
	if st := ordOrder(t, env, o.Number).Status; st != app.StatusRouted {
		t.Fatalf("after the release the order is %s", st)
	}
	body = support.Get(path).Body
	if !ordHas(ordTimeline(body), "Hold (address check) released") {
		t.Errorf("the timeline does not show the release")
	}
	if strings.Count(body, `data-kind="routed"`) != 1 || strings.Contains(body, `data-kind="rerouted"`) {
		t.Errorf("the release routed a fully reserved order again: %q", ordTimeline(body))
	}
}

func TestActionsWithHTMX(t *testing.T) {
	env := ordEnv(t)
	o := ordPlace(t, env, "X1", nil)
	support, _ := env.SignedIn(app.RoleSupport)
	path := "/orders/" + o.Number

	res := ordHTMX(t, env, support, http.MethodPost, path+"/hold", url.Values{"reason": {"payment"}})
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "<html") || !strings.Contains(res.Body, `data-status="on_hold"`) {
		t.Fatalf("htmx hold = %d, want 200 and the updated page without the layout\n%s", res.StatusCode, res.Body)
	}
	if got := res.Header.Get("HX-Replace-Url"); got != path {
		t.Errorf("HX-Replace-Url = %q, want %q", got, path)
	}
	res = ordHTMX(t, env, support, http.MethodPost, path+"/notes", url.Values{"note": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(res.Body, "<html") {
		t.Fatalf("htmx empty note = %d, want 422 and the page fragment", res.StatusCode)
	}
	if msg, ok := ordErrorBeside(res.Body, "note"); !ok || msg != "is required" {
		t.Errorf("the note form shows %q, want is required", msg)
	}
}

func TestCancelLinesPartly(t *testing.T) {
	env := ordEnv(t)
	o := ordPlace(t, env, "C1", nil)
	tee, mug := o.Lines[0], o.Lines[1]
	support, _ := env.SignedIn(app.RoleSupport)
	path := "/orders/" + o.Number
	lines := func(teeQty, mugQty string) url.Values {
		return url.Values{
			"scope": {"lines"}, "reason": {"out of stock"},
			"lines[0].id": {itoa(tee.ID)}, "lines[0].quantity": {teeQty},
			"lines[1].id": {itoa(mug.ID)}, "lines[1].quantity": {mugQty},
		}
	}

	if got := ordOrder(t, env, o.Number); got.Status != app.StatusRouted || ordReserved(t, env, "LYS-WH", "TEE-BLK-M") != 2 {
		t.Fatalf("the new order is %s with %d tees reserved, want routed with both reserved", got.Status, ordReserved(t, env, "LYS-WH", "TEE-BLK-M"))
	}

	// Nothing typed: refused here, so that nothing (least of all the whole order) is cancelled.
	res := ordPost(t, support, path+"/cancel", lines("", ""), http.StatusUnprocessableEntity)
	if _, ok := ordErrorBeside(res.Body, "lines"); !ok {
		t.Errorf("an empty cancel-lines form shows no error")
	}
	res = ordPost(t, support, path+"/cancel", lines("", "one"), http.StatusUnprocessableEntity)
	if msg, _ := ordErrorBeside(res.Body, "lines[1].quantity"); msg != "must be a whole number" {
		t.Errorf("beside the mug's quantity: %q, want must be a whole number", msg)
	}
	// The app sees the mug as its lines[0]: its error is put back beside the mug's row.
	res = ordPost(t, support, path+"/cancel", lines("", "5"), http.StatusUnprocessableEntity)
	if msg, _ := ordErrorBeside(res.Body, "lines[1].quantity"); !strings.Contains(msg, "must be from 1 to 1") {
		t.Errorf("beside the mug's quantity: %q, want must be from 1 to 1", msg)
	}
	if !strings.Contains(res.Body, `value="5"`) {
		t.Errorf("the refused form lost the quantity typed")
	}
	if got := ordOrder(t, env, o.Number); got.Lines[0].Cancelled+got.Lines[1].Cancelled != 0 || got.Status == app.StatusCancelled {
		t.Fatalf("refused cancellations changed the order: %+v", got.Lines)
	}

	ordPost(t, support, path+"/cancel", lines("1", ""), http.StatusSeeOther)
	got := ordOrder(t, env, o.Number)
	if got.Lines[0].Cancelled != 1 || got.Lines[0].Open() != 1 || got.Lines[1].Cancelled != 0 || got.Status != app.StatusRouted {
		t.Fatalf("after cancelling one tee: status %s, lines %+v", got.Status, got.Lines)
	}
	// The cancelled tee's reservation is given back; the rest stays reserved.
	if got.Lines[0].Reserved != 1 || got.Lines[1].Reserved != 1 {
		t.Errorf("after cancelling one tee the lines reserve %d and %d, want 1 and 1", got.Lines[0].Reserved, got.Lines[1].Reserved)
	}
	if tees, mugs := ordReserved(t, env, "LYS-WH", "TEE-BLK-M"), ordReserved(t, env, "LYS-WH", "MUG-WHT"); tees != 1 || mugs != 1 {
		t.Errorf("after cancelling one tee Lyon reserves %d tees and %d mugs, want 1 and 1", tees, mugs)
	}
	body := html.UnescapeString(support.Get(path).Body)
	if !ordHas(ordTimeline(body), "Cancelled 1 × TEE-BLK-M (out of stock).") {
		t.Errorf("the timeline does not show the cancelled line: %v", ordTimeline(body))
	}
	if !strings.Contains(body, `data-testid="cancelled">1</td>`) || !strings.Contains(body, `data-testid="open">1</td>`) {
		t.Errorf("the lines table does not show 1 cancelled and 1 open")
	}
}

func TestCancelWholeOrderHidesActions(t *testing.T) {
	env := ordEnv(t)
	o := ordPlace(t, env, "W1", nil)
	path := "/orders/" + o.Number
	all := []string{"action-hold", "action-cancel", "action-cancel-lines", "action-address", "action-note"}
	for _, role := range []app.Role{app.RoleSupport, app.RoleOps, app.RoleAdmin} {
		c, _ := env.SignedIn(role)
		body := c.Get(path).Body
		for _, a := range all {
			if !strings.Contains(body, `data-testid="`+a+`"`) {
				t.Errorf("%s does not see %s on a routed order", role, a)
			}
		}
		if strings.Contains(body, `data-testid="action-release"`) {
			t.Errorf("%s sees release on an order that is not held", role)
		}
	}

	support, _ := env.SignedIn(app.RoleSupport)
	res := ordPost(t, support, path+"/cancel", url.Values{"scope": {"order"}, "reason": {""}}, http.StatusUnprocessableEntity)
	if msg, _ := ordErrorBeside(res.Body, "reason"); msg != "is required" {
		t.Errorf("a cancel without reason shows %q", msg)
	}
	ordPost(t, support, path+"/cancel", url.Values{"scope": {"order"}, "reason": {"customer changed their mind"}}, http.StatusSeeOther)
	if st := ordOrder(t, env, o.Number).Status; st != app.StatusCancelled {
		t.Fatalf("after cancelling, the order is %s", st)
	}
	if tees, mugs := ordReserved(t, env, "LYS-WH", "TEE-BLK-M"), ordReserved(t, env, "LYS-WH", "MUG-WHT"); tees != 0 || mugs != 0 {
		t.Errorf("the cancelled order still reserves %d tees and %d mugs in Lyon", tees, mugs)
	}
	body := html.UnescapeString(support.Get(path).Body)
	for _, a := range []string{"action-hold", "action-cancel\"", "action-cancel-lines", "action-address", "action-release"} {
		if strings.Contains(body, `data-testid="`+a) {
			t.Errorf("a cancelled order still offers %s", a)
		}
	}
	if !strings.Contains(body, `data-testid="action-note"`) || !strings.Contains(body, "Your order was cancelled.") {
		t.Errorf("a cancelled order should still take notes and say it was cancelled")
	}
	if !ordHas(ordTimeline(body), "Order cancelled (customer changed their mind).") {
		t.Errorf("the timeline does not show the cancellation")
	}
	res = ordPost(t, support, path+"/hold", url.Values{"reason": {"payment"}}, http.StatusConflict)
	if !strings.Contains(res.Body, "Cannot hold an order that is cancelled.") {
		t.Errorf("holding a cancelled order does not say why")
	}
}

func TestChangeAddress(t *testing.T) {
	env := ordEnv(t)
	o := ordPlace(t, env, "A1", nil)
	support, _ := env.SignedIn(app.RoleSupport)
	path := "/orders/" + o.Number
	if body := support.Get(path).Body; !strings.Contains(body, `id="addr-line1" name="line1" value="12 rue Mercière"`) {
		t.Errorf("the address form is not filled with the current address")
	}
	addr := url.Values{"name": {"Ana Lima"}, "line1": {"3 quai Saint-Antoine"}, "city": {"Lyon"}, "postal_code": {"69002"}, "country": {"ZZ"}}

	res := ordPost(t, support, path+"/address", addr, http.StatusUnprocessableEntity)
	if msg, ok := ordErrorBeside(res.Body, "country"); !ok || !strings.Contains(msg, "ISO 3166-1") {
		t.Errorf("beside the country: %q, want the ISO 3166-1 message", msg)
	}
	if !strings.Contains(res.Body, `value="3 quai Saint-Antoine"`) || !strings.Contains(res.Body, `value="ZZ"`) {
		t.Errorf("the refused address form lost what was typed")
	}
	if got := ordOrder(t, env, o.Number).ShippingAddress; got.Line1 != "12 rue Mercière" || got.Country != "FR" {
		t.Fatalf("a refused address change changed the address to %+v", got)
	}

	addr.Set("country", "fr")
	ordPost(t, support, path+"/address", addr, http.StatusSeeOther)
	if got := ordOrder(t, env, o.Number).ShippingAddress; got.Line1 != "3 quai Saint-Antoine" || got.Country != "FR" {
		t.Fatalf("after the change the address is %+v", got)
	}
	body := support.Get(path).Body
	if !ordHas(ordTimeline(body), "Shipping address changed from 12 rue Mercière, Lyon, FR to 3 quai Saint-Antoine, Lyon, FR.") {
		t.Errorf("the timeline does not show the address change")
	}
	// The new address is routed again: the pending fulfillment is given back and Lyon takes it anew.
	if !strings.Contains(body, `data-kind="rerouted"`) {
		t.Errorf("the address change did not route the order again: %q", ordTimeline(body))
	}
	if got := ordOrder(t, env, o.Number); got.Status != app.StatusRouted || got.Lines[0].Reserved != 2 || ordReserved(t, env, "LYS-WH", "TEE-BLK-M") != 2 {
		t.Errorf("after routing again the order is %s, reserving %+v (%d tees in Lyon)", got.Status, got.Lines, ordReserved(t, env, "LYS-WH", "TEE-BLK-M"))
	}
}

func TestNotesAndTimelineFilter(t *testing.T) {
	env := ordEnv(t)
	o := ordPlace(t, env, "N1", nil)
	support, _ := env.SignedIn(app.RoleSupport)
	path := "/orders/" + o.Number

	ordPost(t, support, path+"/notes", url.Values{"note": {"Customer called about the colour."}}, http.StatusSeeOther)
	ordPost(t, support, path+"/hold", url.Values{"reason": {"customer_request"}}, http.StatusSeeOther)

	all := ordTimeline(support.Get(path).Body)
	if len(all) != 4 || !strings.HasPrefix(all[0], "Order received") || all[1] != ordRoutedFromLyon ||
		all[2] != "Customer called about the colour." || !strings.HasPrefix(all[3], "Order put on hold") {
		t.Errorf("the whole timeline, oldest first, is %q", all)
	}
	res := support.Get(path + "?timeline=notes")
	notes := ordTimeline(res.Body)
	if len(notes) != 1 || notes[0] != "Customer called about the colour." {
		t.Errorf("the notes filter shows %q, want the note alone", notes)
	}
	if !strings.Contains(res.Body, `class="event note"`) || !strings.Contains(res.Body, "internal note") {
		t.Errorf("the note is not marked as one")
	}
	customer := ordTimeline(support.Get(path + "?timeline=customer").Body)
	if len(customer) != 1 || !strings.HasPrefix(customer[0], "Order received") {
		t.Errorf("the customer filter shows %q, want only what the customer sees", customer)
	}
}

func TestManualOrderForm(t *testing.T) {
	env := ordEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)

	res := ops.Get("/orders/new")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /orders/new = %d\n%s", res.StatusCode, res.Body)
	}
	if n := strings.Count(res.Body, `data-testid="new-line"`); n != 3 {
		t.Errorf("the form starts with %d line rows, want 3", n)
	}
	for _, want := range []string{
		`name="currency" value="EUR"`, `<option value="phone" selected>`, `<option value="LYS-WH">`, `name="lines[2].unit_price"`,
		`list="sku-options-0"`, `hx-get="/skus/search"`, `hx-get="/orders/new/line?i=3"`,
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the new order form lacks %q", want)
		}
	}

	form := url.Values{
		"channel": {"phone"}, "external_id": {""}, "currency": {"eur"},
		"customer.email": {"bo@example.com"}, "customer.name": {"Bo Berg"}, "customer.phone": {"+46 8 123 45"},
		"delivery.method": {"ship"}, "delivery.location": {""},
		"shipping_address.name": {"Bo Berg"}, "shipping_address.line1": {"Drottninggatan 1"},
		"shipping_address.city": {"Stockholm"}, "shipping_address.postal_code": {"111 51"}, "shipping_address.country": {"se"},
		"lines[0].sku": {"TEE-BLK-M"}, "lines[0].quantity": {"2"}, "lines[0].unit_price": {"19.90"}, "lines[0].name": {""},
		"lines[1].sku": {""}, "lines[1].quantity": {""}, "lines[1].unit_price": {""}, "lines[1].name": {""},
		// Prices typed with a decimal comma, as many locales write them.
		"lines[2].sku": {"MUG-WHT"}, "lines[2].quantity": {"1"}, "lines[2].unit_price": {"9,50"}, "lines[2].name": {"Mug"},
		"shipping_price": {"4,90"}, "tags": {"phone, VIP"}, "note": {"call before delivery"},
	}
	res = ordPost(t, ops, "/orders", form, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	number := strings.TrimPrefix(loc, "/orders/")
	if !regexp.MustCompile(`^SY-\d+$`).MatchString(number) {
		t.Fatalf("the new order redirected to %q, want /orders/SY-… and nothing more", loc)
	}
	o := ordOrder(t, env, number)
	if o.Channel != "phone" || o.Currency.Code != "EUR" || o.Total != 5420 || o.Subtotal != 4930 || o.ShippingPrice != 490 {
		t.Errorf("the order is %s %s total %d subtotal %d shipping %d", o.Channel, o.Currency.Code, o.Total, o.Subtotal, o.ShippingPrice)
	}
	if !regexp.MustCompile(`^M-[A-Z2-7]{8}$`).MatchString(o.ExternalID) {
		t.Errorf("the generated external id is %q, want M- and 8 base32 characters", o.ExternalID)
	}
	if len(o.Lines) != 2 || o.Lines[0].SKU != "TEE-BLK-M" || o.Lines[0].Quantity != 2 || o.Lines[0].UnitPrice != 1990 ||
		o.Lines[1].SKU != "MUG-WHT" || o.Lines[1].Quantity != 1 || o.Lines[1].UnitPrice != 950 || o.Lines[1].Name != "Mug" {
		t.Errorf("the lines are %+v", o.Lines)
	}
	if o.ShippingAddress == nil || o.ShippingAddress.Country != "SE" || o.Customer.Email != "bo@example.com" ||
		!slices.Equal(o.Tags, []string{"phone", "vip"}) || o.Note != "call before delivery" {
		t.Errorf("the order's customer, address, tags or note are wrong: %+v %+v %v %q", o.Customer, o.ShippingAddress, o.Tags, o.Note)
	}
	if body := ops.Get(loc).Body; !strings.Contains(body, "Order created.") {
		t.Errorf("the order page after creating does not say so")
	}

	// The same form sent twice (a double click) is the same order: the id generated with it is kept.
	page := ops.Get("/orders/new").Body
	draft := regexp.MustCompile(`name="draft_id" value="(M-[A-Z2-7]{8})"`).FindStringSubmatch(page)
	if draft == nil {
		t.Fatalf("the new order form carries no generated id")
	}
	form.Set("draft_id", draft[1])
	first := ordPost(t, ops, "/orders", form, http.StatusSeeOther).Header.Get("Location")
	firstPage := ops.Get(first).Body
	second := ordPost(t, ops, "/orders", form, http.StatusSeeOther).Header.Get("Location")
	secondPage := ops.Get(second).Body
	if first != second || !strings.Contains(firstPage, "Order created.") || !strings.Contains(secondPage, "already taken in") {
		t.Errorf("the same form twice led to %q then %q, want one order, created then already taken in", first, second)
	}
	if got, err := env.App.OrderByExternal(context.Background(), "phone", draft[1]); err != nil || len(got.Lines) != 2 {
		t.Errorf("the order keyed by the form's id %s: %v", draft[1], err)
	}
	form.Del("draft_id")

	// An external id typed in is used; the same again is the same order.
	form.Set("external_id", "PHONE-1")
	res = ordPost(t, ops, "/orders", form, http.StatusSeeOther)
	ops.Get(res.Header.Get("Location"))
	again := ordPost(t, ops, "/orders", form, http.StatusSeeOther)
	if !strings.Contains(ops.Get(again.Header.Get("Location")).Body, "already taken in") ||
		again.Header.Get("Location") != res.Header.Get("Location") {
		t.Errorf("the same external id twice led to %q then %q", res.Header.Get("Location"), again.Header.Get("Location"))
	}
	if got, err := env.App.OrderByExternal(context.Background(), "phone", "PHONE-1"); err != nil || len(got.Lines) != 2 {
		t.Errorf("order PHONE-1: %v", err)
	}

	// A pickup order needs no address.
	pickup := url.Values{
		"channel": {"phone"}, "currency": {"EUR"}, "customer.email": {"cy@example.com"},
		"delivery.method": {"pickup"}, "delivery.location": {"LYS-WH"},
		"lines[0].sku": {"MUG-WHT"}, "lines[0].quantity": {"3"}, "lines[0].unit_price": {"9.50"},
	}
	res = ordPost(t, ops, "/orders", pickup, http.StatusSeeOther)
	p := ordOrder(t, env, strings.Split(strings.TrimPrefix(res.Header.Get("Location"), "/orders/"), "?")[0])
	if p.Delivery.Method != "pickup" || p.Delivery.Location != "LYS-WH" || p.ShippingAddress != nil || p.Total != 2850 {
		t.Errorf("the pickup order is %+v, address %+v, total %d", p.Delivery, p.ShippingAddress, p.Total)
	}
}

func TestManualOrderFormBadInput(t *testing.T) {
	env := ordEnv(t)
	support, _ := env.SignedIn(app.RoleSupport)
	before := ordCount(t, env)
	base := func() url.Values {
		return url.Values{
			"channel": {"phone"}, "currency": {"EUR"}, "customer.email": {"bo@example.com"}, "delivery.method": {"ship"},
			"shipping_address.line1": {"Drottninggatan 1"}, "shipping_address.city": {"Stockholm"}, "shipping_address.country": {"SE"},
			"lines[0].sku": {"TEE-BLK-M"}, "lines[0].quantity": {"1"}, "lines[0].unit_price": {"19.90"},
		}
	}

	// An unknown SKU on line 2: the error beside it, every value kept.
	f := base()
	f.Set("lines[1].sku", "NOPE-1")
	f.Set("lines[1].quantity", "2")
	f.Set("lines[1].unit_price", "5.00")
	res := ordPost(t, support, "/orders", f, http.StatusUnprocessableEntity)
	if msg, _ := ordErrorBeside(res.Body, "lines[1].sku"); msg != `unknown SKU "NOPE-1"` {
		t.Errorf("beside lines[1].sku: %q, want unknown SKU", msg)
	}
	for _, want := range []string{`value="NOPE-1"`, `value="5.00"`, `value="bo@example.com"`, `value="Drottninggatan 1"`, `<option value="phone" selected>`, "Please correct the fields marked below."} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the refused form lost %q", want)
		}
	}

	// A zero quantity, a bad price, a bad email and no channel: each beside its field.
	f = base()
	f.Set("channel", "")
	f.Set("customer.email", "not an email")
	f.Set("lines[1].sku", "MUG-WHT")
	f.Set("lines[1].quantity", "0")
	f.Set("lines[1].unit_price", "9.999")
	res = ordPost(t, support, "/orders", f, http.StatusUnprocessableEntity)
	for field, want := range map[string]string{
		"lines[1].quantity": "must be a whole number from 1", "lines[1].unit_price": "", "customer.email": "must be an email address", "channel": "is required",
	} {
		if msg, ok := ordErrorBeside(res.Body, field); !ok || !strings.Contains(msg, want) {
			t.Errorf("beside %s: %q (shown %v), want %q", field, msg, ok, want)
		}
	}

	// A quantity that is not a number is refused before the app.
	f = base()
	f.Set("lines[0].quantity", "two")
	res = ordPost(t, support, "/orders", f, http.StatusUnprocessableEntity)
	if msg, _ := ordErrorBeside(res.Body, "lines[0].quantity"); msg != "must be a whole number" {
		t.Errorf("beside lines[0].quantity: %q", msg)
	}

	// Blank rows are skipped: the app's lines[0] is the form's third row.
	f = url.Values{}
	for k, v := range base() {
		if !strings.HasPrefix(k, "lines[") {
			f[k] = v
		}
	}
	f.Set("lines[2].sku", "NOPE-2")
	f.Set("lines[2].quantity", "1")
	f.Set("lines[2].unit_price", "1.00")
	res = ordPost(t, support, "/orders", f, http.StatusUnprocessableEntity)
	if msg, _ := ordErrorBeside(res.Body, "lines[2].sku"); msg != `unknown SKU "NOPE-2"` {
		t.Errorf("beside lines[2].sku: %q", msg)
	}
	if _, ok := ordErrorBeside(res.Body, "lines[0].sku"); ok {
		t.Errorf("an error is shown beside the blank first row")
	}

	// Only blank rows: the order needs a line.
	f = base()
	f.Del("lines[0].sku")
	f.Del("lines[0].quantity")
	f.Del("lines[0].unit_price")
	res = ordPost(t, support, "/orders", f, http.StatusUnprocessableEntity)
	if _, ok := ordErrorBeside(res.Body, "lines"); !ok {
		t.Errorf("a form without lines does not say it needs one")
	}

	if after := ordCount(t, env); after != before {
		t.Errorf("refused forms wrote %d orders", after-before)
	}
}

func TestAddLineAndSKUSearch(t *testing.T) {
	env := ordEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)

	res := ordHTMX(t, env, ops, http.MethodGet, "/orders/new/line?i=3", nil)
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "<html") {
		t.Fatalf("GET /orders/new/line?i=3 = %d, want 200 and a fragment", res.StatusCode)
	}
	for _, want := range []string{`name="lines[3].sku"`, `name="lines[3].quantity"`, `list="sku-options-3"`, `id="sku-options-3"`, `hx-get="/orders/new/line?i=4"`, `hx-swap-oob="true"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the added line lacks %q", want)
		}
	}
	if res := ops.Get("/orders/new/line?i=x"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("GET /orders/new/line?i=x = %d, want 422", res.StatusCode)
	}

	options := regexp.MustCompile(`<option value="([^"]+)">`)
	search := func(query string) []string {
		res := ops.Get("/skus/search?" + query)
		if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "<html") {
			t.Fatalf("GET /skus/search?%s = %d, want 200 and options only", query, res.StatusCode)
		}
		var codes []string
		for _, m := range options.FindAllStringSubmatch(res.Body, -1) {
			codes = append(codes, m[1])
		}
		return codes
	}
	if got := search("q=TEE"); !slices.Equal(got, []string{"TEE-BLK-M", "TEE-WHT-S"}) {
		t.Errorf("searching TEE offers %v, want the active tees", got)
	}
	if got := search(url.Values{"lines[4].sku": {"mug"}}.Encode()); !slices.Equal(got, []string{"MUG-WHT"}) {
		t.Errorf("a line's input typing mug gets %v, want MUG-WHT (by its name)", got)
	}
	if got := search("q="); len(got) != 0 {
		t.Errorf("an empty search offers %v", got)
	}
	if body := ops.Get("/skus/search?q=MUG").Body; !strings.Contains(body, `<option value="MUG-WHT">White mug</option>`) {
		t.Errorf("the option does not name the SKU: %s", body)
	}
}

func TestWarehouseCannotUseOrderPages(t *testing.T) {
	env := ordEnv(t)
	o := ordPlace(t, env, "WH1", nil)
	wh, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	for _, path := range []string{"/orders", "/orders/new", "/orders/" + o.Number, "/skus/search?q=TEE"} {
		if res := wh.Get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s as warehouse = %d, want 403", path, res.StatusCode)
		}
	}
	if res := wh.PostForm("/orders/"+o.Number+"/hold", url.Values{"reason": {"payment"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST hold as warehouse = %d, want 403", res.StatusCode)
	}
	if st := ordOrder(t, env, o.Number).Status; st != app.StatusRouted {
		t.Errorf("the warehouse user changed the order to %s", st)
	}
}

func TestOrderListCountsAndKeepsEveryFilter(t *testing.T) {
	env := ordEnv(t)
	ctx := context.Background()
	var held []string
	for i := range 7 {
		o := ordPlace(t, env, "C"+itoa(int64(i)), func(in *app.NewOrder) {
			in.PlacedAt = ptrTime(time.Date(2026, 11, 1+i, 10, 0, 0, 0, time.UTC))
			in.Tags = []string{"vip"}
		})
		if i%2 == 0 {
			if _, err := env.App.Hold(ctx, app.System, o.Number, app.HoldInput{Reason: "payment"}); err != nil {
				t.Fatal(err)
			}
			held = append([]string{o.Number}, held...)
		}
	}
	ordPlace(t, env, "PHONE", func(in *app.NewOrder) { in.Channel = "phone"; in.Tags = []string{"vip"} })
	ops, _ := env.SignedIn(app.RoleOps)
	row := regexp.MustCompile(`data-testid="order" data-number="([^"]+)"`)

	p := followPages(t, ops, "/orders?channel=web-eu&limit=3", row)
	if len(p.rows) != 7 || len(p.urls) != 3 {
		t.Errorf("web-eu pages = %v over %v, want 7 orders on 3 pages", p.rows, p.urls)
	}
	checkPages(t, p, "7 orders", "/orders?channel=web-eu&limit=3", "channel=web-eu", "limit=3")

	start := "/orders?channel=web-eu&from=2026-11-01&on_hold=1&tag=vip&to=2026-11-30&limit=2"
	p = followPages(t, ops, start, row)
	if !slices.Equal(p.rows, held) {
		t.Errorf("held vip pages = %v, want %v", p.rows, held)
	}
	checkPages(t, p, "4 orders", "/orders?channel=web-eu&from=2026-11-01&limit=2&on_hold=1&tag=vip&to=2026-11-30",
		"channel=web-eu", "from=2026-11-01", "on_hold=1", "tag=vip", "to=2026-11-30", "limit=2", "after=")
}

func TestManualOrderFormShowsEveryProblemAtOnce(t *testing.T) {
	env := ordEnv(t)
	support, _ := env.SignedIn(app.RoleSupport)
	before := ordCount(t, env)
	f := url.Values{
		"channel": {"phone"}, "currency": {"EUR"}, "customer.email": {"not an email"}, "delivery.method": {"ship"},
		"shipping_address.line1": {"Drottninggatan 1"}, "shipping_address.city": {"Stockholm"}, "shipping_address.country": {"SE"},
		"lines[0].sku": {"TEE-BLK-M"}, "lines[0].quantity": {"two"}, "lines[0].unit_price": {"19.90"},
		"lines[1].sku": {""}, "lines[1].quantity": {""}, "lines[1].unit_price": {""},
		"lines[2].sku": {"NOPE-1"}, "lines[2].quantity": {"1"}, "lines[2].unit_price": {"abc"},
	}
	res := ordPost(t, support, "/orders", f, http.StatusUnprocessableEntity)
	for field, want := range map[string]string{
		"customer.email":      "must be an email address",
		"lines[0].quantity":   "must be a whole number",
		"lines[2].sku":        `unknown SKU "NOPE-1"`,
		"lines[2].unit_price": "",
	} {
		if msg, ok := ordErrorBeside(res.Body, field); !ok || !strings.Contains(msg, want) {
			t.Errorf("beside %s: %q (shown %v), want %q", field, msg, ok, want)
		}
	}
	if msg, _ := ordErrorBeside(res.Body, "lines[0].quantity"); msg != "must be a whole number" {
		t.Errorf("beside lines[0].quantity: %q, want the form's own words", msg)
	}
	if _, ok := ordErrorBeside(res.Body, "lines[1].sku"); ok {
		t.Errorf("an error is shown beside the blank row")
	}
	if after := ordCount(t, env); after != before {
		t.Errorf("the refused form wrote %d orders", after-before)
	}
}
