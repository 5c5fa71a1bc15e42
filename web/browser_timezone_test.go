package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
	"switchyard/web/webtest"
)

// TestBrowserTimesReadInTheBrowsersZone: a browser in Tokyo tells the server
// its zone (app.js's tz cookie), and a user with no setting reads the
// dashboard's times in Tokyo time.
func TestBrowserTimesReadInTheBrowsersZone(t *testing.T) {
	b := browsertest.New(t)
	env := webtest.New(t)
	ops, password := env.AddUser(app.RoleOps)
	tokyo := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Tokyo"})
		return chromedp.Void{}, err
	}
	b.Do("put the browser in Tokyo", tokyo)
	signIn(t, b, env.Server.URL, ops.Email, password)
	if st := b.Open(env.Server.URL + "/dashboard"); st != http.StatusOK {
		t.Fatalf("GET /dashboard answered %d, want 200", st)
	}
	const want = "As of 26 Nov 2026, 19:00 JST"
	if got := b.Text(`main`); !strings.Contains(got, want) {
		t.Errorf("the dashboard in a Tokyo browser should read %q; it reads:\n%s", want, got)
	}
}
