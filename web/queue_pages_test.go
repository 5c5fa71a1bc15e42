package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/web/webtest"
)

// quEnv is a Switchyard with one channel (web-eu) served by a Lyon warehouse
// (LYS-WH: 50 tees, 50 mugs) and a Paris warehouse (PAR-WH: 50 caps only),
// so that tees and mugs are routed to Lyon and caps to Paris.
func quEnv(t *testing.T) *webtest.Env {
	t.Helper()
	env := webtest.New(t)
	ctx := context.Background()
	if _, _, err := env.App.PutChannel(ctx, app.System, "web-eu", app.ChannelInput{Name: "Web EU", Kind: "shopify"}); err != nil {
		t.Fatalf("add channel: %v", err)
	}
	env.AddLocation("LYS-WH", "Lyon warehouse", "web-eu")
	env.AddLocation("PAR-WH", "Paris warehouse", "web-eu")
	for code, name := range map[string]string{"TEE": "Black tee", "MUG": "White mug", "CAP": "Red cap"} {
		if _, _, err := env.App.PutSKU(ctx, app.System, code, app.SKUInput{Name: name}); err != nil {
			t.Fatalf("add SKU %s: %v", code, err)
		}
	}
	env.Stock("LYS-WH", "TEE", 50)
	env.Stock("LYS-WH", "MUG", 50)
	env.Stock("PAR-WH", "CAP", 50)
	return env
}

// quPlace places an order of lines ("SKU", quantity, ...) shipped to Lyon, changed by edit when not nil.
func quPlace(t *testing.T, env *webtest.Env, externalID string, edit func(*app.NewOrder), lines ...any) app.Order {
	t.Helper()
	in := app.NewOrder{
		Channel: "web-eu", ExternalID: externalID, Currency: "EUR",
		Customer:        app.CustomerInput{Email: "ana@example.com", Name: "Ana Lima"},
		ShippingAddress: &app.AddressInput{Name: "Ana Lima", Line1: "12 rue Mercière", City: "Lyon", PostalCode: "69002", Country: "FR"},
		Delivery:        app.DeliveryInput{Method: "ship"},
	}
	for i := 0; i+1 < len(lines); i += 2 {
		in.Lines = append(in.Lines, app.LineInput{SKU: lines[i].(string), Name: lines[i].(string), Quantity: int64(lines[i+1].(int)), UnitPrice: "10.00"})
	}
	if edit != nil {
		edit(&in)
	}
	o, _, err := env.App.PlaceOrder(context.Background(), app.System, in)
	if err != nil {
		t.Fatalf("place order %s: %v", externalID, err)
	}
	if len(o.Fulfillments) == 0 {
		t.Fatalf("order %s was not routed: %s", externalID, o.Status)
	}
	return o
}

// quPickup makes an order a pickup at Lyon.
func quPickup(in *app.NewOrder) {
	in.Delivery = app.DeliveryInput{Method: "pickup", Location: "LYS-WH"}
	in.ShippingAddress = nil
}

// quOrder reads an order back through the app.
func quOrder(t *testing.T, env *webtest.Env, number string) app.Order {
	t.Helper()
	o, err := env.App.OrderByNumber(context.Background(), number)
	if err != nil {
		t.Fatalf("read order %s: %v", number, err)
	}
	return o
}

// quLevel reads the level of sku at location.
func quLevel(t *testing.T, env *webtest.Env, location, sku string) app.StockLevel {
	t.Helper()
	st, err := env.App.StockOfSKU(context.Background(), sku)
	if err != nil {
		t.Fatalf("stock of %s: %v", sku, err)
	}
	for _, l := range st.Levels {
		if l.Location == location {
			return l.StockLevel
		}
	}
	t.Fatalf("no level of %s at %s", sku, location)
	return app.StockLevel{}
}

// quFID is the path id of an order's first fulfillment.
func quFID(o app.Order) string { return itoa(o.Fulfillments[0].ID) }

// quPost posts a form and fails unless the answer has status want.
func quPost(t *testing.T, c *webtest.Client, path string, form url.Values, want int) *webtest.Response {
	t.Helper()
	res := c.PostForm(path, form)
	if res.StatusCode != want {
		t.Fatalf("POST %s = %d, want %d\n%s", path, res.StatusCode, want, res.Body)
	}
	return res
}

