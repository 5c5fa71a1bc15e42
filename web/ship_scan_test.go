package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

// scTeeBarcode is the tees' barcode in scEnv.
const scTeeBarcode = "3700000000017"

// scEnv is quEnv with the tees' barcode, and Lyon requiring scanning to ship.
func scEnv(t *testing.T) *webtest.Env {
	t.Helper()
	env := quEnv(t)
	ctx := context.Background()
	if _, _, err := env.App.PutSKU(ctx, app.System, "TEE", app.SKUInput{Name: "Black tee", Barcode: scTeeBarcode}); err != nil {
		t.Fatal(err)
	}
	scRequire(t, env, "LYS-WH", true)
	return env
}

// scRequire sets whether location requires scanning to ship.
func scRequire(t *testing.T, env *webtest.Env, code string, required bool) {
	t.Helper()
	loc, err := env.App.Location(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	in := app.LocationInput{Name: loc.Name, Kind: loc.Kind, Timezone: loc.Timezone, Ships: &yes, Pickup: &yes, Channels: loc.Channels,
		Address: loc.Address, ScanToShip: &required}
	if _, _, err := env.App.PutLocation(context.Background(), app.System, code, in); err != nil {
		t.Fatal(err)
	}
}

// scForm is the ship form of an order of 2 tees and 1 mug (rows 0 and 1)
// with its quantities, the scans so far, and a new scan.
func scForm(o app.Order, scan string, scans ...string) url.Values {
	form := quWithSKUs(quShipForm("ups", quUPS, "2", "1"), o)
	form.Set("scan", scan)
	form["scans"] = scans
	return form
}

// scRow is a progress row's "scanned / to ship" for sku, "" when absent.
func scRow(body, sku string) string {
	_, row, ok := strings.Cut(body, `data-testid="scan-row" data-sku="`+sku+`"`)
	if !ok {
		return ""
	}
	row, _, _ = strings.Cut(row, "</tr>")
	_, n, _ := strings.Cut(row, `data-testid="scanned">`)
	n, _, _ = strings.Cut(n, "<")
	_, of, _ := strings.Cut(row, `data-testid="to-ship">`)
	of, _, _ = strings.Cut(of, "<")
	return n + "/" + of
}

// scDisabled reports whether the fragment's confirm button is disabled.
func scDisabled(body string) bool {
	_, b, _ := strings.Cut(body, `data-testid="confirm-ship"`)
	b, _, _ = strings.Cut(b, ">")
	return strings.Contains(b, "disabled")
}

func TestScanFragmentCountsRefusesAndEnables(t *testing.T) {
	env := scEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 2, "MUG", 1)
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	path := "/fulfillments/" + quFID(o) + "/scan"

	page := quGet(t, c, "/fulfillments/"+quFID(o)+"/ship", http.StatusOK).Body
	for _, want := range []string{`id="ship-scan-input"`, `autofocus`, `hx-post="` + path + `"`, `hx-trigger="scan"`, `requires every unit to be scanned`} {
		if !strings.Contains(page, want) {
			t.Errorf("the ship page lacks %s", want)
		}
	}
	if !scDisabled(page) || scRow(page, "TEE") != "0/2" {
		t.Fatalf("before any scan: disabled %v, tees %s", scDisabled(page), scRow(page, "TEE"))
	}

	// A right item, by its barcode: counted, carried, the page not reloaded.
	res := quHTMX(t, env, c, path, scForm(o, " "+scTeeBarcode+" "))
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "<html") {
		t.Fatalf("a right scan = %d (a fragment is expected)\n%s", res.StatusCode, res.Body)
	}
	if scRow(res.Body, "TEE") != "1/2" || scRow(res.Body, "MUG") != "0/1" || !strings.Contains(res.Body, `name="scans" value="`+scTeeBarcode+`"`) {
		t.Fatalf("after one tee:\n%s", res.Body)
	}
	if strings.Contains(res.Body, `role="alert"`) || !scDisabled(res.Body) {
		t.Fatal("a right scan alerts, or enables the confirm button too early")
	}

	// A wrong item: refused loudly, naming the code; nothing counted.
	res = quHTMX(t, env, c, path, scForm(o, "CAP", "TEE"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `role="alert"`) || !strings.Contains(res.Body, `class="scan-alert"`) ||
		!strings.Contains(res.Body, "Wrong item: &#34;CAP&#34; is not in this shipment") {
		t.Fatalf("a wrong item = %d\n%s", res.StatusCode, res.Body)
	}
	if scRow(res.Body, "TEE") != "1/2" || strings.Contains(res.Body, `name="scans" value="CAP"`) {
		t.Fatalf("the wrong item was counted:\n%s", res.Body)
	}
	// An unknown code, hostile text: refused, escaped.
	res = quHTMX(t, env, c, path, scForm(o, `<script>x</script>`))
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(res.Body, "<script>") {
		t.Fatalf("hostile scan = %d\n%s", res.StatusCode, res.Body)
	}

	// One too many: the third tee, in lower case.
	res = quHTMX(t, env, c, path, scForm(o, "tee", "TEE", scTeeBarcode))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `role="alert"`) || !strings.Contains(res.Body, "One too many: &#34;tee&#34; is TEE") {
		t.Fatalf("one too many = %d\n%s", res.StatusCode, res.Body)
	}
	if scRow(res.Body, "TEE") != "2/2" {
		t.Fatalf("one too many was counted: %s", scRow(res.Body, "TEE"))
	}

	// The last unit: everything scanned, the confirm button enabled.
	res = quHTMX(t, env, c, path, scForm(o, "mug", "TEE", scTeeBarcode))
	if res.StatusCode != http.StatusOK || scRow(res.Body, "MUG") != "1/1" || scDisabled(res.Body) || !strings.Contains(res.Body, `data-complete="true"`) {
		t.Fatalf("all scanned = %d, disabled %v\n%s", res.StatusCode, scDisabled(res.Body), res.Body)
	}

	// A partial shipment: 1 tee chosen, 1 scanned, no mug.
	form := scForm(o, "", scTeeBarcode)
	form.Set("lines[0].quantity", "1")
	form.Set("lines[1].quantity", "0")
	res = quHTMX(t, env, c, path, form)
	if res.StatusCode != http.StatusOK || scRow(res.Body, "TEE") != "1/1" || scRow(res.Body, "MUG") != "0/0" || scDisabled(res.Body) {
		t.Fatalf("partial, scanned = %d\n%s", res.StatusCode, res.Body)
	}
	if n := quShipments(t, env, o.Number); n != 0 {
		t.Fatalf("scanning wrote %d shipments", n)
	}
}

