package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/web/webtest"
)

func TestSignInAndOut(t *testing.T) {
	env := webtest.New(t)
	u, password := env.AddUser(app.RoleSupport)
	c := env.Client()

	res := c.Get("/")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("anonymous / = %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	before := sessionCookie(t, c, env)

	c.SignIn(u.Email, password)
	after := sessionCookie(t, c, env)
	if before == after || after == "" {
		t.Fatal("signing in must start a new session cookie")
	}
	home := c.Get("/")
	if home.StatusCode != http.StatusOK || !strings.Contains(home.Body, u.Name) {
		t.Fatalf("home after sign-in = %d, want 200 naming %q", home.StatusCode, u.Name)
	}

	out := c.PostForm("/logout", nil)
	if out.StatusCode != http.StatusSeeOther || out.Header.Get("Location") != "/login" {
		t.Fatalf("logout = %d to %q", out.StatusCode, out.Header.Get("Location"))
	}
	if res := c.Get("/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after logout / = %d, want 303 to sign-in", res.StatusCode)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	env := webtest.New(t)
	res, err := http.Get(env.Server.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var found bool
	for _, ck := range res.Cookies() {
		if ck.Name != "switchyard" {
			continue
		}
		found = true
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
			t.Errorf("session cookie HttpOnly=%v SameSite=%v, want HttpOnly and Lax", ck.HttpOnly, ck.SameSite)
		}
		if ck.Secure {
			t.Error("session cookie must not be Secure over plain HTTP (it would never come back)")
		}
	}
	if !found {
		t.Fatal("no session cookie on the sign-in page")
	}
	req, _ := http.NewRequest(http.MethodGet, env.Server.URL+"/login", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for _, ck := range res.Cookies() {
		if ck.Name == "switchyard" && !ck.Secure {
			t.Error("behind TLS the session cookie must be Secure")
		}
	}
}

func TestWrongPassword(t *testing.T) {
	env := webtest.New(t)
	u, _ := env.AddUser(app.RoleOps)
	c := env.Client()
	res := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {"not the password"}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password = %d, want 401", res.StatusCode)
	}
	if !strings.Contains(res.Body, "Wrong email or password") {
		t.Errorf("page does not say what went wrong:\n%s", res.Body)
	}
	res = c.PostForm("/login", url.Values{"email": {"nobody@example.com"}, "password": {"whatever it is"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "Wrong email or password") {
		t.Fatalf("unknown email = %d; it must look like a wrong password", res.StatusCode)
	}
	res = c.PostForm("/login", url.Values{"email": {""}, "password": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="email"`) {
		t.Fatalf("empty form = %d, want 422 with an email field error", res.StatusCode)
	}
	if res := c.Get("/"); res.StatusCode != http.StatusSeeOther {
		t.Fatal("a failed sign-in must not sign in")
	}
}

func TestLoginThrottling(t *testing.T) {
	env := webtest.New(t)
	u, password := env.AddUser(app.RoleSupport)
	other, otherPassword := env.AddUser(app.RoleOps)
	c := env.Client()
	for i := range accounts.MaxLoginFailures {
		res := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {"wrong guess"}})
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d, want 401", i+1, res.StatusCode)
		}
		env.Clock.Advance(time.Minute)
	}
	// The right password is refused too while the account is throttled.
	res := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {password}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after %d failures = %d, want 429", accounts.MaxLoginFailures, res.StatusCode)
	}
	if !strings.Contains(res.Body, "Too many failed sign-in attempts") || res.Header.Get("Retry-After") == "" {
		t.Errorf("429 must explain itself and carry Retry-After; got %q\n%s", res.Header.Get("Retry-After"), res.Body)
	}
	// Other accounts are not affected.
	env.Client().SignIn(other.Email, otherPassword)
	// Once the oldest failure leaves the 15-minute window, sign-in works again.
	env.Clock.Advance(accounts.LoginWindow - time.Duration(accounts.MaxLoginFailures-1)*time.Minute)
	env.Client().SignIn(u.Email, password)
}

func TestDeactivatedUserCannotSignIn(t *testing.T) {
	env := webtest.New(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	u, password := env.AddUser(app.RoleSupport)
	victim := env.Client()
	victim.SignIn(u.Email, password)

	res := admin.PostForm("/admin/users/"+itoa(u.ID)+"/deactivate", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate = %d\n%s", res.StatusCode, res.Body)
	}
	if res := victim.Get("/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a deactivated user's open session must end; / = %d", res.StatusCode)
	}
	res = env.Client().PostForm("/login", url.Values{"email": {u.Email}, "password": {password}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "deactivated") {
		t.Fatalf("deactivated sign-in = %d, want 401 saying deactivated\n%s", res.StatusCode, res.Body)
	}
}

func TestCSRF(t *testing.T) {
	env := webtest.New(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	countUsers := func() int64 {
		n, err := env.Svc.Accounts.CountUsers(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := countUsers()
	form := url.Values{"email": {"new@example.com"}, "name": {"New"}, "role": {"support"}}

	cases := map[string]func() *webtest.Response{
		"missing": func() *webtest.Response { return admin.PostRaw("/admin/users", form) },
		"wrong": func() *webtest.Response {
			f := url.Values{"_csrf": {"forged-token"}}
			for k, v := range form {
				f[k] = v
			}
			return admin.PostRaw("/admin/users", f)
		},
		"other session's": func() *webtest.Response {
			f := url.Values{"_csrf": {env.Client().CSRF()}}
			for k, v := range form {
				f[k] = v
			}
			return admin.PostRaw("/admin/users", f)
		},
		"wrong header": func() *webtest.Response {
			req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/admin/users", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			req.Header.Set("X-CSRF-Token", "nope")
			return admin.Do(req)
		},
	}
	for name, send := range cases {
		t.Run(name, func(t *testing.T) {
			res := send()
			if res.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403", res.StatusCode)
			}
			if n := countUsers(); n != before {
				t.Fatalf("users %d -> %d: a refused request wrote", before, n)
			}
		})
	}
	// The header form, as htmx sends it, is accepted.
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/admin/users", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", admin.CSRF())
	if res := admin.Do(req); res.StatusCode != http.StatusCreated {
		t.Fatalf("with the right header = %d, want 201\n%s", res.StatusCode, res.Body)
	}
	// Signing in needs the token too (no login CSRF).
	u, password := env.AddUser(app.RoleOps)
	res := env.Client().PostRaw("/login", url.Values{"email": {u.Email}, "password": {password}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("sign-in without token = %d, want 403", res.StatusCode)
	}
}

func TestOpenRedirectRefused(t *testing.T) {
	env := webtest.New(t)
	u, password := env.AddUser(app.RoleOps)
	for _, next := range []string{"//evil.example", "https://evil.example", "/\\evil.example"} {
		c := env.Client()
		res := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {password}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q, want /", next, loc)
		}
	}
	c := env.Client()
	res := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {password}, "next": {"/admin/users"}})
	if loc := res.Header.Get("Location"); loc != "/admin/users" {
		t.Errorf("local next redirected to %q", loc)
	}
}

// sessionCookie returns the client's session cookie value.
func sessionCookie(t *testing.T, c *webtest.Client, env *webtest.Env) string {
	t.Helper()
	for _, ck := range c.Cookies() {
		if ck.Name == "switchyard" {
			return ck.Value
		}
	}
	return ""
}
