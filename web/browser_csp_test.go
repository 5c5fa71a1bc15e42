package web_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// cspWatch collects the Content Security Policy violations a tab reports,
// both as the browser's log entries and as securitypolicyviolation events.
type cspWatch struct {
	mu   sync.Mutex
	logs []string
}

// cspCollector runs in every new document, before the page's own scripts
// (scripts added through the DevTools protocol are not subject to the CSP).
const cspCollector = `window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber));`

// watchCSP starts collecting violations in b's tab.
func watchCSP(t *testing.T, b *browsertest.Browser) *cspWatch {
	t.Helper()
	w := &cspWatch{}
	if err := chromedp.Listen(b.Ctx, func(ev any) {
		if e, ok := ev.(*log.EventEntryAdded); ok && e.Entry != nil && strings.Contains(e.Entry.Text, "Content Security Policy") {
			w.mu.Lock()
			w.logs = append(w.logs, e.Entry.Text)
			w.mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("listen to the browser's log: %v", err)
	}
	add := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspCollector})
		return chromedp.Void{}, err
	}
	b.Do("install the CSP violation collector", add)
	return w
}

// violations returns what the page reported and the log said so far.
func (w *cspWatch) violations(t *testing.T, b *browsertest.Browser) []string {
	t.Helper()
	events, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err != nil {
		t.Fatalf("read the page's CSP violations: %v", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return append(events, w.logs...)
}

// TestBrowserPagesBreakNoContentSecurityPolicy loads the main pages in
// Chromium under the real CSP, uses htmx (the search box), and fails on any
// violation: no inline script or style is blocked. A control at the end
// proves the watch sees a violation when there is one.
func TestBrowserPagesBreakNoContentSecurityPolicy(t *testing.T) {
	b := browsertest.New(t)
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 1)
	admin, password := env.AddUser(app.RoleAdmin)
	w := watchCSP(t, b)

	base := env.Server.URL
	signIn(t, b, base, admin.Email, password)
	pages := []string{
		"/", "/orders", "/orders/new", "/orders/" + o.Number, "/orders/" + o.Number + "/routing", "/exceptions",
		"/dashboard", "/search?q=Ana", "/stock", "/skus/TEE", "/skus/new", "/locations", "/locations/LYS-WH",
		"/locations/new", "/locations/LYS-WH/queue", "/locations/LYS-WH/picklist", "/fulfillments/" + quFID(o) + "/ship",
		"/channels", "/channels/new", "/admin/channels/web-eu", "/rules", "/rules/rates", "/rules/simulate",
		"/rules/check", "/imports", "/admin/users", "/admin/users/new", "/admin/apikeys", "/admin/outbox",
		"/admin/webhooks", "/inbound", "/inbound/new", "/no/such/page",
	}
	for _, p := range pages {
		st := b.Open(base + p)
		if st != http.StatusOK && p != "/no/such/page" && p != "/rules/check" {
			t.Errorf("GET %s answered %d", p, st)
		}
		if v := w.violations(t, b); len(v) > 0 {
			t.Fatalf("%s breaks the Content Security Policy:\n  %s", p, strings.Join(v, "\n  "))
		}
	}

	// htmx at work: the search box asks for results and swaps them in.
	b.Open(base + "/orders")
	b.Do("type in the search box", chromedp.SendKeys(chromedp.CSS(`input[data-search]`), "Ana"))
	b.Do("wait for the search results", chromedp.WaitVisible(chromedp.CSS(`#search-results *`)))
	if v := w.violations(t, b); len(v) > 0 {
		t.Fatalf("htmx breaks the Content Security Policy:\n  %s", strings.Join(v, "\n  "))
	}

	// The control: an inline script and an inline style are refused, and seen.
	b.Do("add an inline script and style", chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.createElement("script"); s.textContent = "window.__ran = true"; document.body.append(s);
		const st = document.createElement("style"); st.textContent = "body { color: red }"; document.head.append(st);
	})()`))
	ran, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`window.__ran === true`))
	if err != nil || ran {
		t.Errorf("an inline script ran (err %v): the CSP does not refuse inline scripts", err)
	}
	b.Do("let the reports arrive", chromedp.Sleep(300*time.Millisecond))
	v := w.violations(t, b)
	if joined := strings.Join(v, "\n"); !strings.Contains(joined, "script-src") || !strings.Contains(joined, "style-src") {
		t.Errorf("the watch did not see the control's violations: %q", v)
	}
}
