package web_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// TestBrowserOpsPublishesARule walks the routing pages in a real Chromium: an
// ops manager adds a rule to the draft that sends French orders to stores,
// simulates the draft over the recent orders, publishes it, and reads on a new
// order's routing page that the rule chose the Paris store, and why.
func TestBrowserOpsPublishesARule(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := rlEnv(t)
	first := rlOrder(t, env, "1", 1, true) // routed to the Lyon warehouse (closest), for the simulation to replay
	if first.Fulfillments[0].Location != "LYS-WH" {
		t.Fatalf("the first order went to %s, want LYS-WH", first.Fulfillments[0].Location)
	}
	ops, password := env.AddUser(app.RoleOps)
	signIn(t, b, env.Server.URL, ops.Email, password)

	// Rules, then Add a rule: the editor of the new (disabled) rule.
	if st := b.Follow("click Rules in the navigation", chromedp.Click(browsertest.Find("header.top nav a", "Rules"))); st != http.StatusOK || b.Path() != "/rules" {
		t.Fatalf("the Rules link led to %s with status %d, want /rules with 200", b.Path(), st)
	}
	if st := b.Follow("click Add a rule", chromedp.Click(browsertest.Find("main button", "Add a rule"))); st != http.StatusOK || b.Path() != "/rules/draft/0/edit" {
		t.Fatalf("Add a rule led to %s with status %d, want the editor of rule 0", b.Path(), st)
	}
	if name, err := chromedp.Run(b.Ctx, chromedp.Value(chromedp.ID("rule-name"))); err != nil || name != "New rule 1" {
		t.Fatalf("the new rule is named %q (err %v), want New rule 1", name, err)
	}

	// French orders go to stores, ranked by location rank first.
	rlChoose(t, b, "rule-name", "")
	b.Do("fill the rule",
		chromedp.SendKeys(chromedp.ID("rule-name"), "France from stores"),
		chromedp.Click(chromedp.ID("rule-enabled")),
		chromedp.SendKeys(chromedp.ID("rule-when-countries"), "FR"),
		chromedp.Click(chromedp.CSS(`input[name="filters.kinds"][value="store"]`)),
	)
	rlChoose(t, b, "rule-rank-1", "rank")
	rlChoose(t, b, "rule-rank-2", "closest")
	rlChoose(t, b, "rule-rank-3", "")
	if st := b.Follow("save the rule", chromedp.Click(browsertest.Find("main button[type=submit]", "Save rule"))); st != http.StatusOK || b.Path() != "/rules" {
		t.Fatalf("saving the rule ended with %d on %s; page says:\n%s", st, b.Path(), b.Text(`main`))
	}
	row := b.Text(`tr[data-rule="France from stores"]`)
	for _, want := range []string{"enabled", "Going to FR", "Store", "Location rank (lowest first), then closest"} {
		if !strings.Contains(row, want) {
			t.Errorf("the rule's row says %q, want %q in it", row, want)
		}
	}
	if banner := b.Text(`[data-testid=draft-banner]`); !strings.Contains(banner, "Draft has unpublished changes") {
		t.Errorf("the banner says %q", banner)
	}

	// Simulate the draft over the recent orders before publishing.
	if st := b.Follow("open the simulation", chromedp.Click(browsertest.Find("main a", "Simulate the draft"))); st != http.StatusOK || b.Path() != "/rules/simulate" {
		t.Fatalf("the simulation link led to %s with status %d", b.Path(), st)
	}
	if st := b.Follow("run the simulation", chromedp.Click(browsertest.Find("main button[type=submit]", "Run the simulation"))); st != http.StatusOK {
		t.Fatalf("running the simulation answered %d; page says:\n%s", st, b.Text(`main`))
	}
	if summary := b.Text(`[data-testid=sim-summary]`); summary == "" {
		t.Errorf("the simulation shows no summary; page says:\n%s", b.Text(`main`))
	}
	if changed := b.Text(`[data-testid=simulation]`); !strings.Contains(changed, "1") {
		t.Errorf("the simulation report does not count the replayed order: %q", changed)
	}

	// Publish.
	b.Open(env.Server.URL + "/rules")
	if st := b.Follow("publish", chromedp.Click(browsertest.Find("[data-testid=draft-banner] button", "Publish"))); st != http.StatusOK || b.Path() != "/rules" {
		t.Fatalf("publishing ended with %d on %s", st, b.Path())
	}
	if notice := b.Text(`main .notice.ok`); !strings.Contains(notice, "Published version 1") {
		t.Errorf("after publishing the notice says %q", notice)
	}
	if n := len(b.Texts(`[data-testid=draft-banner]`)); n != 0 {
		t.Error("the unpublished-changes banner stays after publishing")
	}

	// A new order to Lyon now ships from the Paris store, and its routing page says why.
	o := rlOrder(t, env, "2", 1, true)
	if st := b.Open(env.Server.URL + "/orders/" + o.Number + "/routing"); st != http.StatusOK {
		t.Fatalf("the routing page answered %d", st)
	}
	rule := b.Text(`[data-testid=decision] [data-testid=decision-rule]`)
	if !regexp.MustCompile(`rule "France from stores" \(#1\) of version 1`).MatchString(rule) {
		t.Errorf("the decision says %q, want it to name the rule and version 1", rule)
	}
	if why := b.Text(`[data-testid=decision] [data-testid=explanation]`); !strings.Contains(why, "Paris store") {
		t.Errorf("the explanation is %q, want it to name the Paris store", why)
	}
	if chosen := b.Text(`[data-testid=candidates] tr.chosen`); !strings.Contains(chosen, "PAR-ST") {
		t.Errorf("the chosen candidate is %q, want PAR-ST", chosen)
	}
	if excluded := b.Text(`[data-testid=candidates] tr.excluded`); !strings.Contains(excluded, "LYS-WH") {
		t.Errorf("the excluded candidate is %q, want LYS-WH with its reason", excluded)
	}
}

// rlChoose sets the value of the field (a select or an input) with id, as a person would.
func rlChoose(t *testing.T, b *browsertest.Browser, id, value string) {
	t.Helper()
	b.Do("choose "+strconv.Quote(value)+" in "+id,
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById(`+strconv.Quote(id)+`); s.value = `+strconv.Quote(value)+
			`; s.dispatchEvent(new Event("change", {bubbles: true})); })()`))
	if got, err := chromedp.Run(b.Ctx, chromedp.Value(chromedp.ID(id))); err != nil || got != value {
		t.Fatalf("the select %s holds %q (err %v), want %q", id, got, err, value)
	}
}
