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
	"switchyard/web/webtest"
)

// excEnv is a Switchyard with channel web-eu served by the Lyon warehouse
// (LYS-WH: 10 CAP, no TEE-BLK-M, no MUG-WHT) and the Paris store (PAR-ST: 10 TEE-BLK-M).
func excEnv(t *testing.T) *webtest.Env {
	t.Helper()
	env := webtest.New(t)
	ctx := context.Background()
	if _, _, err := env.App.PutChannel(ctx, app.System, "web-eu", app.ChannelInput{Name: "Web EU", Kind: "shopify"}); err != nil {
		t.Fatal(err)
	}
	env.AddLocation("LYS-WH", "Lyon warehouse", "web-eu")
	env.AddLocation("PAR-ST", "Paris store", "web-eu")
	for _, sku := range []string{"TEE-BLK-M", "MUG-WHT", "CAP"} {
		if _, _, err := env.App.PutSKU(ctx, app.System, sku, app.SKUInput{Name: sku}); err != nil {
			t.Fatal(err)
		}
	}
	env.Stock("LYS-WH", "CAP", 10)
	env.Stock("LYS-WH", "TEE-BLK-M", 0)
	env.Stock("LYS-WH", "MUG-WHT", 0)
	env.Stock("PAR-ST", "TEE-BLK-M", 10)
	return env
}

// excPlace places an order of qty of sku on web-eu, shipped to Lyon.
func excPlace(t *testing.T, env *webtest.Env, ext, sku string, qty int64) app.Order {
	t.Helper()
	placed := env.Clock.Now().Add(-time.Hour)
	o, _, err := env.App.PlaceOrder(context.Background(), app.System, app.NewOrder{
		Channel: "web-eu", ExternalID: ext, PlacedAt: &placed, Currency: "EUR",
		Customer:        app.CustomerInput{Email: "ana@example.com", Name: "Ana Lima"},
		ShippingAddress: &app.AddressInput{Name: "Ana Lima", Line1: "12 rue Mercière", City: "Lyon", PostalCode: "69002", Country: "FR"},
		Delivery:        app.DeliveryInput{Method: "ship"},
		Lines:           []app.LineInput{{SKU: sku, Name: sku, Quantity: qty, UnitPrice: "10.00"}},
	})
	if err != nil {
		t.Fatalf("place %s: %v", ext, err)
	}
	return o
}

