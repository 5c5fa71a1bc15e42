package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/audit"
	"switchyard/web/webtest"
)

// reorderEnv: locations LYS and PAR; TEE (named with a formula) at both,
// 10 on hand at LYS and 50 at PAR.
func reorderEnv(t *testing.T) *webtest.Env {
	t.Helper()
	env := webtest.New(t)
	env.AddLocation("LYS", "Lyon")
	env.AddLocation("PAR", "Paris")
	if _, _, err := env.App.PutSKU(t.Context(), app.System, "TEE", app.SKUInput{Name: hostileCells[0]}); err != nil {
		t.Fatal(err)
	}
	env.Stock("LYS", "TEE", 10)
	env.Stock("PAR", "TEE", 50)
	return env
}

func TestReorderPageSettingsAndRoles(t *testing.T) {
	env := reorderEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	res := ops.Get("/reorder?location=LYS")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="reorder-row-TEE-LYS"`) || strings.Contains(res.Body, "reorder-row-TEE-PAR") {
		t.Fatalf("GET /reorder?location=LYS = %d, want only LYS:\n%s", res.StatusCode, res.Body)
	}
	// No location named: the first one, never every location at once.
	if res := ops.Get("/reorder"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="reorder-row-TEE-LYS"`) ||
		strings.Contains(res.Body, "reorder-row-TEE-PAR") {
		t.Errorf("GET /reorder = %d, want the first location only:\n%s", res.StatusCode, res.Body)
	}
	if res := ops.Get("/reorder?location=NOPE"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown location = %d, want 422", res.StatusCode)
	}

	// Bad input: 422, the field named, nothing written.
	bad := url.Values{"sku": {"TEE"}, "location": {"LYS"}, "lead_time_days": {"soon"}, "cover_days": {"30"}, "min_qty": {"5"}}
	res = ops.PostForm("/reorder/settings?location=LYS", bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="lead_time_days"`) ||
		!strings.Contains(res.Body, "Lead time must be") || !strings.Contains(res.Body, `data-field="max_qty"`) || !strings.Contains(res.Body, `value="soon"`) {
		t.Fatalf("bad setting = %d, want 422 naming lead_time_days and max_qty:\n%s", res.StatusCode, res.Body)
	}
	if res := ops.Get("/reorder?only=1"); strings.Contains(res.Body, "reorder-row-TEE") {
		t.Fatalf("a refused setting changed the suggestions:\n%s", res.Body)
	}

	// A min/max: 10 < 20, order up to 60.
	good := url.Values{"sku": {"TEE"}, "location": {"LYS"}, "lead_time_days": {"7"}, "cover_days": {"30"}, "min_qty": {"20"}, "max_qty": {"60"}}
	res = ops.PostForm("/reorder/settings?location=LYS&only=1", good)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/reorder?location=LYS&only=1" {
		t.Fatalf("save = %d to %q, want 303 to the same filters", res.StatusCode, res.Header.Get("Location"))
	}
	res = ops.Get("/reorder?only=1")
	if !strings.Contains(res.Body, "reorder-row-TEE-LYS") || strings.Contains(res.Body, "reorder-row-TEE-PAR") ||
		!strings.Contains(res.Body, `<td data-testid="suggested">50</td>`) {
		t.Fatalf("only what to order: want LYS with 50 to order:\n%s", res.Body)
	}

	for _, role := range []app.Role{app.RoleSupport, app.RoleWarehouse} {
		c, _ := env.SignedIn(role, "LYS")
		for _, path := range []string{"/reorder", "/reorder.csv"} {
			if res := c.Get(path); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s GET %s = %d, want 403", role, path, res.StatusCode)
			}
		}
		if res := c.PostForm("/reorder/settings", good); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s POST settings = %d, want 403", role, res.StatusCode)
		}
	}
}

func TestReorderCSVNeutralisesFormulasAndIsAudited(t *testing.T) {
	env := reorderEnv(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	res := admin.Get("/reorder.csv?location=PAR")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("GET /reorder.csv = %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), res.Body)
	}
	recs, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, res.Body)
	}
	if len(recs) != 2 || recs[1][0] != "TEE" || recs[1][2] != "PAR" || recs[1][3] != "50" || recs[1][5] != "∞" {
		t.Fatalf("records = %q, want the header and TEE at PAR", recs)
	}
	for i, cell := range recs[1] {
		if formulaCell(cell) {
			t.Errorf("column %s holds the formula %q", recs[0][i], cell)
		}
	}
	if recs[1][1] != "'"+hostileCells[0] {
		t.Errorf("name = %q, want it quoted", recs[1][1])
	}
	p, err := audit.New(env.App).List(t.Context(), audit.Query{ObjectKind: "export", ObjectRef: "reorder"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].Action != audit.CSVExported || !strings.Contains(p.Items[0].Detail, "location=PAR") {
		t.Fatalf("audit = %+v, want one CSV export with its filter", p.Items)
	}
}
