// Package webtest starts a real Switchyard for tests: a SQLite file in a temp
// directory, the real echo router behind an httptest server, and clients that
// sign in and send forms with their CSRF token like a browser does.
package webtest

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/app/wismo"
	"switchyard/web"
)

// Env is one running Switchyard.
type Env struct {
	T      testing.TB
	App    *app.App
	Svc    web.Services // the capability packages, over App
	Clock  *Clock
	Server *httptest.Server
	Log    *strings.Builder
	Keys   []byte // the session cookie's keys: 32 to sign, 32 to encrypt
}

// New starts Switchyard on a fresh database; everything stops with the test.
func New(t testing.TB) *Env {
	t.Helper()
	return NewWith(t, Options{})
}

// Options change how NewWith builds Switchyard.
type Options struct {
	Accounts  []accounts.Option // e.g. fewer password slots
	WooClient *http.Client      // reads the WooCommerce stores (a TLS test server's client)
	// Role is the node's role in a cluster, for /readyz (nil: a single file).
	Role func(context.Context) string
	// Wismo are the answer API's limits (nil: wismo.DefaultLimits).
	Wismo *wismo.Limits
}

// NewWith starts Switchyard as New does, built with o.
func NewWith(t testing.TB, o Options) *Env {
	t.Helper()
	ctx := context.Background()
	clock := &Clock{now: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
	logs := &strings.Builder{}
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, nil))
	a, _, err := app.Open(ctx, filepath.Join(t.TempDir(), "switchyard.db"), clock.Now, log)
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	svc := web.NewServices(a, o.WooClient, o.Accounts...)
	if o.Wismo != nil {
		svc.Wismo = wismo.New(a, svc.Desk, svc.Returns, *o.Wismo)
	}
	keys := make([]byte, 64)
	rand.Read(keys)
	srv := httptest.NewServer(web.New(web.Config{App: a, Services: svc, Log: log, SessionKeys: keys, Version: "test", Role: o.Role}))
	t.Cleanup(srv.Close)
	return &Env{T: t, App: a, Svc: svc, Clock: clock, Server: srv, Log: logs, Keys: keys}
}

// AddUser creates an active user with role and returns its email and password.
func (e *Env) AddUser(role app.Role, locations ...string) (accounts.User, string) {
	e.T.Helper()
	password := "correct horse battery " + string(role)
	email := string(role) + "-" + strings.ToLower(accounts.GeneratePassword()[:6]) + "@example.com"
	u, _, err := e.Svc.Accounts.CreateUser(context.Background(), app.System, accounts.NewUser{
		Email: email, Name: "Test " + string(role), Role: string(role), Password: password, Locations: locations,
	})
	if err != nil {
		e.T.Fatalf("add %s user: %v", role, err)
	}
	return u, password
}

// AddLocation creates a warehouse in Lyon with code and name, serving channels.
func (e *Env) AddLocation(code, name string, channels ...string) {
	e.T.Helper()
	yes := true
	_, _, err := e.App.PutLocation(context.Background(), app.System, code, app.LocationInput{
		Name: name, Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes, Channels: channels,
		Address: app.Address{Line1: "1 rue de la Gare", City: "Lyon", PostalCode: "69002", Country: "FR"},
	})
	if err != nil {
		e.T.Fatalf("add location %s: %v", code, err)
	}
}

// AddSKU creates an active SKU named after its code, or fails the test.
func (e *Env) AddSKU(code string) {
	e.T.Helper()
	if _, _, err := e.App.PutSKU(context.Background(), app.System, code, app.SKUInput{Name: code}); err != nil {
		e.T.Fatalf("add SKU %s: %v", code, err)
	}
}

// Stock counts on hand of sku at location, or fails the test.
func (e *Env) Stock(location, sku string, onHand int64) {
	e.T.Helper()
	if _, err := e.App.CountStock(context.Background(), app.System, location, sku, app.CountInput{OnHand: &onHand}); err != nil {
		e.T.Fatalf("count %s at %s: %v", sku, location, err)
	}
}

// Client is a browser-like HTTP client with its own cookies. It does not
// follow redirects, so tests see them.
type Client struct {
	env  *Env
	http *http.Client
	csrf string
}

// Client returns a new client with no session.
func (e *Env) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{env: e, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Response is an answer with its body read.
type Response struct {
	*http.Response
	Body string
}

// csrfMeta finds the CSRF token a page carries.
var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)"`)

// Do sends a request and reads the answer, remembering the page's CSRF token.
func (c *Client) Do(req *http.Request) *Response {
	c.env.T.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.env.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.env.T.Fatalf("read %s %s: %v", req.Method, req.URL, err)
	}
	if m := csrfMeta.FindSubmatch(body); m != nil {
		c.csrf = string(m[1])
	}
	return &Response{Response: res, Body: string(body)}
}

// Get fetches path.
func (c *Client) Get(path string) *Response {
	c.env.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.env.Server.URL+path, nil)
	return c.Do(req)
}

// CSRF returns the session's CSRF token, loading a page once to get one.
func (c *Client) CSRF() string {
	if c.csrf == "" {
		c.Get("/")
	}
	if c.csrf == "" {
		c.Get("/login")
	}
	return c.csrf
}

// PostForm sends a form with the session's CSRF token, as a browser would.
func (c *Client) PostForm(path string, form url.Values) *Response {
	c.env.T.Helper()
	vals := url.Values{}
	for k, v := range form {
		vals[k] = v
	}
	vals.Set("_csrf", c.CSRF())
	return c.PostRaw(path, vals)
}

// PostRaw sends a form exactly as given: no CSRF token is added.
func (c *Client) PostRaw(path string, form url.Values) *Response {
	c.env.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.env.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// SignIn signs in and fails the test unless it worked.
func (c *Client) SignIn(email, password string) {
	c.env.T.Helper()
	res := c.PostForm("/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		c.env.T.Fatalf("sign in as %s: status %d, want 303\n%s", email, res.StatusCode, res.Body)
	}
	c.csrf = "" // a new session has a new token
}

// SignedIn returns a client signed in as a new user with role.
func (e *Env) SignedIn(role app.Role, locations ...string) (*Client, accounts.User) {
	e.T.Helper()
	u, password := e.AddUser(role, locations...)
	c := e.Client()
	c.SignIn(u.Email, password)
	return c, u
}

// Clock is a settable clock for the app.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// lockedWriter lets many goroutines log into one builder.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write writes p under the lock.
func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Cookies returns the cookies the client holds for the server.
func (c *Client) Cookies() []*http.Cookie {
	u, _ := url.Parse(c.env.Server.URL)
	return c.http.Jar.Cookies(u)
}

// APIKey creates an API key with scopes (bound to channel when not "") and returns it.
func (e *Env) APIKey(channel string, scopes ...string) string {
	e.T.Helper()
	key, _, err := e.Svc.Accounts.CreateAPIKey(context.Background(), app.System, accounts.NewAPIKey{Name: "test key", Scopes: scopes, Channel: channel})
	if err != nil {
		e.T.Fatalf("create API key: %v", err)
	}
	return key
}

// API sends a JSON request with the bearer key ("" for none) and returns the
// status and the raw answer. The exchange is checked against the OpenAPI
// document (checkContract): a response that breaks it fails the test.
func (e *Env) API(method, path, key, body string) (int, string) {
	e.T.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.Server.URL+path, rd)
	if err != nil {
		e.T.Fatalf("new request: %v", err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		e.T.Fatalf("read %s %s: %v", method, path, err)
	}
	checkContract(e.T, req, []byte(body), res, out)
	return res.StatusCode, string(out)
}
