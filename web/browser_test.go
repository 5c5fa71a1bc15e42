package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
	"switchyard/web/webtest"
)

// TestBrowserAdminCreatesSupportUser walks through the admin pages in a real
// Chromium: an admin signs in, adds a support agent, signs out, and the agent
// signs in and sees only what support may use.
func TestBrowserAdminCreatesSupportUser(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := webtest.New(t)
	admin, adminPassword := env.AddUser(app.RoleAdmin)

	// The admin signs in.
	signIn(t, b, env.Server.URL, admin.Email, adminPassword)
	if who := b.Text(`[data-testid=whoami]`); !strings.Contains(who, admin.Name) || !strings.Contains(who, "Admin") {
		t.Fatalf("after the admin signed in, whoami = %q, want the name %q and the role Admin", who, admin.Name)
	}
	htmx, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`typeof window.htmx === "object" && window.htmx !== null`))
	if err != nil || !htmx {
		t.Fatalf("htmx is not loaded on the home page (window.htmx missing; err %v): is /assets/vendor/htmx.min.js served?", err)
	}

	// At 1280 px (the browser's width) the admin's navigation is one line: as
	// tall as one of its links.
	oneLine, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`(() => {
		const nav = document.querySelector("header.top nav"), a = nav.querySelector("a");
		return window.innerWidth <= 1280 && nav.getBoundingClientRect().height < 2 * a.getBoundingClientRect().height && nav.scrollWidth <= nav.clientWidth;
	})()`))
	if err != nil || !oneLine {
		dims, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`(() => { const n = document.querySelector("header.top nav"), h = document.querySelector("header.top");
			return window.innerWidth + " nav " + JSON.stringify(n.getBoundingClientRect()) + " header " + JSON.stringify(h.getBoundingClientRect()) + " links " + Array.from(n.querySelectorAll("a"), a => a.textContent.trim()).join("|") })()`))
		t.Errorf("the admin's navigation wraps at 1280 px (err %v): %s", err, dims)
	}

	// Admin in the navigation, Users on the admin page, then Add a user.
	if st := b.Follow("click Admin in the navigation", chromedp.Click(browsertest.Find("header.top nav a", "Admin"))); st != http.StatusOK || b.Path() != "/admin" {
		t.Fatalf("the Admin link led to %s with status %d, want /admin with 200", b.Path(), st)
	}
	if active := b.Texts(`header.top nav a.active`); !slices.Equal(active, []string{"Admin"}) {
		t.Errorf("on /admin the highlighted navigation is %q, want Admin", active)
	}
	if st := b.Follow("click Users on the admin page", chromedp.Click(browsertest.Find("main a", "Users"))); st != http.StatusOK || b.Path() != "/admin/users" {
		t.Fatalf("the Users link led to %s with status %d, want /admin/users with 200", b.Path(), st)
	}
	if active := b.Texts(`header.top nav a.active`); !slices.Equal(active, []string{"Admin"}) {
		t.Errorf("on /admin/users the highlighted navigation is %q, want Admin", active)
	}
	if st := b.Follow("click Add a user", chromedp.Click(browsertest.Find("a", "Add a user"))); st != http.StatusOK || b.Path() != "/admin/users/new" {
		t.Fatalf("Add a user led to %s with status %d, want /admin/users/new with 200", b.Path(), st)
	}

	const (
		email    = "sam.support@example.com"
		name     = "Sam Support"
		password = "a long enough password 42"
	)
	b.Do("fill the add-user form",
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("name"), name),
		chromedp.SetValue(chromedp.ID("role"), string(app.RoleSupport)),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	if role, err := chromedp.Run(b.Ctx, chromedp.Value(chromedp.ID("role"))); err != nil || role != string(app.RoleSupport) {
		t.Fatalf("the role select holds %q (err %v), want %q", role, err, app.RoleSupport)
	}
	if st := b.Follow("submit the add-user form", chromedp.Click(browsertest.Find("main button[type=submit]", "Add user"))); st != http.StatusCreated {
		t.Fatalf("adding the user answered %d on %s, want 201 and the password page; page says:\n%s", st, b.Path(), b.Text(`main`))
	}
	if shown := b.Text(`[data-testid=password]`); shown != password {
		t.Fatalf("the password page shows %q, want the password typed in the form %q", shown, password)
	}
	if h1 := b.Text(`main h1`); !strings.Contains(h1, name) {
		t.Errorf("the password page's heading is %q, want it to name %q", h1, name)
	}

	// The admin signs out and lands on the sign-in page.
	b.Follow("click Sign out", chromedp.Click(browsertest.Find("header.top button", "Sign out")))
	if p := b.Path(); p != "/login" {
		t.Fatalf("after signing out the browser is on %s, want /login", p)
	}
	if n := len(b.Texts(`header.top`)); n != 0 {
		t.Errorf("the sign-in page after signing out still shows the signed-in header (%d found)", n)
	}

	// The new support agent signs in.
	signIn(t, b, env.Server.URL, email, password)
	if who := b.Text(`[data-testid=whoami]`); !strings.Contains(who, name) || !strings.Contains(who, "Support agent") {
		t.Errorf("the agent's whoami = %q, want %q and %q", who, name, "Support agent")
	}
	nav := b.Texts(`header.top nav a`)
	if !slices.Contains(nav, "Home") {
		t.Errorf("the agent's navigation is %q, want it to contain Home", nav)
	}
	for _, adminOnly := range []string{"Admin", "Users", "API keys"} {
		if slices.Contains(nav, adminOnly) {
			t.Errorf("the agent's navigation is %q, want no %q link: that page is for admins", nav, adminOnly)
		}
	}

	// The admin pages refuse the agent.
	if st := b.Open(env.Server.URL + "/admin/users"); st != http.StatusForbidden {
		t.Errorf("GET /admin/users as support answered %d, want 403", st)
	}
	if h1 := b.Text(`main h1`); h1 != "Not allowed" {
		t.Errorf("/admin/users as support shows the heading %q, want %q", h1, "Not allowed")
	}
	if body := b.Text(`main`); strings.Contains(body, email) {
		t.Errorf("the 403 page leaks the user list: %q", body)
	}
}

// signIn opens the sign-in page, signs in and waits for the start page.
func signIn(t *testing.T, b *browsertest.Browser, base, email, password string) {
	t.Helper()
	if st := b.Open(base + "/login"); st != http.StatusOK {
		t.Fatalf("GET /login answered %d, want 200", st)
	}
	b.Do("fill the sign-in form",
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	if st := b.Follow("submit the sign-in form", chromedp.Click(browsertest.Find("button[type=submit]", "Sign in"))); st != http.StatusOK {
		t.Fatalf("signing in as %s ended with status %d on %s, want 200 on /; page says:\n%s", email, st, b.Path(), b.Text(`main`))
	}
	b.Do("wait for the start page", chromedp.WaitVisible(chromedp.CSS(`[data-testid=whoami]`)))
	if p := b.Path(); p != "/" {
		t.Fatalf("after signing in as %s the browser is on %s, want /", email, p)
	}
}
