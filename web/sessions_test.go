package web_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/web/webtest"
)

// sesGet fetches path with exactly the cookies given, as a browser holding
// them would, without following redirects.
func sesGet(t *testing.T, env *webtest.Env, path string, cookies []*http.Cookie) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.Server.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ck := range cookies {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	res.Body.Close()
	return res
}

// sesSentToSignIn fails the test unless res sends the browser to sign in.
func sesSentToSignIn(t *testing.T, what string, res *http.Response) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("%s: %d to %q, want 303 to /login", what, res.StatusCode, res.Header.Get("Location"))
	}
}

// sesOpen lists a user's open sessions, failing the test on error.
func sesOpen(t *testing.T, env *webtest.Env, userID int64) []accounts.Session {
	t.Helper()
	list, err := env.Svc.Accounts.ListSessions(context.Background(), app.System, userID)
	if err != nil {
		t.Fatalf("list sessions of user %d: %v", userID, err)
	}
	return list
}

// TestOldCookieAfterLogoutIsRefused: the cookie a browser held before
// signing out no longer opens a page, whoever replays it.
func TestOldCookieAfterLogoutIsRefused(t *testing.T) {
	env := webtest.New(t)
	c, u := env.SignedIn(app.RoleSupport)
	old := c.Cookies()
	if res := sesGet(t, env, "/orders", old); res.StatusCode != http.StatusOK {
		t.Fatalf("the signed-in cookie opens /orders with %d, want 200", res.StatusCode)
	}
	if res := c.PostForm("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout = %d, want 303", res.StatusCode)
	}
	sesSentToSignIn(t, "/orders with the cookie from before sign-out", sesGet(t, env, "/orders", old))
	if open := sesOpen(t, env, u.ID); len(open) != 0 {
		t.Errorf("after sign-out the user still has %d open sessions, want 0", len(open))
	}
}

// TestAdminChangesEndEveryBrowser: deactivation, a password reset and a role
// change end the user's sessions in every browser at once, and reactivating
// the user does not bring an old session back.
func TestAdminChangesEndEveryBrowser(t *testing.T) {
	changes := map[string]func(admin *webtest.Client, id int64) *webtest.Response{
		"deactivate": func(admin *webtest.Client, id int64) *webtest.Response {
			res := admin.PostForm("/admin/users/"+itoa(id)+"/deactivate", nil)
			admin.PostForm("/admin/users/"+itoa(id)+"/activate", nil) // back: the old sessions stay ended
			return res
		},
		"reset password": func(admin *webtest.Client, id int64) *webtest.Response {
			return admin.PostForm("/admin/users/"+itoa(id)+"/password", nil)
		},
		"change role": func(admin *webtest.Client, id int64) *webtest.Response {
			return admin.PostForm("/admin/users/"+itoa(id), url.Values{"name": {"Renamed"}, "role": {"ops"}})
		},
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			env := webtest.New(t)
			admin, _ := env.SignedIn(app.RoleAdmin)
			u, password := env.AddUser(app.RoleSupport)
			laptop, phone := env.Client(), env.Client()
			laptop.SignIn(u.Email, password)
			phone.SignIn(u.Email, password)
			if n := len(sesOpen(t, env, u.ID)); n != 2 {
				t.Fatalf("two browsers signed in, %d open sessions, want 2", n)
			}
			phoneCookies := phone.Cookies()

			if res := change(admin, u.ID); res.StatusCode >= 400 {
				t.Fatalf("%s = %d\n%s", name, res.StatusCode, res.Body)
			}
			sesSentToSignIn(t, "the laptop after "+name, sesGet(t, env, "/orders", laptop.Cookies()))
			sesSentToSignIn(t, "the phone after "+name, sesGet(t, env, "/orders", phoneCookies))
			if open := sesOpen(t, env, u.ID); len(open) != 0 {
				t.Errorf("after %s the user has %d open sessions, want 0", name, len(open))
			}
			if res := admin.Get("/orders"); res.StatusCode != http.StatusOK {
				t.Errorf("the admin's own session ended too: /orders = %d", res.StatusCode)
			}
		})
	}
}

