package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
)

func TestStoreLeadTakesBackAnOnlineOrderOverTheCounter(t *testing.T) {
	env := returnsNet(t)
	o := deliveredOrder(t, env, "C1", 2)
	lead, _ := env.SignedIn(app.RoleWarehouse, "PAR")
	if res := lead.Get("/locations/PAR/returns/counter"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "counter-find") {
		t.Fatalf("counter page = %d", res.StatusCode)
	}
	// Another location's counter is the 403 page, as its other pages.
	if res := lead.Get("/locations/LYS/returns/counter"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("another location's counter = %d", res.StatusCode)
	}
	find := url.Values{"step": {"find"}, "order": {o.Number}, "proof": {"someone@else.example"}}
	res := lead.PostForm("/locations/PAR/returns/counter", find)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "no order "+o.Number+" with this email") ||
		strings.Contains(res.Body, "Camille") {
		t.Fatalf("wrong proof = %d %s", res.StatusCode, res.Body)
	}
	unknown := lead.PostForm("/locations/PAR/returns/counter", url.Values{"step": {"find"}, "order": {"SY-999999"}, "proof": {"someone@else.example"}})
	if unknown.StatusCode != res.StatusCode || !strings.Contains(unknown.Body, "no order SY-999999 with this email") {
		t.Fatalf("unknown order answers otherwise: %d", unknown.StatusCode)
	}
	find.Set("proof", " 69002 ")
	if res := lead.PostForm("/locations/PAR/returns/counter", find); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-sku="TEE"`) {
		t.Fatalf("find = %d %s", res.StatusCode, res.Body)
	}
	start := url.Values{"step": {"start"}, "order": {o.Number}, "proof": {"camille@example.com"}, "line": {itoa(o.Lines[0].ID)},
		"quantity": {"3"}, "reason": {"too_large"}, "resolution": {"refund"}}
	if res := lead.PostForm("/locations/PAR/returns/counter", start); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "at most 2") {
		t.Fatalf("too many = %d %s", res.StatusCode, res.Body)
	}
	// Without the CSRF token nothing happens.
	if res := lead.PostRaw("/locations/PAR/returns/counter", start); res.StatusCode != http.StatusForbidden {
		t.Fatalf("without CSRF = %d", res.StatusCode)
	}
	if rs, _ := env.Svc.Returns.ForOrder(context.Background(), o.ID); len(rs) != 0 {
		t.Fatalf("refused counter returns were written: %+v", rs)
	}
	start.Set("quantity", "1")
	res = lead.PostForm("/locations/PAR/returns/counter", start)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/locations/PAR/returns" {
		t.Fatalf("start = %d %s", res.StatusCode, res.Body)
	}
	rs, err := env.Svc.Returns.ForOrder(context.Background(), o.ID)
	if err != nil || len(rs) != 1 || rs[0].Location != "PAR" || rs[0].Status != "approved" || rs[0].StartedBy != "support" {
		t.Fatalf("returns: %+v %v", rs, err)
	}
	if page := lead.Get("/locations/PAR/returns"); !strings.Contains(page.Body, rs[0].Number) || !strings.Contains(page.Body, "count the goods below") {
		t.Fatalf("the dock does not show %s with the notice", rs[0].Number)
	}
}
