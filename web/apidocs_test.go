package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestAPIDocsPage: the reference page needs no sign-in, loads Redoc from the
// embedded assets (served), points it at the OpenAPI document, and keeps
// scripts and connections to Switchyard itself.
func TestAPIDocsPage(t *testing.T) {
	env := ordEnv(t)
	res := env.Client().Get("/api/docs")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /api/docs = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	page := res.Body
	for _, want := range []string{`spec-url="/api/v1/openapi.json"`, `src="/assets/vendor/redoc.standalone.js"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(page, "cdn.") || strings.Contains(page, "https://") {
		t.Errorf("the page refers to another site:\n%s", page)
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self';", "connect-src 'self';", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the policy %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Errorf("the policy %q lets scripts run inline or from strings", csp)
	}
	js := env.Client().Get("/assets/vendor/redoc.standalone.js")
	if js.StatusCode != http.StatusOK {
		t.Fatalf("Redoc's bundle answered %d (run make assets)", js.StatusCode)
	}
}
