package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// maxBatch is the most write transactions committed together.
const maxBatch = 256

// batchObserver is told of each batch committed: each job's wait in the
// queue, and the COMMIT's duration.
type batchObserver func(waits []time.Duration, commit time.Duration)

// writeJob is one caller's write transaction, waiting for the writer.
type writeJob struct {
	ctx    context.Context
	fn     func(q *Queries) error
	done   chan error
	queued time.Time
}

// writer runs every write transaction of the process on the one writer
// connection. It takes the jobs that queued while the previous commit was
// under way and commits them together (group commit): one job's failure
// undoes only its own changes (see runBatch), and all of them share one
// durable COMMIT. Each caller is answered after that commit.
type writer struct {
	// restartDue, when not nil, says that the WAL is to be started over
	// (see Checkpointer) before the next batch.
	restartDue func() bool
	// waitsForLock: the database answers a taken write lock at once
	// (dqlite), so a batch that meets it runs again (see runBatch).
	waitsForLock bool
	db           *sql.DB
	// stmts, when not nil, keeps the transactions' statements prepared
	// (see stmtCache).
	stmts *stmtCache
	queue chan *writeJob
	stop  chan struct{}
	done  chan struct{}
	busy  atomic.Int64 // nanoseconds spent running batches, for benchmarks
	// observe, when set (ObserveWriter), is told of each batch
	// committed: each job's wait in the queue, and the COMMIT's duration.
	observe    atomic.Pointer[batchObserver]
	batchStart time.Time // when the batch under way began (the writer goroutine's own)
}

// newWriter starts the writer goroutine on db (which has one connection);
// restartDue may be nil.
func newWriter(db *sql.DB, restartDue func() bool) *writer {
	w := &writer{db: db, restartDue: restartDue, queue: make(chan *writeJob, 4*maxBatch), stop: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

// submit queues fn and waits until its transaction has committed or failed.
func (w *writer) submit(ctx context.Context, fn func(q *Queries) error) error {
	job := &writeJob{ctx: ctx, fn: fn, done: make(chan error, 1), queued: time.Now()}
	select {
	case w.queue <- job:
	case <-ctx.Done():
		return ctx.Err()
	case <-w.stop:
		return errors.New("the database is closed")
	}
	// Once queued, wait for the answer even if ctx ends: the job may already
	// be committed, and the caller must not report a failure that did not happen.
	return <-job.done
}

// close stops the writer after the jobs already queued.
func (w *writer) close() {
	close(w.stop)
	<-w.done
}

// loop takes batches of jobs until stopped.
func (w *writer) loop() {
	defer close(w.done)
	for {
		select {
		case job := <-w.queue:
			start := time.Now()
			w.batchStart = start
			w.restartWAL()
			w.runBatch(w.collect(job))
			w.busy.Add(int64(time.Since(start)))
		case <-w.stop:
			for {
				select {
				case job := <-w.queue:
					w.batchStart = time.Now()
					w.runBatch(w.collect(job))
				default:
					return
				}
			}
		}
	}
}

// restartWAL runs a RESTART checkpoint when the checkpointer asks for one,
// without waiting for readers: a long reader (a backup's snapshot,
// Litestream) would otherwise hold every queued write for the whole busy
// timeout, again at each try. Given up, it is asked again at the
// checkpointer's next tick. A failure is not the batch's: the WAL holds
// every commit durably anyway.
func (w *writer) restartWAL() {
	if w.restartDue == nil || !w.restartDue() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), checkpointTimeout)
	defer cancel()
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return
	}
	_ = Restart(ctx, conn)
	_, _ = conn.ExecContext(ctx, "PRAGMA busy_timeout = "+busyTimeoutMS)
}

// collect gathers first and whatever else is already queued, up to maxBatch.
func (w *writer) collect(first *writeJob) []*writeJob {
	batch := []*writeJob{first}
	for len(batch) < maxBatch {
		select {
		case job := <-w.queue:
			batch = append(batch, job)
		default:
			return batch
		}
	}
	return batch
}

// runBatch commits the jobs together and answers every job. It first runs
// them one after the other in one transaction, without savepoints: each
// savepoint copies every page a job first touches, and jobs rarely fail. When
// one fails, that transaction is rolled back and the batch runs again with a
// savepoint per job, so that the failure undoes only its own job.
func (w *writer) runBatch(batch []*writeJob) {
	if w.runTogether(batch) {
		return
	}
	w.runApart(batch)
}

// takeWriteLock starts the write transaction without changing anything.
const takeWriteLock = "UPDATE settings SET key = key WHERE 0"

// noCacheSpill keeps a dqlite write transaction's dirty pages in memory.
const noCacheSpill = "PRAGMA cache_spill = OFF"

// When a dqlite writer finds the write lock taken by another node, it tries
// again up to busyAttempts times, waiting busyBackoff longer each time
// (about 8 s in all).
const (
	busyAttempts = 40
	busyBackoff  = 10 * time.Millisecond
)

