package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// TestBrowserOpsReevaluatesOpenAssignments: an ops manager clicks
// "Re-evaluate open assignments" on the exceptions page, is back on the page
// with what the pass did, and the order's timeline says why it moved.
func TestBrowserOpsReevaluatesOpenAssignments(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env, o := reevalEnv(t)
	ops, password := env.AddUser(app.RoleOps)
	signIn(t, b, env.Server.URL, ops.Email, password)
	if st := b.Open(env.Server.URL + "/exceptions"); st != http.StatusOK {
		t.Fatalf("GET /exceptions answered %d", st)
	}
	if st := b.Follow("click Re-evaluate open assignments", chromedp.Click(`[data-testid=reevaluate]`)); st != http.StatusOK || b.Path() != "/exceptions" {
		t.Fatalf("the button led to %s (%d)", b.Path(), st)
	}
	if got := b.Text(`.notice`); got != "Re-evaluated 1 order: 1 moved, saving EUR 4.00; 0 skipped" {
		t.Errorf("the notice says %q", got)
	}
	if st := b.Open(env.Server.URL + "/orders/" + o.Number); st != http.StatusOK {
		t.Fatalf("GET the order answered %d", st)
	}
	if got := b.Text(`main`); !strings.Contains(got, "now ships in 1 parcel from Lyon warehouse instead of 1 parcel from Zurich warehouse; saves EUR 4.00") {
		t.Errorf("the order page says:\n%s", got)
	}
}
