package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"switchyard/app"
	"switchyard/app/returns"
	"switchyard/web/webtest"
)

// returnsNet starts Switchyard with channel web, warehouses LYS (5 TEE) and
// PAR, and answers the env.
func returnsNet(t *testing.T) *webtest.Env {
	t.Helper()
	env := webtest.New(t)
	if _, _, err := env.App.PutChannel(context.Background(), app.System, "web", app.ChannelInput{Name: "Web shop", Kind: "api"}); err != nil {
		t.Fatal(err)
	}
	env.AddLocation("LYS", "Lyon warehouse", "web")
	env.AddLocation("PAR", "Paris warehouse", "web")
	env.AddSKU("TEE")
	env.Stock("LYS", "TEE", 5)
	return env
}

// deliveredOrder places an order of qty TEE for Camille (camille@example.com,
// 69002), ships and delivers it.
func deliveredOrder(t *testing.T, env *webtest.Env, ext string, qty int64) app.Order {
	t.Helper()
	ctx := context.Background()
	lat, lon := 45.75, 4.85
	o, _, err := env.App.PlaceOrder(ctx, app.System, app.NewOrder{Channel: "web", ExternalID: ext, Currency: "EUR",
		Customer:        app.CustomerInput{Email: "Camille@Example.com", Name: "Camille Martin"},
		ShippingAddress: &app.AddressInput{Line1: "1 rue", City: "Lyon", PostalCode: "69002", Country: "FR", Lat: &lat, Lon: &lon},
		Lines:           []app.LineInput{{SKU: "TEE", Quantity: qty, UnitPrice: "10"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Fulfillments) != 1 {
		t.Fatalf("order %s: %d fulfillments", o.Number, len(o.Fulfillments))
	}
	f := o.Fulfillments[0].ID
	if _, err := env.App.Ship(ctx, app.System, f, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	if o, err = env.App.Deliver(ctx, app.System, f); err != nil {
		t.Fatal(err)
	}
	return o
}

// supportActor starts returns in tests.
var supportActor = app.Actor{Kind: app.ActorUser, Name: "Sam Support", Role: app.RoleSupport}

// approvedReturn starts an approved refund return of qty units of the
// order's first line, back to LYS.
func approvedReturn(t *testing.T, env *webtest.Env, o app.Order, qty int64) returns.Return {
	t.Helper()
	r, _, err := env.Svc.Returns.Create(context.Background(), supportActor, o.Number, returns.NewReturn{Resolution: "refund",
		Location: "LYS", Lines: []returns.LineInput{{Line: o.Lines[0].ID, Quantity: qty, Reason: "too_small"}}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// onHandAt reads the stock on hand of sku at loc.
func onHandAt(t *testing.T, env *webtest.Env, loc, sku string) int64 {
	t.Helper()
	page, err := env.App.ListStock(context.Background(), app.StockQuery{Location: loc, SKU: sku})
	if err != nil || len(page.Levels) != 1 {
		t.Fatalf("level %s/%s: %+v %v", loc, sku, page.Levels, err)
	}
	return page.Levels[0].OnHand
}

func TestDockListsExpectedLateFirst(t *testing.T) {
	env := returnsNet(t)
	first := approvedReturn(t, env, deliveredOrder(t, env, "d-1", 1), 1)
	env.Clock.Advance(22 * 24 * 3600e9)
	second := approvedReturn(t, env, deliveredOrder(t, env, "d-2", 2), 2)
	lead, _ := env.SignedIn(app.RoleWarehouse, "LYS")
	res := lead.Get("/locations/LYS/returns")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", res.StatusCode, res.Body)
	}
	i, j := strings.Index(res.Body, `data-return="`+first.Number), strings.Index(res.Body, `data-return="`+second.Number)
	if i < 0 || j < 0 || i > j {
		t.Fatalf("want %s (late) before %s: %d, %d", first.Number, second.Number, i, j)
	}
	if strings.Count(res.Body, `data-testid="late"`) != 1 || !strings.Contains(res.Body, "Camille Martin") {
		t.Errorf("want one late return and the customer's name:\n%s", res.Body)
	}
	q := lead.Get("/locations/LYS/queue")
	if !strings.Contains(q.Body, "2 returns expected") {
		t.Errorf("queue page: want the returns link with 2:\n%s", q.Body)
	}
}

func TestDockOtherLocationIsForbidden(t *testing.T) {
	env := returnsNet(t)
	r := approvedReturn(t, env, deliveredOrder(t, env, "d-1", 1), 1)
	lead, _ := env.SignedIn(app.RoleWarehouse, "PAR")
	for _, path := range []string{"/locations/LYS/returns", "/locations/NOPE/returns"} {
		if res := lead.Get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s: status %d, want 403", path, res.StatusCode)
		}
	}
	res := lead.PostForm("/locations/LYS/returns/"+r.Number+"/receive", url.Values{"action": {"receive"},
		"line": {itoa(r.Lines[0].OrderLineID)}, "quantity": {"1"}, "disposition": {"restock"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("receive at another location: status %d, want 403", res.StatusCode)
	}
	// PAR is a real location but the return goes back to LYS: not receivable there.
	res = lead.PostForm("/locations/PAR/returns/"+r.Number+"/receive", url.Values{"action": {"receive"},
		"line": {itoa(r.Lines[0].OrderLineID)}, "quantity": {"1"}, "disposition": {"restock"}})
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("receive a return of LYS at PAR: status %d, want 404", res.StatusCode)
	}
	support, _ := env.SignedIn(app.RoleSupport)
	if res := support.Get("/locations/LYS/returns"); res.StatusCode != http.StatusForbidden {
		t.Errorf("support: status %d, want 403", res.StatusCode)
	}
	ops, _ := env.SignedIn(app.RoleOps)
	if res := ops.Get("/locations/LYS/returns"); res.StatusCode != http.StatusOK {
		t.Errorf("ops: status %d, want 200", res.StatusCode)
	}
	if got := onHandAt(t, env, "LYS", "TEE"); got != 4 {
		t.Errorf("on hand %d, want 4 (nothing restocked)", got)
	}
}

func TestDockScanAndReceiveTwoDispositions(t *testing.T) {
	env := returnsNet(t)
	r := approvedReturn(t, env, deliveredOrder(t, env, "d-1", 2), 2)
	lead, _ := env.SignedIn(app.RoleWarehouse, "LYS")
	path := "/locations/LYS/returns/" + r.Number + "/receive"
	line := itoa(r.Lines[0].OrderLineID)
	res := lead.PostForm(path, url.Values{"action": {"scan"}, "scan": {"tee"}, "line": {line}, "quantity": {""}, "disposition": {"restock"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `name="quantity" value="1"`) {
		t.Fatalf("scan: status %d, want the line with 1 unit\n%s", res.StatusCode, res.Body)
	}
	res = lead.PostForm(path, url.Values{"action": {"scan"}, "scan": {"NOPE"}, "line": {line}, "quantity": {"1"}, "disposition": {"restock"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "is not on return") {
		t.Fatalf("unknown scan: status %d\n%s", res.StatusCode, res.Body)
	}
	res = lead.PostForm(path, url.Values{"action": {"add_row"}, "line": {line}, "quantity": {"1"}, "disposition": {"restock"}})
	if res.StatusCode != http.StatusOK || strings.Count(res.Body, `data-testid="receive-row"`) != 2 {
		t.Fatalf("add a row: status %d\n%s", res.StatusCode, res.Body)
	}
	// More than left: refused beside the row, nothing written.
	res = lead.PostForm(path, url.Values{"action": {"receive"}, "line": {line, line}, "quantity": {"2", "1"},
		"disposition": {"restock", "quarantine"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="rows[0].quantity"`) {
		t.Fatalf("too many: status %d\n%s", res.StatusCode, res.Body)
	}
	// An unknown disposition and a quantity that is no number.
	res = lead.PostForm(path, url.Values{"action": {"receive"}, "line": {line, line}, "quantity": {"1", "x"},
		"disposition": {"burn", "restock"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="rows[1].quantity"`) {
		t.Fatalf("bad rows: status %d\n%s", res.StatusCode, res.Body)
	}
	res = lead.PostForm(path, url.Values{"action": {"receive"}, "line": {line}, "quantity": {"1"}, "disposition": {"burn"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="rows[0].disposition"`) {
		t.Fatalf("unknown disposition: status %d\n%s", res.StatusCode, res.Body)
	}
	if got := onHandAt(t, env, "LYS", "TEE"); got != 3 {
		t.Fatalf("on hand %d after refusals, want 3", got)
	}
	// Without the CSRF token: refused.
	if res := lead.PostRaw(path, url.Values{"action": {"receive"}, "line": {line}, "quantity": {"1"}, "disposition": {"restock"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("no CSRF: status %d, want 403", res.StatusCode)
	}
	res = lead.PostForm(path, url.Values{"action": {"receive"}, "line": {line, line}, "quantity": {"1", "1"},
		"disposition": {"restock", "quarantine"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("receive: status %d\n%s", res.StatusCode, res.Body)
	}
	if got := onHandAt(t, env, "LYS", "TEE"); got != 4 {
		t.Errorf("on hand %d, want 4 (one restocked, one quarantined)", got)
	}
	got, err := env.Svc.Returns.Get(context.Background(), app.Everywhere, r.Number)
	if err != nil || got.Status != returns.StatusReceived {
		t.Errorf("return %+v %v, want received", got.Status, err)
	}
	if page := lead.Get("/locations/LYS/returns"); !strings.Contains(page.Body, "No returns are expected here") {
		t.Errorf("the received return is still listed:\n%s", page.Body)
	}
}

func TestDockReceiveDeclinedIsConflict(t *testing.T) {
	env := returnsNet(t)
	o := deliveredOrder(t, env, "d-1", 1)
	no := false
	r, _, err := env.Svc.Returns.Create(context.Background(), supportActor, o.Number, returns.NewReturn{Resolution: "refund",
		Location: "LYS", Approve: &no, Lines: []returns.LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "too_small"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Returns.Decline(context.Background(), supportActor, r.Number, "worn"); err != nil {
		t.Fatal(err)
	}
	lead, _ := env.SignedIn(app.RoleWarehouse, "LYS")
	res := lead.PostForm("/locations/LYS/returns/"+r.Number+"/receive", url.Values{"action": {"receive"},
		"line": {itoa(o.Lines[0].ID)}, "quantity": {"1"}, "disposition": {"restock"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "declined") {
		t.Fatalf("status %d, want 409 naming declined\n%s", res.StatusCode, res.Body)
	}
	if got := onHandAt(t, env, "LYS", "TEE"); got != 4 {
		t.Errorf("on hand %d, want 4", got)
	}
}

func TestDockParallelReceiptsCountOnce(t *testing.T) {
	env := returnsNet(t)
	r := approvedReturn(t, env, deliveredOrder(t, env, "d-1", 1), 1)
	lead, _ := env.SignedIn(app.RoleWarehouse, "LYS")
	csrf := lead.CSRF()
	const n = 8
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := lead.PostRaw("/locations/LYS/returns/"+r.Number+"/receive", url.Values{"_csrf": {csrf}, "action": {"receive"},
				"line": {itoa(r.Lines[0].OrderLineID)}, "quantity": {"1"}, "disposition": {"restock"}})
			codes[i] = res.StatusCode
		}()
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		if c == http.StatusSeeOther {
			ok++
		} else if c != http.StatusUnprocessableEntity && c != http.StatusConflict {
			t.Errorf("status %d, want 303, 409 or 422", c)
		}
	}
	if ok != 1 {
		t.Errorf("%d receipts went through, want 1 (%v)", ok, codes)
	}
	if got := onHandAt(t, env, "LYS", "TEE"); got != 5 {
		t.Errorf("on hand %d, want 5 (the unit restocked once)", got)
	}
}
