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

	"switchyard/app"
	store "switchyard/sql"
	"switchyard/web/webtest"
)

// pgAddSKU creates an active SKU with code and name.
func pgAddSKU(t *testing.T, env *webtest.Env, code, name string) {
	t.Helper()
	if _, _, err := env.App.PutSKU(context.Background(), app.System, code, app.SKUInput{Name: name}); err != nil {
		t.Fatalf("add SKU %s: %v", code, err)
	}
}

// pgSetStock counts onHand of sku at location, with a safety stock.
func pgSetStock(t *testing.T, env *webtest.Env, location, sku string, onHand, safety int64) {
	t.Helper()
	_, err := env.App.CountStock(context.Background(), app.System, location, sku, app.CountInput{OnHand: &onHand, SafetyStock: &safety})
	if err != nil {
		t.Fatalf("count %s at %s: %v", sku, location, err)
	}
}

// pgOnHand reads the stock on hand of sku at location.
func pgOnHand(t *testing.T, env *webtest.Env, location, sku string) int64 {
	t.Helper()
	page, err := env.App.Ledger(context.Background(), location, sku, 0, 1)
	if err != nil {
		t.Fatalf("read %s at %s: %v", sku, location, err)
	}
	return page.Level.OnHand
}

// pgHTMXPost sends a form as htmx does: HX-Request and the CSRF token in a header.
func pgHTMXPost(t *testing.T, env *webtest.Env, c *webtest.Client, path string, form url.Values) *webtest.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", c.CSRF())
	return c.Do(req)
}

// pgOnHandCell finds the on-hand figure in a rendered row.
var pgOnHandCell = regexp.MustCompile(`data-testid="on-hand">(-?\d+)<`)

// pgStockEnv is a network of two warehouses and one SKU with 10 at Lyon and 4 at Paris.
func pgStockEnv(t *testing.T) *webtest.Env {
	t.Helper()
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	env.AddLocation("PAR-WH", "Paris warehouse")
	pgAddChannel(t, env, "web-eu")
	pgAddSKU(t, env, "TEE-BLK-M", "Black tee M")
	pgSetStock(t, env, "LYS-WH", "TEE-BLK-M", 10, 2)
	pgSetStock(t, env, "PAR-WH", "TEE-BLK-M", 4, 0)
	return env
}

// pgSKUCount counts the stored SKUs.
func pgSKUCount(t *testing.T, env *webtest.Env) int {
	t.Helper()
	page, err := env.App.SKUs(context.Background(), "", "", 500)
	if err != nil {
		t.Fatal(err)
	}
	return len(page.SKUs)
}

