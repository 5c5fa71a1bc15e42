// Package backup copies a running Switchyard's SQLite database into a new
// file (Online), keeps scheduled copies (Schedule) and puts a checked copy
// back in place of a stopped database (Restore).
package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	store "switchyard/sql"
)

// Result is what one backup wrote.
type Result struct {
	Path   string        // the backup file
	Bytes  int64         // its size
	Orders int64         // the orders in it
	Took   time.Duration // from start to the file in place
}

// Online copies the database at dbPath, which a server may be writing, into
// the new file to: one consistent snapshot, written under a temporary name
// beside to, checked (PRAGMA integrity_check) and renamed into place. It
// refuses a to that exists.
func Online(ctx context.Context, dbPath, to string) (Result, error) {
	start := time.Now()
	if _, err := os.Stat(dbPath); err != nil {
		return Result{}, fmt.Errorf("backup: no database at %s: %w", dbPath, err)
	}
	if _, err := os.Lstat(to); err == nil {
		return Result{}, fmt.Errorf("backup: %s exists already: give a new file", to)
	} else if !errors.Is(err, os.ErrNotExist) {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	tmp, err := tempBeside(to, ".backup-")
	if err != nil {
		return Result{}, err
	}
	res, err := writeChecked(ctx, dbPath, tmp)
	if err == nil {
		err = publish(tmp, to)
	}
	if err != nil {
		removeDB(tmp)
		return Result{}, fmt.Errorf("backup %s to %s: %w", dbPath, to, err)
	}
	res.Path, res.Took = to, time.Since(start)
	return res, nil
}

// writeChecked copies the database into tmp and checks the copy.
func writeChecked(ctx context.Context, dbPath, tmp string) (Result, error) {
	if err := copyDB(ctx, dbPath, tmp); err != nil {
		return Result{}, err
	}
	orders, err := checkFile(ctx, tmp)
	if err != nil {
		return Result{}, err
	}
	fi, err := os.Stat(tmp)
	if err != nil {
		return Result{}, err
	}
	return Result{Bytes: fi.Size(), Orders: orders}, nil
}

// publish renames tmp to to without replacing a file that appeared at to
// meanwhile (a hard link fails on an existing name), and syncs the directory.
func publish(tmp, to string) error {
	if err := os.Link(tmp, to); err != nil {
		return fmt.Errorf("put the backup in place: %w", err)
	}
	if err := os.Remove(tmp); err != nil {
		return err
	}
	return syncDir(filepath.Dir(to))
}

// tempBeside makes an empty temporary file in path's directory, named after path.
func tempBeside(path, infix string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+infix+"*.tmp")
	if err != nil {
		return "", fmt.Errorf("temporary file beside %s: %w", path, err)
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// removeDB removes a database file and whatever journal it left.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		_ = os.Remove(path + suffix)
	}
}

// syncDir makes the renames in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// openFile opens the SQLite file at path in mode (ro, rw, rwc), one
// connection, with a busy timeout.
func openFile(path, mode string) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", mode)
	q.Set("_busy_timeout", "5000")
	db, err := sql.Open("sqlite3", store.FileURI(path, q))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}
