package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/web/webtest"
)

// shownPassword extracts the password shown once on a page.
var shownPassword = regexp.MustCompile(`data-testid="password">([^<]+)<`)

func TestAdminAddsUser(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	admin, _ := env.SignedIn(app.RoleAdmin)

	res := admin.PostForm("/admin/users", url.Values{
		"email": {"wanda@example.com"}, "name": {"Wanda"}, "role": {"warehouse"}, "locations": {"LYS-WH"},
	})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("add user = %d\n%s", res.StatusCode, res.Body)
	}
	m := shownPassword.FindStringSubmatch(res.Body)
	if m == nil || len(m[1]) < accounts.MinPasswordLength {
		t.Fatalf("the generated password is not shown:\n%s", res.Body)
	}
	c := env.Client()
	c.SignIn("wanda@example.com", m[1])
	if body := c.Get("/").Body; !strings.Contains(body, "Warehouse / store lead") {
		t.Error("new warehouse user does not see their role")
	}
	list := admin.Get("/admin/users").Body
	if !strings.Contains(list, "wanda@example.com") || !strings.Contains(list, "LYS-WH") {
		t.Error("user list lacks the new user and their location")
	}
}

func TestAddUserBadInput(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	admin, adminUser := env.SignedIn(app.RoleAdmin)
	cases := []struct {
		name  string
		form  url.Values
		field string
		says  string
	}{
		{"no email", url.Values{"name": {"A"}, "role": {"ops"}}, "email", "is required"},
		{"bad email", url.Values{"email": {"not-an-email"}, "name": {"A"}, "role": {"ops"}}, "email", "must be an email address"},
		{"taken email", url.Values{"email": {adminUser.Email}, "name": {"A"}, "role": {"ops"}}, "email", "already used"},
		{"no name", url.Values{"email": {"a@example.com"}, "role": {"ops"}}, "name", "is required"},
		{"bad role", url.Values{"email": {"a@example.com"}, "name": {"A"}, "role": {"boss"}}, "role", "must be one of"},
		{"short password", url.Values{"email": {"a@example.com"}, "name": {"A"}, "role": {"ops"}, "password": {"short"}}, "password", "at least 12 characters"},
		{"warehouse without location", url.Values{"email": {"a@example.com"}, "name": {"A"}, "role": {"warehouse"}}, "locations", "at least one location"},
		{"unknown location", url.Values{"email": {"a@example.com"}, "name": {"A"}, "role": {"warehouse"}, "locations": {"NOPE"}}, "locations", `unknown location "NOPE"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := userCount(t, env)
			res := admin.PostForm("/admin/users", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			re := regexp.MustCompile(`data-field="` + tc.field + `">([^<]*)<`)
			m := re.FindStringSubmatch(res.Body)
			if m == nil || !strings.Contains(html.UnescapeString(m[1]), tc.says) {
				t.Fatalf("no error beside %q saying %q:\n%s", tc.field, tc.says, res.Body)
			}
			if after := userCount(t, env); after != before {
				t.Fatalf("users %d -> %d: bad input wrote", before, after)
			}
		})
	}
}

// TestAddUserShowsEveryErrorAtOnce: a form wrong in several ways says all of
// them on the first submit, the ones found in the database included.
func TestAddUserShowsEveryErrorAtOnce(t *testing.T) {
	env := webtest.New(t)
	admin, adminUser := env.SignedIn(app.RoleAdmin)
	res := admin.PostForm("/admin/users", url.Values{
		"email": {adminUser.Email}, "name": {""}, "role": {"warehouse"}, "password": {"short"}, "locations": {"NOPE"},
	})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	for field, says := range map[string]string{
		"email": "already used", "name": "is required", "password": "at least 12 characters", "locations": `unknown location "NOPE"`,
	} {
		m := regexp.MustCompile(`data-field="` + field + `">([^<]*)<`).FindStringSubmatch(res.Body)
		if m == nil || !strings.Contains(html.UnescapeString(m[1]), says) {
			t.Errorf("no error beside %q saying %q on the first submit", field, says)
		}
	}
}

func TestAdminChangesRoleAndLocations(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	env.AddLocation("PAR-01", "Paris store")
	admin, _ := env.SignedIn(app.RoleAdmin)
	u, password := env.AddUser(app.RoleSupport)
	session := env.Client()
	session.SignIn(u.Email, password)

	res := admin.PostForm("/admin/users/"+itoa(u.ID), url.Values{
		"name": {"Renamed"}, "role": {"warehouse"}, "locations": {"LYS-WH", "PAR-01"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update = %d\n%s", res.StatusCode, res.Body)
	}
	got, err := env.Svc.Accounts.GetUser(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Renamed" || got.Role != app.RoleWarehouse || len(got.Locations) != 2 {
		t.Fatalf("after update: %+v", got)
	}
	if res := session.Get("/"); res.StatusCode != http.StatusSeeOther {
		t.Error("a role change must end the user's open sessions")
	}
	// Back to support: the locations go.
	admin.PostForm("/admin/users/"+itoa(u.ID), url.Values{"name": {"Renamed"}, "role": {"support"}, "locations": {"LYS-WH"}})
	got, _ = env.Svc.Accounts.GetUser(context.Background(), u.ID)
	if got.Role != app.RoleSupport || len(got.Locations) != 0 {
		t.Fatalf("support user keeps locations: %+v", got)
	}
	// Bad input re-renders the form with the error, and changes nothing.
	res = admin.PostForm("/admin/users/"+itoa(u.ID), url.Values{"name": {""}, "role": {"ops"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="name"`) {
		t.Fatalf("empty name = %d", res.StatusCode)
	}
	if got, _ := env.Svc.Accounts.GetUser(context.Background(), u.ID); got.Role != app.RoleSupport {
		t.Fatal("a refused edit changed the role")
	}
}

func TestAdminResetsPassword(t *testing.T) {
	env := webtest.New(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	u, oldPassword := env.AddUser(app.RoleOps)
	session := env.Client()
	session.SignIn(u.Email, oldPassword)

	res := admin.PostForm("/admin/users/"+itoa(u.ID)+"/password", url.Values{"password": {"short"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("short password = %d, want 422", res.StatusCode)
	}
	env.Client().SignIn(u.Email, oldPassword) // unchanged after the refusal

	res = admin.PostForm("/admin/users/"+itoa(u.ID)+"/password", nil)
	m := shownPassword.FindStringSubmatch(res.Body)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("reset = %d, no password shown\n%s", res.StatusCode, res.Body)
	}
	if res := session.Get("/"); res.StatusCode != http.StatusSeeOther {
		t.Error("a password reset must end the user's open sessions")
	}
	bad := env.Client().PostForm("/login", url.Values{"email": {u.Email}, "password": {oldPassword}})
	if bad.StatusCode != http.StatusUnauthorized {
		t.Errorf("old password still works: %d", bad.StatusCode)
	}
	env.Client().SignIn(u.Email, m[1])
}

func TestLastAdminIsKept(t *testing.T) {
	env := webtest.New(t)
	admin, me := env.SignedIn(app.RoleAdmin)
	res := admin.PostForm("/admin/users/"+itoa(me.ID)+"/deactivate", nil)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("deactivating yourself = %d, want 409", res.StatusCode)
	}
	res = admin.PostForm("/admin/users/"+itoa(me.ID), url.Values{"name": {me.Name}, "role": {"ops"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "last active admin") {
		t.Fatalf("demoting the last admin = %d, want 409 saying why\n%s", res.StatusCode, res.Body)
	}
	if got, _ := env.Svc.Accounts.GetUser(context.Background(), me.ID); got.Role != app.RoleAdmin || !got.Active {
		t.Fatal("the last admin was changed")
	}
}

func TestAdminManagesAPIKeys(t *testing.T) {
	env := webtest.New(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	res := admin.PostForm("/admin/apikeys", url.Values{"name": {"ERP"}, "scopes": {"stock:read", "nope:all"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `unknown scope &#34;nope:all&#34;`) {
		t.Fatalf("unknown scope = %d\n%s", res.StatusCode, res.Body)
	}
	res = admin.PostForm("/admin/apikeys", url.Values{"name": {"ERP"}, "scopes": {"stock:read"}})
	key := regexp.MustCompile(`data-testid="apikey">([^<]+)<`).FindStringSubmatch(res.Body)
	if res.StatusCode != http.StatusCreated || key == nil {
		t.Fatalf("create key = %d, key not shown", res.StatusCode)
	}
	k, err := env.Svc.Accounts.AuthenticateAPIKey(context.Background(), key[1])
	if err != nil || !k.HasScope("stock:read") || k.HasScope("stock:write") {
		t.Fatalf("the shown key does not authenticate with its scopes: %+v %v", k, err)
	}
	if strings.Contains(admin.Get("/admin/apikeys").Body, key[1]) {
		t.Fatal("the key is shown again after creation")
	}
	if res := admin.PostForm("/admin/apikeys/"+itoa(k.ID)+"/revoke", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke = %d", res.StatusCode)
	}
	if _, err := env.Svc.Accounts.AuthenticateAPIKey(context.Background(), key[1]); app.ErrorKind(err) != app.KindUnauthorized {
		t.Fatalf("revoked key still works: %v", err)
	}
}

// userCount counts users in the database.
func userCount(t *testing.T, env *webtest.Env) int64 {
	t.Helper()
	n, err := env.Svc.Accounts.CountUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
