package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/imports"
	"switchyard/web/webtest"
)

const mib = 1 << 20

// apiKeyCount is the number of API keys stored.
func apiKeyCount(t *testing.T, env *webtest.Env) int {
	t.Helper()
	keys, err := env.Svc.Accounts.ListAPIKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(keys)
}

// TestCSRFTokenNeverFromTheURL: a token in the query string is no token;
// the form body and the X-CSRF-Token header still carry one.
func TestCSRFTokenNeverFromTheURL(t *testing.T) {
	env := webtest.New(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	tok := admin.CSRF()
	form := url.Values{"name": {"from the query"}, "scopes": {"orders:read"}}

	res := admin.PostRaw("/admin/apikeys?_csrf="+url.QueryEscape(tok), form)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("token in the query string = %d, want 403", res.StatusCode)
	}
	if n := apiKeyCount(t, env); n != 0 {
		t.Fatalf("a key was created with the token in the URL (%d keys)", n)
	}

	body := url.Values{"name": {"from the body"}, "scopes": {"orders:read"}, "_csrf": {tok}}
	if res := admin.PostRaw("/admin/apikeys", body); res.StatusCode != http.StatusCreated {
		t.Fatalf("token in the form body = %d, want 201\n%.300s", res.StatusCode, res.Body)
	}
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/admin/apikeys", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", tok)
	if res := admin.Do(req); res.StatusCode != http.StatusCreated {
		t.Fatalf("token in the header = %d, want 201", res.StatusCode)
	}
	if n := apiKeyCount(t, env); n != 2 {
		t.Fatalf("%d keys, want the 2 sent with a token", n)
	}
}

// countingBody is a multipart upload of a CSV file of size bytes, made on the
// fly, that counts the bytes read from it.
type countingBody struct {
	r    io.Reader
	read int64
	size int64 // the whole body's length
	ct   string
}

func newCountingBody(csrf string, size int64) *countingBody {
	const boundary = "xxBOUNDARYxx"
	head := fmt.Sprintf("--%s\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n%s\r\n"+
		"--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"skus.csv\"\r\nContent-Type: text/csv\r\n\r\ncode,name\r\n",
		boundary, csrf, boundary)
	tail := fmt.Sprintf("\r\n--%s--\r\n", boundary)
	fill := size - int64(len(head)+len(tail))
	rows := io.LimitReader(repeatReader("SKU-1,Tee\r\n"), fill)
	return &countingBody{
		r:    io.MultiReader(strings.NewReader(head), rows, strings.NewReader(tail)),
		size: size, ct: "multipart/form-data; boundary=" + boundary,
	}
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}

// repeater repeats s forever.
type repeater struct {
	s   string
	off int
}

func repeatReader(s string) io.Reader { return &repeater{s: s} }

func (r *repeater) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.s[r.off]
		r.off = (r.off + 1) % len(r.s)
	}
	return len(p), nil
}

// serveUpload sends body straight to the router (no network in between, so
// every byte counted was read by the server) as client's browser would.
func serveUpload(env *webtest.Env, c *webtest.Client, path string, body *countingBody, withLength bool) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, env.Server.URL+path, body)
	req.Header.Set("Content-Type", body.ct)
	req.ContentLength = -1
	if withLength {
		req.ContentLength = body.size
	}
	for _, ck := range c.Cookies() {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	env.Server.Config.Handler.ServeHTTP(rec, req)
	return rec
}

// TestUploadsAreNotReadBeforeTheRoleCheck: a signed-out or wrong-role upload is
// refused before a byte of it is read; an admin's upload over the route's
// limit is refused with 413, with or without a declared length.
func TestUploadsAreNotReadBeforeTheRoleCheck(t *testing.T) {
	env := webtest.New(t)
	anon := env.Client()
	support, _ := env.SignedIn(app.RoleSupport)
	admin, _ := env.SignedIn(app.RoleAdmin)

	body := newCountingBody(anon.CSRF(), 8*mib)
	rec := serveUpload(env, anon, "/imports/skus", body, true)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("signed out = %d to %q, want 303 to /login", rec.Code, rec.Header().Get("Location"))
	}
	if body.read > 0 {
		t.Errorf("signed out: %d bytes of the upload were read before the answer", body.read)
	}

	body = newCountingBody(support.CSRF(), 8*mib)
	if rec := serveUpload(env, support, "/imports/skus", body, true); rec.Code != http.StatusForbidden {
		t.Errorf("support = %d, want 403", rec.Code)
	}
	if body.read > 0 {
		t.Errorf("support: %d bytes of the upload were read before the answer", body.read)
	}

	for _, withLength := range []bool{true, false} {
		body = newCountingBody(admin.CSRF(), imports.MaxImportBytes+mib)
		rec := serveUpload(env, admin, "/imports/skus", body, withLength)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "64 MiB") {
			t.Errorf("admin over 64 MiB (length declared: %v) = %d, want 413 naming the limit\n%.300s", withLength, rec.Code, rec.Body.String())
		}
		if withLength && body.read > 0 {
			t.Errorf("admin over the declared limit: %d bytes read", body.read)
		}
	}
	if jobs := env.Svc.Imports.RecentImports(10); len(jobs) != 0 {
		t.Errorf("%d imports started, want none", len(jobs))
	}

	// Each upload route has its own limit: a 5 MiB rates file is over its 4 MiB.
	body = newCountingBody(admin.CSRF(), 5*mib)
	if rec := serveUpload(env, admin, "/rules/rates/import", body, false); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("5 MiB of rates = %d, want 413", rec.Code)
	}
	// and a page that takes no upload, 1 MiB.
	body = newCountingBody(admin.CSRF(), 2*mib)
	if rec := serveUpload(env, admin, "/locations", body, false); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB to a form = %d, want 413", rec.Code)
	}
}