// quGet fetches a page and fails unless the answer has status want.
func quGet(t *testing.T, c *webtest.Client, path string, want int) *webtest.Response {
	t.Helper()
	res := c.Get(path)
	if res.StatusCode != want {
		t.Fatalf("GET %s = %d, want %d\n%s", path, res.StatusCode, want, res.Body)
	}
	return res
}

// quHTMX posts a form as htmx does: CSRF in the header, HX-Request set.
func quHTMX(t *testing.T, env *webtest.Env, c *webtest.Client, path string, form url.Values) *webtest.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", c.CSRF())
	return c.Do(req)
}

// quRow finds the fulfillment rows of a queue page: id and order number.
var quRow = regexp.MustCompile(`data-testid="fulfillment" data-id="(\d+)" data-order="([^"]+)"`)

// quOrders lists the order numbers of the rows a queue page shows, in order.
func quOrders(body string) []string {
	var out []string
	for _, m := range quRow.FindAllStringSubmatch(body, -1) {
		out = append(out, m[2])
	}
	return out
}

// quNotice is the text of a page's notice, "" when none.
func quNotice(body string) (kind, msg string) {
	m := regexp.MustCompile(`data-testid="notice" data-kind="([^"]*)">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return "", ""
	}
	return m[1], html.UnescapeString(m[2])
}

// quBeside is the error shown beside field name, "" when none.
func quBeside(body, field string) string {
	m := regexp.MustCompile(`data-field="` + regexp.QuoteMeta(field) + `">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// quStatus fails unless the order's status and its first fulfillment's are as wanted.
func quStatus(t *testing.T, env *webtest.Env, number string, want app.Status, wantF app.FulfillmentStatus) app.Order {
	t.Helper()
	o := quOrder(t, env, number)
	if o.Status != want || o.Fulfillments[0].Status != wantF {
		t.Fatalf("order %s: %s with fulfillment %s, want %s with %s", number, o.Status, o.Fulfillments[0].Status, want, wantF)
	}
	return o
}

// quEvents joins an order's timeline messages.
func quEvents(o app.Order) string {
	var b strings.Builder
	for _, e := range o.Events {
		b.WriteString(e.Message + "\n")
	}
	return b.String()
}

func TestQueueWarehouseSeesOnlyTheirLocation(t *testing.T) {
	env := quEnv(t)
	lyon := quPlace(t, env, "1", nil, "TEE", 2)
	paris := quPlace(t, env, "2", nil, "CAP", 1)
	if lyon.Fulfillments[0].Location != "LYS-WH" || paris.Fulfillments[0].Location != "PAR-WH" {
		t.Fatalf("routed to %s and %s", lyon.Fulfillments[0].Location, paris.Fulfillments[0].Location)
	}
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")

	res := quGet(t, c, "/queue", http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/locations/LYS-WH/queue" {
		t.Fatalf("/queue redirects to %q", loc)
	}
	body := quGet(t, c, "/locations/LYS-WH/queue", http.StatusOK).Body
	if got := quOrders(body); len(got) != 1 || got[0] != lyon.Number {
		t.Fatalf("Lyon queue shows %v, want only %s", got, lyon.Number)
	}
	if strings.Contains(body, `href="/orders/`) {
		t.Error("a warehouse user sees links to order pages they may not open")
	}
	if !strings.Contains(body, `href="/locations/LYS-WH/picklist"`) {
		t.Error("no pick list link")
	}

	pid := quFID(paris)
	// Another location's pages are the 403 page (the same for a code that does not exist);
	// another location's fulfillment is not found.
	for _, path := range []string{"/locations/PAR-WH/queue", "/locations/PAR-WH/queue?status=accepted", "/locations/PAR-WH/picklist", "/locations/NOPE/queue"} {
		quGet(t, c, path, http.StatusForbidden)
	}
	quGet(t, c, "/fulfillments/"+pid+"/ship", http.StatusNotFound)
	for _, action := range []string{"accept", "reject", "deliver", "ship"} {
		form := url.Values{"reason": {"damaged"}, "carrier": {"ups"}, "tracking_number": {"1Z5R89390357567127"}}
		quPost(t, c, "/fulfillments/"+pid+"/"+action, form, http.StatusNotFound)
	}
	quPost(t, c, "/locations/PAR-WH/queue/accept", url.Values{"ids[]": {pid}}, http.StatusForbidden)
	// Their own bulk form with another location's id accepts nothing.
	quPost(t, c, "/locations/LYS-WH/queue/accept", url.Values{"ids[]": {pid}}, http.StatusSeeOther)
	quStatus(t, env, paris.Number, app.StatusRouted, app.FulfillmentPending)
	quStatus(t, env, lyon.Number, app.StatusRouted, app.FulfillmentPending)
	if lvl := quLevel(t, env, "PAR-WH", "CAP"); lvl.OnHand != 50 || lvl.Reserved != 1 {
		t.Fatalf("Paris caps changed: %+v", lvl)
	}
}

func TestQueueHomeAndRoles(t *testing.T) {
	env := quEnv(t)
	quPlace(t, env, "1", nil, "TEE", 1)
	quPlace(t, env, "2", nil, "MUG", 1)
	quPlace(t, env, "3", nil, "CAP", 1)

	ops, _ := env.SignedIn(app.RoleOps)
	body := quGet(t, ops, "/queue", http.StatusOK).Body
	for code, n := range map[string]string{"LYS-WH": "2", "PAR-WH": "1"} {
		re := regexp.MustCompile(`data-location="` + code + `"[\s\S]*?data-testid="to-accept">(\d+)<`)
		if m := re.FindStringSubmatch(body); m == nil || m[1] != n {
			t.Errorf("%s to accept: %v, want %s", code, m, n)
		}
	}
	body = quGet(t, ops, "/locations/LYS-WH/queue", http.StatusOK).Body
	if !strings.Contains(body, `href="/orders/`) {
		t.Error("ops does not get links to order pages")
	}

	both, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH", "PAR-WH")
	body = quGet(t, both, "/queue", http.StatusOK).Body
	if !strings.Contains(body, `data-location="LYS-WH"`) || !strings.Contains(body, `data-location="PAR-WH"`) {
		t.Error("a lead of two locations does not see both")
	}

	support, _ := env.SignedIn(app.RoleSupport)
	for _, path := range []string{"/queue", "/locations/LYS-WH/queue", "/locations/LYS-WH/picklist"} {
		quGet(t, support, path, http.StatusForbidden)
	}
	quGet(t, ops, "/locations/LYS-WH/queue?status=bogus", http.StatusUnprocessableEntity)
	quGet(t, ops, "/locations/NOPE/queue", http.StatusNotFound)
}

func TestQueueAcceptOneAndMany(t *testing.T) {
	env := quEnv(t)
	var orders []app.Order
	for i := range 4 {
		orders = append(orders, quPlace(t, env, fmt.Sprint(i+1), nil, "TEE", 1))
	}
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	back := "/locations/LYS-WH/queue?status=pending"

	res := quPost(t, c, "/fulfillments/"+quFID(orders[0])+"/accept", url.Values{"back": {back}}, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if loc != back {
		t.Fatalf("accept redirects to %q, want back to %q", loc, back)
	}
	if kind, msg := quNotice(quGet(t, c, loc, http.StatusOK).Body); kind != "ok" || !strings.HasPrefix(msg, "Accepted") {
		t.Fatalf("notice %s %q", kind, msg)
	}
	quStatus(t, env, orders[0].Number, app.StatusInFulfillment, app.FulfillmentAccepted)
	// Accepting twice is a refused move, shown on the queue.
	res = quPost(t, c, "/fulfillments/"+quFID(orders[0])+"/accept", url.Values{"back": {back}}, http.StatusConflict)
	if kind, msg := quNotice(res.Body); kind != "error" || !strings.Contains(msg, "accepted") {
		t.Fatalf("second accept: %s %q", kind, msg)
	}

	// Bulk: two ticked, plus one already accepted: it is counted, not accepted again.
	form := url.Values{"back": {back}, "ids[]": {quFID(orders[1]), quFID(orders[2]), quFID(orders[0])}}
	res = quPost(t, c, "/locations/LYS-WH/queue/accept", form, http.StatusSeeOther)
	body := quGet(t, c, res.Header.Get("Location"), http.StatusOK).Body
	if _, msg := quNotice(body); msg != "Accepted 2 fulfillments. 1 of those selected no longer waited to be accepted." {
		t.Fatalf("bulk notice %q", msg)
	}
	for _, o := range orders[:3] {
		quStatus(t, env, o.Number, app.StatusInFulfillment, app.FulfillmentAccepted)
	}
	if got := quOrders(body); len(got) != 1 || got[0] != orders[3].Number {
		t.Fatalf("pending tab shows %v", got)
	}
	if !strings.Contains(body, `data-status="accepted">`) {
		t.Fatal("no accepted tab")
	}
	quPost(t, c, "/locations/LYS-WH/queue/accept", url.Values{"back": {back}}, http.StatusUnprocessableEntity)

	// htmx gets the queue fragment, with the notice, and no layout.
	res = quHTMX(t, env, c, "/fulfillments/"+quFID(orders[3])+"/accept", url.Values{"back": {back}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `id="queue"`) || strings.Contains(res.Body, "<html") {
		t.Fatalf("htmx accept = %d\n%s", res.StatusCode, res.Body)
	}
	if _, msg := quNotice(res.Body); !strings.HasPrefix(msg, "Accepted") {
		t.Fatalf("htmx notice %q", msg)
	}
	quStatus(t, env, orders[3].Number, app.StatusInFulfillment, app.FulfillmentAccepted)

	// back must be a path on this site.
	o := quPlace(t, env, "5", nil, "TEE", 1)
	res = quPost(t, c, "/fulfillments/"+quFID(o)+"/accept", url.Values{"back": {"//evil.example/x"}}, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/locations/LYS-WH/queue") {
		t.Fatalf("foreign back followed: %q", loc)
	}
}

func TestQueueRejectOutOfStockReroutes(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 2)
	env.Stock("PAR-WH", "TEE", 10) // after routing: Lyon keeps the order until it rejects
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	path := "/fulfillments/" + quFID(o) + "/reject"

	res := quPost(t, c, path, url.Values{"reason": {"out_of_stock"}, "counted_on_hand": {"none"}}, http.StatusUnprocessableEntity)
	if msg := quBeside(res.Body, "counted_on_hand"); msg == "" {
		t.Fatalf("no error beside the count\n%s", res.Body)
	}
	res = quPost(t, c, path, url.Values{"reason": {"damaged"}, "counted_on_hand": {"0"}}, http.StatusUnprocessableEntity)
	if msg := quBeside(res.Body, "reason"); !strings.Contains(msg, "out of stock") {
		t.Fatalf("count with another reason: %q", msg)
	}
	quPost(t, c, path, url.Values{"reason": {"bored"}}, http.StatusUnprocessableEntity)
	quStatus(t, env, o.Number, app.StatusRouted, app.FulfillmentPending)

	back := "/locations/LYS-WH/queue?status=pending"
	res = quPost(t, c, path, url.Values{"reason": {"out_of_stock"}, "counted_on_hand": {"0"}, "note": {"shelf empty"}, "back": {back}}, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != back {
		t.Fatalf("reject redirects to %q, want back to %q", loc, back)
	}
	if kind, msg := quNotice(quGet(t, c, back, http.StatusOK).Body); kind != "ok" || !strings.HasPrefix(msg, "Rejected") {
		t.Fatalf("after rejecting the queue says %s %q", kind, msg)
	}
	got := quOrder(t, env, o.Number)
	if len(got.Fulfillments) != 2 || got.Fulfillments[0].Status != app.FulfillmentRejected || got.Fulfillments[1].Location != "PAR-WH" || got.Status != app.StatusRouted {
		t.Fatalf("after the rejection: %s %+v", got.Status, got.Fulfillments)
	}
	if lvl := quLevel(t, env, "LYS-WH", "TEE"); lvl.OnHand != 0 || lvl.Reserved != 0 {
		t.Fatalf("Lyon tees after the count: %+v", lvl)
	}
	if lvl := quLevel(t, env, "PAR-WH", "TEE"); lvl.Reserved != 2 {
		t.Fatalf("Paris tees: %+v", lvl)
	}
	if ev := quEvents(got); !strings.Contains(ev, "counted 0 of TEE") || !strings.Contains(ev, "shelf empty") {
		t.Fatalf("timeline:\n%s", ev)
	}
	body := quGet(t, c, "/locations/LYS-WH/queue?status=rejected", http.StatusOK).Body
	if got := quOrders(body); len(got) != 1 || !strings.Contains(body, "Out of stock") {
		t.Fatalf("rejected tab: %v", got)
	}
	if r, err := env.Svc.Ops.CheckInvariants(context.Background()); err != nil || !r.OK() {
		t.Fatalf("invariants: %+v %v", r, err)
	}
}

func TestQueueRejectSeveralSKUsCountsEach(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 1, "MUG", 1)
	c, _ := env.SignedIn(app.RoleOps)
	body := quGet(t, c, "/locations/LYS-WH/queue", http.StatusOK).Body
	if !strings.Contains(body, `name="counts[0].on_hand"`) || !strings.Contains(body, `name="counts[1].on_hand"`) {
		t.Fatal("no count per SKU for a fulfillment of two SKUs")
	}
	form := url.Values{"reason": {"out_of_stock"}, "counts[0].sku": {"TEE"}, "counts[0].on_hand": {"0"}, "counts[1].sku": {"MUG"}, "counts[1].on_hand": {""}}
	quPost(t, c, "/fulfillments/"+quFID(o)+"/reject", form, http.StatusSeeOther)
	if lvl := quLevel(t, env, "LYS-WH", "TEE"); lvl.OnHand != 0 {
		t.Fatalf("tees not counted: %+v", lvl)
	}
	if lvl := quLevel(t, env, "LYS-WH", "MUG"); lvl.OnHand != 50 || lvl.Reserved != 0 {
		t.Fatalf("mugs: %+v", lvl)
	}
}

func TestQueueBadgesLateAndHeld(t *testing.T) {
	env := quEnv(t)
	old := quPlace(t, env, "1", nil, "TEE", 1)
	env.Clock.Advance(20 * 24 * time.Hour)
	fresh := quPlace(t, env, "2", nil, "TEE", 1)
	held := quPlace(t, env, "3", nil, "MUG", 1)
	if _, err := env.App.Hold(context.Background(), app.System, held.Number, app.HoldInput{Reason: "fraud_review"}); err != nil {
		t.Fatal(err)
	}
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	body := quGet(t, c, "/locations/LYS-WH/queue", http.StatusOK).Body
	if got := quOrders(body); len(got) != 3 || got[0] != old.Number {
		t.Fatalf("order of the rows %v: the late one first", got)
	}
	rows := strings.Split(body, `data-testid="fulfillment"`)[1:]
	if !strings.Contains(rows[0], `data-testid="late"`) || strings.Contains(rows[1], `data-testid="late"`) {
		t.Error("late badge on the wrong rows")
	}
	for _, row := range rows {
		isHeld := strings.Contains(row, `data-order="`+held.Number+`"`)
		if isHeld != strings.Contains(row, `data-testid="held"`) || isHeld == strings.Contains(row, `data-testid="ship-link"`) {
			t.Errorf("row held=%v: badge or ship link wrong", isHeld)
		}
		if isHeld && !strings.Contains(row, "On hold for a fraud review") {
			t.Error("a held row does not say why it cannot ship")
		}
	}
	if !strings.Contains(body, `data-order="`+fresh.Number+`" class=""`) {
		t.Error("a fresh order is marked")
	}
}

func TestPickListGroupsBySKU(t *testing.T) {
	env := quEnv(t)
	a := quPlace(t, env, "1", nil, "TEE", 2, "MUG", 1)
	b := quPlace(t, env, "2", nil, "TEE", 1)
	quPlace(t, env, "3", nil, "MUG", 5) // pending: not on the list
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	for _, o := range []app.Order{a, b} {
		quPost(t, c, "/fulfillments/"+quFID(o)+"/accept", nil, http.StatusSeeOther)
	}
	body := quGet(t, c, "/locations/LYS-WH/picklist", http.StatusOK).Body
	for sku, want := range map[string][2]string{"TEE": {"3", "2"}, "MUG": {"1", "1"}} {
		re := regexp.MustCompile(`data-testid="pick-sku" data-sku="` + sku + `"[\s\S]*?data-testid="quantity">(\d+)<[\s\S]*?data-testid="orders">(\d+)<`)
		m := re.FindStringSubmatch(body)
		if m == nil || m[1] != want[0] || m[2] != want[1] {
			t.Errorf("%s: %v, want quantity %s in %s orders", sku, m, want[0], want[1])
		}
	}
	if !strings.Contains(body, "Black tee") {
		t.Error("the pick list does not name the SKUs")
	}
	for _, o := range []app.Order{a, b} {
		if !strings.Contains(body, `data-testid="pick-order" data-order="`+o.Number+`"`) {
			t.Errorf("order %s missing from the pick list", o.Number)
		}
	}
	if strings.Count(body, `data-testid="pick-order"`) != 2 {
		t.Error("a pending order is on the pick list")
	}
	for _, inline := range []string{"<script>", "onclick", "window.print"} {
		if strings.Contains(body, inline) {
			t.Errorf("the pick list has inline script (%s): the CSP refuses it", inline)
		}
	}
}

// TestFloorPagesUseTheLocationsTimeZone: a location's pick list and queue
// write times in the location's zone, the zone named, in the one date format.
func TestFloorPagesUseTheLocationsTimeZone(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse") // Europe/Paris
	wh, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	// webtest's clock: 26 Nov 2026 10:00 UTC, 11:00 in Lyon.
	body := quGet(t, wh, "/locations/LYS-WH/picklist", http.StatusOK).Body
	if !strings.Contains(body, "26 Nov 2026, 11:00 CET. ") || strings.Contains(body, "UTC.Use") {
		t.Errorf("the pick list does not say the time in Lyon's zone, in the one format:\n%s", body)
	}
}

// TestAcceptSelectedAcceptsOnEveryPage: the bulk form accepts what was ticked
// wherever it is in the queue (past the first page too), and skips, counted,
// what is no longer waiting there.
func TestAcceptSelectedAcceptsOnEveryPage(t *testing.T) {
	env := quEnv(t)
	var orders []app.Order
	for i := range 3 {
		orders = append(orders, quPlace(t, env, "p"+itoa(int64(i)), nil, "TEE", 1))
	}
	paris := quPlace(t, env, "paris", nil, "CAP", 1)
	wh, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	// One per page: the third order is on the third page.
	if body := quGet(t, wh, "/locations/LYS-WH/queue?limit=1", http.StatusOK).Body; strings.Contains(body, orders[2].Number) {
		t.Fatal("the third order is on the first page of one")
	}
	res := quPost(t, wh, "/locations/LYS-WH/queue/accept", url.Values{"ids[]": {quFID(orders[2]), quFID(paris)}}, http.StatusSeeOther)
	quStatus(t, env, orders[2].Number, app.StatusInFulfillment, app.FulfillmentAccepted)
	quStatus(t, env, orders[0].Number, app.StatusRouted, app.FulfillmentPending)
	quStatus(t, env, paris.Number, app.StatusRouted, app.FulfillmentPending)
	if body := wh.Get(res.Header.Get("Location")).Body; !strings.Contains(body, "Accepted 1 fulfillment. 1 of those selected no longer waited to be accepted.") {
		t.Errorf("the notice does not count the accepted and the skipped one:\n%s", body)
	}
}

// TestShipPageSaysShipByInTheLocationsZone: the fulfillment's page writes its
// ship-by in the location's zone (Lyon: CET in November), not in UTC.
func TestShipPageSaysShipByInTheLocationsZone(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "tz", nil, "TEE", 1)
	if o.Fulfillments[0].PromisedShipBy == nil {
		t.Fatal("the fulfillment has no ship-by to show")
	}
	want := o.Fulfillments[0].PromisedShipBy.In(mustZone(t, "Europe/Paris")).Format("2 Jan 2006, 15:04 MST")
	wh, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	if body := quGet(t, wh, "/fulfillments/"+quFID(o)+"/ship", http.StatusOK).Body; !strings.Contains(body, want) {
		t.Errorf("the ship page does not say the ship-by as %q", want)
	}
}

// mustZone loads an IANA zone or fails the test.
func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
