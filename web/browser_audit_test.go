package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
	"switchyard/web/webtest"
)

// TestBrowserAuditLog: in a real Chromium, an admin goes from the admin page
// to the audit log, finds their own sign-in, filters by action, and a bad
// retention shows its error beside the field; no script error or CSP refusal.
func TestBrowserAuditLog(t *testing.T) {
	b := browsertest.New(t)
	env := webtest.New(t)
	u, password := env.AddUser(app.RoleAdmin)
	base := env.Server.URL
	signIn(t, b, base, u.Email, password)

	if st := b.Open(base + "/admin"); st != http.StatusOK {
		t.Fatalf("GET /admin answered %d", st)
	}
	if st := b.Follow("open the audit log", chromedp.Click(browsertest.Find("a", "Audit log"))); st != http.StatusOK || b.Path() != "/admin/audit" {
		t.Fatalf("audit log link: %d on %s", st, b.Path())
	}
	if got := b.Texts(`[data-testid=audit-entry] td`); !strings.Contains(strings.Join(got, " "), "signin.succeeded") {
		t.Fatalf("no sign-in entry on the page: %v", got)
	}
	b.Do("choose an action", chromedp.SetValue(chromedp.ID("af-action"), "signin.failed"))
	b.Follow("filter", chromedp.Click(browsertest.Find("[data-testid=audit-filters] button", "Filter")))
	if !strings.Contains(b.URL(), "action=signin.failed") || len(b.Texts(`[data-testid=audit-entry]`)) != 0 {
		t.Errorf("filtered to %s with %d entries, want none", b.URL(), len(b.Texts(`[data-testid=audit-entry]`)))
	}
	b.Do("type a bad retention", chromedp.SetValue(chromedp.CSS(`[data-testid=retention-days]`), "seven"))
	b.Follow("save the retention", chromedp.Click(browsertest.Find("[data-testid=audit-retention] button", "Save retention")))
	if msg := b.Text(`[data-field=days]`); !strings.Contains(msg, "whole number") {
		t.Errorf("retention error beside the field: %q", msg)
	}
	if errs := append(b.Exceptions(), b.ConsoleErrors()...); len(errs) > 0 {
		t.Errorf("script errors: %v", errs)
	}
}
