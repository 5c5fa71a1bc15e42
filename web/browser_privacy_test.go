package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// TestBrowserPrivacyErase: in a real Chromium, an admin goes from the admin
// page to Customer privacy, is told beside each field what is missing when
// the form is sent bare, then erases a customer's data and reads the notice;
// no script error or CSP refusal.
func TestBrowserPrivacyErase(t *testing.T) {
	b := browsertest.New(t)
	env := privacyEnv(t, "shpss_privacy")
	u, password := env.AddUser(app.RoleAdmin)
	base := env.Server.URL
	signIn(t, b, base, u.Email, password)

	if st := b.Open(base + "/admin"); st != http.StatusOK {
		t.Fatalf("GET /admin answered %d", st)
	}
	if st := b.Follow("open customer privacy", chromedp.Click(browsertest.Find("a", "Customer privacy"))); st != http.StatusOK || b.Path() != "/admin/privacy" {
		t.Fatalf("privacy link: %d on %s", st, b.Path())
	}
	b.Follow("erase without an email or the tick", chromedp.Click(browsertest.Find("[data-testid=privacy-redact] button", "Erase personal data")))
	if msg := b.Text(`[data-testid=privacy-redact] [data-field=confirm]`); !strings.Contains(msg, "tick to confirm") {
		t.Errorf("confirm error beside the box: %q", msg)
	}
	if emailOfOrder(t, env) == "" {
		t.Fatal("a refused form erased data")
	}
	b.Do("type the customer's email", chromedp.SetValue(chromedp.CSS(`[data-testid=privacy-email]`), "ana@example.com"))
	b.Do("tick the confirmation", chromedp.Click(chromedp.CSS(`[data-testid=privacy-confirm]`)))
	if st := b.Follow("erase", chromedp.Click(browsertest.Find("[data-testid=privacy-redact] button", "Erase personal data"))); st != http.StatusOK {
		t.Fatalf("erase answered %d", st)
	}
	if notice := b.Text(`.notice`); !strings.Contains(notice, "Personal data erased from 1 order of") {
		t.Errorf("notice after erasing: %q", notice)
	}
	if emailOfOrder(t, env) != "" {
		t.Error("the order kept its email")
	}
	if errs := append(b.Exceptions(), b.ConsoleErrors()...); len(errs) > 0 {
		t.Errorf("script errors: %v", errs)
	}
}
