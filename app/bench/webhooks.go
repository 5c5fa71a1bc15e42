package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	randv2 "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"switchyard/app"
	"switchyard/app/channels"
	store "switchyard/sql"
)

// `switchyard bench webhooks` measures the intake of channel webhooks: the
// order-webhook fixtures (benchdata/webhooks, in benchdata.FS, copies of
// app/channels/testdata) posted, correctly signed, to
// /webhooks/shopify/{channel} and /webhooks/woocommerce/{channel} of an
// in-process server from --concurrency senders, half Shopify, half
// WooCommerce. Each delivery is a fixture with its own order id, number and
// webhook id, and with its lines' SKUs replaced by stocked demo SKUs, so that
// the orders route as real ones would.

// The bench's channels and the location that serves them.
const (
	benchShopifyChannel = "bench-shopify"
	benchWooChannel     = "bench-woo"
	benchHookLocation   = "BENCH-3PL"
)

// hookBenchConfig is what `switchyard bench webhooks` was asked to do.
type hookBenchConfig struct {
	concurrency int
	orders      int64
	db          string // "" for a temporary database
	seed        uint64
	cpuProfile  string
}

const hookBenchUsage = "usage: switchyard bench webhooks [--concurrency N] [--orders N] [--db F] [--seed N] [--cpuprofile F]"

// cmdBenchWebhooks runs `switchyard bench webhooks`.
func cmdBenchWebhooks(ctx context.Context, d Deps, args []string) error {
	fs := newFlagSet(d, "bench webhooks")
	concurrency := fs.Int("concurrency", 32, "senders posting webhooks at once")
	orders := fs.Int64("orders", 10000, "deliveries to send (each one new order)")
	db := fs.String("db", "", "database of the in-process server (default: a temporary file, removed afterwards)")
	seed := fs.Uint64("seed", 1, "random seed of the SKUs put on the lines")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the load (senders and server) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := hookBenchConfig{concurrency: *concurrency, orders: *orders, db: *db, seed: *seed, cpuProfile: *cpuProfile}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("bench webhooks: unexpected argument %q\n%s", fs.Arg(0), hookBenchUsage)
	case cfg.concurrency < 1 || cfg.concurrency > 4096:
		return errors.New("bench webhooks: --concurrency must be from 1 to 4096")
	case cfg.orders < 1 || cfg.orders > 10_000_000:
		return errors.New("bench webhooks: --orders must be from 1 to 10000000")
	}
	return benchWebhooks(ctx, d, cfg)
}

