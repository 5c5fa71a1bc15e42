package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"switchyard/app/backup"
)

// cmdBackup copies the database, which a server may be running on, into a new file.
func cmdBackup(ctx context.Context, env cliEnv, args []string) error {
	fs, dbPath := newFlags(env, "backup")
	to := fs.str("to", "", "the new backup file (refused if it exists)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("usage: switchyard backup --to FILE [--db PATH]")
	}
	if strings.HasPrefix(*dbPath, clusterScheme) {
		return errors.New("a dqlite cluster is copied with `switchyard cluster export --join HOST:PORT --to FILE`")
	}
	res, err := backup.Online(ctx, *dbPath, *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "backup %s: %s, %d orders, took %s\n", res.Path, sizeOf(res.Bytes), res.Orders,
		res.Took.Round(time.Millisecond))
	return nil
}

// cmdRestore puts a backup in place of a database no server is running on.
func cmdRestore(ctx context.Context, env cliEnv, args []string) error {
	fs, dbPath := newFlags(env, "restore")
	from := fs.str("from", "", "the backup file to restore")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return errors.New("usage: switchyard restore --from FILE [--db PATH]")
	}
	if strings.HasPrefix(*dbPath, clusterScheme) {
		return errors.New("a dqlite cluster is filled with `switchyard cluster import --join HOST:PORT --from FILE`")
	}
	fmt.Fprintf(env.stdout, "checking %s: integrity, migrations, stock invariants (a minute or more for a large database)\n", *from)
	r, err := backup.Restore(ctx, *from, *dbPath, time.Now(), slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "restored %s into %s: %d orders, took %s\n", r.From, r.DB, r.Orders, r.Took.Round(time.Millisecond))
	if len(r.Migrated) > 0 {
		fmt.Fprintf(env.stdout, "migrations applied to the backup: %s\n", strings.Join(r.Migrated, ", "))
	}
	if r.Kept != "" {
		fmt.Fprintf(env.stdout, "the database it replaced is kept as %s\n", r.Kept)
	}
	return nil
}

// sizeOf writes a byte count for people.
func sizeOf(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// backupFlags are serve's scheduled-backup flags.
type backupFlags struct {
	dir, every, keep *string
}

// addBackupFlags declares serve's --backup-dir, --backup-every and --backup-keep.
func addBackupFlags(fs *flagSet) backupFlags {
	return backupFlags{
		dir:   fs.str("backup-dir", "", "directory for scheduled backups of the --db file (empty: none)"),
		every: fs.str("backup-every", "1h", "how often a scheduled backup is taken (with --backup-dir)"),
		keep:  fs.str("backup-keep", "48", "how many scheduled backups are kept, the newest (with --backup-dir)"),
	}
}

// schedule reads the flags into the schedule for the database at db; ok is
// false when scheduled backups are off.
func (f backupFlags) schedule(db string, cluster bool, log *slog.Logger) (s backup.Schedule, ok bool, err error) {
	if strings.TrimSpace(*f.dir) == "" {
		return s, false, nil
	}
	if cluster {
		return s, false, errors.New("--backup-dir is for a single file: copy a dqlite cluster's database with " +
			"`switchyard cluster export --join HOST:PORT --to FILE`")
	}
	every, err := time.ParseDuration(*f.every)
	if err != nil || every <= 0 {
		return s, false, fmt.Errorf("--backup-every %q is not a duration like 1h", *f.every)
	}
	keep, err := strconv.Atoi(*f.keep)
	if err != nil || keep < 1 {
		return s, false, fmt.Errorf("--backup-keep %q is not a number of backups, 1 or more", *f.keep)
	}
	return backup.Schedule{DB: db, Dir: *f.dir, Every: every, Keep: keep, Log: log}, true, nil
}
