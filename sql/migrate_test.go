package store_test

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"switchyard/migrations"
	store "switchyard/sql"
)

func openTemp(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrateFreshThenAgain(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	applied, err := db.Migrate(ctx, migrations.FS, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) == 0 || applied[0] != "0001_foundation.sql" {
		t.Fatalf("fresh database applied %v", applied)
	}
	again, err := db.Migrate(ctx, migrations.FS, time.Now())
	if err != nil || len(again) != 0 {
		t.Fatalf("second run applied %v, err %v; want nothing", again, err)
	}
	st, err := db.Migrations(ctx, migrations.FS)
	if err != nil || !st.Current() {
		t.Fatalf("status %+v, err %v; want current", st, err)
	}
}

func TestMigrateRefusesNewerDatabase(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.Migrate(ctx, migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	future := fstest.MapFS{}
	for _, name := range mustGlob(t) {
		future[name] = &fstest.MapFile{Data: []byte("SELECT 1;")}
	}
	future["9999_from_the_future.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE later (x INTEGER);")}
	if _, err := db.Migrate(ctx, future, time.Now()); err != nil {
		t.Fatal(err)
	}
	_, err := db.Migrate(ctx, migrations.FS, time.Now())
	var newer *store.ErrNewerDatabase
	if !errors.As(err, &newer) {
		t.Fatalf("err = %v, want ErrNewerDatabase", err)
	}
	if !strings.Contains(err.Error(), "9999_from_the_future.sql") || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("message %q must name the migration and say the database is newer", err)
	}
}

func TestFailedMigrationLeavesNothing(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	fsys := fstest.MapFS{
		"0001_a.sql": {Data: []byte("CREATE TABLE a (x INTEGER);")},
		"0002_b.sql": {Data: []byte("CREATE TABLE b (x INTEGER); INSERT INTO missing VALUES (1);")},
	}
	_, err := db.Migrate(ctx, fsys, time.Now())
	if err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
		t.Fatalf("err = %v, want one naming 0002_b.sql", err)
	}
	st, err := db.Migrations(ctx, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Pending) != 1 || st.Pending[0] != "0002_b.sql" {
		t.Fatalf("pending %v, want [0002_b.sql]", st.Pending)
	}
	var n int
	if err := rawDB(t, db).QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'b'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("table b exists (%d, %v): the failed migration was not rolled back", n, err)
	}
}

func mustGlob(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// rawDB opens the database file directly, to look at what the store wrote.
func rawDB(t *testing.T, db *store.DB) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// migrateBefore applies the migrations whose names sort before first (such
// as "0029"): the database as an older version left it.
func migrateBefore(t *testing.T, db *store.DB, first string) {
	t.Helper()
	before := fstest.MapFS{}
	for _, name := range mustGlob(t) {
		if name < first {
			body, err := fs.ReadFile(migrations.FS, name)
			if err != nil {
				t.Fatal(err)
			}
			before[name] = &fstest.MapFile{Data: body}
		}
	}
	if _, err := db.Migrate(context.Background(), before, time.Now()); err != nil {
		t.Fatal(err)
	}
}
