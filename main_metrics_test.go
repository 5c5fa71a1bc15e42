package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/outbox"
)

// TestServeMetrics starts serve with --metrics-addr, sends a small load
// (orders through the API, a webhook with a bad signature, a page and a path
// that is no route), then scrapes /metrics on its own listener and checks
// every family, and that the labels name route patterns, never the paths.
func TestServeMetrics(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	addr, maddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--db", db, "--addr", addr, "--demo", "--metrics-addr", maddr}, func(string) string { return "" },
			strings.NewReader(""), io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	base := "http://" + addr
	waitHealthy(t, base)
	out, _, err := cli(t, "", nil, "apikey", "create", "--db", db, "--name", "m", "--scopes", "orders:write,orders:read")
	if err != nil {
		t.Fatal(err)
	}
	key := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	// A webhook endpoint nobody answers: a cancelled order's message to it
	// stays undelivered.
	a, err := openApp(ctx, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = outbox.New(a, nil).CreateWebhookEndpoint(ctx, app.System,
		outbox.NewWebhookEndpoint{URL: "http://127.0.0.1:1/hook", Events: []string{app.EventOrderCancelled}})
	a.Close()
	if err != nil {
		t.Fatal(err)
	}
	// The server reads the endpoints again within a second of a change made
	// by another process (its own changes it sees at once).
	time.Sleep(1500 * time.Millisecond)
	client := &http.Client{Timeout: 10 * time.Second}
	number := ""
	for i := range 5 {
		status, body, err := postOrder(ctx, client, base, key, fmt.Sprintf("metrics-%d", i), 2)
		if err != nil || status != http.StatusCreated {
			t.Fatalf("order %d: %d %s %v", i, status, body, err)
		}
		number = regexp.MustCompile(`"number":\s*"([^"]+)"`).FindStringSubmatch(body)[1]
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/orders/"+number+"/cancel", strings.NewReader(`{"reason": "customer asked"}`))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("cancel %s: %v %v", number, res, err)
	}
	res.Body.Close()
	for _, r := range []struct{ method, path, body string }{
		{http.MethodPost, "/webhooks/shopify/made-up-channel-x", `{"id": 1}`}, // no signature
		{http.MethodGet, "/t/not-a-token-but-a-path", ""},
		{http.MethodGet, "/no/such/page-metrics-probe", ""},
		{"BREW", "/healthz", ""},
	} {
		req, _ := http.NewRequest(r.method, base+r.path, bytes.NewReader([]byte(r.body)))
		if res, err := client.Do(req); err == nil {
			res.Body.Close()
		}
	}

	// A request is counted once its answer has been written: the last ones
	// may reach /metrics a moment after their client saw them answered.
	wants := []string{
		`switchyard_http_request_duration_seconds_count{method="POST",route="/api/v1/orders",status="201"} 5`,
		`switchyard_http_request_duration_seconds_count{method="POST",route="/webhooks/shopify/:channel",status="401"} 1`,
		`route="/t/:token"`,
		`route="unmatched"`,
		`method="OTHER"`,
		`switchyard_orders_taken_total{channel="web-eu",source="api"} 5`,
		`switchyard_orders_taken_total{channel="web-eu",source="webhook"}`, // the demo's history
		`switchyard_webhook_deliveries_total{channel="unverified",result="rejected"} 1`,
		`switchyard_routing_decisions_total{outcome="routed",rule=`,
		`switchyard_writer_batch_size_count`,
		`switchyard_writer_queue_wait_seconds_bucket`,
		`switchyard_writer_commit_seconds_sum`,
		`switchyard_outbox_undelivered{channel="",kind="webhook"} 1`,
		`switchyard_outbox_dead{channel="",kind="webhook"} 0`,
		`switchyard_outbox_oldest_undelivered_age_seconds{channel="",kind="webhook"}`,
		`switchyard_stock_levels_short 2`, // the demo's two short levels
		`switchyard_store_scrape_ok 1`,
		`go_goroutines`,
		`process_resident_memory_bytes`,
	}
	scrape := ""
	for try := 0; try < 50; try++ {
		scrape = get(t, client, "http://"+maddr+"/metrics", http.StatusOK)
		if containsAll(scrape, wants) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, want := range wants {
		if !strings.Contains(scrape, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, leak := range []string{"not-a-token-but-a-path", "page-metrics-probe", "made-up-channel-x", "metrics-0", "BREW"} {
		if strings.Contains(scrape, leak) {
			t.Errorf("/metrics names %q: labels must be bounded", leak)
		}
	}
	// /metrics is not on the public listener.
	get(t, client, base+"/metrics", http.StatusNotFound)
}

// get fetches url, checks the status and returns the body.
func get(t *testing.T, client *http.Client, url string, status int) string {
	t.Helper()
	res, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != status {
		t.Fatalf("GET %s: %d, want %d", url, res.StatusCode, status)
	}
	return string(body)
}

// containsAll reports whether s contains every one of subs.
func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
