package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/routing"
	"switchyard/web/webtest"
)

// rlEnv: the channel web served by LYS-WH (a warehouse in Lyon) and PAR-ST (a
// store in Paris), each holding 10 of the SKU TEE.
func rlEnv(t *testing.T) *webtest.Env {
	t.Helper()
	env := webtest.New(t)
	ctx := context.Background()
	if _, _, err := env.App.PutChannel(ctx, app.System, "web", app.ChannelInput{Name: "Web shop", Kind: "api"}); err != nil {
		t.Fatal(err)
	}
	rlLocation(t, env, "LYS-WH", "Lyon warehouse", "warehouse", "Lyon", 45.76, 4.83)
	rlLocation(t, env, "PAR-ST", "Paris store", "store", "Paris", 48.86, 2.35)
	if _, _, err := env.App.PutSKU(ctx, app.System, "TEE", app.SKUInput{Name: "T-shirt"}); err != nil {
		t.Fatal(err)
	}
	env.Stock("LYS-WH", "TEE", 10)
	env.Stock("PAR-ST", "TEE", 10)
	return env
}

// rlLocation adds a location of kind at a point, serving the channel web.
func rlLocation(t *testing.T, env *webtest.Env, code, name, kind, city string, lat, lon float64) {
	t.Helper()
	yes := true
	_, _, err := env.App.PutLocation(context.Background(), app.System, code, app.LocationInput{
		Name: name, Kind: kind, Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes, Channels: []string{"web"},
		Address: app.Address{Line1: "1 rue", City: city, Country: "FR"}, Lat: &lat, Lon: &lon,
	})
	if err != nil {
		t.Fatalf("add location %s: %v", code, err)
	}
}

// rlOrder places an order of qty TEE to Lyon (by coordinates, or by postal code 69002 only).
func rlOrder(t *testing.T, env *webtest.Env, ext string, qty int64, coords bool) app.Order {
	t.Helper()
	addr := &app.AddressInput{Name: "Ana Lima", Line1: "12 rue Mercière", City: "Lyon", PostalCode: "69002", Country: "FR"}
	if coords {
		lat, lon := 45.75, 4.85
		addr.Lat, addr.Lon = &lat, &lon
	}
	o, _, err := env.App.PlaceOrder(context.Background(), app.System, app.NewOrder{Channel: "web", ExternalID: ext, Currency: "EUR",
		ShippingAddress: addr, Lines: []app.LineInput{{SKU: "TEE", Quantity: qty, UnitPrice: "10"}}})
	if err != nil {
		t.Fatalf("place order: %v", err)
	}
	return o
}

// rlDraft returns the draft's rules.
func rlDraft(t *testing.T, env *webtest.Env) []routing.Rule {
	t.Helper()
	info, err := env.Svc.Rules.RulesVersion(context.Background(), "draft")
	if err != nil {
		t.Fatal(err)
	}
	return info.Rules.Rules
}

// rlDraftJSON is the draft's rules as JSON, to compare before and after.
func rlDraftJSON(t *testing.T, env *webtest.Env) string {
	t.Helper()
	b, _ := json.Marshal(rlDraft(t, env))
	return string(b)
}

// rlRuleForm is a complete editor form for a rule named name; change adjusts it.
func rlRuleForm(name string, change func(url.Values)) url.Values {
	f := url.Values{
		"name": {name}, "enabled": {"true"}, "when.countries": {"FR"}, "when.order_tags": {""}, "when.sku_tags": {""},
		"when.min_value": {""}, "when.max_value": {""}, "when.delivery": {""}, "filters.require_tags": {""},
		"filters.exclude_tags": {""}, "filters.max_km": {""}, "filters.respect_capacity": {"true"},
		"filters.respect_safety_stock": {"true"}, "rank": {"closest", "rank", "", "", "", ""},
		"split.allow": {"true"}, "split.max_shipments": {"2"}, "missing_stock": {"backorder"},
	}
	if change != nil {
		change(f)
	}
	return f
}

// rlWant fails unless the answer has status and contains every text.
func rlWant(t *testing.T, res *webtest.Response, status int, texts ...string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d\n%s", res.StatusCode, status, res.Body)
	}
	for _, s := range texts {
		if !strings.Contains(res.Body, s) {
			t.Errorf("the answer lacks %q\n%s", s, res.Body)
		}
	}
}

