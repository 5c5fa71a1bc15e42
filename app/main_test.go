package app

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"switchyard/migrations"
	store "switchyard/sql"
)

// newTestApp opens an App on a fresh SQLite file in the test's temp directory.
func newTestApp(t testing.TB) *App {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, migrations.FS, time.Now()); err != nil {
		t.Fatal(err)
	}
	return New(db, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// mustChannel creates a channel or fails the test.
func mustChannel(t testing.TB, a *App, code string, buffer int64) {
	t.Helper()
	if _, _, err := a.PutChannel(context.Background(), System, code, ChannelInput{Name: code, Kind: "api", Buffer: buffer}); err != nil {
		t.Fatal(err)
	}
}

// mustLocation creates a shipping location serving channels, or fails the test.
func mustLocation(t testing.TB, a *App, code string, channels ...string) {
	t.Helper()
	yes := true
	_, _, err := a.PutLocation(context.Background(), System, code, LocationInput{
		Name: code, Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes,
		Address: Address{City: "Lyon", Country: "FR"}, Channels: channels,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// mustSKU creates a SKU or fails the test.
func mustSKU(t testing.TB, a *App, code string) {
	t.Helper()
	if _, _, err := a.PutSKU(context.Background(), System, code, SKUInput{Name: code}); err != nil {
		t.Fatal(err)
	}
}