// benchWebhooks prepares the database, serves it, sends the deliveries and
// reports what they did.
func benchWebhooks(ctx context.Context, d Deps, cfg hookBenchConfig) error {
	fixtures, err := loadHookFixtures()
	if err != nil {
		return err
	}
	dbPath := cfg.db
	if dbPath == "" {
		tmp, err := os.MkdirTemp("", "switchyard-bench-")
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer os.RemoveAll(tmp)
		dbPath = filepath.Join(tmp, "webhooks.db")
	}
	setup, err := prepareHookBench(ctx, d, dbPath, cfg.orders)
	if err != nil {
		return err
	}
	// startBenchServer seeds the demo network only into an empty database:
	// here it finds the one prepared above and serves it as `serve` would.
	srv, err := startBenchServer(ctx, d, dbPath, "web-eu")
	if err != nil {
		return err
	}
	target, stop := srv.target, srv.stop
	defer stop() //nolint:errcheck // stopped and checked below; this covers early returns
	fmt.Fprintf(d.Stdout, "webhook intake: in-process server %s on %s (demo network, Shopify channel %s, WooCommerce channel %s, %d SKUs stocked at %s)\n",
		target, dbPath, benchShopifyChannel, benchWooChannel, len(setup.skus), benchHookLocation)
	fmt.Fprintf(d.Stdout, "  fixtures (benchdata/webhooks): %s; each delivery gets its own order id, number and webhook id, and stocked demo SKUs on its lines\n",
		describeHookFixtures(fixtures))

	before, err := countHookOrders(ctx, dbPath, 0)
	if err != nil {
		return err
	}
	run := make([]byte, 8)
	_, _ = rand.Read(run)
	client := benchClient(cfg.concurrency)
	defer client.CloseIdleConnections()
	var load hookLoad
	loadCPU, err := measureLoad(ctx, cfg.cpuProfile, stop, srv.writerBusy, func() {
		load = sendWebhooks(ctx, client, target, cfg, binary.LittleEndian.Uint64(run), fixtures, setup, d.Stderr)
	})
	if err != nil {
		return err
	}
	rate := load.rate()
	fmt.Fprintf(d.Stdout, "  %d senders, %d deliveries (%d Shopify, %d WooCommerce) in %s: %.0f orders/s, errors %d (non-2xx or no answer), %d answered 2xx without an order\n",
		cfg.concurrency, load.sent, load.shopify, load.sent-load.shopify, load.elapsed.Round(time.Millisecond), rate, load.errors, load.notTakenIn)
	fmt.Fprint(d.Stdout, load.latencyLine(), loadCPU)

	after, err := countHookOrders(ctx, dbPath, before.maxOrderID)
	if err != nil {
		return err
	}
	verdict := "OK"
	if after.orders != load.sent || after.deliveries != load.sent || after.distinctOrders != load.sent || load.takenIn != load.sent {
		verdict = "MISMATCH: every delivery must make exactly one order"
	}
	fmt.Fprintf(d.Stdout, "  orders created %d of %d deliveries (in the database: %d new orders, %d deliveries linked to %d distinct orders; %d answers said \"took in order\"): %s\n",
		after.orders, load.sent, after.orders, after.deliveries, after.distinctOrders, load.takenIn, verdict)
	fmt.Fprintf(d.Stdout, "  new orders by status: %s\n", after.statuses)
	if err := reportInvariants(ctx, d, dbPath); err != nil {
		return err
	}
	fmt.Fprintf(d.Stdout, "webhooks: %.0f orders/s, p50 %.1f ms, p99 %.1f ms, errors %d\n",
		rate, msOf(load.percentile(0.50)), msOf(load.percentile(0.99)), load.errors)
	return nil
}

// hookSetup is what the deliveries need from the prepared database.
type hookSetup struct {
	secrets map[string]string // by channel kind
	skus    []string          // stocked at benchHookLocation
}

