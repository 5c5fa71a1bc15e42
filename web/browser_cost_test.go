package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// TestBrowserOpsChoosesOptimalCost: an ops manager sets a rule's assignment
// to optimal cost with a split penalty in the rule editor, publishes, and the
// simulation page shows the cost before and after beside the parcels.
func TestBrowserOpsChoosesOptimalCost(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := costEnv(t, 2)
	ops, password := env.AddUser(app.RoleOps)
	signIn(t, b, env.Server.URL, ops.Email, password)

	if st := b.Open(env.Server.URL + "/rules"); st != http.StatusOK {
		t.Fatalf("the rules page answered %d", st)
	}
	if st := b.Follow("edit the rule", chromedp.Click(browsertest.Find(`tr[data-rule="By distance"] a`, "Edit"))); st != http.StatusOK || b.Path() != "/rules/draft/0/edit" {
		t.Fatalf("Edit led to %s with status %d", b.Path(), st)
	}
	if label := b.Text(`label[for="rule-assign"]`); label != "Assignment" {
		t.Errorf("the strategy's label is %q", label)
	}
	rlChoose(t, b, "rule-assign", "optimal_cost")
	b.Do("state a split penalty", chromedp.SendKeys(chromedp.ID("rule-split-penalty"), "2.00"))
	if st := b.Follow("save the rule", chromedp.Click(browsertest.Find("main button[type=submit]", "Save rule"))); st != http.StatusOK || b.Path() != "/rules" {
		t.Fatalf("saving the rule ended with %d on %s; page says:\n%s", st, b.Path(), b.Text(`main`))
	}
	if row := b.Text(`tr[data-rule="By distance"]`); !strings.Contains(row, "2.00 per extra shipment; optimal cost") {
		t.Errorf("the rule's row says %q", row)
	}
	if st := b.Follow("publish", chromedp.Click(browsertest.Find("[data-testid=draft-banner] button", "Publish"))); st != http.StatusOK || b.Path() != "/rules" {
		t.Fatalf("publishing ended with %d on %s", st, b.Path())
	}
	if notice := b.Text(`main .notice.ok`); !strings.Contains(notice, "Published version 2") {
		t.Errorf("after publishing the notice says %q", notice)
	}

	// The simulation replays the recorded (greedy) decisions under the new rules.
	if st := b.Open(env.Server.URL + "/rules/simulate"); st != http.StatusOK {
		t.Fatalf("the simulation page answered %d", st)
	}
	if st := b.Follow("run the simulation", chromedp.Click(browsertest.Find("main button[type=submit]", "Run the simulation"))); st != http.StatusOK {
		t.Fatalf("running the simulation answered %d; page says:\n%s", st, b.Text(`main`))
	}
	full := b.Text(`[data-testid=sim-full-costs]`)
	if before := b.Text(`[data-testid=sim-full-before]`); before != "26.00" || !strings.Contains(full, "EUR") {
		t.Errorf("the full cost before is %q (want 26.00: 2 orders × 3 parcels × 3.00 + 2 × 2.00); the table says %q", before, full)
	}
	if after := b.Text(`[data-testid=sim-full-after]`); after == "" {
		t.Errorf("the simulation shows no full cost after; page says:\n%s", b.Text(`main`))
	}
	if parcels := b.Text(`[data-testid=sim-parcels]`); !strings.Contains(parcels, "Parcels per order") || !strings.Contains(parcels, "3.00") {
		t.Errorf("the parcels row says %q", parcels)
	}
	if !optimiserBuilt() {
		return // the replay ships as greedy does until routing's optimal_cost search is in the build
	}
	if after := b.Text(`[data-testid=sim-full-after]`); after != "16.00" {
		t.Errorf("the full cost after is %q, want 16.00 (2 orders × 2 parcels × 3.00 + 2.00)", after)
	}
}