// padJSON pads a JSON object with spaces to exactly n bytes.
func padJSON(obj string, n int) string {
	return obj[:len(obj)-1] + strings.Repeat(" ", n-len(obj)) + "}"
}

// sendBody posts body to path and returns the answer.
func sendBody(t *testing.T, env *webtest.Env, path, key, contentType, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	return res, readAll(t, res)
}

// wantTooLargeJSON checks a 413 in the API's error shape.
func wantTooLargeJSON(t *testing.T, what string, res *http.Response, body string) {
	t.Helper()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("%s = %d, want 413", what, res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s answered %s, want JSON\n%.200s", what, ct, body)
	}
	var shape struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &shape); err != nil {
		t.Fatalf("%s: %v\n%.200s", what, err, body)
	}
	if shape.Error.Code != "too_large" || !strings.Contains(shape.Error.Message, "1 MiB") {
		t.Fatalf("%s: error %+v, want too_large naming 1 MiB", what, shape.Error)
	}
}

// TestBodyLimitIsOneMebibyte: 1,048,576 bytes pass, 1,048,577 do not; the
// API and the webhooks answer 413 in JSON, pages with a page.
func TestBodyLimitIsOneMebibyte(t *testing.T) {
	env := webtest.New(t)
	key := env.APIKey("", "orders:write")
	admin, _ := env.SignedIn(app.RoleAdmin)
	hookChannel(t, env, "shop", "shopify")

	res, body := sendBody(t, env, "/api/v1/orders", key, "application/json", padJSON(`{}`, mib))
	if res.StatusCode == http.StatusRequestEntityTooLarge {
		t.Fatalf("exactly 1 MiB to the API = 413, want it read")
	}
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("exactly 1 MiB of {} = %d, want 422\n%.300s", res.StatusCode, body)
	}
	res, body = sendBody(t, env, "/api/v1/orders", key, "application/json", padJSON(`{}`, mib+1))
	wantTooLargeJSON(t, "1 MiB + 1 to the API", res, body)

	for _, path := range []string{"/webhooks/shopify/shop", "/webhooks/shopify/x", "/webhooks/woocommerce/x"} {
		res, body = sendBody(t, env, path, "", "application/json", padJSON(`{}`, mib+1))
		wantTooLargeJSON(t, "1 MiB + 1 to "+path, res, body)
	}

	form := "_csrf=" + url.QueryEscape(admin.CSRF()) + "&code=BIG&name="
	exact := form + strings.Repeat("a", mib-len(form))
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/locations", strings.NewReader(exact))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res := admin.Do(req); res.StatusCode == http.StatusRequestEntityTooLarge || res.StatusCode == http.StatusForbidden {
		t.Fatalf("exactly 1 MiB of form = %d, want it read", res.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodPost, env.Server.URL+"/locations", strings.NewReader(exact+"a"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res2 := admin.Do(req)
	if res2.StatusCode != http.StatusRequestEntityTooLarge || !strings.HasPrefix(res2.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("1 MiB + 1 of form = %d %s, want a 413 page", res2.StatusCode, res2.Header.Get("Content-Type"))
	}
}

// TestWebhookChannelsCannotBeProbed: an unknown channel and a known one with
// a bad signature get the same answer, byte for byte.
func TestWebhookChannelsCannotBeProbed(t *testing.T) {
	env := webtest.New(t)
	hookChannel(t, env, "shop", "shopify")
	body := []byte(`{"id": 1}`)
	h := shopifyHeaders(body, "not the secret", "orders/create", "wh-probe")
	s1, known := sendHook(t, env, "/webhooks/shopify/shop", body, h)
	s2, unknown := sendHook(t, env, "/webhooks/shopify/nosuch", body, h)
	s3, wrongKind := sendHook(t, env, "/webhooks/woocommerce/shop", body, h)
	if s1 != http.StatusUnauthorized || s2 != s1 || s3 != s1 {
		t.Fatalf("known %d, unknown %d, wrong kind %d: want 401 each", s1, s2, s3)
	}
	if unknown != known || wrongKind != known {
		t.Fatalf("answers differ:\nknown   %s\nunknown %s\nkind    %s", known, unknown, wrongKind)
	}
}
