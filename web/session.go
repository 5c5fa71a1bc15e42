package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/accounts"
)

// Session cookie name and the keys of its values. The cookie is signed and
// encrypted; it carries the CSRF token and, once signed in, the session's
// token, which the server looks up on every request (app.SessionUser).
const (
	sessionName   = "switchyard"
	sessionToken  = "sid"
	sessionCSRF   = "csrf"
	sessionMaxAge = int(accounts.SessionTTL / time.Second) // the cookie lasts as long as the session
)

// Keys of values kept on the echo context.
const (
	ctxSession   = "session"
	ctxUser      = "user"
	ctxSessionID = "session_id"
)

// newSessionStore makes the cookie store: signed with the first 32 bytes of
// keys and encrypted with the last 32.
func newSessionStore(keys []byte) *sessions.CookieStore {
	st := sessions.NewCookieStore(keys[:32], keys[32:64])
	st.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   sessionMaxAge,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
	return st
}

// loadSession reads the session cookie (starting a new session when it is
// missing or unreadable), makes sure it has a CSRF token, and loads the
// signed-in user, if any. The cookie is written before the answer when changed.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sess, _ := s.sessions.Get(c.Request(), sessionName) // an unreadable cookie gives a new session
		sess.Options.Secure = c.Scheme() == "https"
		dirty := false
		if _, ok := sess.Values[sessionCSRF].(string); !ok {
			sess.Values[sessionCSRF] = randomToken()
			dirty = true
		}
		if token, ok := sess.Values[sessionToken].(string); ok {
			signed, err := s.accounts.SessionUser(c.Request().Context(), token)
			switch {
			case err == nil:
				c.Set(ctxUser, &signed.User)
				c.Set(ctxSessionID, signed.SessionID)
			case app.ErrorKind(err) == app.KindUnauthorized:
				delete(sess.Values, sessionToken)
				dirty = true
			default:
				return err
			}
		}
		c.Set(ctxSession, sess)
		s.withZone(c)
		if dirty {
			saveBeforeWrite(c, sess)
		}
		return next(c)
	}
}

// saveBeforeWrite writes the session cookie just before the answer's headers go out.
func saveBeforeWrite(c echo.Context, sess *sessions.Session) {
	c.Response().Before(func() {
		if err := sess.Save(c.Request(), c.Response()); err != nil {
			c.Logger().Error(err)
		}
	})
}

// startSession replaces the session with a fresh one for u, whose sign-in
// made token: new values, new CSRF token.
func (s *Server) startSession(c echo.Context, u accounts.User, token string) {
	sess := session(c)
	sess.Values = map[any]any{
		sessionToken: token,
		sessionCSRF:  randomToken(),
	}
	c.Set(ctxUser, &u)
	saveBeforeWrite(c, sess)
}

// endSession signs the user out: the server forgets the session, and the
// browser keeps a fresh anonymous one for the login form.
func (s *Server) endSession(c echo.Context) error {
	sess := session(c)
	token, _ := sess.Values[sessionToken].(string)
	if err := s.accounts.LogOut(c.Request().Context(), currentUser(c).Actor(), token); err != nil {
		return err
	}
	sess.Values = map[any]any{sessionCSRF: randomToken()}
	c.Set(ctxUser, nil)
	saveBeforeWrite(c, sess)
	return nil
}

// client describes the request's browser for the admin's list of sessions
// and the throttles. The IP is the connection's peer, or the one a follower
// of a cluster vouched for (see peerIP).
func client(c echo.Context) accounts.Client {
	return accounts.Client{UserAgent: c.Request().UserAgent(), IP: peerIP(c)}
}

// currentSessionID is the id of the request's signed-in session, or 0.
func currentSessionID(c echo.Context) int64 {
	id, _ := c.Get(ctxSessionID).(int64)
	return id
}

// session returns the request's session (loadSession put it there).
func session(c echo.Context) *sessions.Session {
	sess, _ := c.Get(ctxSession).(*sessions.Session)
	return sess
}

// currentUser returns the signed-in user, or nil.
func currentUser(c echo.Context) *accounts.User {
	u, _ := c.Get(ctxUser).(*accounts.User)
	return u
}

// csrfToken is the session's CSRF token, to put in forms.
func csrfToken(c echo.Context) string {
	if sess := session(c); sess != nil {
		tok, _ := sess.Values[sessionCSRF].(string)
		return tok
	}
	return ""
}

// checkCSRF refuses state-changing requests that do not carry the session's
// CSRF token, in the X-CSRF-Token header (htmx) or the _csrf field of the
// form body (readForm has read it); never from the URL, where tokens leak.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		want := csrfToken(c)
		got := c.Request().Header.Get("X-CSRF-Token")
		if got == "" {
			got = c.Request().PostFormValue("_csrf")
		}
		if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return app.Forbidden("this form has expired or did not come from Switchyard: reload the page and try again")
		}
		return next(c)
	}
}

// guard enforces a route's access: sign-in first, then the role.
func (s *Server) guard(a access) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if a.public {
				return next(c)
			}
			u := currentUser(c)
			if u == nil {
				return redirectToLogin(c)
			}
			if !u.Has(a.roles...) {
				return app.Forbidden("your role (%s) cannot use this page", u.Role)
			}
			return next(c)
		}
	}
}

// redirectToLogin sends an anonymous visitor to the sign-in page, and back afterwards.
func redirectToLogin(c echo.Context) error {
	target := "/login"
	if c.Request().Method == http.MethodGet && c.Request().URL.Path != "/" {
		target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
	}
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusUnauthorized)
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// safeNext returns next if it is a path on this site, else "/".
//
// It accepts only what a browser will also read as a path on this origin: a
// single leading "/", no control character (browsers silently drop tab, CR
// and LF, so "/\t/evil.example" becomes "//evil.example"), no backslash
// (browsers read it as "/"), and nothing that parses with a scheme, a host
// or an opaque part.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if b := next[i]; b < 0x20 || b == 0x7f || b == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

// randomToken returns 32 random bytes, base64url-encoded.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
