package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"switchyard/migrations"
	store "switchyard/sql"
)

// TestGroupCommitIsolatesFailures: writes committed together each keep their
// own fate: a failing or panicking one leaves nothing, the others all land.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.Migrate(ctx, migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	const n = 300
	boom := errors.New("boom")
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Write(ctx, func(q *store.Queries) error {
				key := fmt.Sprintf("k%03d", i)
				if err := q.PutSettingIfAbsent(ctx, store.PutSettingIfAbsentParams{Key: key, Value: []byte("v")}); err != nil {
					return err
				}
				switch i % 5 {
				case 1:
					return boom
				case 2:
					panic("a bug in one write")
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i := range n {
		_, err := db.Read.GetSetting(ctx, fmt.Sprintf("k%03d", i))
		switch i % 5 {
		case 1:
			if !errors.Is(errs[i], boom) || !store.IsNoRows(err) {
				t.Fatalf("write %d failed with %v but its row exists (%v)", i, errs[i], err)
			}
		case 2:
			if errs[i] == nil || !store.IsNoRows(err) {
				t.Fatalf("write %d panicked: err %v, row %v", i, errs[i], err)
			}
		default:
			if errs[i] != nil || err != nil {
				t.Fatalf("write %d: err %v, row %v; want it committed", i, errs[i], err)
			}
		}
	}
}

// TestWriteAfterCancelDoesNothing: a caller that gave up before its turn changes nothing.
func TestWriteAfterCancelDoesNothing(t *testing.T) {
	db := openTemp(t)
	if _, err := db.Migrate(context.Background(), migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := db.Write(ctx, func(q *store.Queries) error {
		return q.PutSettingIfAbsent(ctx, store.PutSettingIfAbsentParams{Key: "late", Value: []byte("v")})
	})
	if err == nil {
		t.Fatal("a cancelled write reported success")
	}
	if _, err := db.Read.GetSetting(context.Background(), "late"); !store.IsNoRows(err) {
		t.Fatalf("a cancelled write was applied: %v", err)
	}
}

// TestCancelMidJobSparesTheBatch: a caller whose context ends while its job
// runs does not interrupt the shared writer connection, so the other jobs of
// the group commit land.
func TestCancelMidJobSparesTheBatch(t *testing.T) {
	db := openTemp(t)
	bg := context.Background()
	if _, err := db.Migrate(bg, migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithCancel(bg)
			defer cancel()
			err := db.Write(ctx, func(q *store.Queries) error {
				if i%4 == 0 {
					cancel() // the client went away in the middle of its job
				}
				return q.PutSettingIfAbsent(ctx, store.PutSettingIfAbsentParams{Key: fmt.Sprintf("c%02d", i), Value: []byte("v")})
			})
			if err != nil {
				t.Errorf("job %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	for i := range 40 {
		if _, err := db.Read.GetSetting(bg, fmt.Sprintf("c%02d", i)); err != nil {
			t.Fatalf("job %d did not land: %v", i, err)
		}
	}
}
