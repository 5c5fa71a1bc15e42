package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

// getWithTZ fetches path with the browser's tz cookie set to tz.
func getWithTZ(t *testing.T, env *webtest.Env, c *webtest.Client, path, tz string) *webtest.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.Server.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "tz", Value: tz})
	return c.Do(req)
}

// The clock reads 26 Nov 2026 10:00 UTC: the dashboard's "As of" shows it in
// the reader's zone.
const (
	asOfUTC   = "As of 26 Nov 2026, 10:00 UTC"
	asOfParis = "As of 26 Nov 2026, 11:00 CET"
	asOfNY    = "As of 26 Nov 2026, 05:00 EST"
)

func TestStaffPagesUseTheUsersTimezone(t *testing.T) {
	env := webtest.New(t)
	ops, _ := env.SignedIn(app.RoleOps)
	if res := ops.Get("/dashboard"); !strings.Contains(res.Body, asOfUTC) {
		t.Fatalf("with no setting and no cookie the dashboard should read %q\n%s", asOfUTC, res.Body)
	}
	res := ops.PostForm("/account", url.Values{"timezone": {"Europe/Paris"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /account = %d, want 303\n%s", res.StatusCode, res.Body)
	}
	if res := ops.Get("/dashboard"); !strings.Contains(res.Body, asOfParis) {
		t.Fatalf("a user in Europe/Paris should read %q\n%s", asOfParis, res.Body)
	}
	// The user's setting wins over the browser's zone.
	if res := getWithTZ(t, env, ops, "/dashboard", "America/New_York"); !strings.Contains(res.Body, asOfParis) {
		t.Errorf("the user's setting should win over the tz cookie: want %q\n%s", asOfParis, res.Body)
	}
	if res := ops.Get("/account"); !strings.Contains(res.Body, `value="Europe/Paris"`) || !strings.Contains(res.Body, "Time zone saved.") {
		t.Errorf("the account page should show the saved zone and say so\n%s", res.Body)
	}
	// Empty: back to the browser's zone.
	if res := ops.PostForm("/account", url.Values{"timezone": {""}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("clearing the zone = %d, want 303\n%s", res.StatusCode, res.Body)
	}
	if res := getWithTZ(t, env, ops, "/dashboard", "America/New_York"); !strings.Contains(res.Body, asOfNY) {
		t.Errorf("with no setting the tz cookie should be used: want %q\n%s", asOfNY, res.Body)
	}
}

func TestTimezoneCookieIsUsedWhenTheUserHasNone(t *testing.T) {
	env := webtest.New(t)
	ops, _ := env.SignedIn(app.RoleOps)
	if res := getWithTZ(t, env, ops, "/dashboard", "Europe/Paris"); !strings.Contains(res.Body, asOfParis) {
		t.Errorf("the browser's zone should be used: want %q\n%s", asOfParis, res.Body)
	}
	for _, bad := range []string{"Mars/Olympus", "Local", "../../etc/passwd", "not a zone"} {
		res := getWithTZ(t, env, ops, "/dashboard", bad)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, asOfUTC) {
			t.Errorf("a bad tz cookie %q should be ignored (UTC): status %d\n%s", bad, res.StatusCode, res.Body)
		}
	}
	if res := getWithTZ(t, env, ops, "/account", "Europe/Paris"); !strings.Contains(res.Body, "your browser&#39;s zone (Europe/Paris)") {
		t.Errorf("the account page should name the browser's zone\n%s", res.Body)
	}
}

func TestBadTimezoneSettingIsRefusedWithTheFieldNamed(t *testing.T) {
	env := webtest.New(t)
	ops, _ := env.SignedIn(app.RoleOps)
	for _, bad := range []string{"Mars/Olympus", "Local", "../zoneinfo/UTC", strings.Repeat("A", 80)} {
		res := ops.PostForm("/account", url.Values{"timezone": {bad}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("timezone %q = %d, want 422\n%s", bad, res.StatusCode, res.Body)
			continue
		}
		if !strings.Contains(res.Body, `data-field="timezone"`) {
			t.Errorf("timezone %q: the error should stand beside the field\n%s", bad, res.Body)
		}
	}
	if res := ops.Get("/dashboard"); !strings.Contains(res.Body, asOfUTC) {
		t.Errorf("a refused zone should write nothing: want %q\n%s", asOfUTC, res.Body)
	}
}

func TestAccountFormIsCSRFProtectedAndForSignedInUsers(t *testing.T) {
	env := webtest.New(t)
	ops, _ := env.SignedIn(app.RoleOps)
	ops.Get("/account")
	if res := ops.PostRaw("/account", url.Values{"timezone": {"Europe/Paris"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("POST /account without a token = %d, want 403", res.StatusCode)
	}
	if res := ops.Get("/dashboard"); !strings.Contains(res.Body, asOfUTC) {
		t.Errorf("a refused post should write nothing: want %q", asOfUTC)
	}
	if res := env.Client().Get("/account"); res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /account signed out = %d, want a redirect to sign in", res.StatusCode)
	}
	env.AddLocation("LYON", "Lyon warehouse")
	for _, role := range app.Roles {
		var locs []string
		if role == app.RoleWarehouse {
			locs = []string{"LYON"}
		}
		c, _ := env.SignedIn(role, locs...)
		res := c.Get("/account")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `href="/account"`) {
			t.Errorf("%s: GET /account = %d, want 200 with the layout's link to it", role, res.StatusCode)
		}
	}
}
