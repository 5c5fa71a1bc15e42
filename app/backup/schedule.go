package backup

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Schedule is a server's scheduled backups: a new file in Dir every Every,
// the newest Keep kept.
type Schedule struct {
	DB    string // the database file
	Dir   string // where the backups go
	Every time.Duration
	Keep  int
	Log   *slog.Logger
}

// namePrefix and nameLayout make a backup's name: sortable, in UTC, to the millisecond.
const (
	namePrefix = "switchyard-"
	nameLayout = "20060102T150405.000Z"
	nameSuffix = ".db"
)

// Name is the file name of a scheduled backup taken at t.
func Name(t time.Time) string { return namePrefix + t.UTC().Format(nameLayout) + nameSuffix }

// Run takes a backup every s.Every until ctx ends, the first one interval
// after it starts, and removes all but the newest s.Keep. A failed backup is
// logged, and the next one tried at its time.
func (s Schedule) Run(ctx context.Context) error {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return fmt.Errorf("backup directory: %w", err)
	}
	s.Log.Info("scheduled backups are on", "dir", s.Dir, "every", s.Every.String(), "keep", s.Keep)
	removeStale(s.Dir, s.Log)
	tick := time.NewTicker(s.Every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case now := <-tick.C:
			s.once(ctx, now)
		}
	}
}

// once takes one backup and prunes the old ones.
func (s Schedule) once(ctx context.Context, now time.Time) {
	res, err := Online(ctx, s.DB, filepath.Join(s.Dir, Name(now)))
	if err != nil {
		if ctx.Err() == nil {
			s.Log.Error("scheduled backup failed", "err", err)
		}
		return
	}
	s.Log.Info("backup written", "file", res.Path, "bytes", res.Bytes, "orders", res.Orders,
		"took", res.Took.Round(time.Millisecond).String())
	removed, err := Prune(s.Dir, s.Keep)
	for _, name := range removed {
		s.Log.Info("old backup removed", "file", name)
	}
	if err != nil {
		s.Log.Error("removing old backups", "err", err)
	}
}

// Prune removes all but the newest keep scheduled backups in dir (files
// named as Name names them; others are left alone) and returns their paths.
func Prune(dir string, keep int) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && isBackupName(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	var removed []string
	for _, name := range names[:max(0, len(names)-keep)] {
		path := filepath.Join(dir, name)
		if err := os.Remove(path); err != nil {
			return removed, err
		}
		removed = append(removed, path)
	}
	return removed, nil
}

// isBackupName reports whether name is one that Name gives.
func isBackupName(name string) bool {
	stamp, ok := strings.CutPrefix(name, namePrefix)
	if !ok {
		return false
	}
	if stamp, ok = strings.CutSuffix(stamp, nameSuffix); !ok {
		return false
	}
	_, err := time.Parse(nameLayout, stamp)
	return err == nil
}

// removeStale removes the temporary files of scheduled backups cut off
// before they were complete (the server was killed meanwhile).
func removeStale(dir string, log *slog.Logger) {
	stale, _ := filepath.Glob(filepath.Join(dir, "."+namePrefix+"*"+nameSuffix+".backup-*.tmp*"))
	for _, path := range stale {
		if err := os.Remove(path); err == nil {
			log.Info("unfinished backup removed", "file", path)
		}
	}
}
