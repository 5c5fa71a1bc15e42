package web_test

import (
	"net/http"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web"
	"switchyard/web/webtest"
)

// checkSecurityHeaders fails unless an answer carries every security header:
// a CSP with no inline script or style, no eval and no framing; nosniff; a
// Referrer-Policy that keeps addresses on the site.
func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	switch {
	case csp == "":
		t.Errorf("%s: no Content-Security-Policy", what)
	case strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*"):
		t.Errorf("%s: the CSP allows inline code, eval or any origin: %q", what, csp)
	case directives["script-src"] != "'self'" || directives["style-src"] != "'self'" || directives["default-src"] != "'self'":
		t.Errorf("%s: the CSP does not limit scripts and styles to the site's files: %q", what, csp)
	case directives["frame-ancestors"] != "'none'" || directives["object-src"] != "'none'" || directives["base-uri"] != "'none'":
		t.Errorf("%s: the CSP allows framing, plugins or <base>: %q", what, csp)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q, want nosniff", what, got)
	}
	if got := h.Get("Referrer-Policy"); got != "same-origin" && got != "no-referrer" {
		t.Errorf("%s: Referrer-Policy = %q, want same-origin or no-referrer", what, got)
	}
	if got := h.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("%s: X-Frame-Options = %q, want DENY (for browsers without frame-ancestors)", what, got)
	}
}

// TestSecurityHeadersOnEveryAnswer walks every GET route of the route table,
// signed in as an admin and signed out, plus not-found pages, refused and
// failed requests, static assets and the JSON API: each answer carries the
// security headers.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 1)
	admin, _ := env.SignedIn(app.RoleAdmin)
	lead, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	subst := strings.NewReplacer(":number", o.Number, ":id", quFID(o), ":code", "LYS-WH", ":location", "LYS-WH",
		":sku", "TEE", ":index", "0", ":version", "1", ":file", "orders.csv", ":token", "nope", ":channel", "web-eu")
	var paths []string
	for _, r := range web.RouteTable() {
		if r.Method == http.MethodGet && r.Path != "/logout" {
			paths = append(paths, subst.Replace(r.Path))
		}
	}
	paths = append(paths,
		"/no/such/page", "/orders/SY-999999", "/admin/users/abc", // not found
		"/assets/app.css", "/assets/app.js", "/assets/vendor/htmx.min.js", "/assets/nope.js", // assets
		"/api/v1/orders/"+o.Number, "/api/v1/nope", // the API without a key: 401 JSON
	)
	statuses := map[int]bool{}
	for name, c := range map[string]*webtest.Client{"admin": admin, "warehouse": lead, "signed out": env.Client()} {
		for _, p := range paths {
			res := c.Get(p)
			statuses[res.StatusCode] = true
			checkSecurityHeaders(t, name+" GET "+p+" ("+http.StatusText(res.StatusCode)+")", res.Header)
		}
	}
	// Refused posts: no CSRF token (403), bad input (422), a webhook with no signature.
	for what, res := range map[string]*webtest.Response{
		"POST without a CSRF token": admin.PostRaw("/admin/users", nil),
		"POST with bad input":       admin.PostForm("/locations", nil),
		"webhook without signature": env.Client().PostRaw("/webhooks/shopify/web-eu", nil),
	} {
		statuses[res.StatusCode] = true
		checkSecurityHeaders(t, what+" ("+http.StatusText(res.StatusCode)+")", res.Header)
	}
	del, _ := http.NewRequest(http.MethodDelete, env.Server.URL+"/login", nil)
	delRes := admin.Do(del)
	checkSecurityHeaders(t, "DELETE /login ("+http.StatusText(delRes.StatusCode)+")", delRes.Header)
	key := env.APIKey("", "orders:read")
	req, _ := http.NewRequest(http.MethodGet, env.Server.URL+"/api/v1/orders/"+o.Number, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	statuses[res.StatusCode] = true
	checkSecurityHeaders(t, "API GET with a key", res.Header)
	for _, want := range []int{200, 303, 401, 403, 404, 422} {
		if !statuses[want] {
			t.Errorf("no answer with status %d was checked: the walk misses a kind of answer", want)
		}
	}
}

func TestFaviconIsServed(t *testing.T) {
	env := webtest.New(t)
	c := env.Client()
	res := c.Get("/favicon.ico")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/assets/favicon.svg" {
		t.Fatalf("GET /favicon.ico = %d to %q, want 301 to the icon", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.Get("/assets/favicon.svg"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "<svg") {
		t.Fatalf("GET /assets/favicon.svg = %d", res.StatusCode)
	}
}
