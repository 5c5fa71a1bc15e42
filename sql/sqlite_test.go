package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/migrations"
	store "switchyard/sql"
)

func TestConnectionSettings(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.Migrate(ctx, migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, db)
	var mode string
	if err := raw.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v), want wal", mode, err)
	}
	// The store's own connections: foreign keys on, synchronous FULL (2).
	err := db.Write(ctx, func(q *store.Queries) error {
		// A user_locations row pointing nowhere must be refused by the foreign key.
		err := q.AddUserLocation(ctx, store.AddUserLocationParams{UserID: 999, LocationID: 999})
		if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
			t.Errorf("dangling reference accepted (err %v): foreign_keys is off", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var fk, sync int
	if err := store.PragmaForTest(ctx, db, "foreign_keys", &fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d (%v), want 1", fk, err)
	}
	if err := store.PragmaForTest(ctx, db, "synchronous", &sync); err != nil || sync != 2 {
		t.Errorf("synchronous = %d (%v), want 2 (FULL)", sync, err)
	}
}

func TestReadPoolIsReadOnly(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.Migrate(ctx, migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	err := db.Snapshot(ctx, func(q *store.Queries) error {
		return q.PutSettingIfAbsent(ctx, store.PutSettingIfAbsentParams{Key: "k", Value: []byte("v")})
	})
	if err == nil {
		t.Fatal("a write through the read-only pool succeeded")
	}
}

func TestWriteRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.Migrate(ctx, migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	boom := context.Canceled
	err := db.Write(ctx, func(q *store.Queries) error {
		if err := q.PutSettingIfAbsent(ctx, store.PutSettingIfAbsentParams{Key: "k", Value: []byte("v")}); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("err = %v, want the function's error", err)
	}
	if _, err := db.Read.GetSetting(ctx, "k"); !store.IsNoRows(err) {
		t.Fatalf("setting written despite the error: %v", err)
	}
}

func TestOpenNamesTheFileExactlyWhateverItsCharacters(t *testing.T) {
	for _, name := range []string{"shop#1.db", "what?.db", "100%.db"} {
		path := filepath.Join(t.TempDir(), name)
		db, err := store.Open(context.Background(), path)
		if err != nil {
			t.Fatalf("open %q: %v", name, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%q: no file at the path given: %v", name, err)
		}
		entries, err := os.ReadDir(filepath.Dir(path))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), name) {
				t.Errorf("%q: a file %q was made beside it", name, e.Name())
			}
		}
	}
}
