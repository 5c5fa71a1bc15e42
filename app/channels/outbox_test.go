package channels

import (
	"switchyard/app"
	"switchyard/app/outbox"

	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkDispatcher measures delivery throughput of signed webhooks to a local receiver.
func BenchmarkDispatcher(b *testing.B) {
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	a, _ := outboxApp(b, "api", "")
	ep, _, err := outboxOf(a).CreateWebhookEndpoint(ctx, app.System, outbox.NewWebhookEndpoint{URL: srv.URL, Events: []string{app.EventOrderShipped}})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i += 500 {
		if err := a.Write(ctx, func(tx app.Tx) error {
			for j := i; j < min(i+500, b.N); j++ {
				if err := app.Enqueue(ctx, tx, app.OutboxMsg{EndpointID: ep.ID, Kind: app.KindWebhook, Payload: map[string]any{"n": j}}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	start := time.Now()
	n, err := outboxOf(a).DispatchDue(ctx, outbox.DispatcherOptions{Workers: 32})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msgs/s")
}
