package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// benchConfig is what `switchyard bench intake` was asked to do.
type benchConfig struct {
	concurrency int
	orders      int64         // how many orders to send, unless duration is set
	duration    time.Duration // how long to send orders; wins over orders
	url, key    string        // a running Switchyard to load; "" starts one in-process
	channel     string
	db          string // the in-process server's database; "" for a temporary one
	seed        uint64
	cpuProfile  string
}

// enough reports whether the load should stop before sending order n (1-based).
func (c benchConfig) enough(n int64, deadline time.Time) bool {
	if c.duration > 0 {
		return !time.Now().Before(deadline)
	}
	return n > c.orders
}

// parseBenchFlags reads the flags of `bench intake`. --db does not read
// SWITCHYARD_DB on purpose: the bench must never write into the real database
// by accident.
func parseBenchFlags(d Deps, args []string) (benchConfig, error) {
	fs := newFlagSet(d, "bench intake")
	concurrency := fs.Int("concurrency", 32, "clients sending orders at once (and writers of the storage ceiling)")
	orders := fs.Int64("orders", 20000, "orders to send")
	duration := fs.Duration("duration", 0, "send orders for this long instead (e.g. 10s); wins over --orders")
	target := envString(fs, d, "url", "base URL of a running Switchyard to load; without it one is started on 127.0.0.1")
	key := envString(fs, d, "key", "API key with orders:write for --url")
	channel := fs.String("channel", "web-eu", "channel the orders come from")
	db := fs.String("db", "", "database of the in-process server (default: a temporary file, removed afterwards)")
	seed := fs.Uint64("seed", 1, "random seed of the orders")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the HTTP load to this file, and of the storage ceiling beside it (NAME-ceiling.EXT)")
	if err := fs.Parse(args); err != nil {
		return benchConfig{}, err
	}
	cfg := benchConfig{
		concurrency: *concurrency, orders: *orders, duration: *duration, url: strings.TrimRight(*target, "/"),
		key: *key, channel: *channel, db: *db, seed: *seed, cpuProfile: *cpuProfile,
	}
	switch {
	case fs.NArg() > 0:
		return cfg, fmt.Errorf("bench intake: unexpected argument %q", fs.Arg(0))
	case cfg.concurrency < 1 || cfg.concurrency > 4096:
		return cfg, errors.New("bench intake: --concurrency must be from 1 to 4096")
	case cfg.duration < 0 || cfg.duration > time.Hour:
		return cfg, errors.New("bench intake: --duration must be at most 1h")
	case cfg.duration == 0 && (cfg.orders < 1 || cfg.orders > 10_000_000):
		return cfg, errors.New("bench intake: --orders must be from 1 to 10000000")
	case cfg.url != "" && cfg.key == "":
		return cfg, errors.New("bench intake: --url needs --key (an API key with orders:write)")
	case cfg.url != "" && cfg.db != "":
		return cfg, errors.New("bench intake: --db is for the in-process server; it cannot be used with --url")
	}
	if cfg.url != "" {
		u, err := url.Parse(cfg.url)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, fmt.Errorf("bench intake: --url must be an http(s) base URL such as http://127.0.0.1:8080")
		}
	}
	return cfg, nil
}

