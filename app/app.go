// Package app holds Switchyard's use cases: each one a function that validates
// its input and runs in one transaction with one "now".
package app

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"switchyard/app/metrics"
	"switchyard/migrations"
	store "switchyard/sql"
)

// App is the domain layer. Handlers and commands call its methods.
type App struct {
	db      *store.DB
	now     func() time.Time
	log     *slog.Logger
	pending *pendingKeys // Idempotency-Keys whose first request is still running
	cache   *routeCache  // time zones and the network as routing reads it

	outboxKick chan struct{}    // wakes the dispatcher after a message was written
	planSlots  chan struct{}    // one token per order being planned (see preplan)
	metrics    *metrics.Metrics // nil: nothing is recorded
}

// UseMetrics has the app record into m: new orders, routing decisions and
// reroutes, the writer's batches, and the database's gauges at each scrape.
// Call it before serving.
func (a *App) UseMetrics(m *metrics.Metrics) {
	a.metrics = m
	if m != nil {
		a.db.ObserveWriter(m.WriterBatch)
		m.WatchStore(a.db.Read, a.Now)
	}
}

// Metrics is where the app records (nil when nowhere), for the capability
// packages.
func (a *App) Metrics() *metrics.Metrics { return a.metrics }

// planningSlots is how many orders may be planned at once: all the cores but
// one, which is left to the writer. Planning is short CPU work; when every
// request plans at once, the writer, which every order waits for, queues for
// a core behind them after each call into SQLite, and intake slows down.
func planningSlots() int {
	return max(1, runtime.GOMAXPROCS(0)-1)
}

// New returns an App over db. now is the clock (time.Now in production).
func New(db *store.DB, now func() time.Time, log *slog.Logger) *App {
	return &App{db: db, now: now, log: log, pending: newPendingKeys(), cache: newRouteCache(),
		outboxKick: make(chan struct{}, 1), planSlots: make(chan struct{}, planningSlots())}
}

// Log is where the app and its capability packages log.
func (a *App) Log() *slog.Logger { return a.log }

// DB is the database under the app, for the capability packages that read
// it outside a transaction (the search index, the simulator, CSV exports).
func (a *App) DB() *store.DB { return a.db }

// OutboxKicks receives after a transaction wrote an outbox message, so that
// the dispatcher need not wait for its next poll.
func (a *App) OutboxKicks() <-chan struct{} { return a.outboxKick }

// Tx is what a use case sees inside its transaction: the queries and the one
// instant the whole transaction treats as now.
type Tx struct {
	Q     *store.Queries
	Now   time.Time
	cache *routeCache   // nil in transactions made by hand: everything is then read each time
	kick  chan struct{} // the App's outboxKick; nil in transactions made by hand
	// net, when set, is the network as read once for a transaction that does
	// not change it (see withNetwork).
	net *networkView
	// committed, in a transaction made by Write, collects what to do once
	// it has committed (see OnCommit); nil in transactions made by hand.
	committed *[]func(*metrics.Metrics)
}

// OnCommit has fn run once the transaction has committed (not at all when it
// rolls back), given the app's metrics (nil when nothing records).
func (tx Tx) OnCommit(fn func(*metrics.Metrics)) {
	if tx.committed != nil {
		*tx.committed = append(*tx.committed, fn)
	}
}

// Write runs fn in one write transaction with one now, committing on nil.
// Once it has committed, what the transaction asked with OnCommit is done.
func (a *App) Write(ctx context.Context, fn func(tx Tx) error) error {
	var committed []func(*metrics.Metrics)
	err := a.db.Write(ctx, func(q *store.Queries) error {
		committed = committed[:0] // a batch that runs again runs fn again
		return fn(Tx{Q: q, Now: a.now().UTC(), cache: a.cache, kick: a.outboxKick, committed: &committed})
	})
	if err == nil {
		for _, f := range committed {
			f(a.metrics) // nil when nothing records: Metrics' methods do nothing then
		}
	}
	return err
}

// At is tx treating another instant as now (the demo writes its history so).
func (tx Tx) At(now time.Time) Tx {
	tx.Now = now
	return tx
}

// network is the network as routing reads it in this transaction (cached
// between transactions while it does not change).
func (tx Tx) network(ctx context.Context) (*networkView, error) {
	if tx.net != nil {
		return tx.net, nil
	}
	return tx.cache.view(ctx, tx.Q)
}

// withNetwork is tx reading the network once for all its uses: only for a
// transaction that changes no location, channel, rule or zone rate.
func (tx Tx) withNetwork(ctx context.Context) (Tx, error) {
	view, err := tx.network(ctx)
	tx.net = view
	return tx, err
}

// Read gives fn the read-only queries, outside any write transaction.
func (a *App) Read() *store.Queries { return a.db.Read }

// Now is the app's clock, in UTC.
func (a *App) Now() time.Time { return a.now().UTC() }

// ms turns a time into the Unix milliseconds stored in the database.
func Millis(t time.Time) int64 { return t.UnixMilli() }

// fromMS turns stored Unix milliseconds back into a UTC time.
func FromMillis(v int64) time.Time { return time.UnixMilli(v).UTC() }

// NullString stores "" as NULL.
func NullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// NullInt stores v as a present integer.
func NullInt(v int64) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: true} }

// Open opens the SQLite database at path, applies the migrations it lacks
// (named in applied) and returns the App over it. Close closes the database.
func Open(ctx context.Context, path string, now func() time.Time, log *slog.Logger) (a *App, applied []string, err error) {
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return OpenStore(ctx, db, now, log)
}

// OpenStore is Open over a database opened elsewhere (a dqlite cluster's,
// see sql/cluster): it applies the migrations it lacks and returns the App.
// On an error it closes db.
func OpenStore(ctx context.Context, db *store.DB, now func() time.Time, log *slog.Logger) (a *App, applied []string, err error) {
	applied, err = db.Migrate(ctx, migrations.FS, time.Now())
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("migrate %s: %w", db.Path(), err)
	}
	return New(db, now, log), applied, nil
}

// Close closes the database under the app.
func (a *App) Close() error { return a.db.Close() }

// Zone is the IANA time zone named tz, loaded once and kept; UTC and false
// when tz names no zone (empty, "Local", path-like or unknown).
func (a *App) Zone(tz string) (*time.Location, bool) { return a.cache.zones.lookup(tz) }
