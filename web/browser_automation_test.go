package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// TestBrowserOpsPublishesAnAutomationRule walks the automation page in a real
// Chromium: an ops manager pastes a rule with a mistake and reads the field
// named, corrects it, simulates it on the recent orders (the big first order
// already there would have been held), publishes it, and then an order
// through the API is held by it, as its page's timeline says.
func TestBrowserOpsPublishesAnAutomationRule(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := orderEnv(t)
	ctx := context.Background()
	key := env.APIKey("", "orders:write")
	if st, body := postOrder(t, env, key, "", strings.Replace(orderBody, `"quantity": 2`, `"quantity": 60`, 1)); st != http.StatusCreated {
		t.Fatalf("first order = %d %s", st, body)
	}
	ops, password := env.AddUser(app.RoleOps)
	signIn(t, b, env.Server.URL, ops.Email, password)
	if st := b.Follow("click Rules in the navigation", chromedp.Click(browsertest.Find("header.top nav a", "Rules"))); st != http.StatusOK || b.Path() != "/rules" {
		t.Fatalf("the Rules link led to %s with status %d", b.Path(), st)
	}
	if st := b.Follow("click Automation rules", chromedp.Click(browsertest.Find("main nav a", "Automation rules"))); st != http.StatusOK || b.Path() != "/automation" {
		t.Fatalf("the Automation rules link led to %s with status %d", b.Path(), st)
	}

	// A mistake: an operator that does not exist is named by its field, and nothing is saved.
	wrong := strings.Replace(bigOrdersRules, `"op": "gt"`, `"op": "above"`, 1)
	b.Do("paste a rule with a mistake", chromedp.SetValue(chromedp.CSS(`[data-testid=draft-json]`), wrong))
	if st := b.Follow("save the draft", chromedp.Click(browsertest.Find("main button", "Save the draft"))); st != http.StatusUnprocessableEntity {
		t.Fatalf("saving a wrong draft answered %d; page says:\n%s", st, b.Text(`main`))
	}
	if errs := b.Text(`[data-testid=draft-errors]`); !strings.Contains(errs, "rules[0].conditions[0].op") || !strings.Contains(errs, "unknown operator") {
		t.Errorf("the errors say %q, want the field rules[0].conditions[0].op named", errs)
	}

	// Corrected, saved and simulated: the big first order already taken in would have been held.
	b.Do("paste the corrected rule", chromedp.SetValue(chromedp.CSS(`[data-testid=draft-json]`), bigOrdersRules))
	if st := b.Follow("save and simulate", chromedp.Click(browsertest.Find("main button", "Save and simulate"))); st != http.StatusOK {
		t.Fatalf("simulating answered %d; page says:\n%s", st, b.Text(`main`))
	}
	if sum := b.Text(`[data-testid=sim-summary]`); !strings.Contains(sum, "Of the last 1 orders, the draft would have fired on 1") {
		t.Errorf("the simulation says %q", sum)
	}
	if row := b.Text(`[data-testid=sim-row]`); !strings.Contains(row, "SY-000001") || !strings.Contains(row, "hold (fraud_review)") {
		t.Errorf("the simulation's row says %q", row)
	}
	if o, err := env.App.OrderByNumber(ctx, "SY-000001"); err != nil || o.OnHold {
		t.Errorf("the simulation changed the order (held %v, err %v)", o.OnHold, err)
	}

	// Publish.
	if st := b.Follow("publish", chromedp.Click(browsertest.Find("main button", "Publish the draft"))); st != http.StatusOK || b.Path() != "/automation" {
		t.Fatalf("publishing ended with %d on %s", st, b.Path())
	}
	if notice := b.Text(`main .notice.ok`); !strings.Contains(notice, "Automation rules version 1 published: 1 rule in force") {
		t.Errorf("after publishing the notice says %q", notice)
	}
	if v := b.Text(`[data-testid=automation-versions]`); !strings.Contains(v, "Version 1") {
		t.Errorf("the versions say %q", v)
	}

	// A new customer's big order through the API is held, and its timeline says by which rule.
	second := strings.NewReplacer(`"quantity": 2`, `"quantity": 60`, `"100234"`, `"100235"`, "ana@example.com", "new@example.org").Replace(orderBody)
	if st, body := postOrder(t, env, key, "", second); st != http.StatusCreated {
		t.Fatalf("second order = %d %s", st, body)
	}
	if st := b.Open(env.Server.URL + "/orders/SY-000002"); st != http.StatusOK {
		t.Fatalf("the order page answered %d", st)
	}
	timeline := b.Text(`[data-testid=timeline]`)
	for _, want := range []string{"Automation rule “Big first orders” held the order for a fraud review.",
		"Automation rule “Big first orders” (the order was received) tagged the order “big” and noted: First order over 1,000."} {
		if !strings.Contains(timeline, want) {
			t.Errorf("the timeline lacks %q:\n%s", want, timeline)
		}
	}
}
