package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// TestBrowserSupportCorrectsTracking: support opens an order shipped with
// "hello-123" for UPS, follows "Correct the tracking", types a new number
// (the warning beside it changes as they type, before anything is saved) and
// saves; the order page shows the new number and the timeline says who
// corrected what.
func TestBrowserSupportCorrectsTracking(t *testing.T) {
	b := browsertest.New(t)
	env := quEnv(t)
	o := tcShipped(t, env)
	u, password := env.AddUser(app.RoleSupport)
	signIn(t, b, env.Server.URL, u.Email, password)

	if st := b.Open(env.Server.URL + "/orders/" + o.Number); st != http.StatusOK {
		t.Fatalf("order page answered %d", st)
	}
	if st := b.Follow("open the correction form", chromedp.Click(`[data-testid=correct-tracking-link]`)); st != http.StatusOK {
		t.Fatalf("correction form answered %d", st)
	}
	ordWait(t, b, "the current number shows", `document.querySelector("[data-testid=current-tracking]")?.textContent === "HELLO123"`)
	b.Do("type a number that is still wrong",
		chromedp.SendKeys(chromedp.ID("correct-tracking"), kb.End+strings.Repeat(kb.Backspace, 8)+"1Z-bad"))
	ordWait(t, b, "the warning shows as they type", `document.querySelector("#correct-tracking-check")?.dataset.warn === "true"`)
	b.Do("type the right number",
		chromedp.SendKeys(chromedp.ID("correct-tracking"), kb.End+strings.Repeat(kb.Backspace, 6)+strings.ToLower(quUPS)))
	ordWait(t, b, "the warning goes as they type", `document.querySelector("#correct-tracking-check")?.dataset.warn === "false"`)
	if n := quOrder(t, env, o.Number).Shipments[0].TrackingNumber; n != "HELLO123" {
		t.Fatalf("typing saved %s", n)
	}
	if st := b.Follow("save", chromedp.Click(browsertest.Find("button[type=submit]", "Correct the tracking"))); st != http.StatusOK {
		t.Fatalf("saving ended with %d on %s:\n%s", st, b.Path(), b.Text(`main`))
	}
	if b.Path() != "/orders/"+o.Number {
		t.Fatalf("after saving the browser is on %s", b.Path())
	}
	if got := b.Text(`[data-testid=tracking-link]`); got != quUPS {
		t.Errorf("the order page links %q, want %s", got, quUPS)
	}
	ordWaitEvent(t, b, "tracking_corrected", "Tracking number corrected from HELLO123 to "+quUPS+" by "+u.Name+".")
	if ex := b.Exceptions(); len(ex) > 0 {
		t.Errorf("script errors: %v", ex)
	}
}
