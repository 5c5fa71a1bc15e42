package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"switchyard/web"
	"switchyard/web/webtest"
)

// TestOpenAPIDocumentValidates loads the OpenAPI document and validates it.
func TestOpenAPIDocumentValidates(t *testing.T) {
	doc, err := webtest.LoadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
}

// TestOpenAPIServed fetches the document without a key, as JSON.
func TestOpenAPIServed(t *testing.T) {
	env := webtest.New(t)
	res, err := http.Get(env.Server.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/v1/openapi.json = %d %q, want 200 JSON", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Errorf("document: openapi %q, err %v", doc.OpenAPI, err)
	}
	if st, _ := env.API(http.MethodGet, "/api/v1/openapi.json", "", ""); st != http.StatusOK {
		t.Errorf("through env.API: %d", st)
	}
}

// pathParam is an echo path parameter (":code"), an OpenAPI one is "{code}".
var pathParam = regexp.MustCompile(`:([a-z_]+)`)

// TestOpenAPICoverage logs the API routes the document lacks (and the calls
// env.API made so far in this binary that it could not check), and fails when
// the document names an operation that is not a route.
func TestOpenAPICoverage(t *testing.T) {
	doc, err := webtest.LoadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]bool{"GET /api/v1/openapi.json": true}
	for _, r := range web.RouteTable() {
		if r.API() {
			routes[r.Method+" "+pathParam.ReplaceAllString(r.Path, "{$1}")] = true
		}
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			op := method + " " + path
			documented[op] = true
			if !routes[op] {
				t.Errorf("the document names %s, which is not a route", op)
			}
		}
	}
	var missing []string
	for op := range routes {
		if !documented[op] {
			missing = append(missing, op)
		}
	}
	t.Logf("documented %d of %d API operations", len(documented), len(routes))
	for _, op := range slices.Sorted(slices.Values(missing)) {
		t.Logf("uncovered endpoint: %s", op)
	}
	t.Logf("operations checked by env.API so far in this binary: %v", webtest.Checked())
	for _, call := range webtest.Uncovered() {
		t.Logf("uncovered call (so far in this binary): %s", call)
	}
}

// TestOpenAPIRoutingRules exercises the routing rules through env.API, whose
// contract check validates each exchange: no other test calls them there.
func TestOpenAPIRoutingRules(t *testing.T) {
	env := webtest.New(t)
	key := env.APIKey("", "routing:write")
	if st, b := env.API(http.MethodGet, "/api/v1/routing/rules", key, ""); st != http.StatusOK {
		t.Fatalf("get rules = %d %s", st, b)
	}
	draft := `{"rules": [{"name": "EU big orders", "enabled": true,
		"when": {"countries": ["FR", "DE"], "min_value": "100", "max_value": 5000, "delivery": "ship"},
		"filters": {"kinds": ["warehouse"], "max_km": 800, "respect_capacity": true},
		"rank": ["closest"], "split": {"allow": true, "max_shipments": 2}, "missing_stock": "backorder"}]}`
	if st, b := env.API(http.MethodPut, "/api/v1/routing/rules/draft", key, draft); st != http.StatusOK {
		t.Fatalf("put draft = %d %s", st, b)
	}
	if st, b := env.API(http.MethodGet, "/api/v1/routing/rules?version=draft", key, ""); st != http.StatusOK || !strings.Contains(b, `"min_value":"100"`) {
		t.Fatalf("get draft = %d %s", st, b)
	}
	if st, b := env.API(http.MethodPost, "/api/v1/routing/rules/publish", key, ""); st != http.StatusCreated {
		t.Fatalf("publish = %d %s", st, b)
	}
	if st, b := env.API(http.MethodPut, "/api/v1/routing/rules/draft", key, `{"rules": [{"name": 5}]}`); st != http.StatusUnprocessableEntity {
		t.Errorf("bad draft = %d %s, want 422", st, b)
	}
}
