package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// durabilitySKUs are SKUs of the demo network (app/demo_data.go).
var durabilitySKUs = []string{"TEE-BLK-M", "HOOD-NVY-L", "CREW-GRY-S", "POLO-WHT-XL", "LSTEE-SND-M", "SNK-RUN-BLK-42", "ACC-01-BLK"}

// TestDurabilityUnderSIGKILL kills the real server with SIGKILL while orders
// are in flight, starts it again, and checks that every order answered 201
// is there, and that no order is half-written: each has all its lines and its
// 'received' timeline entry.
func TestDurabilityUnderSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills a server under load")
	}
	if runtime.GOOS != "linux" {
		t.Skip("SIGKILL durability test runs on Linux")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "switchyard")
	if out, err := exec.Command("go", "build", "-tags="+buildTags(), "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "d.db")
	runBinary(t, bin, "migrate", "--db", db)
	key := strings.TrimSpace(runBinary(t, bin, "apikey", "create", "--db", db, "--name", "t", "--scopes", "orders:write,orders:read"))
	if !strings.HasPrefix(key, "sy_") {
		t.Fatalf("apikey create printed %q", key)
	}

	addr := freeAddr(t)
	first := startBinary(t, bin, filepath.Join(dir, "serve1.log"), "serve", "--demo", "--db", db, "--addr", addr)
	waitHealthy(t, "http://"+addr)

	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	defer client.CloseIdleConnections()
	var (
		mu         sync.Mutex
		acked      []string // external ids answered 201
		unexpected []string // answers other than 201 before the kill
		inFlight   atomic.Int64
		killed     atomic.Bool
		wg         sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for c := range 16 {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				lines := 1 + (c+n)%5
				ext := fmt.Sprintf("d-%d-%d-L%d", c, n, lines)
				inFlight.Add(1)
				status, body, err := postOrder(ctx, client, "http://"+addr, key, ext, lines)
				inFlight.Add(-1)
				mu.Lock()
				switch {
				case status == http.StatusCreated:
					acked = append(acked, ext) // the answer's status line came after the commit
				case killed.Load() || ctx.Err() != nil:
					// refused or cut off by the kill: the order may or may not be there
				case err != nil:
					unexpected = append(unexpected, fmt.Sprintf("%s: %v", ext, err))
				default:
					unexpected = append(unexpected, fmt.Sprintf("%s: %d %s", ext, status, body))
				}
				mu.Unlock()
				if err != nil && killed.Load() {
					return
				}
			}
		})
	}

	// About a second of load (or plenty of orders), then SIGKILL mid-request.
	loadStart := time.Now()
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		elapsed := time.Since(loadStart)
		if (elapsed >= time.Second && n >= 20) || n >= 3000 {
			break
		}
		if elapsed > 20*time.Second {
			cancel()
			wg.Wait()
			t.Fatalf("only %d orders answered 201 in %s; unexpected answers: %v", n, elapsed, firstFew(unexpected))
		}
		time.Sleep(10 * time.Millisecond)
	}
	for deadline := time.Now().Add(time.Second); inFlight.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Microsecond)
	}
	killed.Store(true)
	pending := inFlight.Load()
	first.kill(t)
	cancel()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d orders answered 201 before SIGKILL, %d requests in flight at the kill", len(acked), pending)
	if len(unexpected) > 0 {
		t.Fatalf("%d answers other than 201 before the kill: %v", len(unexpected), firstFew(unexpected))
	}

	addr2 := freeAddr(t)
	startBinary(t, bin, filepath.Join(dir, "serve2.log"), "serve", "--db", db, "--addr", addr2)
	waitHealthy(t, "http://"+addr2)

	// Every order answered 201 is there, with all its lines.
	checkAcked(t, client, "http://"+addr2, key, acked)

	// No order is half-written: read the file itself.
	raw := openRaw(t, db)
	rows, err := raw.Query(`SELECT o.external_id,
		(SELECT count(*) FROM order_lines l WHERE l.order_id = o.id),
		(SELECT count(*) FROM order_events e WHERE e.order_id = o.id AND e.kind = 'received')
		FROM orders o WHERE o.external_id LIKE 'd-%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	stored := map[string]bool{}
	for rows.Next() {
		var ext string
		var lines, received int
		if err := rows.Scan(&ext, &lines, &received); err != nil {
			t.Fatal(err)
		}
		stored[ext] = true
		if want := linesOf(t, ext); lines != want || received != 1 {
			t.Errorf("order %s: %d lines and %d 'received' events, want %d and 1", ext, lines, received, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, ext := range acked {
		if !stored[ext] {
			t.Errorf("order %s was answered 201 but is not in the file", ext)
		}
	}
	for _, q := range []string{
		`SELECT count(*) FROM order_lines WHERE order_id NOT IN (SELECT id FROM orders)`,
		`SELECT count(*) FROM order_events WHERE order_id NOT IN (SELECT id FROM orders)`,
	} {
		var n int
		if err := raw.QueryRow(q).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s = %d, %v; want 0", q, n, err)
		}
	}
	t.Logf("%d orders in the file after the restart, %d of them answered 201", len(stored), len(acked))
}

// postOrder sends one order with lines lines; it returns the status, the
// body of a failed answer and the transport error.
func postOrder(ctx context.Context, client *http.Client, base, key, ext string, lines int) (int, string, error) {
	order := map[string]any{
		"channel": "web-eu", "external_id": ext, "currency": "EUR",
		"customer": map[string]any{"email": "d@example.com", "name": "Dana Durable"},
		"shipping_address": map[string]any{"name": "Dana Durable", "line1": "12 rue Mercière", "city": "Lyon",
			"postal_code": "69002", "country": "FR", "lat": 45.762, "lon": 4.832},
		"delivery": map[string]any{"method": "ship"}, "shipping_price": "4.90",
	}
	var ls []map[string]any
	for i := range lines {
		ls = append(ls, map[string]any{"external_id": strconv.Itoa(i + 1), "sku": durabilitySKUs[i%len(durabilitySKUs)],
			"quantity": 1 + i%3, "unit_price": "19.90"})
	}
	order["lines"] = ls
	body, err := json.Marshal(order)
	if err != nil {
		return 0, "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/orders", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 1024))
	return res.StatusCode, string(msg), nil
}

// checkAcked finds every acknowledged order through the API, with 8 clients.
func checkAcked(t *testing.T, client *http.Client, base, key string, acked []string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	ids := make(chan string)
	var mu sync.Mutex
	var missing []string
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for ext := range ids {
				if problem := findOrder(client, base, key, ext); problem != "" {
					mu.Lock()
					missing = append(missing, problem)
					mu.Unlock()
				}
			}
		})
	}
	for _, ext := range acked {
		if time.Now().After(deadline) {
			break
		}
		ids <- ext
	}
	close(ids)
	wg.Wait()
	if time.Now().After(deadline) {
		t.Fatalf("looking up %d orders took more than 2 minutes", len(acked))
	}
	if len(missing) > 0 {
		t.Fatalf("%d of %d orders answered 201 are missing or wrong after the restart: %v", len(missing), len(acked), firstFew(missing))
	}
}

// findOrder looks an order up by external id; "" when it is there with all its lines.
func findOrder(client *http.Client, base, key, ext string) string {
	req, err := http.NewRequest(http.MethodGet, base+"/api/v1/orders?channel=web-eu&external_id="+ext, nil)
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := client.Do(req)
	if err != nil {
		return ext + ": " + err.Error()
	}
	defer res.Body.Close()
	var o struct {
		ExternalID string            `json:"external_id"`
		Lines      []json.RawMessage `json:"lines"`
	}
	if err := json.NewDecoder(res.Body).Decode(&o); err != nil || res.StatusCode != http.StatusOK {
		return fmt.Sprintf("%s: %d %v", ext, res.StatusCode, err)
	}
	if o.ExternalID != ext {
		return fmt.Sprintf("%s: answered %q", ext, o.ExternalID)
	}
	if n, err := strconv.Atoi(ext[strings.LastIndex(ext, "-L")+2:]); err != nil || len(o.Lines) != n {
		return fmt.Sprintf("%s: %d lines", ext, len(o.Lines))
	}
	return ""
}

// linesOf reads the line count an external id such as d-3-17-L4 encodes.
func linesOf(t *testing.T, ext string) int {
	t.Helper()
	i := strings.LastIndex(ext, "-L")
	n, err := strconv.Atoi(ext[i+2:])
	if i < 0 || err != nil {
		t.Fatalf("external id %q does not end in -L<lines>", ext)
	}
	return n
}

// firstFew is the start of a long list, for failure messages.
func firstFew(s []string) []string { return s[:min(len(s), 5)] }

// buildTags are the build tags this test binary was built with (the Makefile's
// sqlite_fts5), so that the binary under test is built the same way.
func buildTags() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-tags" {
				return s.Value
			}
		}
	}
	return ""
}

// runBinary runs the built binary to completion and returns its stdout.
func runBinary(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// process is a started server.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// startBinary starts the binary with its output in logPath; it is killed
// when the test ends, if it is still running.
func startBinary(t *testing.T, bin, logPath string, args ...string) *process {
	t.Helper()
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Fatal(err)
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.kill(t)
		if t.Failed() {
			if b, err := os.ReadFile(logPath); err == nil {
				t.Logf("%s (last 2 KB):\n%s", filepath.Base(logPath), b[max(0, len(b)-2048):])
			}
		}
	})
	return p
}

// kill sends SIGKILL and waits until the process is gone.
func (p *process) kill(t *testing.T) {
	t.Helper()
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Errorf("pid %d did not exit after SIGKILL", p.cmd.Process.Pid)
	}
}
