package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/returns"
)

// TestWebhookReturnEvents: an endpoint may subscribe to the returns events
// (an unknown event is refused, naming the field), and receives each one a
// return goes through, signed, with its type.
func TestWebhookReturnEvents(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var types []string
	var secret string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var p struct {
			Type string `json:"type"`
		}
		if !verifyStandardWebhook(secret, r.Header, body) || json.Unmarshal(body, &p) != nil {
			t.Errorf("webhook %s", body)
		}
		mu.Lock()
		types = append(types, p.Type)
		mu.Unlock()
	}))
	defer srv.Close()
	a := apptest.RouteNetwork(t)
	apptest.Count(t, a, "LYS", "TEE", 10)
	events := []string{app.EventReturnRequested, app.EventReturnApproved, app.EventReturnReceived, app.EventRefundCreated}
	_, _, err := svc(a).CreateWebhookEndpoint(ctx, app.System, NewWebhookEndpoint{URL: srv.URL + "/hook", Events: append(slices.Clone(events), "return.exploded")})
	var e *app.Error
	if !errors.As(err, &e) || e.Fields["events"] == "" {
		t.Fatalf("an unknown event: %v", err)
	}
	_, secret, err = svc(a).CreateWebhookEndpoint(ctx, app.System, NewWebhookEndpoint{URL: srv.URL + "/hook", Events: events})
	if err != nil {
		t.Fatal(err)
	}
	o, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("r1", 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	rs := returns.New(a)
	r, _, err := rs.Create(ctx, app.System, o.Number, returns.NewReturn{Resolution: returns.ResolutionRefund,
		Lines: []returns.LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "too_large"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Receive(ctx, app.System, r.Number, returns.Receipt{Lines: []returns.ReceiptLine{{Line: o.Lines[0].ID, Quantity: 1, Disposition: returns.DispositionRestock}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc(a).DispatchDue(ctx, DispatcherOptions{}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, want := range events {
		if !slices.Contains(types, want) {
			t.Errorf("no %s among %v", want, types)
		}
	}
}