// TestAdminEndsSessions: an admin sees a user's open sessions on the user's
// page and ends one, then all; ending another user's session through this
// user's page, or one that does not exist, is 404.
func TestAdminEndsSessions(t *testing.T) {
	env := webtest.New(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	u, password := env.AddUser(app.RoleSupport)
	laptop, phone := env.Client(), env.Client()
	laptop.SignIn(u.Email, password)
	laptopSession := sesOpen(t, env, u.ID)[0].ID
	phone.SignIn(u.Email, password)
	other, opsUser := env.SignedIn(app.RoleOps)

	page := admin.Get("/admin/users/" + itoa(u.ID))
	if page.StatusCode != http.StatusOK || strings.Count(page.Body, `data-session="`) != 2 ||
		!strings.Contains(page.Body, "Go-http-client") {
		t.Fatalf("the user's page = %d, want 200 listing 2 sessions with their browser\n%s", page.StatusCode, page.Body)
	}
	end := "/admin/users/" + itoa(u.ID) + "/sessions/" + itoa(laptopSession) + "/end"
	if res := admin.PostRaw(end, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("ending a session without the CSRF token = %d, want 403", res.StatusCode)
	}
	if n := len(sesOpen(t, env, u.ID)); n != 2 {
		t.Fatalf("a refused request ended a session: %d open, want 2", n)
	}
	res := admin.PostForm(end, nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/users/"+itoa(u.ID)) {
		t.Fatalf("end one session = %d to %q, want 303 back to the user", res.StatusCode, res.Header.Get("Location"))
	}
	sesSentToSignIn(t, "the laptop after the admin ended its session", sesGet(t, env, "/orders", laptop.Cookies()))
	if res := phone.Get("/orders"); res.StatusCode != http.StatusOK {
		t.Errorf("the phone's session must stay open: /orders = %d", res.StatusCode)
	}
	if res := admin.PostForm(end, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("ending an ended session = %d, want 404", res.StatusCode)
	}
	// The ops user's session, through the support user's page: not theirs, 404.
	opsSession := sesOpen(t, env, opsUser.ID)[0].ID
	if res := admin.PostForm("/admin/users/"+itoa(u.ID)+"/sessions/"+itoa(opsSession)+"/end", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("ending another user's session through this user's page = %d, want 404", res.StatusCode)
	}
	if res := other.Get("/orders"); res.StatusCode != http.StatusOK {
		t.Errorf("the ops user's session ended through another user's page: /orders = %d", res.StatusCode)
	}
	if !strings.Contains(env.Log.String(), "session ended") {
		t.Errorf("ending a session is not logged:\n%s", env.Log.String())
	}

	if res := admin.PostForm("/admin/users/"+itoa(u.ID)+"/sessions/end", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end all sessions = %d, want 303", res.StatusCode)
	}
	sesSentToSignIn(t, "the phone after the admin ended all sessions", sesGet(t, env, "/orders", phone.Cookies()))
	page = admin.Get("/admin/users/" + itoa(u.ID))
	if strings.Contains(page.Body, `data-session="`) || !strings.Contains(page.Body, `data-testid="no-sessions"`) {
		t.Errorf("after ending all, the user's page still lists sessions\n%s", page.Body)
	}
}

// TestOnlyAdminsSeeAndEndSessions: other roles get 403 and end nothing.
func TestOnlyAdminsSeeAndEndSessions(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	victim, u := env.SignedIn(app.RoleSupport)
	sid := sesOpen(t, env, u.ID)[0].ID
	for _, role := range []app.Role{app.RoleOps, app.RoleSupport, app.RoleWarehouse} {
		var locs []string
		if role == app.RoleWarehouse {
			locs = []string{"LYS-WH"}
		}
		c, _ := env.SignedIn(role, locs...)
		if res := c.Get("/admin/users/" + itoa(u.ID)); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s reads the user's sessions: %d, want 403", role, res.StatusCode)
		}
		for _, path := range []string{"/sessions/" + itoa(sid) + "/end", "/sessions/end"} {
			if res := c.PostForm("/admin/users/"+itoa(u.ID)+path, nil); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST %s = %d, want 403", role, path, res.StatusCode)
			}
		}
	}
	if res := victim.Get("/orders"); res.StatusCode != http.StatusOK {
		t.Errorf("a refused request ended the session: /orders = %d", res.StatusCode)
	}
	if _, err := env.Svc.Accounts.EndSessions(context.Background(), u.Actor(), u.ID); app.ErrorKind(err) != app.KindForbidden {
		t.Errorf("app.EndSessions as support = %v, want forbidden", err)
	}
}

