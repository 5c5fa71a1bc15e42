package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// TestBrowserAPIDocs: the API reference at /api/docs renders the OpenAPI
// document with the embedded Redoc, for anyone, under its Content Security
// Policy, without a single request to another site.
func TestBrowserAPIDocs(t *testing.T) {
	b := browsertest.New(t)
	env := ordEnv(t)
	w := watchCSP(t, b)
	// Redoc's sidebar shows an "API docs by Redocly" logo from its CDN: the
	// policy must stop that request (and every other to another site) in the
	// browser, before it leaves.
	var mu sync.Mutex
	elsewhere := map[network.RequestID]string{}
	blocked := map[network.RequestID]bool{}
	err := chromedp.Listen(b.Ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			u, err := url.Parse(e.Request.URL)
			if err == nil && (u.Scheme == "http" || u.Scheme == "https") && "http://"+u.Host != env.Server.URL {
				elsewhere[e.RequestID] = e.Request.URL
			}
		case *network.EventLoadingFailed:
			if e.BlockedReason == network.BlockedReasonCsp {
				blocked[e.RequestID] = true
			}
		}
	})
	if err != nil {
		t.Fatalf("listen to the tab's requests: %v", err)
	}

	admin, password := env.AddUser(app.RoleAdmin)
	signIn(t, b, env.Server.URL, admin.Email, password)
	if st := b.Open(env.Server.URL + "/admin/apikeys"); st != http.StatusOK {
		t.Fatalf("GET /admin/apikeys answered %d", st)
	}
	if st := b.Follow("open the API reference from the API keys page", chromedp.Click(chromedp.CSS(`[data-testid=api-docs-link]`))); st != http.StatusOK || b.Path() != "/api/docs" {
		t.Fatalf("the API keys page's link answered %d at %s", st, b.Path())
	}
	ordWait(t, b, "Redoc renders the document", `document.querySelector("h1") !== null && document.body.innerText.includes("take an order in")`)
	if got := b.Text(`h1`); !strings.HasPrefix(got, "Switchyard API") {
		t.Errorf("the reference's title is %q", got)
	}
	for _, v := range w.violations(t, b) {
		if !strings.Contains(v, "img-src") || !strings.Contains(v, redocLogo) {
			t.Errorf("/api/docs breaks its Content Security Policy: %s", v)
		}
	}
	if errs := b.Exceptions(); len(errs) > 0 {
		t.Errorf("JavaScript exceptions: %q", errs)
	}
	b.Do("let the last events arrive", chromedp.Sleep(200*time.Millisecond))
	mu.Lock()
	defer mu.Unlock()
	for id, u := range elsewhere {
		if !blocked[id] {
			t.Errorf("the reference fetched %s from another site", u)
		}
	}
}

// redocLogo is the image Redoc's sidebar loads from its CDN, blocked here.
const redocLogo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
