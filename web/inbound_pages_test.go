package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
)

// TestInboundNewForm: ops make a purchase order with the form; hostile and
// wrong input comes back beside its fields (422), escaped, writing nothing.
func TestInboundNewForm(t *testing.T) {
	env, key := inboundEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	if res := ops.Get("/stock"); !strings.Contains(res.Body, `data-testid="inbound-link"`) {
		t.Errorf("the stock page does not link the inbound list")
	}
	lead, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	if res := lead.Get("/"); !strings.Contains(res.Body, `href="/inbound"`) {
		t.Errorf("a lead's navigation does not link the inbound list")
	}
	if res := ops.Get("/inbound/new"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="inbound-form"`) {
		t.Fatalf("new form = %d", res.StatusCode)
	}
	bad := url.Values{"kind": {"purchase"}, "supplier": {`<script>alert(1)</script>`}, "to": {"LYS-WH"}, "expected_at": {""},
		"lines": {"TEE-BLK-M ten\nNOPE 3\n\nMUG-1 4 someday"}}
	res := ops.PostForm("/inbound", bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form = %d", res.StatusCode)
	}
	for _, want := range []string{"row 1: the quantity “ten” is not a whole number", "give the date expected", "&lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(res.Body, want) && !strings.Contains(res.Body, strings.ReplaceAll(want, "“ten”", "&#34;ten&#34;")) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	if strings.Contains(res.Body, "<script>alert(1)") {
		t.Error("the supplier's script came back unescaped")
	}
	bad.Set("lines", "NOPE 3\n\nMUG-1 4 someday")
	bad.Set("expected_at", "2026-12-20")
	res = ops.PostForm("/inbound", bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "row 3: must be a date") {
		t.Errorf("a bad line date = %d; want it named by row", res.StatusCode)
	}
	bad.Set("lines", "MUG-1 2\nNOPE 3")
	res = ops.PostForm("/inbound", bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "row 2: unknown SKU") {
		t.Errorf("an unknown SKU = %d; want it named by row", res.StatusCode)
	}
	bad.Set("kind", "transfer")
	bad.Set("from", "")
	if res = ops.PostForm("/inbound", bad); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "name the location the transfer comes from") {
		t.Errorf("transfer without origin = %d", res.StatusCode)
	}
	if res = ops.PostRaw("/inbound", bad); res.StatusCode != http.StatusForbidden {
		t.Errorf("without the CSRF token = %d; want 403", res.StatusCode)
	}
	if st, b := env.API(http.MethodGet, "/api/v1/inbound", key, ""); !strings.Contains(b, `"total":0`) {
		t.Fatalf("refused forms wrote: %d %s", st, b)
	}

	good := url.Values{"kind": {"purchase"}, "supplier": {"Acme"}, "to": {"LYS-WH"}, "expected_at": {"2026-12-20"},
		"lines": {"TEE-BLK-M 10\nMUG-1, 4, 2026-12-24\n"}, "note": {"dock 3"}}
	res = ops.PostForm("/inbound", good)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/inbound/IN-000001" {
		t.Fatalf("good form = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	page := ops.Get("/inbound/IN-000001")
	for _, want := range []string{"purchase", "IN-000001", "Acme", "24 Dec 2026", `data-status="sent"`, `data-testid="receive-form"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the inbound's page lacks %q", want)
		}
	}

	if res := ops.PostForm("/inbound/IN-000001/close", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("close = %d", res.StatusCode)
	}
	if page := ops.Get("/inbound/IN-000001"); !strings.Contains(page.Body, `data-status="closed"`) || strings.Contains(page.Body, `data-testid="receive-go"`) {
		t.Errorf("the closed inbound's page: wants status closed and no receive form")
	}
	if res := ops.PostForm("/inbound/IN-000001/cancel", url.Values{"reason": {"too late"}}); res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "cannot become cancelled") {
		t.Errorf("cancelling a closed inbound = %d; want 409 with the reason", res.StatusCode)
	}

	support, _ := env.SignedIn(app.RoleSupport)
	if res := support.Get("/inbound"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "IN-000001") || strings.Contains(res.Body, `data-testid="inbound-new"`) {
		t.Errorf("support's list = %d (wants the inbound, without the new link)", res.StatusCode)
	}
	if res := support.Get("/inbound/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("support's new form = %d; want 403", res.StatusCode)
	}
	if res := support.PostForm("/inbound/IN-000001/receive", url.Values{"sku": {"MUG-1"}, "quantity": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("support receiving = %d; want 403", res.StatusCode)
	}
}