func TestScanOnlyByStockersOfTheLocation(t *testing.T) {
	env := scEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 2, "MUG", 1)
	path := "/fulfillments/" + quFID(o) + "/scan"
	paris, _ := env.SignedIn(app.RoleWarehouse, "PAR-WH")
	if res := quHTMX(t, env, paris, path, scForm(o, "TEE")); res.StatusCode != http.StatusNotFound {
		t.Errorf("another location's lead scans: %d", res.StatusCode)
	}
	support, _ := env.SignedIn(app.RoleSupport)
	if res := quHTMX(t, env, support, path, scForm(o, "TEE")); res.StatusCode != http.StatusForbidden {
		t.Errorf("support scans: %d", res.StatusCode)
	}
	ops, _ := env.SignedIn(app.RoleOps)
	if res := quHTMX(t, env, ops, path, scForm(o, "TEE")); res.StatusCode != http.StatusOK {
		t.Errorf("ops scans: %d", res.StatusCode)
	}
	// Without the CSRF token: refused.
	lead, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	if res := lead.PostRaw(path, scForm(o, "TEE")); res.StatusCode != http.StatusForbidden {
		t.Errorf("a scan without the CSRF token: %d", res.StatusCode)
	}
}

func TestConfirmAtAScanLocationNeedsTheScans(t *testing.T) {
	env := scEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 2, "MUG", 1)
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	path := "/fulfillments/" + quFID(o) + "/ship"
	for name, scans := range map[string][]string{
		"no scans":     nil,
		"one short":    {"TEE", "MUG"},
		"a wrong item": {"TEE", "TEE", "MUG", "CAP"},
	} {
		res := quPost(t, c, path, scForm(o, "", scans...), http.StatusUnprocessableEntity)
		if msg := quBeside(res.Body, "scans"); msg == "" {
			t.Errorf("%s: no error beside scans\n%s", name, res.Body)
		}
	}
	if n := quShipments(t, env, o.Number); n != 0 {
		t.Fatalf("%d shipments written", n)
	}
	if lvl := quLevel(t, env, "LYS-WH", "TEE"); lvl.OnHand != 50 || lvl.Reserved != 2 {
		t.Fatalf("tees moved: %+v", lvl)
	}
	// The scans come back with the refused form.
	res := quPost(t, c, path, scForm(o, "", "TEE", "MUG"), http.StatusUnprocessableEntity)
	if scRow(res.Body, "TEE") != "1/2" || !strings.Contains(res.Body, `name="scans" value="MUG"`) {
		t.Fatalf("the refused form forgot its scans:\n%s", res.Body)
	}
	quPost(t, c, path, scForm(o, "", "TEE", scTeeBarcode, "mug"), http.StatusSeeOther)
	quStatus(t, env, o.Number, app.StatusShipped, app.FulfillmentShipped)
}

