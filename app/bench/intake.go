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
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"switchyard/app"
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
	// The ceiling starts from the rows the intake starts from (or, against
	// --url, from the demo network).
	if err := prepareCeilingDB(ctx, d, ceilingDB, intakeDB); err != nil {
		return fmt.Errorf("storage ceiling: %w", err)
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

// reportInvariants checks, after the load, that the stock adds up on the
// intake's database: every level equals its ledger and is not negative, and
// reserved equals the open fulfillment lines at every level.
func reportInvariants(ctx context.Context, d Deps, dbPath string) error {
	a, db, err := d.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := a.CheckInvariants(ctx)
	if err != nil {
		return err
	}
	verdict := "OK"
	if !r.OK() {
		verdict = "BROKEN"
	}
	fmt.Fprintf(d.Stdout, "  stock invariants over %d levels: %d ledger mismatches, %d reserved mismatches, %d chain breaks: %s\n",
		r.Levels, r.LedgerMismatches, r.ReservedMismatches, r.ChainBreaks, verdict)
	return nil
}

// What the bench adds to the demo network: daily capacity at every location
// and units at every warehouse and 3PL stock level, enough for a million orders.
const (
	benchCapacity = 1_000_000
	benchUnits    = 100_000
)

// startBenchServer prepares the database (migrations, demo network, an API
// key for the orders) and serves it on 127.0.0.1:0 with d's handler, which
// is serve's. stop shuts the server down and closes the database (once; later calls
// return the same error).
func startBenchServer(ctx context.Context, d Deps, dbPath, channel string) (srvInfo benchServer, err error) {
	target, key, skus, stop, busy, err := startBenchServerParts(ctx, d, dbPath, channel)
	return benchServer{target: target, key: key, skus: skus, stop: stop, writerBusy: busy}, err
}

// benchServer is an in-process server under load: where it listens, its API
// key and SKUs, how to stop it, and how long its writer has been busy.
type benchServer struct {
	target, key string
	skus        []benchSKU
	stop        func() error
	writerBusy  func() time.Duration
}

// startBenchServerParts does startBenchServer's work.
func startBenchServerParts(ctx context.Context, d Deps, dbPath, channel string) (target, key string, skus []benchSKU, stop func() error, busy func() time.Duration, err error) {
	a, db, err := d.Open(ctx, dbPath)
	if err != nil {
		return "", "", nil, nil, nil, err
	}
	fail := func(err error) (string, string, []benchSKU, func() error, func() time.Duration, error) {
		db.Close()
		return "", "", nil, nil, nil, err
	}
	if _, _, err := a.SeedDemo(ctx); err != nil {
		return fail(fmt.Errorf("demo: %w", err))
	}
	// Every order of the run is routed and reserved: no location runs out of
	// daily capacity or stock (the demo's stores take 25 to 40 orders a day).
	if err := a.ReadyDemoForLoad(ctx, app.System, benchCapacity, benchUnits); err != nil {
		return fail(fmt.Errorf("ready the demo for load: %w", err))
	}
	key, _, err = a.CreateAPIKey(ctx, app.System, app.NewAPIKey{
		Name: "bench " + time.Now().UTC().Format(time.RFC3339), Scopes: []string{"orders:write", "orders:read"}, Channel: channel,
	})
	if err != nil {
		return fail(fmt.Errorf("bench API key: %w", err))
	}
	if skus, err = appSKUs(ctx, a); err != nil {
		return fail(err)
	}
	handler, err := d.Handler(ctx, a)
	if err != nil {
		return fail(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(fmt.Errorf("listen: %w", err))
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	stopIndexer := runIndexer(ctx, a, d.Log) // serve's work under load includes it
	var once sync.Once
	var stopErr error
	stop = func() error {
		once.Do(func() {
			shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			stopErr = srv.Shutdown(shutdownCtx)
			if serveErr := <-errc; !errors.Is(serveErr, http.ErrServerClosed) {
				stopErr = errors.Join(stopErr, serveErr)
			}
			stopIndexer()
			stopErr = errors.Join(stopErr, db.Close())
		})
		return stopErr
	}
	return "http://" + ln.Addr().String(), key, skus, stop, db.WriterBusy, nil
}

// runIndexer keeps the search index up to date, as serve does, until the
// function it returns is called; that function waits for it to stop.
func runIndexer(ctx context.Context, a *app.App, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := a.RunSearchIndexer(ctx); err != nil {
			log.Error("search indexer stopped", "err", err)
		}
	}()
	return func() { cancel(); <-done }
}

// cpuNote says how much of the machine other processes used between a and b
// ("" where that cannot be read): figures taken on a busy machine are low.
func cpuNote(a, b cpuSample) string {
	other, ok := otherLoad(a, b)
	switch {
	case !ok:
		return ""
	case other >= 0.10:
		return fmt.Sprintf("  other processes used %.0f%% of the machine's CPU meanwhile: these figures are low, run again on a quiet machine\n", 100*other)
	}
	return fmt.Sprintf("  other processes used %.0f%% of the machine's CPU meanwhile\n", 100*other)
}

// startProfile starts a CPU profile into path ("" for none); the returned
// function stops it (once; later calls return the same error).
func startProfile(path string) (func() error, error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	var once sync.Once
	return func() error {
		once.Do(func() {
			pprof.StopCPUProfile()
			err = f.Close()
		})
		return err
	}, nil
}

// ceilingProfile is where the storage ceiling's CPU profile goes: beside the
// HTTP load's, with -ceiling before the extension.
func ceilingProfile(path string) string {
	if path == "" {
		return ""
	}
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-ceiling" + ext
}

// appSKUs reads every active SKU of the catalogue, page by page.
func appSKUs(ctx context.Context, a *app.App) ([]benchSKU, error) {
	var out []benchSKU
	after := ""
	for {
		page, err := a.SKUs(ctx, "", after, 500)
		if err != nil {
			return nil, err
		}
		for _, s := range page.SKUs {
			if s.Active {
				out = append(out, benchSKU{ID: s.ID, Code: s.Code, Name: s.Name})
			}
		}
		if page.Next == "" {
			return out, nil
		}
		after = page.Next
	}
}

// remoteSKUs lists the target's active SKUs over the API when the key may read
// the catalogue, else falls back to the demo network's apparel codes.
func remoteSKUs(ctx context.Context, client *http.Client, base, key string, stderr io.Writer) []benchSKU {
	var out []benchSKU
	after := ""
	for range 1000 { // at most 500,000 SKUs
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/skus?limit=500&after="+url.QueryEscape(after), nil)
		if err != nil {
			break
		}
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := client.Do(req)
		if err != nil {
			break
		}
		var page struct {
			SKUs []app.SKU `json:"skus"`
			Next *string   `json:"next"`
		}
		err = json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || err != nil {
			break
		}
		for _, s := range page.SKUs {
			if s.Active {
				out = append(out, benchSKU{Code: s.Code, Name: s.Name})
			}
		}
		if page.Next == nil {
			return out
		}
		after = *page.Next
	}
	fmt.Fprintln(stderr, "bench: could not list the target's SKUs (the key needs catalog:write or stock:read); ordering the demo network's apparel SKUs")
	return demoApparelSKUs()
}

// benchClient is the one HTTP client every load client shares, keeping a
// connection per client alive.
func benchClient(concurrency int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 2 * concurrency
	tr.MaxIdleConnsPerHost = 2 * concurrency
	tr.DisableCompression = true
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// loadResult is what the HTTP load measured.
type loadResult struct {
	sent, created, duplicates, errors int64
	elapsed                           time.Duration
	latencies                         []time.Duration // of the answered 2xx requests, sorted
}

// rate is the orders taken in (2xx) per second.
func (r loadResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.created+r.duplicates) / r.elapsed.Seconds()
}

// percentile is the nearest-rank percentile of the latencies (p in 0..1).
func (r loadResult) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(r.latencies)))) - 1
	return r.latencies[min(max(i, 0), len(r.latencies)-1)]
}

