package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/returns"
)

func TestExceptionsShowLateReturnsAndFailedRefunds(t *testing.T) {
	env := ordEnv(t)
	ctx := context.Background()
	sam := app.Actor{Kind: app.ActorUser, Name: "Sam", Role: app.RoleSupport}
	late := retDelivered(t, env, "R300")
	lr, _, err := env.Svc.Returns.Create(ctx, sam, late.Number, returns.NewReturn{Resolution: "refund",
		Lines: []returns.LineInput{{Line: late.Lines[0].ID, Quantity: 1, Reason: "too_small"}}})
	if err != nil {
		t.Fatal(err)
	}
	paid := retDelivered(t, env, "R301")
	pr, _, err := env.Svc.Returns.Create(ctx, sam, paid.Number, returns.NewReturn{Resolution: "refund",
		Lines: []returns.LineInput{{Line: paid.Lines[1].ID, Quantity: 1, Reason: "damaged"}}})
	if err != nil {
		t.Fatal(err)
	}
	if pr, err = env.Svc.Returns.Refund(ctx, sam, pr.Number, nil); err != nil || len(pr.Refunds) != 1 {
		t.Fatalf("refund: %+v %v", pr.Refunds, err)
	}
	support, _ := env.SignedIn(app.RoleSupport)
	// Approved today: not late yet; the refund has not failed.
	if page := support.Get("/exceptions"); strings.Contains(page.Body, `data-testid="return-exception"`) {
		t.Fatalf("exceptions before anything is wrong\n%s", page.Body)
	}
	if err := env.Svc.Returns.Answered(ctx, pr.Refunds[0].ID, false, "", "card expired"); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(22 * 24 * time.Hour)
	support, _ = env.SignedIn(app.RoleSupport) // the first session has expired
	page := support.Get("/exceptions")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("exceptions: %d", page.StatusCode)
	}
	// The navigation counts them: two late returns and a failed refund.
	if nav := support.Get("/orders"); !strings.Contains(nav.Body, navExceptionCount(3)) {
		t.Errorf("the navigation does not count the 3 return exceptions")
	}
	for _, want := range []string{
		`data-kind="late_return" data-return="` + lr.Number + `"`,
		`data-kind="late_return" data-return="` + pr.Number + `"`,
		"Return " + lr.Number + " (Ana Lima) was approved 22 days ago",
		"nothing has arrived at Lyon warehouse",
		`data-kind="failed_refund" data-return="` + pr.Number + `"`,
		"The refund of EUR 9.50 to Ana Lima was refused by Web EU",
		"card expired",
		`href="/returns/` + pr.Number + `"`,
	} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("exceptions page lacks %q", want)
		}
	}
	// Once received, the return is no longer late.
	if got, err := env.Svc.Returns.Receive(ctx, app.System, lr.Number, returns.Receipt{Lines: []returns.ReceiptLine{
		{Line: late.Lines[0].ID, Quantity: 1, Disposition: returns.DispositionRestock}}}); err != nil || got.Status != returns.StatusReceived {
		t.Fatalf("receive: %s %v", got.Status, err)
	}
	page = support.Get("/exceptions")
	if strings.Contains(page.Body, `data-return="`+lr.Number+`"`) || !strings.Contains(page.Body, `data-kind="late_return" data-return="`+pr.Number+`"`) {
		t.Error("a received return is still late, or the other one is not")
	}
	// Refunded again, the failed refund is settled and leaves the exceptions.
	if _, err := env.Svc.Returns.Refund(ctx, sam, pr.Number, nil); err != nil {
		t.Fatalf("refund again: %v", err)
	}
	page = support.Get("/exceptions")
	if strings.Contains(page.Body, `data-kind="failed_refund"`) {
		t.Error("a refund made again still shows the failed one")
	}
}

func TestDashboardReturnsPanel(t *testing.T) {
	env := ordEnv(t)
	ctx := context.Background()
	sam := app.Actor{Kind: app.ActorUser, Name: "Sam", Role: app.RoleSupport}
	ops, _ := env.SignedIn(app.RoleOps)
	if page := ops.Get("/dashboard"); !strings.Contains(page.Body, "No returns in these days.") {
		t.Fatalf("dashboard without returns\n%s", page.Body)
	}
	o := retDelivered(t, env, "R400")
	retDelivered(t, env, "R401")
	if _, _, err := env.Svc.Returns.Create(ctx, sam, o.Number, returns.NewReturn{Resolution: "refund",
		Lines: []returns.LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "too_small"}, {Line: o.Lines[1].ID, Quantity: 1, Reason: "damaged"}}}); err != nil {
		t.Fatal(err)
	}
	page := ops.Get("/dashboard")
	// 4 black tees and 2 mugs shipped; 1 of each back.
	for _, want := range []string{`data-testid="return-rate-chart"`, "TEE-BLK-M: 25% (1 of 4)", "MUG-WHT: 50% (1 of 2)",
		`data-testid="return-reason-chart"`, "too small: 1 (50%)", "damaged: 1 (50%)"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
}

// navExceptionCount is the navigation's exceptions count as a page shows it.
func navExceptionCount(n int) string {
	return `data-testid="nav-count-/exceptions">` + strconv.Itoa(n) + `</span>`
}