func TestScanOptionalWhereNotRequired(t *testing.T) {
	env := scEnv(t)
	scRequire(t, env, "LYS-WH", false)
	o := quPlace(t, env, "1", nil, "TEE", 2, "MUG", 1)
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	page := quGet(t, c, "/fulfillments/"+quFID(o)+"/ship", http.StatusOK).Body
	if !strings.Contains(page, `id="ship-scan-input"`) || scDisabled(page) || !strings.Contains(page, "Scanning is optional here") {
		t.Fatal("where scanning is optional the page does not offer it, or waits for it")
	}
	quPost(t, c, "/fulfillments/"+quFID(o)+"/ship", scForm(o, ""), http.StatusSeeOther)
}

func TestAPIScanToShip(t *testing.T) {
	env := scEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 2, "MUG", 1)
	api := nwAPI{t: t, env: env, key: env.APIKey("", "catalog:write", "fulfillments:write")}

	// The location's field: answered, kept when absent, changed when given.
	loc := nwDecode[app.Location](t, api.call(http.MethodGet, "/api/v1/locations/LYS-WH", "", http.StatusOK))
	if !loc.ScanToShip {
		t.Fatal("the API does not say Lyon requires scanning")
	}
	api.call(http.MethodPut, "/api/v1/locations/PAR-WH", locationBody(t, []string{"web-eu"}, nil), http.StatusOK)
	if loc := nwDecode[app.Location](t, api.call(http.MethodGet, "/api/v1/locations/PAR-WH", "", http.StatusOK)); loc.ScanToShip {
		t.Fatal("Paris requires scanning without being asked")
	}
	out := api.call(http.MethodPut, "/api/v1/locations/PAR-WH", locationBody(t, []string{"web-eu"}, func(m map[string]any) { m["scan_to_ship"] = true }), http.StatusOK)
	if !nwDecode[app.Location](t, out).ScanToShip {
		t.Fatal("scan_to_ship true was not stored")
	}
	api.call(http.MethodPut, "/api/v1/locations/PAR-WH", locationBody(t, []string{"web-eu"}, func(m map[string]any) { m["scan_to_ship"] = "yes" }), http.StatusUnprocessableEntity)

	// Shipping from Lyon through the API needs the scans too.
	path := "/api/v1/fulfillments/" + quFID(o) + "/ship"
	out = api.call(http.MethodPost, path, `{"carrier": "ups", "tracking_number": "`+quUPS+`"}`, http.StatusUnprocessableEntity)
	wantFieldError(t, out, "scans", "2 × TEE to ship, 0 scanned")
	out = api.call(http.MethodPost, path, `{"carrier": "ups", "tracking_number": "`+quUPS+`", "scans": ["TEE", "TEE", "CAP"]}`, http.StatusUnprocessableEntity)
	wantFieldError(t, out, "scans", `"CAP" is not an item of this shipment`)
	if n := quShipments(t, env, o.Number); n != 0 {
		t.Fatalf("%d shipments written", n)
	}
	api.call(http.MethodPost, path, `{"carrier": "ups", "tracking_number": "`+quUPS+`", "scans": ["`+scTeeBarcode+`", "tee", "MUG"]}`, http.StatusOK)
	quStatus(t, env, o.Number, app.StatusShipped, app.FulfillmentShipped)
}

func TestLocationFormScanToShip(t *testing.T) {
	env := webtest.New(t)
	pgAddChannel(t, env, "web-eu")
	ops, _ := env.SignedIn(app.RoleOps)
	if body := ops.Get("/locations/new").Body; !strings.Contains(body, `name="scan_to_ship"`) || !strings.Contains(body, "Scanning required to ship") {
		t.Fatal("the location form does not offer scanning required to ship")
	}
	if res := ops.PostForm("/locations", pgLocationForm(url.Values{"scan_to_ship": {"true"}})); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d\n%s", res.StatusCode, res.Body)
	}
	if loc, err := env.App.Location(context.Background(), "PAR-ST"); err != nil || !loc.ScanToShip {
		t.Fatalf("scan_to_ship not stored: %v", err)
	}
	if body := ops.Get("/locations/PAR-ST/edit").Body; !strings.Contains(body, `name="scan_to_ship" value="true" checked`) {
		t.Fatal("the edit form does not show scanning required")
	}
	// Unticked: no longer required.
	if res := ops.PostForm("/locations/PAR-ST", pgLocationForm(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update = %d\n%s", res.StatusCode, res.Body)
	}
	if loc, _ := env.App.Location(context.Background(), "PAR-ST"); loc.ScanToShip {
		t.Fatal("unticking scanning required kept it")
	}
}
