package web_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web"
	"switchyard/web/webtest"
)

// TestEveryRouteDeclaresWhoMayUseIt keeps the route table honest.
func TestEveryRouteDeclaresWhoMayUseIt(t *testing.T) {
	for _, r := range web.RouteTable() {
		if !r.Public && len(r.Roles) == 0 && len(r.Scopes) == 0 {
			t.Errorf("%s %s names no role or scope and is not public", r.Method, r.Path)
		}
		if r.API() != (len(r.Scopes) > 0) {
			t.Errorf("%s %s: API routes, and only they, are guarded by API key scopes", r.Method, r.Path)
		}
	}
}

// TestRoleByRoute sends every route of the table as every role and as nobody:
// allowed roles get through the guard, others get 403, nobody is sent to sign in.
func TestRoleByRoute(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	clients := map[app.Role]*webtest.Client{}
	for _, role := range app.Roles {
		var locs []string
		if role == app.RoleWarehouse {
			locs = []string{"LYS-WH"}
		}
		clients[role], _ = env.SignedIn(role, locs...)
	}
	target, _ := env.AddUser(app.RoleSupport)
	anon := env.Client()

	routes := web.RouteTable()
	// Signing out ends the session the other checks use: do it last.
	slices.SortStableFunc(routes, func(a, b web.RouteInfo) int {
		return boolCmp(a.Path == "/logout" && a.Method == http.MethodPost, b.Path == "/logout" && b.Method == http.MethodPost)
	})
	for _, r := range routes {
		if r.API() {
			continue // API keys, not sessions: see TestAPIRoutesNeedAKey
		}
		if strings.HasPrefix(r.Path, "/webhooks/") {
			continue // signatures, not sessions: see TestWebhookChannelsCannotBeProbed
		}
		path := strings.ReplaceAll(r.Path, ":id", itoa(target.ID))
		send := func(c *webtest.Client) *webtest.Response {
			if r.Method == http.MethodGet {
				return c.Get(path)
			}
			return c.PostForm(path, nil)
		}
		for _, role := range app.Roles {
			res := send(clients[role])
			allowed := r.Public || slices.Contains(r.Roles, role)
			// A warehouse user may use a location's pages, but not at a location
			// that is not theirs (here the literal ":location"): that 403 says so.
			notTheirs := role == app.RoleWarehouse && strings.Contains(res.Body, "is not one of your locations")
			if allowed && !notTheirs && (res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized) {
				t.Errorf("%s %s as %s = %d, want allowed", r.Method, r.Path, role, res.StatusCode)
			}
			if !allowed && res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as %s = %d, want 403", r.Method, r.Path, role, res.StatusCode)
			}
			if !allowed && !strings.Contains(res.Body, "Not allowed") {
				t.Errorf("%s %s as %s: the 403 page does not say so", r.Method, r.Path, role)
			}
		}
		res := send(anon)
		if r.Public {
			continue
		}
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("%s %s anonymous = %d to %q, want 303 to /login", r.Method, r.Path, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

// mainNav is the main navigation of a page.
func mainNav(body string) string {
	_, after, _ := strings.Cut(body, `<nav aria-label="Main">`)
	nav, _, _ := strings.Cut(after, "</nav>")
	return nav
}

func TestNavigationShowsEachRoleItsPages(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	admin, _ := env.SignedIn(app.RoleAdmin)
	support, _ := env.SignedIn(app.RoleSupport)
	nav := mainNav(admin.Get("/").Body)
	if !strings.Contains(nav, `href="/admin"`) || strings.Contains(nav, `href="/dashboard"`) || strings.Contains(nav, `href="/admin/users"`) {
		t.Errorf("admin navigation: want Admin (grouping users, keys and the outbox) and no Dashboard beside Home:\n%s", nav)
	}
	if body := admin.Get("/admin").Body; !strings.Contains(body, `href="/admin/users"`) || !strings.Contains(body, `href="/admin/apikeys"`) || !strings.Contains(body, `href="/admin/outbox"`) {
		t.Error("the admin page does not link users, API keys and the outbox")
	}
	if body := support.Get("/").Body; strings.Contains(body, `href="/admin`) {
		t.Error("support navigation shows admin pages")
	}
}

func TestErrorPages(t *testing.T) {
	env := webtest.New(t)
	c, _ := env.SignedIn(app.RoleAdmin)
	res := c.Get("/no/such/page")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "Not found") {
		t.Fatalf("unknown page = %d, want a 404 page", res.StatusCode)
	}
	res = c.Get("/admin/users/999999")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "No user with id 999999") {
		t.Fatalf("unknown user = %d\n%s", res.StatusCode, res.Body)
	}
	res = c.Get("/admin/users/abc")
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("non-numeric id = %d, want 404", res.StatusCode)
	}
}

