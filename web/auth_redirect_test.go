package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
	"switchyard/web/webtest"
)

// hostileNext are next values that a browser would follow off the site (after
// dropping tab, CR and LF and reading a backslash as a slash).
var hostileNext = []string{
	"/\t/evil.example", "/\r/evil.example", "/\n/evil.example", "/\t\t/evil.example", "/\\evil.example",
	"/\t\\evil.example", "//evil.example", "https://evil.example", "javascript:alert(1)", "\t//evil.example",
	"/\x00/evil.example", "/\x7f/evil.example", "http:/evil.example", "/%2F/evil.example",
}

func TestSignInNextStaysOnSite(t *testing.T) {
	env := webtest.New(t)
	u, password := env.AddUser(app.RoleOps)
	for _, next := range hostileNext {
		t.Run("post "+url.QueryEscape(next), func(t *testing.T) {
			c := env.Client()
			res := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {password}, "next": {next}})
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
				t.Fatalf("sign-in with next=%q = %d to %q, want 303 to /", next, res.StatusCode, res.Header.Get("Location"))
			}
			// Signed in, the sign-in page sends on at once: to / as well.
			res = c.Get("/login?next=" + url.QueryEscape(next))
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
				t.Fatalf("GET /login?next=%q signed in = %d to %q, want 303 to /", next, res.StatusCode, res.Header.Get("Location"))
			}
		})
	}
	// The page as attacked: the query holds %2F%09%2Fevil.example.
	c, _ := env.SignedIn(app.RoleOps)
	if res := c.Get("/login?next=%2F%09%2Fevil.example"); res.Header.Get("Location") != "/" {
		t.Fatalf("GET /login?next=%%2F%%09%%2Fevil.example = %d to %q, want /", res.StatusCode, res.Header.Get("Location"))
	}
	// Signed out, the form carries only the safe value.
	anon := env.Client()
	if res := anon.Get("/login?next=%2F%09%2Fevil.example"); res.StatusCode != http.StatusOK || strings.Contains(res.Body, "evil.example") {
		t.Fatalf("sign-in form for a hostile next = %d, and must not carry it:\n%s", res.StatusCode, res.Body)
	}
	for _, next := range []string{"/orders?status=open", "/orders/SO-1#x", "/admin/users"} {
		c := env.Client()
		res := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {password}, "next": {next}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != next {
			t.Errorf("sign-in with next=%q = %d to %q, want 303 to it", next, res.StatusCode, res.Header.Get("Location"))
		}
		if res := c.Get("/login?next=" + url.QueryEscape(next)); res.Header.Get("Location") != next {
			t.Errorf("GET /login?next=%q signed in went to %q, want it", next, res.Header.Get("Location"))
		}
	}
}

// TestBrowserSignInNextStaysOnSite signs in through the form in Chromium with
// next=/<tab>/evil.example and checks that the browser stays on the site.
func TestBrowserSignInNextStaysOnSite(t *testing.T) {
	b := browsertest.New(t)
	env := webtest.New(t)
	u, password := env.AddUser(app.RoleOps)
	if st := b.Open(env.Server.URL + "/login?next=%2F%09%2Fevil.example"); st != http.StatusOK {
		t.Fatalf("GET /login answered %d, want 200", st)
	}
	b.Do("fill the sign-in form",
		chromedp.SendKeys(chromedp.ID("email"), u.Email),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	b.Do("submit the sign-in form", chromedp.Click(browsertest.Find("button[type=submit]", "Sign in")))
	b.Do("wait for the start page", chromedp.WaitVisible(chromedp.CSS(`[data-testid=whoami]`)))
	where, err := url.Parse(b.URL())
	if err != nil {
		t.Fatal(err)
	}
	own, err := url.Parse(env.Server.URL)
	if err != nil {
		t.Fatal(err)
	}
	if where.Host != own.Host || where.Path != "/" {
		t.Fatalf("after signing in with a hostile next the browser is on %s, want %s/", where, env.Server.URL)
	}
	// And once signed in, following the same link keeps it home.
	b.Open(env.Server.URL + "/login?next=%2F%09%2Fevil.example")
	time.Sleep(200 * time.Millisecond)
	if where, _ := url.Parse(b.URL()); where == nil || where.Host != own.Host {
		t.Fatalf("signed in, /login with a hostile next took the browser to %s", b.URL())
	}
}
