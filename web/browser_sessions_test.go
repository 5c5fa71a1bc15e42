package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
	"switchyard/web/webtest"
)

// TestBrowserOldCookieAfterSignOut: in a real Chromium, a user signs in, the
// session cookie is copied, the user signs out through the page, and the
// copied cookie, put back into the browser, leads to the sign-in page.
func TestBrowserOldCookieAfterSignOut(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := webtest.New(t)
	u, password := env.AddUser(app.RoleSupport)
	base := env.Server.URL

	signIn(t, b, base, u.Email, password)
	if st := b.Open(base + "/orders"); st != http.StatusOK || b.Path() != "/orders" {
		t.Fatalf("signed in, /orders answered %d on %s, want 200 on /orders", st, b.Path())
	}
	copied := bsCookies(t, b, base)
	signedIn := bsValue(copied, "switchyard")
	if signedIn == "" {
		t.Fatal("the browser holds no session cookie after signing in")
	}

	b.Follow("click Sign out", chromedp.Click(browsertest.Find("header.top button", "Sign out")))
	if p := b.Path(); p != "/login" {
		t.Fatalf("after signing out the browser is on %s, want /login", p)
	}

	if bsValue(bsCookies(t, b, base), "switchyard") == signedIn {
		t.Fatal("signing out left the session cookie unchanged in the browser")
	}
	bsSetCookies(t, b, base, copied)
	if bsValue(bsCookies(t, b, base), "switchyard") != signedIn {
		t.Fatal("the copied cookie could not be put back into the browser")
	}
	b.Open(base + "/orders")
	if p := b.Path(); p != "/login" {
		t.Fatalf("with the cookie from before signing out, /orders shows %s, want the sign-in page", p)
	}
	if n := len(b.Texts(`header.top`)); n != 0 {
		t.Errorf("the page shows the signed-in header (%d found) with the old cookie", n)
	}
}

// bsCookies returns the browser's cookies for base.
func bsCookies(t *testing.T, b *browsertest.Browser, base string) []*network.Cookie {
	t.Helper()
	cookies, err := chromedp.Run(b.Ctx, func(ctx context.Context, tg *chromedp.Target) ([]*network.Cookie, error) {
		res, err := cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{base}})
		return res.Cookies, err
	})
	if err != nil {
		t.Fatalf("read the browser's cookies: %v", err)
	}
	return cookies
}

// bsValue is the value of the cookie called name, or "".
func bsValue(cookies []*network.Cookie, name string) string {
	for _, ck := range cookies {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// bsSetCookies puts cookies back into the browser for base.
func bsSetCookies(t *testing.T, b *browsertest.Browser, base string, cookies []*network.Cookie) {
	t.Helper()
	params := make([]*network.CookieParam, len(cookies))
	for i, ck := range cookies {
		params[i] = &network.CookieParam{Name: ck.Name, Value: ck.Value, URL: base, Path: ck.Path, HTTPOnly: ck.HTTPOnly}
	}
	err := chromedp.Do(b.Ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookies, network.SetCookiesParams{Cookies: params})
		return err
	}))
	if err != nil {
		t.Fatalf("set the browser's cookies: %v", err)
	}
}
