package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/app/search"
)

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
	a, err := d.Open(ctx, dbPath)
	if err != nil {
		return "", "", nil, nil, nil, err
	}
	fail := func(err error) (string, string, []benchSKU, func() error, func() time.Duration, error) {
		a.Close()
		return "", "", nil, nil, nil, err
	}
	if _, _, err := demoOf(a).SeedDemo(ctx); err != nil {
		return fail(fmt.Errorf("demo: %w", err))
	}
	// Every order of the run is routed and reserved: no location runs out of
	// daily capacity or stock (the demo's stores take 25 to 40 orders a day).
	if err := demoOf(a).ReadyDemoForLoad(ctx, app.System, benchCapacity, benchUnits); err != nil {
		return fail(fmt.Errorf("ready the demo for load: %w", err))
	}
	key, _, err = accounts.New(a).CreateAPIKey(ctx, app.System, accounts.NewAPIKey{
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
			stopErr = errors.Join(stopErr, a.Close())
		})
		return stopErr
	}
	return "http://" + ln.Addr().String(), key, skus, stop, a.DB().WriterBusy, nil
}

// runIndexer keeps the search index up to date, as serve does, until the
// function it returns is called; that function waits for it to stop.
func runIndexer(ctx context.Context, a *app.App, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := search.New(a).RunSearchIndexer(ctx); err != nil {
			log.Error("search indexer stopped", "err", err)
		}
	}()
	return func() { cancel(); <-done }
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
