package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"switchyard/app"
	"switchyard/app/ops"
)

// Restored is what a restore put in place.
type Restored struct {
	From, DB string
	Orders   int64         // the orders in the restored database
	Migrated []string      // migrations applied to the copy (the backup was older)
	Kept     string        // the database it replaced, renamed; "" when there was none
	Took     time.Duration // from start to the file in place
}

// Restore replaces the database at db with the backup at from. It refuses
// while a server runs on db (see RestoreLock). A copy of the backup, beside
// db, is checked first: PRAGMA integrity_check, migrations this binary knows
// (an older backup is migrated), the stock invariants; only then does it go
// into place, the old database kept as db.before-restore-TIMESTAMP. On a
// refusal nothing at db has changed.
func Restore(ctx context.Context, from, db string, now time.Time, log *slog.Logger) (Restored, error) {
	start := time.Now()
	if err := checkPaths(from, db); err != nil {
		return Restored{}, err
	}
	lock, err := RestoreLock(db)
	if err != nil {
		return Restored{}, err
	}
	defer lock.Release()
	tmp, err := tempBeside(db, ".restore-")
	if err != nil {
		return Restored{}, err
	}
	r := Restored{From: from, DB: db}
	if err = copyFile(from, tmp); err == nil {
		r.Migrated, r.Orders, err = prepare(ctx, tmp, log)
	}
	if err != nil {
		removeDB(tmp)
		return Restored{}, fmt.Errorf("restore from %s refused, %s is unchanged: %w", from, db, err)
	}
	if r.Kept, err = swap(tmp, db, now); err != nil {
		removeDB(tmp)
		return Restored{}, fmt.Errorf("restore from %s: %w", from, err)
	}
	r.Took = time.Since(start)
	return r, nil
}

// checkPaths makes sure from is a file and not the database itself.
func checkPaths(from, db string) error {
	fi, err := os.Stat(from)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("restore: %s is not a file", from)
	}
	if dfi, err := os.Stat(db); err == nil && os.SameFile(fi, dfi) {
		return fmt.Errorf("restore: %s is the database itself", from)
	}
	return nil
}

// prepare checks the copy at tmp and migrates it: it returns the migrations
// applied and the orders in it.
func prepare(ctx context.Context, tmp string, log *slog.Logger) ([]string, int64, error) {
	if err := switchyardFile(ctx, tmp); err != nil {
		return nil, 0, err
	}
	a, applied, err := app.Open(ctx, tmp, time.Now, log)
	if err != nil {
		return nil, 0, err
	}
	rep, err := ops.New(a).CheckInvariants(ctx)
	if err := errors.Join(err, a.Close()); err != nil {
		return nil, 0, err
	}
	if !rep.OK() {
		return nil, 0, fmt.Errorf("the stock invariants do not hold in it: %d levels differ from their ledger, "+
			"%d from their open fulfillment lines, %d chain breaks, %d kit levels differ from their parts, %d split kits disagree",
			rep.LedgerMismatches, rep.ReservedMismatches, rep.ChainBreaks, rep.KitMismatches, rep.KitSplitMismatches)
	}
	if fi, err := os.Stat(tmp + "-wal"); err == nil && fi.Size() > 0 {
		return nil, 0, errors.New("the migrated copy kept a write-ahead log")
	}
	_ = os.Remove(tmp + "-wal")
	_ = os.Remove(tmp + "-shm")
	orders, err := checkFile(ctx, tmp)
	return applied, orders, err
}

// switchyardFile checks that the file at path is a sound SQLite database
// with Switchyard's schema_migrations table.
func switchyardFile(ctx context.Context, path string) error {
	db, err := openFile(path, "rw")
	if err != nil {
		return err
	}
	defer db.Close()
	if err := integrity(ctx, db); err != nil {
		return fmt.Errorf("not a sound SQLite database: %w", err)
	}
	var n int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return errors.New("not a Switchyard database: it has no schema_migrations table")
	}
	return nil
}

// swap puts tmp in place of db. The old database, if any, is first settled
// (its write-ahead log copied in), kept under a hard link named
// db.before-restore-TIMESTAMP with whatever log it still has, and its -shm
// removed: a log left beside db would be replayed onto the new file.
func swap(tmp, db string, now time.Time) (kept string, err error) {
	mode := os.FileMode(0o644) // the restored file gets the old one's permissions, else the usual
	old, err := os.Stat(db)
	if err == nil {
		mode = old.Mode().Perm()
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return "", err
	}
	if old != nil {
		settle(db)
		kept = db + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		if err := os.Link(db, kept); err != nil {
			return "", fmt.Errorf("keep the old database: %w", err)
		}
		for _, suffix := range []string{"-wal", "-journal"} {
			if err := os.Rename(db+suffix, kept+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("move the old database's %s: %w", suffix, err)
			}
		}
	}
	if err := os.Remove(db + "-shm"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("remove the old -shm: %w", err)
	}
	if err := os.Rename(tmp, db); err != nil {
		return "", fmt.Errorf("put the backup in place: %w", err)
	}
	return kept, syncDir(filepath.Dir(db))
}

// settle copies the old database's write-ahead log into its file and empties
// the log, if it can: the old file then stands alone.
func settle(db string) {
	conn, err := openFile(db, "rw")
	if err != nil {
		return
	}
	defer conn.Close()
	_, _ = conn.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
}

// copyFile copies the file from into the existing file to, durably.
func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("copy %s: %w", from, err)
	}
	return errors.Join(dst.Sync(), dst.Close())
}