// benchIntake measures order intake through the HTTP API, then the storage
// ceiling on a fresh database, and prints both and their ratio.
func benchIntake(ctx context.Context, d Deps, cfg benchConfig) error {
	tmpParent := ""
	if cfg.db != "" {
		tmpParent = filepath.Dir(cfg.db) // the ceiling's database on the same file system
	}
	tmp, err := os.MkdirTemp(tmpParent, "switchyard-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)

	run := make([]byte, 4)
	_, _ = rand.Read(run)
	runID := hex.EncodeToString(run) // keeps external ids unique across runs on one database

	client := benchClient(cfg.concurrency)
	defer client.CloseIdleConnections()
	target, key, skus, stop := cfg.url, cfg.key, []benchSKU(nil), func() error { return nil }
	var writerBusy func() time.Duration
	ceilingDB, intakeDB := filepath.Join(tmp, "ceiling.db"), ""
	if cfg.url == "" {
		intakeDB = cfg.db
		if intakeDB == "" {
			intakeDB = filepath.Join(tmp, "intake.db")
		}
		srv, err := startBenchServer(ctx, d, intakeDB, cfg.channel)
		if err != nil {
			return err
		}
		target, key, skus, stop, writerBusy = srv.target, srv.key, srv.skus, srv.stop, srv.writerBusy
		fmt.Fprintf(d.Stdout, "HTTP intake: in-process server %s on %s (demo network)\n", target, intakeDB)
	} else {
		skus = remoteSKUs(ctx, client, cfg.url, cfg.key, d.Stderr)
		fmt.Fprintf(d.Stdout, "HTTP intake: %s\n", target)
	}
	defer stop() //nolint:errcheck // stopped and checked below; this covers early returns
	// The ceiling starts from the rows the intake starts from. Against --url
	// it is not measured: it measures this machine's storage under the
	// in-process server, and the target's SKUs need not be the demo's.
	if cfg.url == "" {
		if err := prepareCeilingDB(ctx, d, ceilingDB, intakeDB); err != nil {
			return fmt.Errorf("storage ceiling: %w", err)
		}
	}
	if len(skus) == 0 {
		return errors.New("bench: no SKUs to order")
	}

	var load loadResult
	loadCPU, err := measureLoad(ctx, cfg.cpuProfile, stop, writerBusy, func() {
		load = sendOrders(ctx, client, target, key, cfg, runID, skus, d.Stderr)
	})
	if err != nil {
		return err
	}
	rate := load.rate()
	fmt.Fprintf(d.Stdout, "  %d clients, %d orders in %s: %.0f orders/s (%d created, %d already there), errors %d\n",
		cfg.concurrency, load.sent, load.elapsed.Round(time.Millisecond), rate, load.created, load.duplicates, load.errors)
	fmt.Fprint(d.Stdout, load.latencyLine(), loadCPU)
	if intakeDB != "" {
		if err := reportInvariants(ctx, d, intakeDB); err != nil {
			return err
		}
	}

	if cfg.url != "" {
		fmt.Fprintf(d.Stdout, "intake: %.0f orders/s, p50 %.1f ms, p99 %.1f ms, errors %d (storage ceiling not measured against --url)\n",
			rate, msOf(load.percentile(0.50)), msOf(load.percentile(0.99)), load.errors)
		return nil
	}
	ceiling, err := measureCeiling(ctx, ceilingDB, cfg, runID, skus, ceilingProfile(cfg.cpuProfile))
	if err != nil {
		return fmt.Errorf("storage ceiling: %w", err)
	}
	fmt.Fprintf(d.Stdout, "storage ceiling: %d writers, one writer goroutine, group commit on one connection\n", cfg.concurrency)
	fmt.Fprintf(d.Stdout, "  %d orders in %s: %.0f orders/s (%d commits, %.1f orders per commit)\n",
		ceiling.orders, ceiling.elapsed.Round(time.Millisecond), ceiling.rate(), ceiling.commits,
		float64(ceiling.orders)/math.Max(1, float64(ceiling.commits)))
	fmt.Fprint(d.Stdout, ceiling.cpu)

	ratio := 0.0
	if ceiling.rate() > 0 {
		ratio = rate / ceiling.rate()
	}
	fmt.Fprintf(d.Stdout, "intake: %.0f orders/s, p50 %.1f ms, p99 %.1f ms, errors %d, ceiling %.0f orders/s, ratio %.2f\n",
		rate, msOf(load.percentile(0.50)), msOf(load.percentile(0.99)), load.errors, ceiling.rate(), ratio)
	return nil
}

// orderBody is an order to send: its external id and its JSON.
type orderBody struct {
	id   string
	body []byte
}

// prepareOrders encodes every order of a run of cfg.orders orders before the
// load starts, so that the clients, which share the machine with the server,
// spend no time making orders while it is measured. A run of a set duration
// has no count to prepare: it makes each order as it sends it (nil, nil).
func prepareOrders(cfg benchConfig, runID string, skus []benchSKU) ([]orderBody, error) {
	if cfg.duration > 0 {
		return nil, nil
	}
	out := make([]orderBody, cfg.orders)
	for i := range out {
		o, err := makeOrderBody(cfg, runID, int64(i+1), skus)
		if err != nil {
			return nil, err
		}
		out[i] = o
	}
	return out, nil
}

// orderToSend is order n (1-based): prepared, or made now.
func orderToSend(cfg benchConfig, runID string, n int64, skus []benchSKU, prepared []orderBody) (orderBody, error) {
	if prepared != nil {
		return prepared[n-1], nil
	}
	return makeOrderBody(cfg, runID, n, skus)
}

// makeOrderBody generates order n of the run, placed now, and encodes it.
func makeOrderBody(cfg benchConfig, runID string, n int64, skus []benchSKU) (orderBody, error) {
	o := genOrder(cfg.seed, runID, n, skus)
	body, err := json.Marshal(o.newOrder(cfg.channel, time.Now().UTC()))
	if err != nil {
		return orderBody{}, fmt.Errorf("order %d: %w", n, err)
	}
	return orderBody{id: o.externalID, body: body}, nil
}

// sendOrders posts orders from cfg.concurrency clients until cfg's count or
// duration is reached, and measures each request.
func sendOrders(ctx context.Context, client *http.Client, target, key string, cfg benchConfig, runID string, skus []benchSKU, stderr io.Writer) loadResult {
	var (
		next     atomic.Int64
		mu       sync.Mutex
		res      loadResult
		shown    int
		wg       sync.WaitGroup
		endpoint = target + "/api/v1/orders"
	)
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		res.errors++
		if shown < maxShownErrors {
			shown++
			fmt.Fprintf(stderr, "bench: "+format+"\n", args...)
		}
	}
	bodies, err := prepareOrders(cfg, runID, skus)
	if err != nil {
		report("%v", err)
		return res
	}
	start := time.Now()
	deadline := start.Add(cfg.duration)
	for range cfg.concurrency {
		wg.Go(func() {
			var lat []time.Duration
			var sent, created, dups int64
			for {
				n := next.Add(1)
				if cfg.enough(n, deadline) || ctx.Err() != nil {
					break
				}
				o, err := orderToSend(cfg, runID, n, skus, bodies)
				if err != nil {
					report("order %d: %v", n, err)
					continue
				}
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(o.body))
				if err != nil {
					report("order %d: %v", n, err)
					continue
				}
				req.Header.Set("Authorization", "Bearer "+key)
				req.Header.Set("Content-Type", "application/json")
				sent++
				t0 := time.Now()
				answer, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						report("order %s: %v", o.id, err)
					}
					continue
				}
				ok := answer.StatusCode/100 == 2
				var msg []byte
				if ok {
					_, err = io.Copy(io.Discard, answer.Body)
				} else {
					msg, err = io.ReadAll(io.LimitReader(answer.Body, 2048))
					_, _ = io.Copy(io.Discard, answer.Body)
				}
				answer.Body.Close()
				d := time.Since(t0)
				switch {
				case !ok:
					report("order %s: %s: %s", o.id, answer.Status, bytes.TrimSpace(msg))
				case err != nil:
					report("order %s: reading the answer: %v", o.id, err)
				default:
					lat = append(lat, d)
					if answer.StatusCode == http.StatusCreated {
						created++
					} else {
						dups++
					}
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.sent += sent
			res.created += created
			res.duplicates += dups
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(res.latencies)
	return res
}
