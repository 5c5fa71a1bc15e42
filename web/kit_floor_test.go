package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

// kfTrayBarcode is the trays' barcode in kfEnv.
const kfTrayBarcode = "3700000000024"

// kfEnv is scEnv (Lyon requires scanning) with a gift set SET made of 2 MUG
// and 1 TRAY, the trays stocked at Lyon.
func kfEnv(t *testing.T) *webtest.Env {
	t.Helper()
	env := scEnv(t)
	ctx := context.Background()
	for code, name := range map[string]string{"SET": "Gift set", "TRAY": "Wooden tray"} {
		bc := ""
		if code == "TRAY" {
			bc = kfTrayBarcode
		}
		if _, _, err := env.App.PutSKU(ctx, app.System, code, app.SKUInput{Name: name, Barcode: bc}); err != nil {
			t.Fatal(err)
		}
	}
	env.Stock("LYS-WH", "TRAY", 10)
	err := env.App.Write(ctx, func(tx app.Tx) error {
		sku, err := tx.Q.GetSKUByCode(ctx, "SET")
		if err != nil {
			return err
		}
		return app.SetKitComponentsInTx(ctx, tx, sku.ID, []app.Component{{SKU: "MUG", Quantity: 2}, {SKU: "TRAY", Quantity: 1}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// kfForm is the ship form of an order of 1 SET and 1 TEE (rows 0 and 1),
// both shipping, with the scans so far and a new scan.
func kfForm(o app.Order, scan string, scans ...string) url.Values {
	form := quWithSKUs(quShipForm("ups", quUPS, "1", "1"), o)
	form.Set("scan", scan)
	form["scans"] = scans
	return form
}

// TestKitScanFragmentCountsParts: a kit line is scanned as its parts: a row
// per part (its units to ship), the kit complete when they all are; the
// kit's own code, a wrong item and one too many are refused (422); the
// shipment confirmed with the scans takes the parts off the shelf.
func TestKitScanFragmentCountsParts(t *testing.T) {
	env := kfEnv(t)
	o := quPlace(t, env, "1", nil, "SET", 1, "TEE", 1)
	if o.Fulfillments[0].Location != "LYS-WH" || !strings.Contains(o.Routing.Explanation, "Gift set: 2 × White mug and 1 × Wooden tray from Lyon warehouse.") {
		t.Fatalf("routed %+v: %q", o.Fulfillments, o.Routing.Explanation)
	}
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	path := "/fulfillments/" + quFID(o) + "/scan"
	page := quGet(t, c, "/fulfillments/"+quFID(o)+"/ship", http.StatusOK).Body
	if !strings.Contains(page, `data-testid="scan-kit" data-sku="SET" data-complete="false"`) ||
		scRow(page, "MUG") != "0/2" || scRow(page, "TRAY") != "0/1" || scRow(page, "TEE") != "0/1" || scRow(page, "SET") != "" || !scDisabled(page) {
		t.Fatalf("before any scan: mugs %s, trays %s, set %q\n%s", scRow(page, "MUG"), scRow(page, "TRAY"), scRow(page, "SET"), page)
	}
	for _, tc := range []struct {
		scan  string
		scans []string
		says  string
	}{
		{"set", nil, "SET is a kit: scan each of its parts instead (MUG, TRAY)."},
		{"CAP", nil, "Wrong item: &#34;CAP&#34; is not in this shipment"},
		{"mug", []string{"MUG", "MUG"}, "One too many: &#34;mug&#34; is MUG"},
	} {
		res := quHTMX(t, env, c, path, kfForm(o, tc.scan, tc.scans...))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `role="alert"`) || !strings.Contains(res.Body, tc.says) {
			t.Fatalf("scan %q = %d\n%s", tc.scan, res.StatusCode, res.Body)
		}
	}
	res := quHTMX(t, env, c, path, kfForm(o, kfTrayBarcode, "MUG", "mug", "TEE"))
	if res.StatusCode != http.StatusOK || scRow(res.Body, "MUG") != "2/2" || scRow(res.Body, "TRAY") != "1/1" || scDisabled(res.Body) ||
		!strings.Contains(res.Body, `data-testid="scan-kit" data-sku="SET" data-complete="true"`) {
		t.Fatalf("all scanned = %d\n%s", res.StatusCode, res.Body)
	}
	// Confirming checks the scans again, part by part.
	quPost(t, c, "/fulfillments/"+quFID(o)+"/ship", kfForm(o, "", "MUG", "TRAY", "TEE"), http.StatusUnprocessableEntity)
	quPost(t, c, "/fulfillments/"+quFID(o)+"/ship", kfForm(o, "", "MUG", "MUG", kfTrayBarcode, "TEE"), http.StatusSeeOther)
	quStatus(t, env, o.Number, app.StatusShipped, app.FulfillmentShipped)
	if mug, tray := quLevel(t, env, "LYS-WH", "MUG"), quLevel(t, env, "LYS-WH", "TRAY"); mug.OnHand != 48 || mug.Reserved != 0 || tray.OnHand != 9 || tray.Reserved != 0 {
		t.Fatalf("after shipping: mugs %+v, trays %+v", mug, tray)
	}
}

// TestKitPickListPage: the pick list shows a kit's parts under it, by SKU
// and under the order's kit line, with their quantities.
func TestKitPickListPage(t *testing.T) {
	env := kfEnv(t)
	o := quPlace(t, env, "1", nil, "SET", 3)
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	quPost(t, c, "/fulfillments/"+quFID(o)+"/accept", nil, http.StatusSeeOther)
	body := quGet(t, c, "/locations/LYS-WH/picklist", http.StatusOK).Body
	for _, want := range []string{
		`data-testid="pick-sku" data-sku="SET"`,
		`data-testid="pick-part" data-kit="SET" data-sku="MUG"`,
		`White mug <span class="muted">(part of SET)</span></td><td class="num" data-testid="quantity">6</td>`,
		`Wooden tray <span class="muted">(part of SET)</span></td><td class="num" data-testid="quantity">3</td>`,
		`<code>MUG</code> White mug × 6</li>`,
		`<code>TRAY</code> Wooden tray × 3</li>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the pick list lacks %s", want)
		}
	}
	if t.Failed() {
		t.Log(body)
	}
}

// TestKitOrderAPIShowsComponents: the API's order answer lists a kit
// line's components (per kit) on its fulfillment line, and none on a plain
// line; the answer keeps to the OpenAPI document.
func TestKitOrderAPIShowsComponents(t *testing.T) {
	env := kfEnv(t)
	o := quPlace(t, env, "1", nil, "SET", 2, "TEE", 1)
	key := env.APIKey("web-eu", "orders:read")
	st, body := env.API(http.MethodGet, "/api/v1/orders/"+url.PathEscape(o.Number), key, "")
	if st != http.StatusOK {
		t.Fatalf("GET the order = %d: %s", st, body)
	}
	var got struct {
		Fulfillments []struct {
			Lines []struct {
				SKU        string `json:"sku"`
				Quantity   int64  `json:"quantity"`
				Components []struct {
					SKU      string `json:"sku"`
					Quantity int64  `json:"quantity"`
				} `json:"components"`
			} `json:"lines"`
		} `json:"fulfillments"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	lines := got.Fulfillments[0].Lines
	if len(lines) != 2 || lines[0].SKU != "SET" || lines[0].Quantity != 2 || len(lines[0].Components) != 2 ||
		lines[0].Components[0].SKU != "MUG" || lines[0].Components[0].Quantity != 2 || lines[0].Components[1].SKU != "TRAY" ||
		lines[0].Components[1].Quantity != 1 || lines[1].Components != nil || strings.Contains(body, `"components":null`) {
		t.Fatalf("fulfillment lines %+v\n%s", lines, body)
	}
}