// rlRedirect fails unless the answer is a 303 to exactly path (notices are flashes, never in the address).
func rlRedirect(t *testing.T, res *webtest.Response, path string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("status %d to %q, want 303 to %s\n%s", res.StatusCode, res.Header.Get("Location"), path, res.Body)
	}
}

// rlUpload posts a multipart form with a file (and other fields), with the session's CSRF token.
func rlUpload(t *testing.T, env *webtest.Env, c *webtest.Client, path, filename, content string, fields url.Values) *webtest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", c.CSRF())
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if filename != "" {
		fw, _ := w.CreateFormFile("file", filename)
		fw.Write([]byte(content))
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

func TestRulesAddEditMoveToggleDelete(t *testing.T) {
	env := rlEnv(t)
	c, _ := env.SignedIn(app.RoleOps)
	rlWant(t, c.Get("/rules"), http.StatusOK, "Routing rules", `data-testid="no-rules"`, "Add a rule", "/rules/simulate", "/rules/rates")

	// Add a rule: it starts disabled, named, and opens in the editor.
	res := c.PostForm("/rules/draft/rules", nil)
	rlRedirect(t, res, "/rules/draft/0/edit")
	rlWant(t, c.Get("/rules/draft/0/edit"), http.StatusOK, `value="New rule 1"`, `name="filters.kinds"`, "1st ranker", "6th ranker")
	if d := rlDraft(t, env); len(d) != 1 || d[0].Enabled || d[0].Name != "New rule 1" {
		t.Fatalf("after adding: %+v", d)
	}
	before := rlDraftJSON(t, env)

	// Bad input: each problem beside its field, the draft unchanged.
	for _, tc := range []struct {
		change func(url.Values)
		field  string
		words  string
	}{
		{func(f url.Values) { f.Set("filters.max_km", "far") }, "filters.max_km", "must be a number"},
		{func(f url.Values) { f.Set("split.max_shipments", "two") }, "split.max_shipments", "whole number"},
		{func(f url.Values) { f.Set("when.min_value", "lots") }, "when.min_value", "amount"},
		{func(f url.Values) { f.Set("when.countries", "FR, XX") }, "when.countries", `unknown country code &#34;XX&#34;`},
		{func(f url.Values) { f["rank"] = []string{"closest", "closest"} }, "rank[1]", "listed twice"},
		{func(f url.Values) { f.Set("name", "") }, "name", "is required"},
		{func(f url.Values) { f.Set("split.max_shipments", "0") }, "split.max_shipments", "at least 1"},
		{func(f url.Values) { f.Set("when.max_value", "1"); f.Set("when.min_value", "5") }, "when.max_value", "must not be less"},
	} {
		res := c.PostForm("/rules/draft/0", rlRuleForm("FR stores", tc.change))
		rlWant(t, res, http.StatusUnprocessableEntity, `data-field="`+tc.field+`"`, tc.words)
		if got := rlDraftJSON(t, env); got != before {
			t.Fatalf("a refused save changed the draft: %s", got)
		}
	}

	// A good save.
	res = c.PostForm("/rules/draft/0", rlRuleForm("FR stores", func(f url.Values) {
		f["filters.kinds"] = []string{"store"}
		f.Set("filters.max_km", "800")
	}))
	rlRedirect(t, res, "/rules")
	r := rlDraft(t, env)[0]
	if r.Name != "FR stores" || !r.Enabled || len(r.Filters.Kinds) != 1 || r.Filters.Kinds[0] != "store" ||
		*r.Filters.MaxKm != 800 || strings.Join(r.Rank, ",") != "closest,rank" || r.Split.MaxShipments != 2 {
		t.Fatalf("saved %+v", r)
	}
	rlWant(t, c.Get("/rules"), http.StatusOK, "FR stores", "Going to FR", "Store; within 800 km; capacity respected", "Closest, then location rank",
		"Up to 2 shipments", "Draft has unpublished changes")

	// A second rule; move it up; disable it; delete the first.
	c.PostForm("/rules/draft/rules", nil)
	rlRedirect(t, c.PostForm("/rules/draft/1/move", url.Values{"delta": {"-1"}}), "/rules")
	rlRedirect(t, c.PostForm("/rules/draft/1/toggle", nil), "/rules")
	if d := rlDraft(t, env); len(d) != 2 || d[0].Name != "New rule 2" || d[1].Name != "FR stores" || d[1].Enabled {
		t.Fatalf("after move and toggle: %+v", d)
	}
	rlRedirect(t, c.PostForm("/rules/draft/0/delete", nil), "/rules")
	if d := rlDraft(t, env); len(d) != 1 || d[0].Name != "FR stores" {
		t.Fatalf("after delete: %+v", d)
	}
	rlWant(t, c.Get("/rules/draft/5/edit"), http.StatusNotFound)
	rlWant(t, c.PostForm("/rules/draft/x/toggle", nil), http.StatusNotFound)
}

func TestRulesPublishAndVersions(t *testing.T) {
	env := rlEnv(t)
	c, u := env.SignedIn(app.RoleOps)
	c.PostForm("/rules/draft/rules", nil)
	rlRedirect(t, c.PostForm("/rules/draft/0", rlRuleForm("Lyon first", nil)), "/rules")
	rlWant(t, c.Get("/rules"), http.StatusOK, `data-testid="draft-banner"`, "Draft has unpublished changes")

	rlRedirect(t, c.PostForm("/rules/publish", nil), "/rules")
	flashOnce(t, c, "/rules", "Published version 1")
	page := c.Get("/rules")
	rlWant(t, page, http.StatusOK, `href="/rules/versions/1"`, u.Name)
	if strings.Contains(page.Body, "draft-banner") {
		t.Fatal("the banner stays after publishing")
	}

	// Later edits change the draft, never version 1.
	rlRedirect(t, c.PostForm("/rules/draft/0", rlRuleForm("Renamed", nil)), "/rules")
	rlWant(t, c.Get("/rules"), http.StatusOK, "Draft has unpublished changes", "Orders are routed by version 1")
	v1 := c.Get("/rules/versions/1")
	rlWant(t, v1, http.StatusOK, "Lyon first", "This is the version in force")
	if strings.Contains(v1.Body, "Renamed") || strings.Contains(v1.Body, "/toggle") {
		t.Fatalf("version 1 shows the draft's edits or actions:\n%s", v1.Body)
	}
	rlWant(t, c.Get("/rules/versions/7"), http.StatusNotFound)
	rlWant(t, c.Get("/rules/versions/draft"), http.StatusNotFound)
}

func TestRulesExportImportRoundTrip(t *testing.T) {
	env := rlEnv(t)
	c, _ := env.SignedIn(app.RoleAdmin)
	c.PostForm("/rules/draft/rules", nil)
	c.PostForm("/rules/draft/0", rlRuleForm("Stores", func(f url.Values) { f["filters.kinds"] = []string{"store"} }))
	c.PostForm("/rules/draft/rules", nil)
	original := rlDraftJSON(t, env)

	res := c.Get("/rules/export.json")
	rlWant(t, res, http.StatusOK)
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".json") {
		t.Fatalf("Content-Disposition %q", cd)
	}
	var shape map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.Body), &shape); err != nil || len(shape) != 2 || shape["version"] == nil || shape["rules"] == nil {
		t.Fatalf("export is not {version, rules}: %v\n%s", err, res.Body)
	}
	exported := res.Body

	c.PostForm("/rules/draft/0/delete", nil)
	c.PostForm("/rules/draft/0/delete", nil)
	rlRedirect(t, rlUpload(t, env, c, "/rules/import", "rules.json", exported, nil), "/rules")
	if got := rlDraftJSON(t, env); got != original {
		t.Fatalf("round trip:\n%s\nwant\n%s", got, original)
	}

	// Malformed JSON (pasted): 422 with where it is wrong; nothing changed.
	res = rlUpload(t, env, c, "/rules/import", "", "", url.Values{"json": {`{"rules": [{"name": "x",}]}`}})
	rlWant(t, res, http.StatusUnprocessableEntity, `data-testid="import-error"`, "malformed at line 1", "Nothing was changed")
	// Rules that do not validate: every problem listed.
	res = rlUpload(t, env, c, "/rules/import", "bad.json", `{"rules": [{"name": "x", "rank": ["cheapest"], "missing_stock": "maybe"}]}`, nil)
	rlWant(t, res, http.StatusUnprocessableEntity, `rules[0].rank[0]: unknown ranker &#34;cheapest&#34;`, "rules[0].missing_stock")
	if got := rlDraftJSON(t, env); got != original {
		t.Fatalf("a refused import changed the draft: %s", got)
	}
}