// prepareHookBench migrates the database and seeds it with the demo network
// (unless it has users already), then puts the bench's Shopify and
// WooCommerce channels with fresh webhook secrets, a US 3PL without a daily
// capacity that serves them, and stock there of every SKU that is not
// oversize, enough for all the orders.
func prepareHookBench(ctx context.Context, d Deps, dbPath string, orders int64) (hookSetup, error) {
	a, err := d.Open(ctx, dbPath)
	if err != nil {
		return hookSetup{}, err
	}
	defer a.Close()
	if _, _, err := demoOf(a).SeedDemo(ctx); err != nil {
		return hookSetup{}, fmt.Errorf("demo: %w", err)
	}
	setup := hookSetup{secrets: map[string]string{}}
	for _, ch := range []struct{ code, name, kind string }{
		{benchShopifyChannel, "Bench Shopify store", "shopify"},
		{benchWooChannel, "Bench WooCommerce store", "woocommerce"},
	} {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		secrets := []string{hex.EncodeToString(b)}
		if _, _, err := a.PutChannel(ctx, app.System, ch.code, app.ChannelInput{Name: ch.name, Kind: ch.kind, Secrets: &secrets}); err != nil {
			return hookSetup{}, fmt.Errorf("bench channel %s: %w", ch.code, err)
		}
		setup.secrets[ch.kind] = secrets[0]
	}
	yes, no, lat, lon := true, false, 39.8770, -82.9370 // Obetz, Ohio: a distribution hub
	if _, _, err := a.PutLocation(ctx, app.System, benchHookLocation, app.LocationInput{
		Name: "Bench 3PL (Columbus)", Kind: "3pl",
		Address: app.Address{Line1: "4000 Alum Creek Dr", City: "Obetz", PostalCode: "43207", Country: "US"},
		Lat:     &lat, Lon: &lon, Timezone: "America/New_York", Ships: &yes, Pickup: &no, Cutoff: "17:00",
		HandlingDays: 1, Rank: 5, Tags: []string{"us"}, Channels: []string{benchShopifyChannel, benchWooChannel},
	}); err != nil {
		return hookSetup{}, fmt.Errorf("bench location: %w", err)
	}
	after := ""
	for {
		page, err := a.SKUs(ctx, "", after, 500)
		if err != nil {
			return hookSetup{}, err
		}
		for _, s := range page.SKUs {
			if s.Active && !slices.Contains(s.Tags, "oversize") {
				setup.skus = append(setup.skus, s.Code)
			}
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	if len(setup.skus) == 0 {
		return hookSetup{}, errors.New("bench: no SKUs to stock")
	}
	// At most 5 lines of at most 2 units an order (the fixtures' most; they
	// average 3 units) over the SKUs, plus 50: no line waits for stock.
	delta := min(1_000_000_000, 50+orders*10/int64(len(setup.skus)))
	var adj app.Adjustments
	for _, code := range setup.skus {
		adj.Adjustments = append(adj.Adjustments, app.Adjustment{
			Location: benchHookLocation, SKU: code, Delta: delta, Reason: "receipt", Note: "bench webhooks",
		})
	}
	for batch := range slices.Chunk(adj.Adjustments, 10000) {
		if _, err := a.AdjustStock(ctx, app.System, app.Adjustments{Adjustments: batch}); err != nil {
			return hookSetup{}, fmt.Errorf("bench stock: %w", err)
		}
	}
	return setup, nil
}

// hookLoad is what the webhook load measured.
type hookLoad struct {
	loadResult
	shopify, takenIn int64
	notTakenIn       int64 // answered 2xx without taking an order in
}

// hookIDStep keeps ids of different runs on one database apart (--orders is
// at most 10,000,000).
const hookIDStep = 100_000_000

// sendWebhooks posts cfg.orders deliveries from cfg.concurrency senders:
// odd ones to the Shopify channel, even ones to the WooCommerce channel, each
// from the next fixture of its kind with its own ids.
func sendWebhooks(ctx context.Context, client *http.Client, target string, cfg hookBenchConfig, run uint64,
	fixtures []hookFixture, setup hookSetup, stderr io.Writer) hookLoad {
	byKind := map[string][]hookFixture{}
	for _, f := range fixtures {
		byKind[f.kind] = append(byKind[f.kind], f)
	}
	// Shopify ids above 2^53 (as real ones are): a float64 anywhere would show.
	base := (run % 100_000) * hookIDStep
	var (
		next  atomic.Int64
		mu    sync.Mutex
		res   hookLoad
		shown int
		wg    sync.WaitGroup
	)
	report := func(failed bool, format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if failed {
			res.errors++
		}
		if shown < maxShownErrors {
			shown++
			fmt.Fprintf(stderr, "bench: "+format+"\n", args...)
		}
	}
	start := time.Now()
	for range cfg.concurrency {
		wg.Go(func() {
			var lat []time.Duration
			var sent, shopify, created, other int64
			var body []byte
			for {
				n := next.Add(1)
				if n > cfg.orders || ctx.Err() != nil {
					break
				}
				kind := "woocommerce"
				if n%2 == 1 {
					kind = "shopify"
				}
				fx := byKind[kind][(n/2)%int64(len(byKind[kind]))]
				v := hookValues{id: base + uint64(n), orderNo: 1000 + uint64(n), key: fmt.Sprintf("%x%d", run&0xffffff, n)}
				if kind == "shopify" {
					v.id += 7_000_000_000_000_000_000
				}
				v.skus = pickSKUs(cfg.seed, n, fx.lines, setup.skus)
				body = fx.render(body[:0], v)
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, target+"/webhooks/"+kind+"/"+hookChannel(kind), bytes.NewReader(body))
				if err != nil {
					report(true, "delivery %d: %v", n, err)
					continue
				}
				h := req.Header
				h.Set("Content-Type", "application/json")
				sig := channels.Sign(body, setup.secrets[kind])
				now := time.Now().UTC().Format(time.RFC3339Nano)
				if kind == "shopify" {
					shopify++
					h.Set("X-Shopify-Hmac-Sha256", sig)
					h.Set("X-Shopify-Topic", fx.topic)
					h.Set("X-Shopify-Shop-Domain", "bench.myshopify.com")
					h.Set("X-Shopify-API-Version", "2026-04")
					h.Set("X-Shopify-Webhook-Id", fmt.Sprintf("bench-%x-%d", run, n))
					h.Set("X-Shopify-Event-Id", fmt.Sprintf("bench-event-%x-%d", run, n))
					h.Set("X-Shopify-Triggered-At", now)
				} else {
					h.Set("X-WC-Webhook-Signature", sig)
					h.Set("X-WC-Webhook-Topic", fx.topic)
					h.Set("X-WC-Webhook-Resource", "order")
					h.Set("X-WC-Webhook-Event", "created")
					h.Set("X-WC-Webhook-ID", "7")
					h.Set("X-WC-Webhook-Delivery-ID", strconv.FormatInt(n, 10))
					h.Set("X-WC-Webhook-Source", "https://bench.example/")
				}
				sent++
				t0 := time.Now()
				answer, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						report(true, "delivery %d (%s): %v", n, kind, err)
					}
					continue
				}
				msg, err := io.ReadAll(io.LimitReader(answer.Body, 64<<10))
				_, _ = io.Copy(io.Discard, answer.Body)
				answer.Body.Close()
				d := time.Since(t0)
				var got channels.WebhookResult
				switch {
				case answer.StatusCode/100 != 2:
					report(true, "delivery %d (%s): %s: %s", n, kind, answer.Status, bytes.TrimSpace(msg))
				case err != nil:
					report(true, "delivery %d (%s): reading the answer: %v", n, kind, err)
				default:
					lat = append(lat, d)
					if json.Unmarshal(msg, &got) == nil && strings.HasPrefix(got.Result, "took in order ") {
						created++
					} else {
						other++
						report(false, "delivery %d (%s): answered %s without taking an order in: %s", n, kind, answer.Status, bytes.TrimSpace(msg))
					}
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.sent += sent
			res.shopify += shopify
			res.created += created // the rate counts these: orders taken in
			res.takenIn += created
			res.notTakenIn += other
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(res.latencies)
	return res
}

// hookChannel is the bench's channel of a kind.
func hookChannel(kind string) string {
	if kind == "shopify" {
		return benchShopifyChannel
	}
	return benchWooChannel
}

// pickSKUs draws k different SKUs for delivery n.
func pickSKUs(seed uint64, n int64, k int, skus []string) []string {
	r := randv2.New(randv2.NewPCG(seed, uint64(n)))
	out := make([]string, 0, k)
	for len(out) < k {
		s := skus[r.IntN(len(skus))]
		if len(out) >= len(skus) || !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// hookCount is what the database holds of the bench's channels.
type hookCount struct {
	maxOrderID                         int64
	orders, deliveries, distinctOrders int64
	statuses                           string
}

// countHookOrders counts, read-only, the orders of the bench's channels with
// an id above afterID, the deliveries linked to them, and their statuses.
func countHookOrders(ctx context.Context, dbPath string, afterID int64) (hookCount, error) {
	raw, err := sql.Open("sqlite3", store.FileURI(dbPath, url.Values{"mode": {"ro"}, "_busy_timeout": {"5000"}}))
	if err != nil {
		return hookCount{}, err
	}
	defer raw.Close()
	var c hookCount
	const ours = `channel_id IN (SELECT id FROM channels WHERE code IN ('` + benchShopifyChannel + `', '` + benchWooChannel + `'))`
	if err := raw.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM orders`).Scan(&c.maxOrderID); err != nil {
		return c, fmt.Errorf("count orders: %w", err)
	}
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM orders WHERE id > ? AND `+ours, afterID).Scan(&c.orders); err != nil {
		return c, fmt.Errorf("count orders: %w", err)
	}
	if err := raw.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT order_id) FROM webhook_deliveries_in
		WHERE order_id > ? AND `+ours, afterID).Scan(&c.deliveries, &c.distinctOrders); err != nil {
		return c, fmt.Errorf("count deliveries: %w", err)
	}
	rows, err := raw.QueryContext(ctx, `SELECT status, on_hold, count(*) FROM orders WHERE id > ? AND `+ours+`
		GROUP BY status, on_hold ORDER BY count(*) DESC, status`, afterID)
	if err != nil {
		return c, fmt.Errorf("count statuses: %w", err)
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var status string
		var held, n int64
		if err := rows.Scan(&status, &held, &n); err != nil {
			return c, err
		}
		if held == 1 && status != "on_hold" {
			status += " (held)"
		}
		parts = append(parts, fmt.Sprintf("%s %d", status, n))
	}
	c.statuses = strings.Join(parts, ", ")
	if c.statuses == "" {
		c.statuses = "none"
	}
	return c, rows.Err()
}