// excSituations makes one exception of each kind through the app: H held for
// fraud review; B backordered (no MUG-WHT anywhere); R rejected by Paris as
// damaged and backordered at Lyon; X rejected by Paris as out of stock with a
// count of 0, which leaves Paris short of S's reservation; L routed at Lyon.
// Then the clock passes every promise, so S and L (and H, R, X) are late.
func excSituations(t *testing.T, env *webtest.Env) map[string]app.Order {
	t.Helper()
	ctx := context.Background()
	o := map[string]app.Order{}
	for _, p := range []struct {
		name, sku string
		qty       int64
	}{{"H", "CAP", 1}, {"B", "MUG-WHT", 3}, {"R", "TEE-BLK-M", 1}, {"S", "TEE-BLK-M", 2}, {"X", "TEE-BLK-M", 1}, {"L", "CAP", 1}} {
		o[p.name] = excPlace(t, env, p.name, p.sku, p.qty)
	}
	if _, err := env.App.Hold(ctx, app.System, o["H"].Number, app.HoldInput{Reason: "fraud_review"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.RejectFulfillment(ctx, app.System, o["R"].Fulfillments[0].ID, app.RejectInput{Reason: "damaged"}); err != nil {
		t.Fatal(err)
	}
	zero := int64(0)
	if _, err := env.App.RejectFulfillment(ctx, app.System, o["X"].Fulfillments[0].ID, app.RejectInput{Reason: "out_of_stock", CountedOnHand: &zero}); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(10 * 24 * time.Hour)
	return o
}

// excRow is the row of the exception key on a page, "" when there is none.
func excRow(body, key string) string {
	m := regexp.MustCompile(`(?s)<tr data-testid="exception" data-key="` + regexp.QuoteMeta(html.EscapeString(key)) + `".*?</tr>`).FindString(body)
	return html.UnescapeString(m)
}

// excKeys lists the keys of the exception rows of a page, in order.
func excKeys(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`data-testid="exception" data-key="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// excGet fetches path and fails the test unless it answers 200.
func excGet(t *testing.T, c *webtest.Client, path string) string {
	t.Helper()
	res := c.Get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d\n%s", path, res.StatusCode, res.Body)
	}
	return res.Body
}

func TestExceptionsPageSaysWhyAndLinksToTheFix(t *testing.T) {
	env := excEnv(t)
	o := excSituations(t, env)
	support, _ := env.SignedIn(app.RoleSupport)
	body := excGet(t, support, "/exceptions")
	shipBy := o["L"].PromisedShipBy.Format("2 Jan")
	for key, want := range map[string][2]string{
		"order:" + o["H"].Number: {"On hold for a fraud review", "/orders/" + o["H"].Number},
		"order:" + o["B"].Number: {"Waiting for stock: 3 × MUG-WHT backordered at Lyon warehouse", "/orders/" + o["B"].Number + "/routing"},
		"order:" + o["R"].Number: {"Rejected by Paris store (damaged); not routed again yet", "/orders/" + o["R"].Number + "/routing"},
		"order:" + o["L"].Number: {"Late: was to ship by " + shipBy, "/orders/" + o["L"].Number},
		"stock:PAR-ST/TEE-BLK-M": {"Paris store has 0 × TEE-BLK-M on hand but 2 reserved", "/stock/PAR-ST/TEE-BLK-M/ledger"},
	} {
		row := excRow(body, key)
		link := `<a href="` + want[1] + `" data-testid="reason"`
		if row == "" || !strings.Contains(row, link) || !strings.Contains(row, want[0]+"</a>") {
			t.Errorf("%s: want %q linking to %s; row:\n%s", key, want[0], want[1], row)
		}
	}
	if !strings.Contains(body, `data-testid="exceptions-total">7 need a person`) {
		t.Errorf("total: want 7 (H, B, R, X; S and L late; Paris's TEE-BLK-M)")
	}
}

func TestExceptionTabsCountAndFilter(t *testing.T) {
	env := excEnv(t)
	o := excSituations(t, env)
	ops, _ := env.SignedIn(app.RoleOps)
	all := excGet(t, ops, "/exceptions")
	for kind, n := range map[string]string{"held": "1", "waiting": "1", "rejected": "2", "late": "5", "short": "1"} {
		if !strings.Contains(all, `data-testid="count-`+kind+`">`+n+`<`) {
			t.Errorf("the %s tab should count %s", kind, n)
		}
	}
	for kind, want := range map[string][]string{
		"held":     {"order:" + o["H"].Number},
		"waiting":  {"order:" + o["B"].Number},
		"rejected": {"order:" + o["R"].Number, "order:" + o["X"].Number},
		"short":    {"stock:PAR-ST/TEE-BLK-M"},
	} {
		got := excKeys(excGet(t, ops, "/exceptions?kind="+kind))
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s tab: %v, want %v", kind, got, want)
		}
	}
	late := excKeys(excGet(t, ops, "/exceptions?kind=late"))
	if len(late) != 5 || !ordSame(late, "order:"+o["H"].Number, "order:"+o["R"].Number, "order:"+o["S"].Number,
		"order:"+o["X"].Number, "order:"+o["L"].Number) {
		t.Errorf("late tab: %v", late)
	}
	if res := ops.Get("/exceptions?kind=lost"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown kind: %d", res.StatusCode)
	}
}

func TestNavigationCountsExceptions(t *testing.T) {
	env := excEnv(t)
	support, _ := env.SignedIn(app.RoleSupport)
	if body := excGet(t, support, "/orders"); strings.Contains(body, `data-testid="nav-count-/exceptions"`) {
		t.Fatal("no exceptions yet, no count")
	}
	excSituations(t, env)
	support, _ = env.SignedIn(app.RoleSupport) // ten days passed: the first session has expired
	for _, path := range []string{"/orders", "/exceptions", "/"} {
		if body := excGet(t, support, path); !strings.Contains(body, `data-testid="nav-count-/exceptions">7</span>`) {
			t.Errorf("%s: the navigation should count 7 exceptions", path)
		}
	}
}

func TestTakeExceptionAndAssignedToMe(t *testing.T) {
	env := excEnv(t)
	o := excSituations(t, env)
	ana, me := env.SignedIn(app.RoleSupport)
	bo, _ := env.SignedIn(app.RoleOps)
	held := "order:" + o["H"].Number
	res := ana.PostForm("/exceptions/take", url.Values{"key": {held}, "back": {"/exceptions?kind=held"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/exceptions?kind=held" {
		t.Fatalf("take = %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	mine := excGet(t, ana, "/exceptions?mine=1")
	if keys := excKeys(mine); len(keys) != 1 || keys[0] != held {
		t.Fatalf("assigned to Ana: %v", keys)
	}
	if row := excRow(mine, held); !strings.Contains(row, "taken by "+me.Name+" (you)") || strings.Contains(row, `data-testid="take"`) {
		t.Errorf("Ana's row:\n%s", row)
	}
	row := excRow(excGet(t, bo, "/exceptions"), held)
	if !strings.Contains(row, "taken by "+me.Name) || strings.Contains(row, "(you)") || !strings.Contains(row, "Take over") {
		t.Errorf("Bo's row:\n%s", row)
	}
	if keys := excKeys(excGet(t, bo, "/exceptions?mine=1")); len(keys) != 0 {
		t.Errorf("Bo took nothing: %v", keys)
	}
	// With htmx, the answer is the row, taken.
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/exceptions/take",
		strings.NewReader(url.Values{"key": {"stock:PAR-ST/TEE-BLK-M"}, "_csrf": {bo.CSRF()}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	res = bo.Do(req)
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "<html") || !strings.HasPrefix(strings.TrimSpace(res.Body), "<tr") ||
		!strings.Contains(html.UnescapeString(res.Body), "(you)") {
		t.Errorf("htmx take = %d\n%s", res.StatusCode, res.Body)
	}
	// Done with: routed again, the order leaves Ana's list.
	if _, err := env.App.Release(context.Background(), app.System, o["H"].Number); err != nil {
		t.Fatal(err)
	}
	if keys := excKeys(excGet(t, ana, "/exceptions?mine=1")); len(keys) != 0 {
		t.Errorf("after the release Ana still has %v", keys)
	}
}

func TestTakeExceptionRefusals(t *testing.T) {
	env := excEnv(t)
	fine := excPlace(t, env, "F", "CAP", 1)
	support, _ := env.SignedIn(app.RoleSupport)
	for key, status := range map[string]int{
		"order:" + fine.Number: http.StatusConflict, "order:SY-999999": http.StatusNotFound, "parcel:9": http.StatusUnprocessableEntity,
	} {
		if res := support.PostForm("/exceptions/take", url.Values{"key": {key}}); res.StatusCode != status {
			t.Errorf("take %s = %d, want %d", key, res.StatusCode, status)
		}
	}
	if res := support.PostRaw("/exceptions/take", url.Values{"key": {"order:" + fine.Number}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("take without the CSRF token = %d, want 403", res.StatusCode)
	}
}

func TestWarehouseCannotSeeExceptions(t *testing.T) {
	env := excEnv(t)
	o := excSituations(t, env)
	wh, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	if res := wh.Get("/exceptions"); res.StatusCode != http.StatusForbidden {
		t.Errorf("GET /exceptions = %d, want 403", res.StatusCode)
	}
	if res := wh.PostForm("/exceptions/take", url.Values{"key": {"order:" + o["H"].Number}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST /exceptions/take = %d, want 403", res.StatusCode)
	}
	if body := wh.Get("/").Body; strings.Contains(body, `href="/exceptions"`) || strings.Contains(body, "nav-count-/exceptions") {
		t.Error("the warehouse's navigation should not show exceptions")
	}
}

func TestExceptionListsPageToTheEnd(t *testing.T) {
	env := excEnv(t)
	ctx := context.Background()
	var held []string
	for i := range 5 {
		o := excPlace(t, env, "HX"+itoa(int64(i)), "CAP", 1)
		if _, err := env.App.Hold(ctx, app.System, o.Number, app.HoldInput{Reason: "payment"}); err != nil {
			t.Fatal(err)
		}
		held = append(held, "order:"+o.Number)
	}
	for i := range 3 {
		excPlace(t, env, "BX"+itoa(int64(i)), "MUG-WHT", 1)
	}
	excSituations(t, env) // and the clock passes every promise
	ops, user := env.SignedIn(app.RoleOps)
	row := regexp.MustCompile(`data-testid="exception" data-key="([^"]+)"`)
	for _, tab := range []struct {
		kind string
		n    int
	}{{"", 15}, {"held", 6}, {"waiting", 4}, {"rejected", 2}, {"late", 10}, {"short", 1}} {
		start := "/exceptions?limit=2"
		if tab.kind != "" {
			start = "/exceptions?kind=" + tab.kind + "&limit=2"
		}
		p := followPages(t, ops, start, row)
		if len(p.rows) != tab.n || len(p.urls) != (tab.n+1)/2 {
			t.Errorf("tab %q: %d exceptions on %d pages, want %d on %d", tab.kind, len(p.rows), len(p.urls), tab.n, (tab.n+1)/2)
		}
		keep := []string{"limit=2", "after="}
		if tab.kind != "" {
			keep = append(keep, "kind="+tab.kind)
		}
		want := itoa(int64(tab.n)) + " exceptions"
		if tab.n == 1 {
			want = "1 exception"
		}
		checkPages(t, p, want, start, keep...)
	}
	for _, key := range append(held[:3], "stock:PAR-ST/TEE-BLK-M") {
		if _, err := env.Svc.Desk.TakeException(ctx, user.Actor(), key); err != nil {
			t.Fatalf("take %s: %v", key, err)
		}
	}
	p := followPages(t, ops, "/exceptions?kind=held&limit=1&mine=1", row)
	if !slices.Equal(p.rows, held[:3]) {
		t.Errorf("my held = %v, want %v (first taken first)", p.rows, held[:3])
	}
	checkPages(t, p, "3 exceptions", "/exceptions?kind=held&limit=1&mine=1", "kind=held", "mine=1", "limit=1")
	if p = followPages(t, ops, "/exceptions?mine=1&limit=3", row); len(p.rows) != 4 || p.counts[0] != "4 exceptions" {
		t.Errorf("mine = %v %v, want 4 exceptions", p.rows, p.counts)
	}
	if res := ops.Get("/exceptions?kind=held&after=late~1~2"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("another tab's cursor = %d, want 422", res.StatusCode)
	}
}