func TestRulesWhichRuleCheck(t *testing.T) {
	env := rlEnv(t)
	c, _ := env.SignedIn(app.RoleOps)
	o := rlOrder(t, env, "1", 2, true)
	c.PostForm("/rules/draft/rules", nil)
	c.PostForm("/rules/draft/0", rlRuleForm("France from stores", func(f url.Values) { f["filters.kinds"] = []string{"store"} }))

	res := c.Get("/rules/check?order=" + o.Number + "&rules=draft")
	rlWant(t, res, http.StatusOK, `data-testid="rule-match"`, "France from stores", "matches", `data-testid="candidates"`,
		`data-location="PAR-ST"`, "chosen", "excluded")
	res = c.Get("/rules/check?order=" + o.Number + "&rules=published")
	rlWant(t, res, http.StatusOK, "No rule matches", "the default rule", `data-location="LYS-WH"`)
	rlWant(t, c.Get("/rules/check?order=SY-999999"), http.StatusNotFound, `data-field="order"`, "No order SY-999999")
	rlWant(t, c.Get("/rules/check?order="), http.StatusUnprocessableEntity, `data-field="order"`, "is required")
	rlWant(t, c.Get("/rules/check"), http.StatusOK, "Which rule matches?")
}

func TestRulesPagesAreForOpsAndAdmins(t *testing.T) {
	env := rlEnv(t)
	o := rlOrder(t, env, "1", 1, true)
	support, _ := env.SignedIn(app.RoleSupport)
	rlWant(t, support.Get("/rules"), http.StatusForbidden, "Not allowed")
	rlWant(t, support.PostForm("/rules/publish", nil), http.StatusForbidden)
	rlWant(t, support.Get("/rules/rates"), http.StatusForbidden)
	// Support reads decisions and may route again.
	rlWant(t, support.Get("/orders/"+o.Number+"/routing"), http.StatusOK, "Route again")
	warehouse, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	rlWant(t, warehouse.Get("/orders/"+o.Number+"/routing"), http.StatusForbidden)
}

