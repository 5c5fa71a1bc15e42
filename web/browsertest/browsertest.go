// Package browsertest drives a real headless Chromium for end-to-end tests:
// one browser and tab per test, bounded by a timeout, closed with the test,
// and failing the test when a page throws an uncaught JavaScript exception.
//
// Use it next to webtest, which runs the server:
//
//	b := browsertest.New(t) // skips with -short or without Chromium
//	env := webtest.New(t)
//	status := b.Open(env.Server.URL + "/login")
//	b.Do("sign in",
//		chromedp.SendKeys(chromedp.ID("email"), email),
//		chromedp.SendKeys(chromedp.ID("password"), password))
//	b.Follow("submit the sign-in form", chromedp.Click(browsertest.Find("button", "Sign in")))
//
// The browser is found in $CHROMIUM, then /usr/bin/chromium, then chromium,
// chromium-browser or google-chrome on PATH. Without one the test is skipped,
// except when CI=true, where it fails.
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Timeout bounds a whole browser test: the browser is killed after it.
const Timeout = 60 * time.Second

// StepTimeout bounds one helper call, so a missing element fails at its step.
const StepTimeout = 15 * time.Second

// Browser is one headless Chromium tab that lives as long as its test.
type Browser struct {
	T   testing.TB
	Ctx context.Context // the tab's chromedp context, for chromedp.Run and chromedp.Do

	mu         sync.Mutex
	exceptions []string // uncaught JavaScript exceptions, as text
	console    []string // console.error and console.warn calls, as text
}

// New starts headless Chromium for t and opens a blank tab, or skips t when
// -short is set or no browser is installed (fails instead when CI=true).
func New(t testing.TB) *Browser {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	execPath := findBrowser(t)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in containers
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)

	timeout := Timeout
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if deadline, ok := d.Deadline(); ok && time.Until(deadline)-5*time.Second < timeout {
			timeout = max(time.Until(deadline)-5*time.Second, time.Second)
		}
	}
	root, cancelRoot := context.WithTimeout(context.Background(), timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(root, opts...)
	b := &Browser{T: t}
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(b.listen))
	b.Ctx = ctx
	t.Cleanup(func() {
		if t.Failed() {
			b.dumpOnFailure()
		}
		cancelTab()
		cancelAlloc() // waits for the browser process to exit
		cancelRoot()
		if ex := b.Exceptions(); len(ex) > 0 {
			t.Errorf("uncaught JavaScript exceptions in the browser:\n  %s", strings.Join(ex, "\n  "))
		}
	})

	// Start the browser now, with the long-lived context, so that later
	// per-step timeouts do not end the browser itself.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium (%s): %v", execPath, err)
	}
	return b
}

// findBrowser returns the Chromium to run, or skips (fails under CI=true).
func findBrowser(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
		t.Fatalf("$CHROMIUM is %q, which is not an executable browser", p)
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is required in CI: apt-get install -y chromium (or set $CHROMIUM to the browser)")
	}
	t.Skip("no Chromium found: install it (apt-get install -y chromium) or set $CHROMIUM to run browser tests")
	return ""
}

// listen records exceptions and console errors; it runs in the tab's event loop.
func (b *Browser) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		b.mu.Lock()
		b.exceptions = append(b.exceptions, exceptionText(ev.ExceptionDetails))
		b.mu.Unlock()
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeWarning &&
			ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		parts := make([]string, 0, len(ev.Args))
		for _, a := range ev.Args {
			switch {
			case a.Type == runtime.RemoteObjectTypeString:
				var str string
				_ = json.Unmarshal(a.Value, &str)
				parts = append(parts, str)
			case len(a.Value) > 0:
				parts = append(parts, string(a.Value))
			case a.Description != "":
				parts = append(parts, a.Description)
			default:
				parts = append(parts, string(a.Type))
			}
		}
		b.mu.Lock()
		b.console = append(b.console, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(parts, " ")))
		b.mu.Unlock()
	}
}

// exceptionText formats an uncaught exception with where it was thrown.
func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "unknown exception"
	}
	msg := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		msg += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s (at %s:%d:%d)", msg, d.URL, d.LineNumber+1, d.ColumnNumber+1)
}

// Exceptions returns the uncaught JavaScript exceptions seen so far.
func (b *Browser) Exceptions() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.exceptions...)
}

// ConsoleErrors returns the console.error, console.warn and console.assert messages seen so far.
func (b *Browser) ConsoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.console...)
}