// TestForgedSessionTokenIsRefused: a cookie that is signed and encrypted
// with the server's own keys (as if they had leaked), carrying an unknown
// session token or the user id of the cookies before server-side sessions,
// opens nothing; nor does a cookie of random bytes.
func TestForgedSessionTokenIsRefused(t *testing.T) {
	env := webtest.New(t)
	_, admin := env.SignedIn(app.RoleAdmin)
	codecs := securecookie.CodecsFromPairs(env.Keys[:32], env.Keys[32:64])
	forge := func(values map[any]any) []*http.Cookie {
		v, err := securecookie.EncodeMulti("switchyard", values, codecs...)
		if err != nil {
			t.Fatalf("encode cookie: %v", err)
		}
		return []*http.Cookie{{Name: "switchyard", Value: v}}
	}
	random := make([]byte, 32)
	if _, err := rand.Read(random); err != nil {
		t.Fatal(err)
	}
	unknown := base64.RawURLEncoding.EncodeToString(random)
	sesSentToSignIn(t, "an unknown session token", sesGet(t, env, "/orders", forge(map[any]any{"sid": unknown, "csrf": "x"})))
	sesSentToSignIn(t, "an empty session token", sesGet(t, env, "/orders", forge(map[any]any{"sid": "", "csrf": "x"})))
	sesSentToSignIn(t, "an old-style cookie naming the admin", sesGet(t, env, "/orders", forge(map[any]any{"uid": admin.ID, "ver": int64(1), "csrf": "x"})))
	sesSentToSignIn(t, "a cookie of random bytes", sesGet(t, env, "/orders", []*http.Cookie{{Name: "switchyard", Value: unknown}}))
}

// TestSessionExpiresAndLastSeen: a session lasts SessionTTL from
// sign-in, and its last-seen time is written at most once a minute.
func TestSessionExpiresAndLastSeen(t *testing.T) {
	env := webtest.New(t)
	c, u := env.SignedIn(app.RoleSupport)
	signedAt := sesOpen(t, env, u.ID)[0].LastSeenAt

	env.Clock.Advance(30 * time.Second)
	if res := c.Get("/orders"); res.StatusCode != http.StatusOK {
		t.Fatalf("/orders = %d", res.StatusCode)
	}
	if got := sesOpen(t, env, u.ID)[0].LastSeenAt; !got.Equal(signedAt) {
		t.Errorf("last seen written after 30 s (%v, signed in at %v): want at most one write a minute", got, signedAt)
	}
	env.Clock.Advance(time.Minute)
	c.Get("/orders")
	if got, want := sesOpen(t, env, u.ID)[0].LastSeenAt, signedAt.Add(90*time.Second); !got.Equal(want) {
		t.Errorf("last seen = %v after a minute and a half, want %v", got, want)
	}

	env.Clock.Advance(accounts.SessionTTL)
	sesSentToSignIn(t, "/orders after the session's lifetime", sesGet(t, env, "/orders", c.Cookies()))
}
