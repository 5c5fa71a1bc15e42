package store_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"switchyard/migrations"
	store "switchyard/sql"
)

// TestCheckpointsRunInTheBackground: commits leave their pages in the WAL
// (the writer never checkpoints), and the checkpointer copies them into the
// database file shortly after; every committed row is there.
func TestCheckpointsRunInTheBackground(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.Migrate(ctx, migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	size := func(name string) int64 {
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	time.Sleep(200 * time.Millisecond) // the migrations' pages reach the file
	before := size(db.Path())
	const n, bytes = 200, 3000
	for i := range n {
		if err := db.Write(ctx, func(q *store.Queries) error {
			return q.PutSettingIfAbsent(ctx, store.PutSettingIfAbsentParams{Key: fmt.Sprintf("k%03d", i), Value: make([]byte, bytes)})
		}); err != nil {
			t.Fatal(err)
		}
	}
	if size(db.Path()+"-wal") < n*bytes {
		t.Fatalf("the commits should be in the WAL")
	}
	deadline := time.Now().Add(5 * time.Second)
	for size(db.Path()) < before+n*bytes {
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s the database file has %d bytes, %d before %d KB were committed: nothing copied the WAL into it",
				size(db.Path()), before, n*bytes/1000)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for i := range n {
		if _, err := db.Read.GetSetting(ctx, fmt.Sprintf("k%03d", i)); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
	}
}
