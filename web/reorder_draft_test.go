package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/inbound"
	store "switchyard/sql"
)

// TestReorderDraftPurchaseOrder: two selected suggestions at LYS become one
// draft purchase order with their quantities; bad selections answer 422
// naming the problem, keep the selection, and write nothing; no CSRF token,
// or a role that may not, is refused.
func TestReorderDraftPurchaseOrder(t *testing.T) {
	env := reorderEnv(t)
	env.AddSKU("MUG")
	env.Stock("LYS", "MUG", 2)
	ops, _ := env.SignedIn(app.RoleOps)
	for _, f := range []url.Values{
		{"sku": {"TEE"}, "location": {"LYS"}, "lead_time_days": {"7"}, "cover_days": {"30"}, "min_qty": {"20"}, "max_qty": {"60"}},
		{"sku": {"MUG"}, "location": {"LYS"}, "lead_time_days": {"21"}, "cover_days": {"30"}, "min_qty": {"5"}, "max_qty": {"12"}},
	} {
		if res := ops.PostForm("/reorder/settings?location=LYS", f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("setting = %d\n%s", res.StatusCode, res.Body)
		}
	}
	page := ops.Get("/reorder?location=LYS")
	if !strings.Contains(page.Body, `form="draft-po" name="line" value="TEE@LYS"`) || !strings.Contains(page.Body, `data-testid="draft-po"`) {
		t.Fatalf("the page has no selection:\n%s", page.Body)
	}
	inboundCount := func() int {
		list, err := env.App.Read().ListInbound(t.Context(), store.ListInboundParams{Before: 1 << 62, Lim: 100})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}

	for name, c := range map[string]struct {
		form        url.Values
		field, text string
	}{
		"nothing selected": {url.Values{"supplier": {"Acme"}}, "line", "Select at least one suggestion"},
		"no supplier":      {url.Values{"line": {"TEE@LYS"}}, "supplier", "Supplier: name who"},
		"a row gone":       {url.Values{"supplier": {"Acme"}, "line": {"TEE@LYS", "GONE@LYS"}}, "line", "GONE at LYS is no longer a suggestion"},
		"nothing to order": {url.Values{"supplier": {"Acme"}, "line": {"TEE@LYS", "TEE@PAR"}}, "line", "TEE at PAR has nothing to order"},
		"hostile value":    {url.Values{"supplier": {"Acme"}, "line": {`"><script>alert(1)</script>`}}, "line", "is not a suggestion"},
	} {
		res := ops.PostForm("/reorder/draft?location=LYS", c.form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="`+c.field+`"`) ||
			!strings.Contains(res.Body, c.text) || strings.Contains(res.Body, "<script>alert") {
			t.Errorf("%s = %d, want 422 naming %s with %q:\n%s", name, res.StatusCode, c.field, c.text, res.Body)
		}
	}
	// The refused selection is kept on the page.
	res := ops.PostForm("/reorder/draft?location=LYS", url.Values{"line": {"TEE@LYS"}})
	if !strings.Contains(res.Body, `value="TEE@LYS" checked`) {
		t.Errorf("the refused selection is not kept:\n%s", res.Body)
	}
	if res := ops.PostRaw("/reorder/draft?location=LYS", url.Values{"supplier": {"Acme"}, "line": {"TEE@LYS"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("no CSRF token = %d, want 403", res.StatusCode)
	}
	for _, role := range []app.Role{app.RoleSupport, app.RoleWarehouse} {
		c, _ := env.SignedIn(role, "LYS")
		if res := c.PostForm("/reorder/draft", url.Values{"supplier": {"Acme"}, "line": {"TEE@LYS"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s = %d, want 403", role, res.StatusCode)
		}
	}
	if n := inboundCount(); n != 0 {
		t.Fatalf("%d inbound written by refusals", n)
	}

	res = ops.PostForm("/reorder/draft?location=LYS", url.Values{"supplier": {"Acme"}, "line": {"TEE@LYS", "MUG@LYS"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/reorder?location=LYS" {
		t.Fatalf("draft = %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	page = ops.Get("/reorder?location=LYS")
	if !strings.Contains(page.Body, `Created draft purchase order <a href="/inbound/IN-000001" data-testid="drafted-IN-000001">IN-000001</a> to LYS from Acme: 2 lines, 60 units`) {
		t.Fatalf("no notice of the draft linking to its page:\n%s", page.Body)
	}
	if again := ops.Get("/reorder?location=LYS"); strings.Contains(again.Body, `data-testid="drafted-`) {
		t.Errorf("the notice's link is shown twice:\n%s", again.Body)
	}
	if draft := ops.Get("/inbound/IN-000001"); draft.StatusCode != http.StatusOK || !strings.Contains(draft.Body, "Acme") {
		t.Errorf("the linked draft's page = %d", draft.StatusCode)
	}
	po, err := inbound.New(env.App).Get(t.Context(), app.System, "IN-000001")
	if err != nil {
		t.Fatal(err)
	}
	if po.Status != inbound.StatusDraft || po.Supplier != "Acme" || len(po.Lines) != 2 || po.Lines[0].SKU != "MUG" ||
		po.Lines[0].Quantity != 10 || po.Lines[1].SKU != "TEE" || po.Lines[1].Quantity != 50 {
		t.Fatalf("draft %+v", po)
	}
}
