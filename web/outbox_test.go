package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

func TestWebhookEndpointsPage(t *testing.T) {
	env := webtest.New(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	res := admin.PostForm("/admin/webhooks", url.Values{"url": {"ftp://example.com"}, "events": {app.WebhookEvents[0]}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="url"`) {
		t.Fatalf("bad URL = %d", res.StatusCode)
	}
	res = admin.PostForm("/admin/webhooks", url.Values{"url": {"https://example.com/hooks"}, "events": {app.WebhookEvents[0]}})
	if res.StatusCode != http.StatusCreated || !strings.Contains(res.Body, `data-testid="webhook-secret"`) {
		t.Fatalf("create = %d\n%s", res.StatusCode, res.Body)
	}
	if body := admin.Get("/admin/webhooks").Body; !strings.Contains(body, "https://example.com/hooks") || strings.Contains(body, `data-testid="webhook-secret"`) {
		t.Fatal("the list must show the endpoint and never its secret again")
	}
	if res := admin.Get("/admin/outbox"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Dead letters") {
		t.Fatalf("outbox page = %d", res.StatusCode)
	}
	if res := admin.PostForm("/admin/outbox/999999/retry", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("retry of an unknown message = %d, want 404", res.StatusCode)
	}
	ops, _ := env.SignedIn(app.RoleOps)
	if res := ops.Get("/admin/outbox"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("ops on the outbox = %d, want 403", res.StatusCode)
	}
}
