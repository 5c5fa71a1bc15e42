package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/returns"
)

func TestReturnPolicyPage(t *testing.T) {
	env := returnsNet(t)
	ops, _ := env.SignedIn(app.RoleOps)
	res := ops.Get("/channels/web/returns")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `name="window_days" value="30"`) {
		t.Fatalf("status %d\n%s", res.StatusCode, res.Body)
	}
	if edit := ops.Get("/channels/web/edit"); !strings.Contains(edit.Body, `href="/channels/web/returns"`) {
		t.Errorf("the channel's page does not link its return policy")
	}
	for _, bad := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"window_days": {"ten"}, "restocking_fee_pct": {"0"}, "refund_shipping": {"never"}}, "window_days"},
		{url.Values{"window_days": {"-1"}, "restocking_fee_pct": {"0"}, "refund_shipping": {"never"}}, "window_days"},
		{url.Values{"window_days": {"30"}, "restocking_fee_pct": {"101"}, "refund_shipping": {"never"}}, "restocking_fee_pct"},
		{url.Values{"window_days": {"30"}, "restocking_fee_pct": {"0"}, "refund_shipping": {"sometimes"}}, "refund_shipping"},
		{url.Values{"window_days": {"30"}, "restocking_fee_pct": {"0"}, "refund_shipping": {"never"}, "reasons": {"bored"}}, "reasons"},
	} {
		res := ops.PostForm("/channels/web/returns", bad.form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="`+bad.field+`"`) {
			t.Errorf("%v: status %d, want 422 beside %s\n%s", bad.form, res.StatusCode, bad.field, res.Body)
		}
	}
	if p, err := env.Svc.Returns.Policy(context.Background(), "web"); err != nil || p.UpdatedBy != "" {
		t.Fatalf("policy %+v %v: want nothing stored", p, err)
	}
	good := url.Values{"window_days": {"14"}, "restocking_fee_pct": {"10"}, "refund_shipping": {"always"},
		"reasons": {"damaged", "too_small"}}
	if res := ops.PostRaw("/channels/web/returns", good); res.StatusCode != http.StatusForbidden {
		t.Fatalf("no CSRF: status %d, want 403", res.StatusCode)
	}
	if res := ops.PostForm("/channels/web/returns", good); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", res.StatusCode, res.Body)
	}
	p, err := env.Svc.Returns.Policy(context.Background(), "web")
	if err != nil || p.WindowDays != 14 || p.CustomerNeedsApproval || p.RestockingFeePct != 10 || p.RefundShipping != "always" ||
		strings.Join(p.Reasons, " ") != "damaged too_small" {
		t.Fatalf("policy %+v %v", p, err)
	}
	support, _ := env.SignedIn(app.RoleSupport)
	if res := support.PostForm("/channels/web/returns", good); res.StatusCode != http.StatusForbidden {
		t.Errorf("support: status %d, want 403", res.StatusCode)
	}
	if res := ops.Get("/channels/nope/returns"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown channel: status %d, want 404", res.StatusCode)
	}
}

func TestLocationFormAcceptsReturns(t *testing.T) {
	env := returnsNet(t)
	ops, _ := env.SignedIn(app.RoleOps)
	res := ops.Get("/locations/PAR/edit")
	if !strings.Contains(res.Body, `name="accepts_returns"`) {
		t.Fatalf("no accepts returns box:\n%s", res.Body)
	}
	form := url.Values{"name": {"Paris warehouse"}, "kind": {"warehouse"}, "address.city": {"Paris"}, "address.country": {"FR"},
		"timezone": {"Europe/Paris"}, "ships": {"true"}, "active": {"true"}, "channels": {"web"},
		"daily_capacity": {"0"}, "handling_days": {"0"}, "rank": {"0"}}
	if res := ops.PostForm("/locations/PAR", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", res.StatusCode, res.Body)
	}
	loc, err := env.App.Location(context.Background(), "PAR")
	if err != nil || loc.AcceptsReturns {
		t.Fatalf("PAR %+v %v: want no returns", loc.AcceptsReturns, err)
	}
	// A rule may no longer send goods to PAR.
	res = ops.PostForm("/returns/rules/draft", url.Values{"action": {"save"}, "name": {"Paris"}, "channel": {""},
		"country": {"FR"}, "sku_tag": {""}, "location": {"PAR"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="rules[0].location"`) {
		t.Fatalf("rule to PAR: status %d\n%s", res.StatusCode, res.Body)
	}
	form.Set("accepts_returns", "true")
	if res := ops.PostForm("/locations/PAR", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", res.StatusCode, res.Body)
	}
	if loc, err := env.App.Location(context.Background(), "PAR"); err != nil || !loc.AcceptsReturns {
		t.Fatalf("PAR %+v %v: want returns", loc.AcceptsReturns, err)
	}
}

