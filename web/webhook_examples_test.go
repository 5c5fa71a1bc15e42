package web

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"switchyard/app"
	"switchyard/web/openapi"
)

// TestWebhookEventsDocumented: the OpenAPI document's webhooks section lists
// exactly the events an endpoint may subscribe to, and every example payload
// the admin page shows (built from the types sent) matches its schema.
func TestWebhookEventsDocumented(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.JSON)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	var documented []string
	for event := range doc.Webhooks {
		documented = append(documented, event)
	}
	sort.Strings(documented)
	events := slices.Sorted(slices.Values(app.WebhookEvents))
	if !slices.Equal(documented, events) {
		t.Fatalf("the document's webhooks are %q, the events %q", documented, events)
	}
	for _, d := range webhookEventDocs() {
		schema := doc.Webhooks[d.Event].Post.RequestBody.Value.Content.Get("application/json").Schema.Value
		var body any
		if err := json.Unmarshal([]byte(d.Example), &body); err != nil {
			t.Fatalf("%s: %v", d.Event, err)
		}
		if err := schema.VisitJSON(body, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("the example of %s does not match the document: %v\n%s", d.Event, err, d.Example)
		}
	}
	// The control: a payload under another event's name, or with a field
	// the document does not know, is refused.
	bad := map[string]any{"type": app.EventOrderShipped, "timestamp": "2026-12-07T09:30:00Z", "data": map[string]any{"channel": "web", "shipment": map[string]any{"surprise": 1}}}
	schema := doc.Webhooks[app.EventOrderShipped].Post.RequestBody.Value.Content.Get("application/json").Schema.Value
	if err := schema.VisitJSON(bad, openapi3.EnableJSONSchema2020()); err == nil {
		t.Error("a shipment with an unknown field matched the document")
	}
	wrong := map[string]any{"type": app.EventOrderHeld, "timestamp": "2026-12-07T09:30:00Z", "data": map[string]any{}}
	if err := schema.VisitJSON(wrong, openapi3.EnableJSONSchema2020()); err == nil {
		t.Error("order.held matched order.shipped's schema")
	}
}
