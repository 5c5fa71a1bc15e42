package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// createMigrationsTable records applied migrations by file name.
const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	name       TEXT PRIMARY KEY,
	applied_at INTEGER NOT NULL
) STRICT`

// MigrationStatus says which migrations the binary knows and the database has.
type MigrationStatus struct {
	Pending []string // known to the binary, not yet applied
	Unknown []string // applied to the database, unknown to the binary (it is newer)
}

// Current reports whether the database schema is exactly what the binary expects.
func (s MigrationStatus) Current() bool { return len(s.Pending) == 0 && len(s.Unknown) == 0 }

// ErrNewerDatabase means the database was migrated by a newer Switchyard.
type ErrNewerDatabase struct{ Unknown []string }

func (e *ErrNewerDatabase) Error() string {
	return fmt.Sprintf("the database has migrations this Switchyard does not know (%s): "+
		"it was written by a newer version; upgrade Switchyard instead of running this one",
		strings.Join(e.Unknown, ", "))
}

// Migrations compares the migration files in fsys with those the database recorded.
func (db *DB) Migrations(ctx context.Context, fsys fs.FS) (MigrationStatus, error) {
	known, err := migrationNames(fsys)
	if err != nil {
		return MigrationStatus{}, err
	}
	applied, err := appliedMigrations(ctx, db.reader)
	if err != nil {
		return MigrationStatus{}, err
	}
	var st MigrationStatus
	for _, name := range known {
		if !slices.Contains(applied, name) {
			st.Pending = append(st.Pending, name)
		}
	}
	for _, name := range applied {
		if !slices.Contains(known, name) {
			st.Unknown = append(st.Unknown, name)
		}
	}
	return st, nil
}

// Migrate applies the pending migrations of fsys in name order, each in its own
// transaction, and returns their names. It refuses a database that has
// migrations the binary does not know.
func (db *DB) Migrate(ctx context.Context, fsys fs.FS, now time.Time) ([]string, error) {
	if _, err := db.writer.ExecContext(ctx, createMigrationsTable); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	st, err := db.Migrations(ctx, fsys)
	if err != nil {
		return nil, err
	}
	if len(st.Unknown) > 0 {
		return nil, &ErrNewerDatabase{Unknown: st.Unknown}
	}
	for _, name := range st.Pending {
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		if err := db.applyMigration(ctx, name, string(body), now); err != nil {
			return nil, err
		}
	}
	return st.Pending, nil
}

// applyMigration runs one migration file and records it, in one transaction.
func (db *DB) applyMigration(ctx context.Context, name, body string, now time.Time) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: begin: %w", name, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after commit
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, name, now.UnixMilli()); err != nil {
		return fmt.Errorf("migration %s: record: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", name, err)
	}
	return nil
}

// migrationNames lists the .sql files of fsys in the order they apply.
func migrationNames(fsys fs.FS) ([]string, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	slices.Sort(names)
	return names, nil
}

// appliedMigrations lists the migrations the database recorded; none on a new file.
func appliedMigrations(ctx context.Context, conn *sql.DB) ([]string, error) {
	var exists int
	err := conn.QueryRowContext(ctx,
		`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&exists)
	if err != nil {
		return nil, fmt.Errorf("look for schema_migrations: %w", err)
	}
	if exists == 0 {
		return nil, nil
	}
	rows, err := conn.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		names = append(names, n)
	}
	return names, rows.Err()
}