func TestReturnRulesPage(t *testing.T) {
	env := returnsNet(t)
	o := deliveredOrder(t, env, "r-1", 1)
	ops, _ := env.SignedIn(app.RoleOps)
	res := ops.Get("/returns/rules?order=" + o.Number)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="preview"`) || !strings.Contains(res.Body, "LYS") {
		t.Fatalf("page: status %d\n%s", res.StatusCode, res.Body)
	}
	if res := ops.Get("/returns/rules?order=SY-999999"); !strings.Contains(res.Body, `data-testid="preview-error"`) {
		t.Errorf("unknown order: no message\n%s", res.Body)
	}
	// Bad rows: errors beside them, nothing saved.
	res = ops.PostForm("/returns/rules/draft", url.Values{"action": {"save"}, "name": {"A", "B"}, "channel": {"nope", ""},
		"country": {"", "XX"}, "sku_tag": {"", ""}, "location": {"nearest", "LYS"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="rules[0].channel"`) ||
		!strings.Contains(res.Body, `data-field="rules[1].country"`) {
		t.Fatalf("bad rows: status %d\n%s", res.StatusCode, res.Body)
	}
	if res := ops.PostRaw("/returns/rules/draft", url.Values{"action": {"save"}, "name": {"Paris"}, "location": {"PAR"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("no CSRF: status %d", res.StatusCode)
	}
	// Publishing without a draft is a conflict.
	if res := ops.PostForm("/returns/rules/publish", url.Values{"note": {"x"}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("publish nothing: status %d", res.StatusCode)
	}
	res = ops.PostForm("/returns/rules/draft", url.Values{"action": {"save"}, "name": {"French web to Paris", ""},
		"channel": {"web", ""}, "country": {"fr", ""}, "sku_tag": {"", ""}, "location": {"PAR", "nearest"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", res.StatusCode, res.Body)
	}
	draft, err := env.Svc.Returns.Rules(context.Background(), 0)
	if err != nil || len(draft.Rules) != 1 || draft.Rules[0] != (returns.Rule{Name: "French web to Paris", Channel: "web", Country: "FR", Location: "PAR"}) {
		t.Fatalf("draft %+v %v", draft, err)
	}
	if res := ops.PostForm("/returns/rules/publish", url.Values{"note": {"Paris takes French returns"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: status %d\n%s", res.StatusCode, res.Body)
	}
	res = ops.Get("/returns/rules?order=" + o.Number)
	if !strings.Contains(res.Body, "Paris takes French returns") || !strings.Contains(res.Body, "<strong>PAR</strong>") ||
		!strings.Contains(res.Body, "French web to Paris") {
		t.Fatalf("after publishing: want the version and the preview to Paris\n%s", res.Body)
	}
	support, _ := env.SignedIn(app.RoleSupport)
	if res := support.Get("/returns/rules"); res.StatusCode != http.StatusForbidden {
		t.Errorf("support: status %d, want 403", res.StatusCode)
	}
}

func TestAPILocationAcceptsReturns(t *testing.T) {
	env := returnsNet(t)
	key := env.APIKey("", "catalog:write")
	body := `{"name": "Dropshipper", "kind": "dropship", "address": {"city": "Lille", "country": "FR"}, "timezone": "Europe/Paris", "ships": true, "pickup": false}`
	if st, out := env.API("PUT", "/api/v1/locations/DS1", key, body); st != http.StatusCreated || !strings.Contains(out, `"accepts_returns":false`) {
		t.Fatalf("new dropshipper: %d %s", st, out)
	}
	body = strings.Replace(body, `"pickup": false`, `"pickup": false, "accepts_returns": true`, 1)
	if st, out := env.API("PUT", "/api/v1/locations/DS1", key, body); st != http.StatusOK || !strings.Contains(out, `"accepts_returns":true`) {
		t.Fatalf("dropshipper taking returns: %d %s", st, out)
	}
	body = strings.Replace(body, `, "accepts_returns": true`, ``, 1)
	if st, out := env.API("PUT", "/api/v1/locations/DS1", key, body); st != http.StatusOK || !strings.Contains(out, `"accepts_returns":true`) {
		t.Fatalf("absent keeps it: %d %s", st, out)
	}
}