func TestSKUForms(t *testing.T) {
	env := webtest.New(t)
	ops, _ := env.SignedIn(app.RoleOps)
	res := ops.PostForm("/skus", url.Values{"code": {"MUG-1"}, "name": {"Mug"}, "barcode": {"400123"}, "weight_grams": {"350"}, "tags": {"Kitchen, fragile"}, "active": {"true"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/skus/MUG-1" {
		t.Fatalf("create SKU = %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	page := ops.Get("/skus/MUG-1").Body
	for _, want := range []string{"Mug", "400123", "350 g", "fragile, kitchen", `href="/skus/MUG-1/edit"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the SKU page lacks %q", want)
		}
	}
	if list := ops.Get("/stock").Body; !strings.Contains(list, `href="/skus/MUG-1"`) || !strings.Contains(list, "Add a SKU") {
		t.Error("the stock list lacks the new SKU or the add link")
	}
	if edit := ops.Get("/skus/MUG-1/edit").Body; !strings.Contains(edit, `value="fragile, kitchen"`) || strings.Contains(edit, `name="code"`) {
		t.Error("the edit form lacks the tags or lets the code change")
	}
	res = ops.PostForm("/skus/MUG-1", url.Values{"name": {"Big mug"}, "weight_grams": {""}, "tags": {""}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update SKU = %d\n%s", res.StatusCode, res.Body)
	}
	sku, _ := env.App.SKU(context.Background(), "MUG-1")
	if sku.Name != "Big mug" || sku.Active || sku.WeightGrams != 0 || len(sku.Tags) != 0 || sku.Barcode != "" {
		t.Errorf("after the edit: %+v", sku)
	}
}

func TestSKUFormBadInput(t *testing.T) {
	env := webtest.New(t)
	pgAddSKU(t, env, "MUG-1", "Mug")
	ops, _ := env.SignedIn(app.RoleOps)
	cases := []struct {
		name, field, says string
		form              url.Values
	}{
		{"no name", "name", "is required", url.Values{"code": {"A-1"}}},
		{"weight not a number", "weight_grams", "whole number", url.Values{"code": {"A-1"}, "name": {"A"}, "weight_grams": {"1kg"}}},
		{"negative weight", "weight_grams", "at least 0", url.Values{"code": {"A-1"}, "name": {"A"}, "weight_grams": {"-5"}}},
		{"long tag", "tags", "at most 40", url.Values{"code": {"A-1"}, "name": {"A"}, "tags": {strings.Repeat("x", 41)}}},
		{"bad code", "code", "letters, digits", url.Values{"code": {"-x"}, "name": {"A"}}},
		{"code taken", "code", "already used", url.Values{"code": {"MUG-1"}, "name": {"A"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := pgSKUCount(t, env)
			res := ops.PostForm("/skus", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", res.StatusCode, res.Body)
			}
			if msg, ok := pgErrorBeside(res.Body, tc.field); !ok || !strings.Contains(msg, tc.says) {
				t.Fatalf("beside %q: %q, want %q", tc.field, msg, tc.says)
			}
			if after := pgSKUCount(t, env); after != before {
				t.Fatalf("SKUs %d -> %d: bad input wrote", before, after)
			}
		})
	}
	if sku, _ := env.App.SKU(context.Background(), "MUG-1"); sku.Name != "Mug" {
		t.Error("adding over an existing code replaced it")
	}
	res := ops.PostForm("/skus/MUG-1", url.Values{"name": {""}})
	if msg, _ := pgErrorBeside(res.Body, "name"); res.StatusCode != http.StatusUnprocessableEntity || msg == "" {
		t.Fatalf("bad edit = %d, error %q", res.StatusCode, msg)
	}
}

func TestSKUPageShowsLevelsAndATP(t *testing.T) {
	env := pgStockEnv(t)
	pgSetStock(t, env, "PAR-WH", "TEE-BLK-M", 0, 3)
	ops, _ := env.SignedIn(app.RoleOps)
	res := ops.Get("/skus/TEE-BLK-M")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("SKU page = %d", res.StatusCode)
	}
	for _, want := range []string{"Lyon warehouse", "Paris warehouse", "below safety", `href="/stock/LYS-WH/TEE-BLK-M/ledger"`,
		`hx-post="/stock/LYS-WH/TEE-BLK-M/adjust"`, `data-testid="atp"`, "Channel web-eu"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the SKU page lacks %q", want)
		}
	}
	if res := ops.Get("/skus/NOPE"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown SKU = %d, want 404", res.StatusCode)
	}
}

func TestInlineAdjust(t *testing.T) {
	env := pgStockEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	path := "/stock/LYS-WH/TEE-BLK-M/adjust"

	res := pgHTMXPost(t, env, ops, path, url.Values{"delta": {"5"}, "reason": {"receipt"}, "note": {"PO 4411"}, "view": {"sku"}, "back": {"/skus/TEE-BLK-M"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("adjust = %d\n%s", res.StatusCode, res.Body)
	}
	body := strings.TrimSpace(res.Body)
	if strings.Contains(body, "<html") || !strings.HasPrefix(body, "<tr") || !strings.HasSuffix(body, "</tr>") {
		t.Fatalf("want only the row, got:\n%s", body)
	}
	if m := pgOnHandCell.FindStringSubmatch(body); m == nil || m[1] != "15" {
		t.Fatalf("the row's on hand is %v, want 15\n%s", m, body)
	}
	if !strings.Contains(body, "Lyon warehouse") || !strings.Contains(body, "Saved: +5 (receipt), 15 on hand.") {
		t.Error("the row is not the SKU page's row with a confirmation")
	}
	if trig := res.Header.Get("HX-Trigger"); !strings.Contains(trig, "stock-changed") || !strings.Contains(trig, "#atp") {
		t.Errorf("HX-Trigger = %q, want the ATP section told to reload", trig)
	}

	res = pgHTMXPost(t, env, ops, path, url.Values{"delta": {"-16"}, "reason": {"correction"}, "view": {"sku"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("below zero = %d, want 422\n%s", res.StatusCode, res.Body)
	}
	if msg, ok := pgErrorBeside(res.Body, "delta"); !ok || !strings.Contains(msg, "below zero") {
		t.Fatalf("beside delta: %q\n%s", msg, res.Body)
	}
	if strings.Contains(res.Body, "<html") || !strings.Contains(res.Body, `value="-16"`) {
		t.Error("the refused row is not alone or lost the delta typed")
	}
	if got := pgOnHand(t, env, "LYS-WH", "TEE-BLK-M"); got != 15 {
		t.Fatalf("on hand %d after a refused adjustment, want 15", got)
	}

	for name, form := range map[string]url.Values{
		"zero":        {"delta": {"0"}, "reason": {"receipt"}},
		"not number":  {"delta": {"five"}, "reason": {"receipt"}},
		"empty":       {"reason": {"receipt"}},
		"bad reason":  {"delta": {"1"}, "reason": {"theft"}},
		"long note":   {"delta": {"1"}, "reason": {"receipt"}, "note": {strings.Repeat("n", 501)}},
		"on location": {"delta": {"0"}, "reason": {"receipt"}, "view": {"location"}},
	} {
		res := pgHTMXPost(t, env, ops, path, form)
		field := "delta"
		if name == "bad reason" {
			field = "reason"
		} else if name == "long note" {
			field = "note"
		}
		if msg, ok := pgErrorBeside(res.Body, field); res.StatusCode != http.StatusUnprocessableEntity || !ok {
			t.Errorf("%s: status %d, beside %s %q\n%s", name, res.StatusCode, field, msg, res.Body)
		}
	}
	if got := pgOnHand(t, env, "LYS-WH", "TEE-BLK-M"); got != 15 {
		t.Fatalf("on hand %d after refused adjustments, want 15", got)
	}

	ledger := ops.Get("/stock/LYS-WH/TEE-BLK-M/ledger")
	if ledger.StatusCode != http.StatusOK {
		t.Fatalf("ledger = %d", ledger.StatusCode)
	}
	first := regexp.MustCompile(`(?s)<tr data-testid="ledger-entry".*?</tr>`).FindString(ledger.Body)
	for _, want := range []string{"receipt", "+5", "PO 4411", "Test ops"} {
		if !strings.Contains(first, want) {
			t.Errorf("the newest ledger row lacks %q:\n%s", want, first)
		}
	}
}

func TestInlineAdjustOnLocationPageAndWithoutJS(t *testing.T) {
	env := pgStockEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	res := pgHTMXPost(t, env, ops, "/stock/PAR-WH/TEE-BLK-M/adjust", url.Values{"delta": {"-1"}, "reason": {"adjustment"}, "view": {"location"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Black tee M") || strings.Contains(res.Body, "Paris warehouse") {
		t.Fatalf("adjust on the location page = %d, want the location page's row\n%s", res.StatusCode, res.Body)
	}
	if m := pgOnHandCell.FindStringSubmatch(res.Body); m == nil || m[1] != "3" {
		t.Fatalf("on hand %v, want 3", m)
	}

	res = ops.PostForm("/stock/PAR-WH/TEE-BLK-M/adjust", url.Values{"delta": {"2"}, "reason": {"return"}, "view": {"location"}, "back": {"/locations/PAR-WH?q=TEE"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/locations/PAR-WH?q=TEE" {
		t.Fatalf("plain POST = %d to %q, want 303 back", res.StatusCode, res.Header.Get("Location"))
	}
	if got := pgOnHand(t, env, "PAR-WH", "TEE-BLK-M"); got != 5 {
		t.Fatalf("on hand %d, want 5", got)
	}
	res = ops.PostForm("/stock/PAR-WH/TEE-BLK-M/adjust", url.Values{"delta": {"1"}, "reason": {"return"}, "back": {"https://evil.example/"}})
	if res.Header.Get("Location") != "/" {
		t.Errorf("a foreign back address was followed: %q", res.Header.Get("Location"))
	}
	res = ops.PostForm("/stock/PAR-WH/TEE-BLK-M/adjust", url.Values{"delta": {"-100"}, "reason": {"correction"}, "back": {"/skus/TEE-BLK-M"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "<html") || !strings.Contains(res.Body, "below zero") {
		t.Fatalf("plain refused POST = %d, want a page with the error\n%s", res.StatusCode, res.Body)
	}
}

func TestWarehouseSeesOnlyTheirLocations(t *testing.T) {
	env := pgStockEnv(t)
	wh, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")

	if res := wh.Get("/locations/LYS-WH"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "TEE-BLK-M") {
		t.Fatalf("own location = %d", res.StatusCode)
	}
	// Another location is the 403 page, and so is a code that does not exist:
	// the answer does not tell which codes exist.
	for _, path := range []string{"/locations/PAR-WH", "/stock/PAR-WH/TEE-BLK-M/ledger", "/locations/NOPE"} {
		res := wh.Get(path)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Not allowed") || !strings.Contains(res.Body, "not one of your locations (yours: LYS-WH)") {
			t.Errorf("GET %s = %d, want the 403 page naming the user's locations", path, res.StatusCode)
		}
	}
	if res := wh.Get("/stock/LYS-WH/TEE-BLK-M/ledger"); res.StatusCode != http.StatusOK {
		t.Errorf("own ledger = %d", res.StatusCode)
	}
	sku := wh.Get("/skus/TEE-BLK-M").Body
	if !strings.Contains(sku, "Lyon warehouse") || strings.Contains(sku, "PAR-WH") {
		t.Error("the SKU page does not show only the user's own location")
	}

	for _, form := range []url.Values{
		{"delta": {"1"}, "reason": {"receipt"}},
		{"delta": {"0"}, "reason": {"receipt"}},
	} {
		res := pgHTMXPost(t, env, wh, "/stock/PAR-WH/TEE-BLK-M/adjust", form)
		if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("adjust elsewhere = %d, want 403 or 404", res.StatusCode)
		}
		if strings.Contains(res.Body, `data-testid="on-hand"`) {
			t.Error("the refusal shows the other location's figures")
		}
	}
	if got := pgOnHand(t, env, "PAR-WH", "TEE-BLK-M"); got != 4 {
		t.Fatalf("on hand at Paris %d, want 4", got)
	}
	res := pgHTMXPost(t, env, wh, "/stock/LYS-WH/TEE-BLK-M/adjust", url.Values{"delta": {"-3"}, "reason": {"shipment"}, "view": {"location"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("adjust at own location = %d\n%s", res.StatusCode, res.Body)
	}
}

func TestSupportReadsStockButCannotAdjust(t *testing.T) {
	env := pgStockEnv(t)
	support, _ := env.SignedIn(app.RoleSupport)
	for _, path := range []string{"/stock", "/skus/TEE-BLK-M", "/locations/LYS-WH", "/stock/LYS-WH/TEE-BLK-M/ledger"} {
		res := support.Get(path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, res.StatusCode)
		}
		for _, hidden := range []string{"hx-post", "Add a SKU", "/edit"} {
			if strings.Contains(res.Body, hidden) {
				t.Errorf("support sees %q on %s", hidden, path)
			}
		}
	}
	res := pgHTMXPost(t, env, support, "/stock/LYS-WH/TEE-BLK-M/adjust", url.Values{"delta": {"1"}, "reason": {"receipt"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("support adjust = %d, want 403", res.StatusCode)
	}
	if got := pgOnHand(t, env, "LYS-WH", "TEE-BLK-M"); got != 10 {
		t.Fatalf("on hand %d, want 10", got)
	}
}

// pgLevelSKUs lists the SKU codes of the level rows on a page, in order.
func pgLevelSKUs(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`data-testid="level" data-location="[^"]*" data-sku="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestLocationStockFilters(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	pgAddChannel(t, env, "web-eu")
	for _, code := range []string{"A-OK", "B-LOW", "C-ZERO", "D-SHORT"} {
		pgAddSKU(t, env, code, "SKU "+code)
	}
	pgSetStock(t, env, "LYS-WH", "A-OK", 10, 2)
	pgSetStock(t, env, "LYS-WH", "B-LOW", 3, 5)
	pgSetStock(t, env, "LYS-WH", "C-ZERO", 0, 0)
	pgSetStock(t, env, "LYS-WH", "D-SHORT", 5, 0)
	pgReserveAll(t, env, "D-SHORT", 5)
	pgSetStock(t, env, "LYS-WH", "D-SHORT", 2, 0) // the shelf has fewer than reserved
	ops, _ := env.SignedIn(app.RoleOps)

	for filter, want := range map[string]string{
		"":             "A-OK B-LOW C-ZERO D-SHORT",
		"short":        "D-SHORT",
		"below_safety": "B-LOW D-SHORT",
		"zero":         "C-ZERO",
	} {
		res := ops.Get("/locations/LYS-WH?filter=" + filter)
		if got := strings.Join(pgLevelSKUs(res.Body), " "); res.StatusCode != http.StatusOK || got != want {
			t.Errorf("filter %q = %d %q, want %q", filter, res.StatusCode, got, want)
		}
	}
	body := ops.Get("/locations/LYS-WH?filter=short").Body
	if !strings.Contains(body, `class="badge bad"`) {
		t.Error("the short level has no short badge")
	}
	if got := strings.Join(pgLevelSKUs(ops.Get("/locations/LYS-WH?q=B-").Body), " "); got != "B-LOW" {
		t.Errorf("search B- = %q", got)
	}
	if got := strings.Join(pgLevelSKUs(ops.Get("/locations/LYS-WH?q=zero").Body), " "); got != "C-ZERO" {
		t.Errorf("search by name = %q", got)
	}
	if res := ops.Get("/locations/LYS-WH?filter=odd"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown filter = %d, want 422", res.StatusCode)
	}
}

// pgReserveAll reserves qty of sku at LYS-WH as an order would. No use case
// reserves without an order yet, so this appends the ledger row through the
// store's generated query, the way app's reserve does.
func pgReserveAll(t *testing.T, env *webtest.Env, sku string, qty int64) {
	t.Helper()
	ctx := context.Background()
	err := env.App.Write(ctx, func(tx app.Tx) error {
		q := tx.Q
		s, err := q.GetSKUByCode(ctx, sku)
		if err != nil {
			return err
		}
		l, err := q.GetLocationByCode(ctx, "LYS-WH")
		if err != nil {
			return err
		}
		n, err := q.AppendLedgerIf(ctx, store.AppendLedgerIfParams{
			DeltaReserved: qty, Reason: app.ReasonReservation, Reference: "test", Actor: "test",
			At: env.Clock.Now().UnixMilli(), SkuID: s.ID, LocationID: l.ID,
		})
		if err == nil && n != 1 {
			err = fmt.Errorf("nothing reserved")
		}
		return err
	})
	if err != nil {
		t.Fatalf("reserve %d %s: %v", qty, sku, err)
	}
}

// pgNextLink finds the "Next page" link of a list page.
var pgNextLink = regexp.MustCompile(`href="([^"]*)" rel="next"`)

// pgSKULinks lists the SKU codes a stock list page links to, in order.
func pgSKULinks(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<tr[^>]*data-sku="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// pgWalkPages follows Next links from path and returns the rows of each page.
func pgWalkPages(t *testing.T, c *webtest.Client, path string, rows func(string) []string) [][]string {
	t.Helper()
	var pages [][]string
	for path != "" && len(pages) < 10 {
		res := c.Get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		pages = append(pages, rows(res.Body))
		path = ""
		if m := pgNextLink.FindStringSubmatch(res.Body); m != nil {
			path = html.UnescapeString(m[1])
		}
	}
	return pages
}

func TestStockListPages(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	codes := []string{"CAP-1", "CAP-2", "MUG-1", "TEE-1", "TEE-2"}
	for _, code := range codes {
		pgAddSKU(t, env, code, "Item "+code)
		pgSetStock(t, env, "LYS-WH", code, 1, 0)
	}
	ops, _ := env.SignedIn(app.RoleOps)

	pages := pgWalkPages(t, ops, "/stock?limit=2", pgSKULinks)
	if fmt.Sprint(pages) != "[[CAP-1 CAP-2] [MUG-1 TEE-1] [TEE-2]]" {
		t.Errorf("SKU pages = %v, want pages of 2 in code order without overlap", pages)
	}
	pages = pgWalkPages(t, ops, "/locations/LYS-WH?limit=2", pgLevelSKUs)
	if fmt.Sprint(pages) != "[[CAP-1 CAP-2] [MUG-1 TEE-1] [TEE-2]]" {
		t.Errorf("location pages = %v", pages)
	}
	pages = pgWalkPages(t, ops, "/stock?q=TEE&limit=1", pgSKULinks)
	if fmt.Sprint(pages) != "[[TEE-1] [TEE-2]]" {
		t.Errorf("search pages = %v, want the search kept across pages", pages)
	}
	if got := pgSKULinks(ops.Get("/stock?q=item+mug").Body); fmt.Sprint(got) != "[MUG-1]" {
		t.Errorf("search by name = %v", got)
	}
}

func TestLedgerPages(t *testing.T) {
	env := pgStockEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	for i := 1; i <= 3; i++ {
		_, err := env.App.AdjustStock(context.Background(), app.System, app.Adjustments{Adjustments: []app.Adjustment{
			{Location: "LYS-WH", SKU: "TEE-BLK-M", Delta: int64(i), Reason: app.ReasonReceipt, Note: fmt.Sprintf("delivery %d", i)},
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	notes := func(body string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`delivery \d`).FindAllString(body, -1) {
			out = append(out, m)
		}
		return out
	}
	first := ops.Get("/stock/LYS-WH/TEE-BLK-M/ledger?limit=2")
	if got := fmt.Sprint(notes(first.Body)); got != "[delivery 3 delivery 2]" {
		t.Fatalf("first ledger page = %s, want newest first", got)
	}
	m := nextPageLink.FindStringSubmatch(first.Body)
	if m == nil {
		t.Fatal("no Next page link")
	}
	older := ops.Get(html.UnescapeString(m[1]))
	if got := fmt.Sprint(notes(older.Body)); got != "[delivery 1]" {
		t.Errorf("older page = %s", got)
	}
	if !strings.Contains(first.Body, `data-testid="on-hand">16<`) {
		t.Error("the ledger page does not show the level's on hand")
	}
	if res := ops.Get("/stock/LYS-WH/NOPE/ledger"); res.StatusCode != http.StatusNotFound {
		t.Errorf("ledger of unknown SKU = %d, want 404", res.StatusCode)
	}
}
