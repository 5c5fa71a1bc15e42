package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

// kitPages is a network for the kit pages: location A, MUG and TRAY stocked, SET plain.
func kitPages(t *testing.T) (*webtest.Env, *webtest.Client) {
	env := webtest.New(t)
	pgAddChannel(t, env, "web")
	env.AddLocation("A", "Lyon", "web")
	for _, s := range []string{"MUG", "TRAY", "SET"} {
		env.AddSKU(s)
	}
	env.Stock("A", "MUG", 7)
	env.Stock("A", "TRAY", 5)
	ops, _ := env.SignedIn(app.RoleOps)
	return env, ops
}

// TestSKUFormKit: the edit form makes a SKU a kit; its page shows the
// components and what they allow, the stock list marks it, and emptying the
// rows makes it plain again.
func TestSKUFormKit(t *testing.T) {
	env, ops := kitPages(t)
	form := url.Values{"name": {"Gift set"}, "active": {"true"},
		"component_sku": {"MUG", "", "TRAY"}, "component_quantity": {"2", "", ""}}
	res := ops.PostForm("/skus/SET", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save kit = %d\n%s", res.StatusCode, res.Body)
	}
	sku, _ := env.App.SKU(context.Background(), "SET")
	if !sku.Kit || len(sku.Components) != 2 || sku.Components[1] != (app.Component{SKU: "TRAY", Quantity: 1}) {
		t.Fatalf("SET after the form: %+v", sku)
	}
	page := ops.Get("/skus/SET").Body
	for _, want := range []string{`data-testid="kit-components"`, `href="/skus/MUG"`, `data-testid="kit-note"`, `data-location="A"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the kit's page lacks %q", want)
		}
	}
	if strings.Contains(page, `action="/stock/A/SET/adjust"`) {
		t.Error("the kit's page offers to adjust its stock")
	}
	if list := ops.Get("/stock").Body; !strings.Contains(list, `data-testid="kit-badge"`) || !strings.Contains(list, "3 kits") {
		t.Error("the stock list does not mark the kit and what it allows")
	}
	edit := ops.Get("/skus/SET/edit").Body
	if !strings.Contains(edit, `value="MUG"`) || !strings.Contains(edit, `value="TRAY"`) {
		t.Error("the edit form lacks the kit's components")
	}
	res = ops.PostForm("/skus/SET", url.Values{"name": {"Gift set"}, "active": {"true"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save plain = %d\n%s", res.StatusCode, res.Body)
	}
	if sku, _ := env.App.SKU(context.Background(), "SET"); sku.Kit {
		t.Fatal("SET stayed a kit with every row empty")
	}
}

// TestSKUFormKitBadInput: each bad row is refused beside its fields, and a
// kit's stock cannot be adjusted from its page.
func TestSKUFormKitBadInput(t *testing.T) {
	env, ops := kitPages(t)
	if _, _, err := env.App.PutSKU(context.Background(), app.System, "BOX", app.SKUInput{Name: "Box", Components: &[]app.Component{{SKU: "SET", Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, field, says string
		skus, qtys        []string
	}{
		{"unknown", "components[1].sku", `no SKU "NOPE"`, []string{"MUG", "", "NOPE"}, []string{"1", "", "1"}},
		{"cycle", "components[0].sku", "cannot contain itself", []string{"BOX"}, []string{"1"}},
		{"itself", "components[0].sku", "cannot contain itself", []string{"SET"}, []string{"1"}},
		{"zero", "components[0].quantity", "1 to 1000", []string{"MUG"}, []string{"0"}},
		{"not a number", "components[0].quantity", "whole number", []string{"MUG"}, []string{"two"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := ops.PostForm("/skus/SET", url.Values{"name": {"Set"}, "active": {"true"}, "component_sku": tc.skus, "component_quantity": tc.qtys})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", res.StatusCode, res.Body)
			}
			if msg, ok := pgErrorBeside(res.Body, tc.field); !ok || !strings.Contains(msg, tc.says) {
				t.Fatalf("beside %q: %q, want %q", tc.field, msg, tc.says)
			}
			if sku, _ := env.App.SKU(context.Background(), "SET"); sku.Kit || sku.Name != "SET" {
				t.Fatalf("refused form wrote: %+v", sku)
			}
		})
	}
	res := ops.PostForm("/stock/A/BOX/adjust", url.Values{"delta": {"1"}, "reason": {"receipt"}, "view": {"sku"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("adjusting a kit = %d\n%s", res.StatusCode, res.Body)
	}
	if msg, ok := pgErrorBeside(res.Body, "sku"); !ok || !strings.Contains(msg, "is a kit") {
		t.Fatalf("adjusting a kit: %q", msg)
	}
}
