package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// DB is the SQLite database: one writer connection that takes the write lock
// with BEGIN IMMEDIATE, and a pool of read-only connections.
type DB struct {
	path   string
	writer *sql.DB
	reader *sql.DB
	ckpt   *Checkpointer
	queue  *writer
	// readStmts, when not nil, keeps the reads' statements prepared (see stmtCache).
	readStmts *stmtCache
	// Read runs queries on the read-only pool, outside any transaction.
	Read *Queries
}

// Open opens (creating if needed) the database at path with WAL, foreign keys,
// a busy timeout and synchronous=FULL on every connection.
func Open(ctx context.Context, path string) (*DB, error) {
	writer, err := sql.Open("sqlite3", dsn(path, "rwc", true))
	if err != nil {
		return nil, fmt.Errorf("open %s for writing: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if _, err := writer.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		writer.Close()
		return nil, fmt.Errorf("set WAL on %s: %w", path, err)
	}
	// The savepoint of each job in a group commit keeps a sub-journal: in
	// memory, not in a temporary file written for every commit. Checkpoints
	// run in the background (see Checkpointer), not inside commits.
	for _, pragma := range []string{"PRAGMA temp_store=MEMORY", "PRAGMA wal_autocheckpoint=0"} {
		if _, err := writer.ExecContext(ctx, pragma); err != nil {
			writer.Close()
			return nil, fmt.Errorf("%s on %s: %w", pragma, path, err)
		}
	}
	ckpt, err := StartCheckpointer(path)
	if err != nil {
		writer.Close()
		return nil, err
	}
	reader, err := sql.Open("sqlite3", dsn(path, "ro", false))
	if err != nil {
		ckpt.Close()
		writer.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	n := max(16, 8*runtime.GOMAXPROCS(0)) // readers wait on I/O and cgo, not CPU: many may run at once
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	return &DB{path: path, writer: writer, reader: reader, ckpt: ckpt, queue: newWriter(writer, ckpt.RestartDue), Read: New(reader)}, nil
}

// OpenPools is a DB over pools opened elsewhere: writer, with one connection,
// runs every write transaction through the same group-committing writer as
// Open's; reader serves reads. name says where the data lives (Path). It is
// how a replicated database (a dqlite cluster, build tag dqlite) carries
// Switchyard: no WAL to checkpoint, no file of its own.
//
// Each statement there costs a round trip and, unless prepared before, a
// compile on the database's one server thread: both pools keep their
// statements prepared (see stmtCache). The writer's pool has a second
// connection for preparing while the first holds the transaction; only the
// writer goroutine writes, one transaction at a time.
func OpenPools(name string, writer, reader *sql.DB) *DB {
	writer.SetMaxOpenConns(2)
	writer.SetMaxIdleConns(2)
	w := newWriter(writer, nil)
	w.waitsForLock = true
	w.stmts = newStmtCache(writer)
	reads := newStmtCache(reader)
	return &DB{path: name, writer: writer, reader: reader, queue: w, readStmts: reads, Read: New(cachedPool{reads})}
}

// busyTimeoutMS is how long a connection waits for a lock, in milliseconds.
const busyTimeoutMS = "5000"

// dsn builds the go-sqlite3 connection string for one pool.
func dsn(path, mode string, write bool) string {
	q := url.Values{}
	q.Set("mode", mode)
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", busyTimeoutMS)
	q.Set("_synchronous", "FULL")
	q.Set("_stmt_cache_size", "128") // reuse compiled statements across calls
	if write {
		q.Set("_journal_mode", "WAL")
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_query_only", "on")
	}
	return FileURI(path, q)
}

// uriPath escapes the characters a SQLite URI gives a meaning to: a path
// such as "shop#1.db" or "what?.db" names that file, not "shop" or "what".
var uriPath = strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23")

// FileURI is the go-sqlite3 connection string of the database file at path
// with the parameters q.
func FileURI(path string, q url.Values) string {
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

// ObserveWriter has fn told of each batch the writer commits: each write
// transaction's wait in the queue and the COMMIT's duration (metrics). Call
// it at any time; nil stops it.
func (db *DB) ObserveWriter(fn func(waits []time.Duration, commit time.Duration)) {
	if fn == nil {
		db.queue.observe.Store(nil)
		return
	}
	o := batchObserver(fn)
	db.queue.observe.Store(&o)
}

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

// WriterBusy is how long the writer has spent running batches of write
// transactions since the database was opened: over a span of time, its share
// of that span says how busy the one writer was.
func (db *DB) WriterBusy() time.Duration { return time.Duration(db.queue.busy.Load()) }

// Close finishes the queued writes and closes both pools.
func (db *DB) Close() error {
	db.queue.close()
	if db.queue.stmts != nil {
		db.queue.stmts.close()
		db.readStmts.close()
	}
	var ckpt error
	if db.ckpt != nil {
		ckpt = db.ckpt.Close()
	}
	return errors.Join(ckpt, db.reader.Close(), db.writer.Close())
}

// Ping checks that both pools answer.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.writer.PingContext(ctx); err != nil {
		return fmt.Errorf("writer: %w", err)
	}
	if err := db.reader.PingContext(ctx); err != nil {
		return fmt.Errorf("reader: %w", err)
	}
	return nil
}

// Write runs fn in one write transaction and returns once it has committed
// durably (synchronous=FULL), or with fn's error after undoing fn's changes.
// Writes that arrive together are committed together (see writer); fn must
// do all its reads and writes through q, and must not call Write itself.
func (db *DB) Write(ctx context.Context, fn func(q *Queries) error) error {
	return db.queue.submit(ctx, fn)
}

// Snapshot runs fn in one read transaction, so that every query sees the same data.
func (db *DB) Snapshot(ctx context.Context, fn func(q *Queries) error) error {
	tx, err := db.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to lose
	if db.readStmts != nil {
		return fn(New(cachedTx{tx: tx, c: db.readStmts}))
	}
	return fn(New(tx))
}

// IsUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY constraint failure.
func IsUniqueViolation(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
	}
	return driverUniqueViolation(err)
}

// IsBusy reports whether err says the write lock was taken by another
// connection or process (SQLITE_BUSY, "database is locked").
func IsBusy(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrBusy
	}
	return driverBusy(err)
}

// IsNoRows reports whether err says a query found no row.
func IsNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