// TestAPIRoutesNeedAKey: every API route answers 401 in the JSON error shape
// without a key, and a signed-in browser session is no key.
func TestAPIRoutesNeedAKey(t *testing.T) {
	env := webtest.New(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	routes := append(web.RouteTable(), web.RouteInfo{Method: http.MethodGet, Path: "/api/v1/no-such-thing"})
	for _, r := range routes {
		if !r.API() {
			continue
		}
		path := strings.NewReplacer(":code", "X", ":location", "L", ":sku", "S").Replace(r.Path)
		for name, send := range map[string]func() *http.Response{
			"no key": func() *http.Response {
				req, _ := http.NewRequest(r.Method, env.Server.URL+path, strings.NewReader("{}"))
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				return res
			},
			"session cookie": func() *http.Response {
				req, _ := http.NewRequest(r.Method, env.Server.URL+path, strings.NewReader("{}"))
				req.Header.Set("X-CSRF-Token", admin.CSRF())
				return admin.Do(req).Response
			},
		} {
			res := send()
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s with %s = %d, want 401", r.Method, path, name, res.StatusCode)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s %s with %s answered %s, want JSON", r.Method, path, name, ct)
			}
		}
	}
}

func TestHealth(t *testing.T) {
	env := webtest.New(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		res, err := http.Get(env.Server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s = %d", path, res.StatusCode)
		}
		if len(res.Cookies()) != 0 {
			t.Errorf("%s sets cookies; probes need no session", path)
		}
	}
}

func TestReadyzSaysTheNodesRole(t *testing.T) {
	for _, tc := range []struct {
		role func(context.Context) string
		want string
	}{
		{nil, `"role":"single"`},
		{func(context.Context) string { return "follower" }, `"role":"follower"`},
	} {
		env := webtest.NewWith(t, webtest.Options{Role: tc.role})
		res, err := http.Get(env.Server.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK || !strings.Contains(string(body), tc.want) {
			t.Errorf("/readyz = %d %s, want %s", res.StatusCode, body, tc.want)
		}
	}
}

// boolCmp orders false before true.
func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// activeNav is the href of the highlighted entry of a page's main navigation.
func activeNav(body string) string {
	nav := mainNav(body)
	i := strings.Index(nav, `class="active"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(nav[:i], `href="`)
	href, _, _ := strings.Cut(nav[start+len(`href="`):], `"`)
	return href
}

func TestNavigationHighlightsTheSectionOfEveryPage(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	env.AddSKU("TEE")
	admin, _ := env.SignedIn(app.RoleAdmin)
	for path, want := range map[string]string{
		"/": "/", "/dashboard": "/", "/skus/TEE": "/stock", "/stock": "/stock", "/search?q=x": "/orders",
		"/orders": "/orders", "/admin/outbox": "/admin", "/admin/users": "/admin", "/admin/apikeys": "/admin",
		"/locations/LYS-WH/queue": "/queue", "/locations/LYS-WH": "/locations", "/rules/simulate": "/rules",
	} {
		res := admin.Get(path)
		if got := activeNav(res.Body); res.StatusCode != http.StatusOK || got != want {
			t.Errorf("GET %s (%d) highlights %q, want %q", path, res.StatusCode, got, want)
		}
	}
	// A warehouse lead with one location finds its stock under Stock.
	wh, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	res := wh.Get("/locations/LYS-WH")
	if nav := mainNav(res.Body); !strings.Contains(nav, `href="/locations/LYS-WH"`) || activeNav(res.Body) != "/locations/LYS-WH" {
		t.Errorf("the warehouse lead's Stock entry does not lead to, or highlight, their location:\n%s", nav)
	}
	if got := activeNav(wh.Get("/locations/LYS-WH/queue").Body); got != "/queue" {
		t.Errorf("the warehouse lead's queue highlights %q, want /queue", got)
	}
}
