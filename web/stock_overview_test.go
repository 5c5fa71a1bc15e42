package web_test

import (
	"net/http"
	"regexp"
	"slices"
	"testing"

	"switchyard/app"
)

// overviewCell is the text of a SKU's cell on the stock overview.
func overviewCell(body, sku, testid string) string {
	re := regexp.MustCompile(`data-sku="` + regexp.QuoteMeta(sku) + `"(?s:.*?)data-testid="` + testid + `">([^<]*)<`)
	if m := re.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

func TestStockOverviewShowsLevelsATPAndFilters(t *testing.T) {
	env := pgStockEnv(t) // TEE-BLK-M: 10 at Lyon (safety 2), 4 at Paris
	pgReserveAll(t, env, "TEE-BLK-M", 3)
	pgAddSKU(t, env, "MUG-1", "Mug") // never stocked
	pgAddSKU(t, env, "LOW-1", "Low")
	pgSetStock(t, env, "LYS-WH", "LOW-1", 3, 5) // below its safety stock
	pgAddSKU(t, env, "SHORT-1", "Short")
	pgSetStock(t, env, "LYS-WH", "SHORT-1", 5, 0)
	pgReserveAll(t, env, "SHORT-1", 3)
	pgSetStock(t, env, "LYS-WH", "SHORT-1", 1, 0) // counted below what it reserves

	ops, _ := env.SignedIn(app.RoleOps)
	res := ops.Get("/stock")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /stock = %d", res.StatusCode)
	}
	body := res.Body
	if !regexp.MustCompile(`data-testid="stock-count">4 SKUs in the catalogue<`).MatchString(body) {
		t.Error("the stock page does not say how many SKUs there are")
	}
	if got := pgSKULinks(body); !slices.Equal(got, []string{"LOW-1", "MUG-1", "SHORT-1", "TEE-BLK-M"}) {
		t.Fatalf("the overview lists %q", got)
	}
	// 14 on hand, 3 reserved; available: Lyon 10-3-2 = 5, Paris 4.
	for cell, want := range map[string]string{"on-hand": "14", "reserved": "3", "available": "9"} {
		if got := overviewCell(body, "TEE-BLK-M", cell); got != want {
			t.Errorf("TEE-BLK-M %s = %q, want %s", cell, got, want)
		}
	}
	for _, want := range []string{`data-location="LYS-WH"`, `data-location="PAR-WH"`, `data-channel="web-eu"`, "ATP Channel web-eu", `href="/stock/LYS-WH/TEE-BLK-M/ledger"`} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(body) {
			t.Errorf("the overview lacks %s", want)
		}
	}
	for filter, want := range map[string][]string{
		"short":        {"SHORT-1"},
		"below_safety": {"LOW-1", "SHORT-1"},
		"zero":         {"MUG-1"},
	} {
		if got := pgSKULinks(ops.Get("/stock?filter=" + filter).Body); !slices.Equal(got, want) {
			t.Errorf("filter %s lists %q, want %q", filter, got, want)
		}
	}
	if res := ops.Get("/stock?filter=odd"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown filter = %d, want 422", res.StatusCode)
	}

	// A warehouse lead sees their location's stock only, and no network-wide ATP.
	wh, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	body = wh.Get("/stock").Body
	if got := overviewCell(body, "TEE-BLK-M", "on-hand"); got != "10" {
		t.Errorf("the Lyon lead sees %q on hand of TEE-BLK-M, want Lyon's 10", got)
	}
	if regexp.MustCompile(`data-location="PAR-WH"|data-channel=`).MatchString(body) {
		t.Error("the Lyon lead sees Paris's level or the channels' ATP")
	}
}
