package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"switchyard/app"
	"switchyard/app/audit"
	"switchyard/app/backup"
	"switchyard/app/channels"
	"switchyard/app/demo"
	"switchyard/app/metrics"
	"switchyard/app/privacy"
	store "switchyard/sql"
	"switchyard/web"
)

// cmdServe starts the HTTP server and runs it until ctx is cancelled, then
// shuts down gracefully.
func cmdServe(ctx context.Context, env cliEnv, args []string) error {
	fs, dbPath := newFlags(env, "serve")
	addr := fs.str("addr", "127.0.0.1:8080", "address to listen on")
	withDemo := fs.boolean("demo", "fill an empty database with a demo network and print the demo sign-ins")
	pullEvery := fs.str("woo-pull-interval", channels.WooPullInterval.String(), "how often WooCommerce channels are pulled for missed orders (0: never)")
	clusterAddr := fs.str("cluster-addr", "", "this node's HOST:PORT in a dqlite cluster (dqlite build); empty: run on the --db file")
	join := fs.str("join", "", "HOST:PORT of cluster members to join, comma-separated (with --cluster-addr)")
	data := fs.str("data", "", "the cluster node's data directory (with --cluster-addr)")
	metricsAddr := fs.str("metrics-addr", "", "address of a listener of its own serving Prometheus /metrics (e.g. 127.0.0.1:9090); empty: off")
	advertise := fs.str("advertise", "", "the base URL the other cluster nodes reach this node's HTTP server at (default http:// and --addr)")
	reevaluate := addReevaluateFlags(fs)
	backups := addBackupFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cf, err := clusterFlagsOf(*clusterAddr, *join, *data)
	if err != nil {
		return err
	}
	if cf.addr != "" && *withDemo {
		return errors.New("--demo is for a single file: the demo is seeded in one large transaction, " +
			"more than a dqlite cluster commits at once; load a cluster's network through the API")
	}
	pullInterval, err := time.ParseDuration(*pullEvery)
	if err != nil || pullInterval < 0 {
		return fmt.Errorf("--woo-pull-interval %q is not a duration like 5m (0 turns the pull off)", *pullEvery)
	}
	if err := reevaluate.check(); err != nil {
		return err
	}
	tuneGC(env.getenv)
	log := newLogger(env)
	sched, scheduled, err := backups.schedule(*dbPath, cf.addr != "", log)
	if err != nil {
		return err
	}
	if cf.addr == "" && !strings.HasPrefix(*dbPath, clusterScheme) {
		// Held until the server stops: `switchyard restore` refuses meanwhile.
		lock, err := backup.ServeLock(*dbPath)
		if err != nil {
			return err
		}
		defer lock.Release()
	}
	var a *app.App
	var node *clusterNode // nil: no cluster, this process does all the work
	url := ""
	if cf.addr == "" {
		a, err = openApp(ctx, *dbPath, log)
	} else if url, err = advertisedURL(*advertise, *addr, cf.addr); err == nil {
		a, node, err = openClusterApp(ctx, cf, log)
		if err == nil {
			defer node.stop()
		}
	}
	if err != nil {
		return err
	}
	defer a.Close()
	var isLeader func(context.Context) bool
	var writerURL func(context.Context) (string, error)
	if node != nil {
		isLeader, writerURL = node.isLeader, node.writerURL(a)
		announce := func(ctx context.Context) error { return node.announce(ctx, a, url, log) }
		defer background(ctx, log, "cluster heartbeat", announce)()
	}
	var m *metrics.Metrics
	if *metricsAddr != "" {
		m = metrics.New()
		a.UseMetrics(m)
		stop, err := serveMetrics(*metricsAddr, m, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	svc := web.NewServices(a, nil)
	if node != nil {
		svc.Search.LimitBatch(clusterSearchBatch)
	}
	if *withDemo {
		if err := seedDemo(ctx, env, demo.New(a, svc.Accounts)); err != nil {
			return err
		}
	}
	keys, err := sessionKeys(ctx, svc, env.getenv("SWITCHYARD_SESSION_KEY"), log)
	if err != nil {
		return err
	}
	handler := web.New(web.Config{App: a, Services: svc, Log: log, SessionKeys: keys, Version: version,
		Role: roleOf(isLeader), WriterURL: writerURL, Metrics: m, ReevaluateMinSaving: *reevaluate.minSaving})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	log.Info("switchyard is listening", "url", "http://"+ln.Addr().String(), "db", *dbPath, "version", version)
	if n, err := svc.Accounts.CountUsers(ctx); err == nil && n == 0 {
		log.Warn("no users yet: add one with `switchyard user add --email you@example.com --name You --role admin`, or start with --demo")
	}
	// Until shutdown: the outbox dispatcher delivers messages to the channels
	// and webhooks, new orders enter the search index, the audit log drops
	// what is past its retention, finished orders past the privacy setting's
	// age are anonymised, orders newly late meet the order.late automation
	// rules, and WooCommerce channels are pulled for the orders
	// their webhooks missed; with --reevaluate-every, fulfillments not yet
	// accepted move where the stock now ships them cheaper.
	// In a cluster each runs on the leader's node only, and moves with it.
	defer background(ctx, log, "outbox dispatcher", leaderOnly(isLeader, log, "outbox dispatcher", svc.Outbox.RunDispatcher))()
	defer background(ctx, log, "search indexer", leaderOnly(isLeader, log, "search indexer", svc.Search.RunSearchIndexer))()
	purgeAudit := func(ctx context.Context) error { audit.New(a).RunPurges(ctx, auditPurgeEvery); return nil }
	defer background(ctx, log, "audit log purge", leaderOnly(isLeader, log, "audit log purge", purgeAudit))()
	anonymise := func(ctx context.Context) error { privacy.New(a).RunAnonymise(ctx, anonymiseEvery); return nil }
	defer background(ctx, log, "order anonymisation", leaderOnly(isLeader, log, "order anonymisation", anonymise))()
	lateRules := func(ctx context.Context) error { a.RunAutomateLate(ctx, automateLateEvery); return nil }
	defer background(ctx, log, "automation on late orders", leaderOnly(isLeader, log, "automation on late orders", lateRules))()
	defer startWooPuller(ctx, svc.Channels, pullInterval, isLeader, log)()
	defer reevaluate.start(ctx, a, isLeader, log)()
	if scheduled {
		defer background(ctx, log, "scheduled backups", sched.Run)()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// startWooPuller pulls the WooCommerce channels every interval (0: never)
// for the orders their webhooks missed; the function it returns stops it.
func startWooPuller(ctx context.Context, ch *channels.Service, interval time.Duration, isLeader func(context.Context) bool,
	log *slog.Logger) (stop func()) {
	if interval == 0 {
		log.Info("the WooCommerce reconciliation pull is off")
		return func() {}
	}
	pull := func(ctx context.Context) error { return ch.RunWooPuller(ctx, interval) }
	return background(ctx, log, "woocommerce puller", leaderOnly(isLeader, log, "woocommerce puller", pull))
}

// background runs fn in a goroutine until the function it returns is called
// (or ctx ends); that function waits for fn to return.
func background(ctx context.Context, log *slog.Logger, what string, fn func(context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := fn(ctx); err != nil {
			log.Error(what+" stopped", "err", err)
		}
	}()
	return func() { cancel(); <-done }
}

// seedDemo fills an empty database with the demo network and prints the sign-ins.
func seedDemo(ctx context.Context, env cliEnv, d *demo.Service) error {
	seeded, signIns, err := d.SeedDemo(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !seeded {
		fmt.Fprintln(env.stdout, "The database already has data: the demo was not added again (`make demo-reset` starts a fresh one, dated today).")
	}
	fmt.Fprintln(env.stdout, "Demo sign-ins (password for each: "+demo.DemoPassword+"):")
	for _, s := range signIns {
		fmt.Fprintf(env.stdout, "  %-10s %s\n", s.Role, s.Email)
	}
	return nil
}

// serveMetrics serves m at http://addr/metrics until the function it returns
// is called. It is a listener of its own: keep it off the public network.
func serveMetrics(addr string, m *metrics.Metrics, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: web.MetricsHandler(m), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener stopped", "err", err)
		}
	}()
	log.Info("metrics are served", "url", "http://"+ln.Addr().String()+"/metrics")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// auditPurgeEvery is how often serve deletes the audit log's entries older
// than its retention (and once at start).
const auditPurgeEvery = 24 * time.Hour

// automateLateEvery is how often serve looks for orders newly past their
// promised ship-by, to run the order.late automation rules on them once.
const automateLateEvery = time.Minute

// anonymiseEvery is how often serve anonymises the finished orders older
// than the privacy setting's age (off until an admin sets one).
const anonymiseEvery = 24 * time.Hour

// sessionKeys reads the session keys, or makes and keeps them on first
// start. A cluster's node restarting while the others elect a leader finds
// the database busy for a while: it waits (up to a minute) rather than exit.
func sessionKeys(ctx context.Context, svc web.Services, fromEnv string, log *slog.Logger) ([]byte, error) {
	deadline := time.Now().Add(time.Minute)
	for {
		keys, err := svc.Accounts.SessionKeys(ctx, fromEnv)
		if err == nil || !store.IsBusy(err) || time.Now().After(deadline) {
			return keys, err
		}
		log.Warn("the database is busy (a cluster electing its leader?): reading the session keys again", "err", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}
