package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"sync/atomic"
	"time"
)

// The writer's commits never copy the WAL into the database file: its
// connection runs with wal_autocheckpoint=0 and a checkpointer does it in
// the background, on a connection of its own. A checkpoint inside a commit
// (SQLite's default, every 1,000 pages) reads and writes those pages and
// syncs the database file while every queued write waits; in the background
// a PASSIVE checkpoint copies what it can without holding up the writer.
// Under a steady stream of commits a passive checkpoint never quite catches
// up, so the WAL, which only starts over once it is all copied, would grow:
// past walRestartFrames the writer itself, between two batches, runs a
// RESTART checkpoint that copies the last frames, and its next commit starts
// the WAL over. (From another connection RESTART would wait for a moment
// without a writer, which a busy writer never leaves.)
const (
	checkpointEvery   = 50 * time.Millisecond
	walRestartFrames  = 16384 // 64 MiB of 4 KiB pages
	checkpointTimeout = 30 * time.Second
)

// Checkpointer copies a database's WAL into its file in the background.
type Checkpointer struct {
	db     *sql.DB
	frames atomic.Int64 // what the WAL held at the last checkpoint
	stop   chan struct{}
	done   chan struct{}
}

// StartCheckpointer starts checkpointing the database at path (whose writer
// runs with wal_autocheckpoint=0) until Close.
func StartCheckpointer(path string) (*Checkpointer, error) {
	q := url.Values{}
	q.Set("mode", "rw")
	q.Set("_busy_timeout", "5000")
	q.Set("_synchronous", "FULL")
	db, err := sql.Open("sqlite3", FileURI(path, q))
	if err != nil {
		return nil, fmt.Errorf("open %s for checkpoints: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	c := &Checkpointer{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c, nil
}

// Close stops the checkpointer after a last checkpoint.
func (c *Checkpointer) Close() error {
	close(c.stop)
	<-c.done
	return c.db.Close()
}

// loop checkpoints every checkpointEvery until stopped.
func (c *Checkpointer) loop() {
	defer close(c.done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			_, _ = c.checkpoint("PASSIVE")
			return
		case <-tick.C:
			if frames, err := c.checkpoint("PASSIVE"); err == nil {
				c.frames.Store(int64(frames))
			}
		}
	}
}

// RestartDue reports whether the WAL has grown past walRestartFrames, and
// forgets it: the writer is to run a RESTART checkpoint (see Restart).
func (c *Checkpointer) RestartDue() bool {
	return c.frames.Load() > walRestartFrames && c.frames.Swap(0) > walRestartFrames
}

// Restart runs a RESTART checkpoint on db, the writer's own connection,
// between two of its transactions.
func Restart(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) error {
	_, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(RESTART)")
	return err
}

// checkpoint runs one checkpoint of mode and returns the frames the WAL holds.
// Errors are left for the next tick: a checkpoint only moves data that the
// WAL holds durably already.
func (c *Checkpointer) checkpoint(mode string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), checkpointTimeout)
	defer cancel()
	var busy, frames, copied int
	err := c.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &frames, &copied)
	return frames, err
}
