package web_test

import (
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/app/audit"
	"switchyard/web/webtest"
)

func TestAuditPageIsForAdminsOnly(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	for _, role := range []app.Role{app.RoleOps, app.RoleSupport, app.RoleWarehouse} {
		var c *webtest.Client
		if role == app.RoleWarehouse {
			c, _ = env.SignedIn(role, "LYS-WH")
		} else {
			c, _ = env.SignedIn(role)
		}
		for _, path := range []string{"/admin/audit", "/admin/audit.csv"} {
			if res := c.Get(path); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s GET %s = %d, want 403", role, path, res.StatusCode)
			}
		}
		if res := c.PostForm("/admin/audit/retention", url.Values{"days": {"30"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s POST retention = %d, want 403", role, res.StatusCode)
		}
	}
	if d, _ := audit.New(env.App).Retention(context.Background()); d != audit.DefaultRetentionDays {
		t.Errorf("retention %d after refused posts", d)
	}
}

func TestAuditPageShowsAndFiltersEntries(t *testing.T) {
	env := webtest.New(t)
	admin, adminUser := env.SignedIn(app.RoleAdmin)
	stranger := env.Client()
	if res := stranger.PostForm("/login", url.Values{"email": {adminUser.Email}, "password": {"not the password at all"}}); res.StatusCode == http.StatusSeeOther {
		t.Fatal("a wrong password signed in")
	}
	page := admin.Get("/admin/audit")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("audit page = %d\n%s", page.StatusCode, page.Body)
	}
	for _, want := range []string{`data-action="signin.succeeded"`, `data-action="signin.failed"`, "26 Nov 2026", "127.0.0.1"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("audit page lacks %s", want)
		}
	}
	if strings.Contains(page.Body, "not the password at all") {
		t.Error("the page shows a typed password")
	}
	failed := admin.Get("/admin/audit?action=signin.failed")
	if n := strings.Count(failed.Body, `data-testid="audit-entry"`); n != 1 || !strings.Contains(failed.Body, `data-action="signin.failed"`) {
		t.Errorf("action filter: %d entries\n%s", n, failed.Body)
	}
	if !strings.Contains(failed.Body, `data-testid="pager-count">1 entry<`) {
		t.Error("the filtered page does not say it holds 1 entry")
	}
	if res := admin.Get("/admin/audit?from=2026-11-27"); strings.Contains(res.Body, `data-testid="audit-entry"`) {
		t.Error("from filter kept entries of the day before")
	}
	if res := admin.Get("/admin/audit?to=2026-11-26&actor=" + url.QueryEscape(adminUser.Name)); !strings.Contains(res.Body, `data-action="signin.succeeded"`) {
		t.Error("to and actor filters lost the admin's sign-in")
	}
	bad := admin.Get("/admin/audit?from=yesterday")
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `data-field="from"`) {
		t.Errorf("bad date = %d\n%s", bad.StatusCode, bad.Body)
	}
}

func TestAuditCSVNeutralisesFormulasAndIsRecorded(t *testing.T) {
	env := webtest.New(t)
	const evil = "=HYPERLINK(\"http://evil.example\")"
	_, _, err := env.Svc.Accounts.CreateUser(context.Background(), app.System, accounts.NewUser{
		Email: "evil@example.com", Name: evil, Role: "support", Password: "correct horse battery evil"})
	if err != nil {
		t.Fatal(err)
	}
	env.Client().SignIn("evil@example.com", "correct horse battery evil")
	admin, _ := env.SignedIn(app.RoleAdmin)
	res := admin.Get("/admin/audit.csv?action=signin.succeeded")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("audit CSV = %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), res.Body)
	}
	recs, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("CSV rows %v, %v", recs, err)
	}
	found := false
	for _, rec := range recs[1:] {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q is not neutralised", cell)
			}
			found = found || strings.Contains(cell, evil)
		}
	}
	if !found {
		t.Errorf("the formula-looking name is missing:\n%s", res.Body)
	}
	page := admin.Get("/admin/audit?action=csv.exported")
	if !strings.Contains(page.Body, "downloaded audit.csv with action=signin.succeeded") {
		t.Errorf("the download is not recorded with its filters:\n%s", page.Body)
	}
}

