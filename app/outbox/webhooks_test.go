package outbox

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"switchyard/app"
	"switchyard/app/apptest"
	"sync/atomic"
	"testing"
)

// svc is the one Service over a test's App (no channel sender: these tests
// send Standard Webhooks only).
func svc(a *app.App) *Service {
	return apptest.Service(a, func(a *app.App) *Service { return New(a, nil) })
}

// verifyStandardWebhook is a reference implementation of the Standard Webhooks
// verification, written from the specification.
func verifyStandardWebhook(secret string, h http.Header, body []byte) bool {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return false
	}
	signed := h.Get("webhook-id") + "." + h.Get("webhook-timestamp") + "." + string(body)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(signed))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	for _, s := range strings.Fields(h.Get("webhook-signature")) {
		if v, sig, ok := strings.Cut(s, ","); ok && v == "v1" && hmac.Equal([]byte(sig), []byte(want)) {
			return true
		}
	}
	return false
}

// TestWebhookSignedThen410 checks the signature, then that 410 stops the endpoint.
func TestWebhookSignedThen410(t *testing.T) {
	ctx := context.Background()
	var secret string
	var status atomic.Int32
	status.Store(200)
	var got atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !verifyStandardWebhook(secret, r.Header, body) || !strings.HasPrefix(r.Header.Get("webhook-id"), "msg_") {
			t.Errorf("signature does not verify: %v %s", r.Header, body)
		}
		var p map[string]any
		if json.Unmarshal(body, &p) != nil || p["type"] != app.EventOrderShipped {
			t.Errorf("payload %s", body)
		}
		got.Add(1)
		w.WriteHeader(int(status.Load()))
	}))
	defer srv.Close()
	a := apptest.RouteNetwork(t)
	apptest.Count(t, a, "LYS", "TEE", 10)
	ep, s, err := svc(a).CreateWebhookEndpoint(ctx, app.System, NewWebhookEndpoint{URL: srv.URL + "/hook", Events: []string{app.EventOrderShipped}})
	if err != nil {
		t.Fatal(err)
	}
	secret = s
	ship := func(ext string) {
		o, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder(ext, 1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
			t.Fatal(err)
		}
	}
	ship("1")
	if _, err := svc(a).DispatchDue(ctx, DispatcherOptions{}); err != nil || got.Load() != 1 || apptest.CountOutbox(t, a, app.OutboxDelivered, app.KindWebhook) != 1 {
		t.Fatalf("first webhook: %d received, %v", got.Load(), err)
	}
	status.Store(http.StatusGone)
	ship("2")
	if _, err := svc(a).DispatchDue(ctx, DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	eps, _ := svc(a).WebhookEndpoints(ctx)
	if len(eps) != 1 || eps[0].ID != ep.ID || eps[0].Active || eps[0].DisabledReason == "" {
		t.Fatalf("after 410 the endpoint is %+v", eps)
	}
	if apptest.CountOutbox(t, a, app.OutboxDead, app.KindWebhook) != 1 {
		t.Fatal("the 410 message is not dead")
	}
	ship("3") // the endpoint is stopped: nothing more is queued for it
	if n := apptest.CountOutbox(t, a, app.OutboxPending, app.KindWebhook); n != 0 {
		t.Fatalf("%d messages queued for a stopped endpoint", n)
	}
}
