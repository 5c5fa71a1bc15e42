package web_test

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/automation"
	"switchyard/app/outbox"
	"switchyard/app/returns"
	"switchyard/web/webtest"
)

// TestWebhookDeliveriesMatchTheDocument: an endpoint subscribed to every
// event receives each one as orders and a return go through their lives,
// and every body sent matches the OpenAPI document's webhooks section, so
// the document and the deliveries cannot drift apart.
func TestWebhookDeliveriesMatchTheDocument(t *testing.T) {
	env := ordEnv(t)
	ctx := context.Background()
	var mu sync.Mutex
	bodies := map[string][][]byte{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var head struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(body, &head)
		mu.Lock()
		bodies[head.Type] = append(bodies[head.Type], body)
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	if _, _, err := env.Svc.Outbox.CreateWebhookEndpoint(ctx, app.System, outbox.NewWebhookEndpoint{URL: srv.URL, Events: app.WebhookEvents}); err != nil {
		t.Fatal(err)
	}

	// An automation rule tells the endpoint of every order shipped.
	hook := automation.RuleSet{Rules: []automation.Rule{{Name: "Tell of shipments", Enabled: true, Trigger: automation.OrderShipped,
		Actions: []automation.Action{{Action: automation.ActWebhook, Event: "parcel.left"}}}}}
	_, err := env.Svc.Auto.PutDraft(ctx, app.System, hook)
	check(t, "automation draft", err)
	_, err = env.Svc.Auto.Publish(ctx, app.System, "")
	check(t, "publish automation", err)

	// The first order: held, released, accepted, shipped, its tracking
	// corrected, delivered; a return of one tee, received (and so refunded).
	o := ordPlace(t, env, "W1", nil)
	_, err = env.App.Hold(ctx, app.System, o.Number, app.HoldInput{Reason: "address_check"})
	check(t, "hold", err)
	o, err = env.App.Release(ctx, app.System, o.Number)
	check(t, "release", err)
	_, err = env.App.AcceptFulfillment(ctx, app.System, o.Fulfillments[0].ID)
	check(t, "accept", err)
	shipped, err := env.App.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: upsTestNumber})
	check(t, "ship", err)
	_, err = env.App.CorrectTracking(ctx, app.System, shipped.Order.Shipments[0].ID, app.CorrectTrackingInput{Carrier: "other", TrackingNumber: "TRACK-2"})
	check(t, "correct the tracking", err)
	_, err = env.App.Deliver(ctx, app.System, o.Fulfillments[0].ID)
	check(t, "deliver", err)
	r, _, err := env.Svc.Returns.Create(ctx, app.System, o.Number, returns.NewReturn{Resolution: returns.ResolutionRefund,
		Lines: []returns.LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "too_small"}}})
	check(t, "start a return", err)
	_, err = env.Svc.Returns.Receive(ctx, app.System, r.Number, returns.Receipt{Lines: []returns.ReceiptLine{{Line: o.Lines[0].ID, Quantity: 1, Disposition: returns.DispositionRestock}}})
	check(t, "receive the return", err)

	// The second order: rejected by its location (routed again), then
	// cancelled; the third is short when a count finds less than it holds.
	o2 := ordPlace(t, env, "W2", nil)
	_, err = env.App.RejectFulfillment(ctx, app.System, o2.Fulfillments[0].ID, app.RejectInput{Reason: "damaged"})
	check(t, "reject", err)
	_, err = env.App.Cancel(ctx, app.System, o2.Number, app.CancelInput{Reason: "the customer changed their mind"})
	check(t, "cancel", err)
	ordPlace(t, env, "W3", nil)
	env.Stock("LYS-WH", "MUG-WHT", 0)

	for range 20 { // a call sends one batch
		env.Clock.Advance(2 * time.Second)
		n, err := env.Svc.Outbox.DispatchDue(ctx, outbox.DispatcherOptions{})
		check(t, "dispatch", err)
		if n == 0 {
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, event := range app.WebhookEvents {
		if len(bodies[event]) == 0 {
			t.Errorf("no %s was delivered (got %v)", event, slices.Sorted(maps.Keys(bodies)))
		}
	}
	for event, list := range bodies {
		for _, body := range list {
			if err := webtest.ValidateWebhook(body); err != nil {
				t.Errorf("%s: %v\n%s", event, err, body)
			}
		}
	}
}

// check fails t, naming the step, on an error.
func check(t *testing.T, step string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}
