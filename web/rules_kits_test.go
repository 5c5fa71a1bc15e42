package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"switchyard/app"
)

// TestRulesKitComponents: the editor saves and shows a rule's
// split.kit_components, says it in words, and refuses it without splitting.
func TestRulesKitComponents(t *testing.T) {
	env := rlEnv(t)
	c, _ := env.SignedIn(app.RoleOps)
	rlRedirect(t, c.PostForm("/rules/draft/rules", nil), "/rules/draft/0/edit")
	rlWant(t, c.Get("/rules/draft/0/edit"), http.StatusOK, `name="split.kit_components"`)

	res := c.PostForm("/rules/draft/0", rlRuleForm("Kits", func(f url.Values) {
		f.Set("split.allow", "")
		f.Set("split.kit_components", "true")
	}))
	rlWant(t, res, http.StatusUnprocessableEntity, `data-field="split.kit_components"`, "needs splitting allowed")
	if r := rlDraft(t, env)[0]; r.Split.KitComponents {
		t.Fatalf("a refused save changed the draft: %+v", r)
	}

	rlRedirect(t, c.PostForm("/rules/draft/0", rlRuleForm("Kits", func(f url.Values) { f.Set("split.kit_components", "true") })), "/rules")
	if r := rlDraft(t, env)[0]; !r.Split.KitComponents || !r.Split.Allow {
		t.Fatalf("saved %+v", r.Split)
	}
	rlWant(t, c.Get("/rules"), http.StatusOK, "a kit&#39;s components from several locations if need be")

	rlRedirect(t, c.PostForm("/rules/draft/0", rlRuleForm("Kits", nil)), "/rules")
	if r := rlDraft(t, env)[0]; r.Split.KitComponents {
		t.Fatalf("unticked, still %+v", r.Split)
	}
}