// step returns a context for one helper call, bounded by StepTimeout.
func (b *Browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.Ctx, StepTimeout)
}

// fatal fails the test about step what, naming the page the browser is on.
func (b *Browser) fatal(what string, err error) {
	b.T.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w (gave up after %s: the element never appeared or the page never loaded)", err, StepTimeout)
	}
	b.T.Fatalf("browser: %s: %v\n  page: %s", what, err, b.URL())
}

// Do runs actions in order and fails the test, naming step what, on error.
func (b *Browser) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatal(what, err)
	}
}

// Open loads url, waits for the page and returns its HTTP status.
func (b *Browser) Open(url string) int {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		b.fatal("open "+url, err)
	}
	if res == nil {
		return 0
	}
	return int(res.Status)
}

// Follow runs actions that load a new page (a click on a link or a submit
// button), waits for it and returns its HTTP status after any redirects.
func (b *Browser) Follow(what string, actions ...chromedp.Action[chromedp.Void]) int {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.__browsertestOld = true`)); err != nil {
		b.fatal(what, err)
	}
	res, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.fatal(what, err)
	}
	if res != nil {
		return int(res.Status)
	}
	// A same-document navigation (htmx pushing an address a moment late)
	// ends RunResponse without a response: wait for the new document itself
	// and read its status from the Navigation Timing entry.
	status, err := newDocumentStatus(ctx)
	if err != nil {
		b.fatal(what+" (waiting for the new page)", err)
	}
	return status
}

// newDocumentStatus waits until the page that carried the old-document mark
// has been replaced and loaded, and returns the new document's HTTP status.
func newDocumentStatus(ctx context.Context) (int, error) {
	const probe = `(() => {
		if (window.__browsertestOld || document.readyState !== "complete") return -1;
		const nav = performance.getEntriesByType("navigation")[0];
		return nav && nav.responseStatus ? nav.responseStatus : 0;
	})()`
	for {
		status, err := chromedp.Run(ctx, chromedp.Evaluate[int](probe))
		if err == nil && status >= 0 {
			return status, nil
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Text waits for the first element matching sel and returns its visible text, trimmed.
func (b *Browser) Text(sel chromedp.CSS) string {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		b.fatal(fmt.Sprintf("read the text of %q", string(sel)), err)
	}
	return strings.TrimSpace(s)
}

// Texts returns the trimmed text of every element matching css now, without waiting.
func (b *Browser) Texts(css string) []string {
	b.T.Helper()
	q, _ := json.Marshal(css)
	ctx, cancel := b.step()
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll(`+string(q)+`), e => e.textContent.trim())`))
	if err != nil {
		b.fatal(fmt.Sprintf("read the texts of %q", css), err)
	}
	return out
}

// URL returns the address of the current page, or an explanation when it cannot.
func (b *Browser) URL() string {
	ctx, cancel := context.WithTimeout(b.Ctx, 2*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return fmt.Sprintf("(unknown: %v)", err)
	}
	return u
}

// Path returns the path of the current page, such as "/login".
func (b *Browser) Path() string {
	u, err := url.Parse(b.URL())
	if err != nil {
		return b.URL()
	}
	return u.Path
}

// Find selects the first element matching css whose trimmed text is text,
// for example Find("header.top nav a", "Users") or Find("button", "Sign in").
func Find(css, text string) chromedp.JSPath {
	q, _ := json.Marshal(css)
	v, _ := json.Marshal(text)
	return chromedp.JSPath(`Array.from(document.querySelectorAll(` + string(q) +
		`)).find(e => e.textContent.trim() === ` + string(v) + `) || null`)
}

// dumpOnFailure logs the page, console errors and a screenshot path after a failed test.
func (b *Browser) dumpOnFailure() {
	t := b.T
	t.Logf("browser: failed on page %s", b.URL())
	if msgs := b.ConsoleErrors(); len(msgs) > 0 {
		t.Logf("browser console:\n  %s", strings.Join(msgs, "\n  "))
	}
	ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
	defer cancel()
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
	if err != nil {
		t.Logf("browser: no screenshot: %v", err)
		return
	}
	// Not t.TempDir: that is removed when the test ends.
	dir, err := os.MkdirTemp("", "browsertest-")
	if err != nil {
		t.Logf("browser: no screenshot: %v", err)
		return
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, img, 0o644); err != nil {
		t.Logf("browser: no screenshot: %v", err)
		return
	}
	t.Logf("browser: screenshot saved to %s", path)
}