// latencyLine is the report's line of latencies.
func (r loadResult) latencyLine() string {
	return fmt.Sprintf("  latency ms: p50 %.1f, p95 %.1f, p99 %.1f, max %.1f\n",
		msOf(r.percentile(0.50)), msOf(r.percentile(0.95)), msOf(r.percentile(0.99)), msOf(r.percentile(1)))
}

// measureLoad runs load under the CPU profile (when asked for), then stops
// the server; it returns what other processes used of the CPU meanwhile and,
// for an in-process server (busy not nil), what this process wrote to disk
// and how busy the one writer was.
func measureLoad(ctx context.Context, profile string, stop func() error, busy func() time.Duration, load func()) (string, error) {
	stopProfile, err := startProfile(profile)
	if err != nil {
		return "", err
	}
	cpu0, io0, busy0, t0 := sampleCPU(), sampleWritten(), sampleBusy(busy), time.Now()
	load()
	note := cpuNote(cpu0, sampleCPU())
	if busy != nil {
		note += writerNote(sampleBusy(busy)-busy0, time.Since(t0), io0, sampleWritten())
	}
	if err := stopProfile(); err != nil {
		return "", err
	}
	if err := stop(); err != nil {
		return "", err
	}
	return note, ctx.Err()
}

// msOf is d in milliseconds.
func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// maxShownErrors is how many failed answers are printed in full.
const maxShownErrors = 5

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