func TestOrderRoutingPageShowsCandidates(t *testing.T) {
	env := rlEnv(t)
	env.Stock("PAR-ST", "TEE", 0)
	c, _ := env.SignedIn(app.RoleSupport)
	o := rlOrder(t, env, "1", 3, true)
	res := c.Get("/orders/" + o.Number + "/routing")
	rlWant(t, res, http.StatusOK, `data-testid="decision"`, "when the order came in", "Decided by the default rule",
		`data-testid="explanation"`, "Lyon warehouse", `data-testid="shipments"`, "3 × TEE",
		`data-location="LYS-WH"`, `data-location="PAR-ST"`, "excluded", "lacks SKU TEE", "Capacity left", "3/3")
	rlWant(t, c.Get("/orders/SY-404404/routing"), http.StatusNotFound)
}

func TestRerouteAndMoveTo(t *testing.T) {
	env := rlEnv(t)
	env.Stock("PAR-ST", "TEE", 2)
	c, _ := env.SignedIn(app.RoleSupport)
	o := rlOrder(t, env, "1", 2, true)
	if o.Fulfillments[0].Location != "LYS-WH" {
		t.Fatalf("routed to %s", o.Fulfillments[0].Location)
	}
	path := "/orders/" + o.Number
	rlRedirect(t, c.PostForm(path+"/reroute", nil), path+"/routing")
	if ds, _ := env.App.Decisions(context.Background(), o.Number); len(ds) != 2 {
		t.Fatalf("decisions after routing again: %d", len(ds))
	}
	rlWant(t, c.Get(path+"/routing"), http.StatusOK, "routed again by hand", "latest")

	rlRedirect(t, c.PostForm(path+"/reroute", url.Values{"location": {"PAR-ST"}}), path+"/routing")
	flashOnce(t, c, path+"/routing", "Moved the order to PAR-ST")
	got, _ := env.App.OrderByNumber(context.Background(), o.Number)
	open := ""
	for _, f := range got.Fulfillments {
		if f.Status == app.FulfillmentPending {
			open += f.Location
		}
	}
	if open != "PAR-ST" {
		t.Fatalf("after the move the open fulfillments are at %q", open)
	}

	// Paris has no stock left for more: the move of a bigger order is refused with the engine's reason.
	big := rlOrder(t, env, "2", 5, true)
	res := c.PostForm("/orders/"+big.Number+"/reroute", url.Values{"location": {"PAR-ST"}})
	rlWant(t, res, http.StatusConflict, "PAR-ST cannot take the whole order", `class="notice error"`)
	after, _ := env.App.OrderByNumber(context.Background(), big.Number)
	if after.Fulfillments[0].Location != "LYS-WH" || after.Fulfillments[0].Status != app.FulfillmentPending {
		t.Fatalf("a refused move changed the order: %+v", after.Fulfillments)
	}
	res = c.PostForm("/orders/"+big.Number+"/reroute", url.Values{"location": {"NOWHERE"}})
	rlWant(t, res, http.StatusUnprocessableEntity, "unknown location")
}