// TestInboundLeads: a lead sees and receives the inbound to their location
// (damaged recorded, a count made meanwhile refused), ships a transfer from
// it; a lead of another location gets 404, or 403 for an action at a
// location that is not theirs.
func TestInboundLeads(t *testing.T) {
	env, key := inboundEnv(t)
	mustInbound(t, env, http.MethodPost, "/api/v1/inbound", key, `{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH",
		"expected_at": "2026-12-20", "lines": [{"sku": "TEE-BLK-M", "quantity": 10}, {"sku": "MUG-1", "quantity": 4}]}`, http.StatusCreated)
	lyon, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	paris, _ := env.SignedIn(app.RoleWarehouse, "PAR-ST")

	if res := lyon.Get("/inbound"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "IN-000001") {
		t.Errorf("Lyon's lead's list = %d without IN-000001", res.StatusCode)
	}
	if res := paris.Get("/inbound"); res.StatusCode != http.StatusOK || strings.Contains(res.Body, "IN-000001") {
		t.Errorf("Paris's lead's list = %d, shows Lyon's inbound", res.StatusCode)
	}
	if res := paris.Get("/inbound/IN-000001"); res.StatusCode != http.StatusNotFound {
		t.Errorf("Paris's lead on Lyon's inbound = %d; want 404", res.StatusCode)
	}
	form := url.Values{"sku": {"TEE-BLK-M", "MUG-1"}, "seen": {"0", "0"}, "quantity": {"6", ""}, "damaged": {"1", ""}}
	if res := paris.PostForm("/inbound/IN-000001/receive", form); res.StatusCode != http.StatusNotFound {
		t.Errorf("Paris's lead receiving Lyon's inbound = %d; want 404", res.StatusCode)
	}
	if res := paris.Get("/inbound.csv"); res.StatusCode != http.StatusOK || strings.Contains(res.Body, "IN-000001") {
		t.Errorf("Paris's lead's CSV = %d, holds Lyon's inbound", res.StatusCode)
	}

	page := lyon.Get("/inbound/IN-000001")
	if !strings.Contains(page.Body, `data-testid="receive-go"`) || strings.Contains(page.Body, `data-testid="inbound-close"`) {
		t.Errorf("Lyon's lead's page: wants the receive form and no close button")
	}
	hostile := url.Values{"sku": {"TEE-BLK-M", "MUG-1"}, "seen": {"0", "0"}, "quantity": {"six", ""}, "damaged": {"", "-2"}}
	res := lyon.PostForm("/inbound/IN-000001/receive", hostile)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "must be a whole number") || !strings.Contains(res.Body, "must be between 0 and") {
		t.Errorf("hostile counts = %d; want 422 with each problem", res.StatusCode)
	}
	if res := lyon.PostForm("/inbound/IN-000001/receive", url.Values{"sku": {"TEE-BLK-M"}, "seen": {"0"}, "quantity": {""}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an empty count = %d; want 422", res.StatusCode)
	}
	if have, _ := onHand(t, env, "LYS-WH", "TEE-BLK-M"); have != 100 {
		t.Fatalf("refused counts changed the stock: %d", have)
	}
	if res := lyon.PostForm("/inbound/IN-000001/receive", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("receive = %d %s", res.StatusCode, res.Body)
	}
	if have, _ := onHand(t, env, "LYS-WH", "TEE-BLK-M"); have != 106 {
		t.Errorf("TEE-BLK-M at LYS-WH %d; want 106 (the damaged one is not on hand)", have)
	}
	page = lyon.Get("/inbound/IN-000001")
	if !strings.Contains(page.Body, `data-status="partially_received"`) || !strings.Contains(page.Body, "Received.") {
		t.Errorf("after the receipt the page lacks the status or the notice")
	}
	// The same form again (what was seen is stale): refused, counted once.
	if res := lyon.PostForm("/inbound/IN-000001/receive", form); res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "counted meanwhile") {
		t.Errorf("a stale count = %d; want 409 saying it was counted meanwhile", res.StatusCode)
	}
	if have, _ := onHand(t, env, "LYS-WH", "TEE-BLK-M"); have != 106 {
		t.Errorf("after the stale count %d on hand; want 106", have)
	}

	// A transfer from Paris to Lyon: Paris ships it, Lyon receives it.
	env.Stock("PAR-ST", "MUG-1", 8)
	mustInbound(t, env, http.MethodPost, "/api/v1/inbound", key, `{"kind": "transfer", "from": "PAR-ST", "to": "LYS-WH",
		"expected_at": "2026-12-20", "lines": [{"sku": "MUG-1", "quantity": 3}]}`, http.StatusCreated)
	if res := paris.Get("/locations/PAR-ST/queue"); !strings.Contains(res.Body, "0 inbound expected, 1 transfer to ship") {
		t.Errorf("Paris's queue does not announce the transfer to ship")
	}
	if res := lyon.Get("/locations/LYS-WH/queue"); !strings.Contains(res.Body, "1 inbound expected") || !strings.Contains(res.Body, `href="/inbound?location=LYS-WH"`) {
		t.Errorf("Lyon's queue does not link the inbound expected")
	}
	if res := lyon.PostForm("/inbound/IN-000002/ship", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("Lyon's lead shipping from Paris = %d; want 403", res.StatusCode)
	}
	if page := paris.Get("/inbound/IN-000002"); !strings.Contains(page.Body, `data-testid="inbound-ship"`) || strings.Contains(page.Body, `data-testid="receive-go"`) {
		t.Errorf("Paris's lead's page: wants the ship button and no receive form")
	}
	if res := paris.PostForm("/inbound/IN-000002/ship", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Paris ships = %d %s", res.StatusCode, res.Body)
	}
	if res := paris.PostForm("/inbound/IN-000002/receive", url.Values{"sku": {"MUG-1"}, "seen": {"0"}, "quantity": {"3"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("Paris's lead receiving at Lyon = %d; want 403", res.StatusCode)
	}
	if page := lyon.Get("/inbound/IN-000002"); !strings.Contains(page.Body, `data-testid="in-transit"`) {
		t.Errorf("the shipped transfer is not shown in transit")
	}
	if res := lyon.PostForm("/inbound/IN-000002/receive", url.Values{"sku": {"MUG-1"}, "seen": {"0"}, "quantity": {"3"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Lyon receives the transfer = %d", res.StatusCode)
	}
	if have, _ := onHand(t, env, "PAR-ST", "MUG-1"); have != 5 {
		t.Errorf("MUG-1 at PAR-ST %d; want 5", have)
	}
}

// TestInboundListAndCSV: the list's filters, a bad filter named (422), and
// the CSV with spreadsheet formulas neutralised.
func TestInboundListAndCSV(t *testing.T) {
	env, key := inboundEnv(t)
	for _, supplier := range hostileCells[:4] {
		body := `{"kind": "purchase", "supplier": ` + jsonString(supplier) + `, "to": "LYS-WH", "expected_at": "2026-12-20",
			"lines": [{"sku": "MUG-1", "quantity": 2}]}`
		mustInbound(t, env, http.MethodPost, "/api/v1/inbound", key, body, http.StatusCreated)
	}
	mustInbound(t, env, http.MethodPost, "/api/v1/inbound", key, `{"kind": "transfer", "from": "LYS-WH", "to": "PAR-ST",
		"expected_at": "2026-12-21", "lines": [{"sku": "TEE-BLK-M", "quantity": 2}]}`, http.StatusCreated)
	ops, _ := env.SignedIn(app.RoleOps)
	if res := ops.Get("/inbound?kind=transfer"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "IN-000005") || strings.Contains(res.Body, "IN-000001") {
		t.Errorf("kind=transfer = %d, want only IN-000005", res.StatusCode)
	}
	if res := ops.Get("/inbound?status=draft&location=PAR-ST"); !strings.Contains(res.Body, "IN-000005") || strings.Contains(res.Body, "IN-000002") {
		t.Errorf("status=draft at PAR-ST: want only IN-000005")
	}
	if res := ops.Get("/inbound?status=%3Cb%3Elost"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "status: must be one of") {
		t.Errorf("a bad status = %d; want 422 naming it", res.StatusCode)
	}
	if res := ops.Get("/inbound.csv?kind=gift"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a bad CSV filter = %d; want 422", res.StatusCode)
	}
	res := ops.Get("/inbound.csv")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || rows[0][0] != "number" {
		t.Fatalf("CSV has %d rows: %v", len(rows), rows)
	}
	for _, row := range rows {
		for _, cell := range row {
			if formulaCell(cell) {
				t.Errorf("CSV cell %q would run as a formula", cell)
			}
		}
	}
}

// jsonString is s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