func TestAuditRetentionFormRefusesBadInput(t *testing.T) {
	env := webtest.New(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	for _, days := range []string{"", "abc", "7", "100000"} {
		res := admin.PostForm("/admin/audit/retention", url.Values{"days": {days}})
		m := regexp.MustCompile(`data-field="days">([^<]*)<`).FindStringSubmatch(res.Body)
		if res.StatusCode != http.StatusUnprocessableEntity || m == nil {
			t.Errorf("days %q = %d, no error beside the field\n%s", days, res.StatusCode, res.Body)
		} else if html.UnescapeString(m[1]) == "" {
			t.Errorf("days %q: empty error", days)
		}
	}
	if d, _ := audit.New(env.App).Retention(context.Background()); d != audit.DefaultRetentionDays {
		t.Errorf("retention %d after bad input, want %d", d, audit.DefaultRetentionDays)
	}
	if n := strings.Count(admin.Get("/admin/audit?action=audit.retention_changed").Body, `data-testid="audit-entry"`); n != 0 {
		t.Errorf("bad input wrote %d entries", n)
	}
	if res := admin.PostForm("/admin/audit/retention", url.Values{"days": {"90"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("days 90 = %d\n%s", res.StatusCode, res.Body)
	}
	page := admin.Get("/admin/audit")
	if !strings.Contains(page.Body, `value="90"`) || !strings.Contains(page.Body, "retention changed from 365 to 90 days") {
		t.Errorf("retention not saved or not recorded:\n%s", page.Body)
	}
}

func TestExportsAndChannelSecretsAreRecorded(t *testing.T) {
	env := webtest.New(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	if res := admin.Get("/exports/skus.csv"); res.StatusCode != http.StatusOK {
		t.Fatalf("skus export = %d", res.StatusCode)
	}
	if res := admin.PostForm("/channels", url.Values{"code": {"web"}, "name": {"Web"}, "kind": {"shopify"}}); res.StatusCode >= 400 {
		t.Fatalf("create channel = %d\n%s", res.StatusCode, res.Body)
	}
	const secret = "whsec-do-not-log-me"
	if res := admin.PostForm("/admin/channels/web", url.Values{"secret_1": {secret}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("channel settings = %d\n%s", res.StatusCode, res.Body)
	}
	page := admin.Get("/admin/audit")
	for _, want := range []string{"downloaded skus.csv", `data-action="channel.settings_changed"`, "webhook secrets"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	if strings.Contains(page.Body, secret) {
		t.Error("the audit page shows a webhook secret")
	}
}

// TestSignOutIsRecorded: signing out is in the audit log, once, with who and
// from where; a sign-in over another session does not count as a sign-out.
func TestSignOutIsRecorded(t *testing.T) {
	env := webtest.New(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	support, supportUser := env.SignedIn(app.RoleSupport)
	support.Get("/logout")
	if res := support.PostForm("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out = %d", res.StatusCode)
	}
	support.Get("/login") // the sign-out gave the browser a new CSRF token
	support.SignIn(supportUser.Email, "correct horse battery "+string(app.RoleSupport))
	support.Get("/login")
	support.SignIn(supportUser.Email, "correct horse battery "+string(app.RoleSupport)) // over the session it has
	page := admin.Get("/admin/audit?action=signout")
	if n := strings.Count(page.Body, `data-testid="audit-entry"`); n != 1 {
		t.Fatalf("%d sign-outs recorded, want 1\n%s", n, page.Body)
	}
	if !strings.Contains(page.Body, supportUser.Name) || !strings.Contains(page.Body, "127.0.0.1") {
		t.Errorf("the sign-out does not say who and from where:\n%s", page.Body)
	}
}