func TestRulesPageFlagsARuleThatCanNeverMatch(t *testing.T) {
	env := rlEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	all := routing.DefaultRule()
	all.Name, all.Enabled = "Everything", true
	fr := routing.DefaultRule()
	fr.Name, fr.Enabled, fr.When.Countries = "France", true, []string{"FR"}
	if _, err := env.Svc.Rules.PutDraftRules(context.Background(), app.System, routing.RuleSet{Rules: []routing.Rule{all, fr}}); err != nil {
		t.Fatal(err)
	}
	rlWant(t, ops.Get("/rules"), http.StatusOK, `data-testid="never-matches"`, "rule 1 (Everything) above takes every order this one would")
	// In the other order each rule decides some orders: nothing is flagged.
	if _, err := env.Svc.Rules.PutDraftRules(context.Background(), app.System, routing.RuleSet{Rules: []routing.Rule{fr, all}}); err != nil {
		t.Fatal(err)
	}
	if body := ops.Get("/rules").Body; strings.Contains(body, "never-matches") {
		t.Error("a rule is flagged though each decides some orders")
	}
}

func TestOrderRoutingPageSaysWhyEachCandidatePlaced(t *testing.T) {
	env := rlEnv(t)
	c, _ := env.SignedIn(app.RoleSupport)
	o := rlOrder(t, env, "1", 3, true)
	res := c.Get("/orders/" + o.Number + "/routing")
	rlWant(t, res, http.StatusOK, `data-testid="placement"`,
		"Farther than Lyon warehouse (", " km against ", "; ranked by closest).")

	// An excluded candidate is not placed: Paris lacks the SKU, so nothing is ranked below Lyon.
	env.Stock("PAR-ST", "TEE", 0)
	o2 := rlOrder(t, env, "2", 3, true)
	res = c.Get("/orders/" + o2.Number + "/routing")
	rlWant(t, res, http.StatusOK, "lacks SKU TEE")
	if body := res.Body; strings.Contains(body, `data-testid="placement"`) {
		t.Errorf("an excluded candidate was placed:\n%s", body)
	}
}

func TestRuleEditorShowsEveryProblemAtOnce(t *testing.T) {
	env := rlEnv(t)
	c, _ := env.SignedIn(app.RoleOps)
	rlRedirect(t, c.PostForm("/rules/draft/rules", nil), "/rules/draft/0/edit")
	before := rlDraftJSON(t, env)
	// Fields that are not numbers (the editor's own check) beside the app's problems, in one submit.
	res := c.PostForm("/rules/draft/0", rlRuleForm("", func(f url.Values) {
		f.Set("filters.max_km", "far")
		f.Set("when.min_value", "lots")
		f.Set("when.countries", "FR, XX")
		f["rank"] = []string{"closest", "closest"}
	}))
	rlWant(t, res, http.StatusUnprocessableEntity,
		`data-field="filters.max_km"`, "must be a number of kilometres",
		`data-field="when.min_value"`, "must be an amount",
		`data-field="when.countries"`, `unknown country code &#34;XX&#34;`,
		`data-field="rank[1]"`, "listed twice",
		`data-field="name"`, "is required")
	if got := rlDraftJSON(t, env); got != before {
		t.Fatalf("a refused save changed the draft: %s", got)
	}
}