// runTogether runs the batch in one transaction without savepoints and
// commits it; it answers every job and reports true, or rolls everything back
// and reports false (answering none) when a job fails.
func (w *writer) runTogether(batch []*writeJob) bool {
	results := make([]error, len(batch))
	tx, err := w.begin()
	if err != nil {
		answerAll(batch, err)
		return true
	}
	for i, job := range batch {
		if results[i] = job.ctx.Err(); results[i] != nil {
			continue // the caller gave up before its turn: do nothing
		}
		if err := w.runJob(tx, job); err != nil {
			_ = tx.Rollback() // the batch runs again, each job in a savepoint
			return false
		}
	}
	w.commitAndAnswer(tx, batch, results)
	return true
}

// begin starts a write transaction holding the write lock. SQLite's own
// files take it at BEGIN IMMEDIATE (see dsn) and wait for it (busy timeout);
// dqlite begins deferred and never waits, so there the lock is taken at once
// with a statement that changes nothing, and taken again shortly while
// another node's writer holds it.
func (w *writer) begin() (*sql.Tx, error) {
	for attempt := 1; ; attempt++ {
		tx, err := w.db.BeginTx(context.Background(), nil)
		if err != nil || !w.waitsForLock {
			if err != nil {
				return nil, fmt.Errorf("begin write: %w", err)
			}
			return tx, nil
		}
		_, err = tx.Exec(takeWriteLock)
		if err == nil {
			// A transaction whose pages outgrow the cache must keep them in
			// memory: dqlite answers a page spilled to its in-memory WAL
			// with SQLITE_IOERR_SHORT_READ.
			if _, err := tx.Exec(noCacheSpill); err != nil {
				_ = tx.Rollback()
				return nil, fmt.Errorf("turn cache spill off: %w", err)
			}
			return tx, nil
		}
		_ = tx.Rollback()
		if !IsBusy(err) || attempt == busyAttempts {
			return nil, fmt.Errorf("take the write lock: %w", err)
		}
		time.Sleep(time.Duration(attempt) * busyBackoff)
	}
}

// runApart runs the batch in one transaction, each job in a savepoint,
// commits once and answers every job.
func (w *writer) runApart(batch []*writeJob) {
	results := make([]error, len(batch))
	tx, err := w.begin()
	if err != nil {
		answerAll(batch, err)
		return
	}
	for i, job := range batch {
		results[i] = w.runInSavepoint(tx, job)
	}
	w.commitAndAnswer(tx, batch, results)
}

// commitAndAnswer commits tx and gives each job its result, or every job the
// commit's error.
func (w *writer) commitAndAnswer(tx *sql.Tx, batch []*writeJob, results []error) {
	commitStart := time.Now()
	if err := tx.Commit(); err != nil {
		answerAll(batch, fmt.Errorf("commit: %w", err))
		return
	}
	if observe := w.observe.Load(); observe != nil {
		waits := make([]time.Duration, len(batch))
		for i, job := range batch {
			waits[i] = w.batchStart.Sub(job.queued)
		}
		(*observe)(waits, time.Since(commitStart))
	}
	for i, job := range batch {
		job.done <- results[i]
	}
}

// runJob runs one job's function, turning a panic into its error.
func (w *writer) runJob(tx *sql.Tx, job *writeJob) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write transaction panicked: %v", p)
		}
	}()
	var q DBTX = tx
	if w.stmts != nil {
		q = cachedTx{tx: tx, c: w.stmts}
	}
	return job.fn(New(uncancellable{q}))
}

// runInSavepoint runs one job inside a savepoint, undoing it if it fails.
func (w *writer) runInSavepoint(tx *sql.Tx, job *writeJob) (err error) {
	if err := job.ctx.Err(); err != nil {
		return err // the caller gave up before its turn: do nothing
	}
	if _, err := tx.Exec("SAVEPOINT job"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	defer func() {
		if err != nil {
			if _, rbErr := tx.Exec("ROLLBACK TO job"); rbErr != nil {
				err = errors.Join(err, fmt.Errorf("rollback to savepoint: %w", rbErr))
			}
		}
		if _, relErr := tx.Exec("RELEASE job"); relErr != nil {
			err = errors.Join(err, fmt.Errorf("release savepoint: %w", relErr))
		}
	}()
	return w.runJob(tx, job)
}

// uncancellable runs a job's statements without its caller's cancellation:
// go-sqlite3 answers a cancelled context by interrupting the connection, and
// on the one writer connection an interrupt can roll back the whole group
// commit, failing every other job in it. A caller that gives up still gets
// its answer dropped; the statements it started finish or fail on their own.
type uncancellable struct{ tx DBTX }

func (u uncancellable) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return u.tx.ExecContext(context.WithoutCancel(ctx), q, args...)
}

func (u uncancellable) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return u.tx.PrepareContext(context.WithoutCancel(ctx), q)
}

func (u uncancellable) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return u.tx.QueryContext(context.WithoutCancel(ctx), q, args...)
}

func (u uncancellable) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return u.tx.QueryRowContext(context.WithoutCancel(ctx), q, args...)
}

// answerAll gives every job of a failed batch the same error.
func answerAll(batch []*writeJob, err error) {
	for _, job := range batch {
		job.done <- err
	}
}
