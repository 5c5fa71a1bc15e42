package web_test

import (
	"encoding/json"
	"html"
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

// TestWebhookEventsListed: the webhooks page lists every event an endpoint
// may subscribe to with an example payload whose type is the event.
func TestWebhookEventsListed(t *testing.T) {
	env := webtest.New(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	body := admin.Get("/admin/webhooks").Body
	for _, e := range app.WebhookEvents {
		i := strings.Index(body, `data-event="`+e+`"`)
		if i < 0 {
			t.Errorf("%s is not listed", e)
			continue
		}
		example := body[i:]
		example = example[strings.Index(example, `<pre class="example">`)+len(`<pre class="example">`):]
		example = html.UnescapeString(example[:strings.Index(example, "</pre>")])
		var p struct {
			Type string
			Data map[string]any
		}
		if err := json.Unmarshal([]byte(example), &p); err != nil || p.Type != e || len(p.Data) == 0 {
			t.Errorf("%s's example %q: %v", e, example, err)
		}
	}
}
