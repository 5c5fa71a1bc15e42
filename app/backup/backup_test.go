package backup_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/backup"
	"switchyard/app/ops"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestBackupDuringIntake backs up while eight goroutines place orders,
// restores the backup into another path and finds there every order that
// was acknowledged before the backup began, with the invariants holding.
func TestBackupDuringIntake(t *testing.T) {
	a := apptest.RouteNetwork(t)
	apptest.Count(t, a, "LYS", "TEE", 1_000_000)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		mu    sync.Mutex
		acked []string
		fails []string
		wg    sync.WaitGroup
	)
	for g := range 8 {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				ext := fmt.Sprintf("b-%d-%d", g, n)
				_, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder(ext, 1))
				mu.Lock()
				if err == nil {
					acked = append(acked, ext)
				} else if ctx.Err() == nil {
					fails = append(fails, err.Error())
				}
				mu.Unlock()
			}
		})
	}
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(acked) >= 300 })
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	to := filepath.Join(t.TempDir(), "copy.db")
	res, err := backup.Online(ctx, a.DB().Path(), to)
	mu.Lock()
	during := len(acked) - len(before)
	mu.Unlock()
	cancel()
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if len(fails) > 0 {
		t.Fatalf("%d orders failed during the backup: %v", len(fails), fails[:min(3, len(fails))])
	}
	t.Logf("backup of %d orders (%d bytes) in %s; %d acknowledged before it, %d while it ran",
		res.Orders, res.Bytes, res.Took, len(before), during)
	if res.Orders < int64(len(before)) {
		t.Fatalf("backup has %d orders, %d were acknowledged before it began", res.Orders, len(before))
	}
	restored := filepath.Join(t.TempDir(), "restored.db")
	r, err := backup.Restore(context.Background(), to, restored, time.Now(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	if r.Orders != res.Orders || r.Kept != "" {
		t.Fatalf("restored %+v, backup had %d orders", r, res.Orders)
	}
	b := openApp(t, restored)
	for _, ext := range before {
		if _, err := b.OrderByExternal(context.Background(), "web", ext); err != nil {
			t.Fatalf("order %s, acknowledged before the backup, is not in it: %v", ext, err)
		}
	}
	checkInvariants(t, b)
}

// TestOnlineRefusesExistingFile leaves an existing --to file as it was.
func TestOnlineRefusesExistingFile(t *testing.T) {
	a := apptest.RouteNetwork(t)
	to := filepath.Join(t.TempDir(), "there.db")
	os.WriteFile(to, []byte("mine"), 0o644)
	if _, err := backup.Online(context.Background(), a.DB().Path(), to); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Fatalf("backup onto an existing file: %v", err)
	}
	if b, _ := os.ReadFile(to); string(b) != "mine" {
		t.Fatalf("the existing file now holds %q", b)
	}
	assertFiles(t, filepath.Dir(to), "there.db")
}

// TestRestoreRefusals: while a server holds the lock, a garbage file, a
// database with broken stock, a newer database: each is refused with a
// clear message and nothing beside the database changes.
func TestRestoreRefusals(t *testing.T) {
	a := apptest.RouteNetwork(t)
	apptest.Count(t, a, "LYS", "TEE", 10)
	good := filepath.Join(t.TempDir(), "good.db")
	if _, err := backup.Online(context.Background(), a.DB().Path(), good); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	if _, err := backup.Restore(context.Background(), good, db, time.Now(), quiet); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(db)

	lock, err := backup.ServeLock(db)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, good, db, "a switchyard server is running on")
	lock.Release()

	garbage := filepath.Join(t.TempDir(), "garbage.db")
	os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 1000)), 0o644)
	refused(t, garbage, db, "not a sound SQLite database")

	broken := copyOf(t, good, func(raw *sql.DB) error {
		_, err := raw.Exec(`UPDATE stock_levels SET on_hand = on_hand + 5`)
		return err
	})
	refused(t, broken, db, "stock invariants do not hold")

	newer := copyOf(t, good, func(raw *sql.DB) error {
		_, err := raw.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES ('9000_future.sql', 0)`)
		return err
	})
	refused(t, newer, db, "newer version")

	if got, _ := os.ReadFile(db); string(got) != string(want) {
		t.Fatal("a refused restore changed the database")
	}
	assertFiles(t, dir, "live.db", "live.db.lock")
}

// TestRestoreKeepsTheOldDatabase: the replaced database stays beside, whole.
func TestRestoreKeepsTheOldDatabase(t *testing.T) {
	old := filepath.Join(t.TempDir(), "old.db")
	a, _, err := app.Open(context.Background(), old, time.Now, quiet)
	if err != nil {
		t.Fatal(err)
	}
	apptest.MustChannel(t, a, "web", 0)
	apptest.MustLocation(t, a, "LYS", "web")
	apptest.MustSKU(t, a, "TEE")
	backupFile := filepath.Join(t.TempDir(), "b.db")
	if _, err := backup.Online(context.Background(), a.DB().Path(), backupFile); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.PlaceOrder(context.Background(), app.System, apptest.LyonOrder("after", 1)); err != nil {
		t.Fatal(err)
	}
	a.Close()
	os.Chmod(old, 0o640)
	now := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	r, err := backup.Restore(context.Background(), backupFile, old, now, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if r.Kept != old+".before-restore-20261207T030000Z" {
		t.Fatalf("kept %q", r.Kept)
	}
	if fi, err := os.Stat(old); err != nil || fi.Mode().Perm() != 0o640 {
		t.Fatalf("the restored file: %v %v, want the old one's mode 0640", fi.Mode(), err)
	}
	if _, err := os.Stat(old + "-wal"); err == nil {
		t.Fatal("the old database's -wal is still beside the restored one")
	}
	if _, err := openApp(t, old).OrderByExternal(context.Background(), "web", "after"); err == nil {
		t.Fatal("the order placed after the backup is in the restored database")
	}
	if _, err := openApp(t, r.Kept).OrderByExternal(context.Background(), "web", "after"); err != nil {
		t.Fatalf("the kept database lost the order placed after the backup: %v", err)
	}
}

// TestPrune keeps the newest scheduled backups and leaves other files alone.
func TestPrune(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	var names []string
	for i := range 5 {
		names = append(names, backup.Name(t0.Add(time.Duration(i)*time.Hour)))
	}
	for _, n := range append([]string{"notes.txt", "switchyard-latest.db"}, names...) {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	removed, err := backup.Prune(dir, 2)
	if err != nil || len(removed) != 3 {
		t.Fatalf("removed %v, %v", removed, err)
	}
	assertFiles(t, dir, "notes.txt", names[3], names[4], "switchyard-latest.db")
}

// refused restores from into db and wants an error containing msg.
func refused(t *testing.T, from, db, msg string) {
	t.Helper()
	_, err := backup.Restore(context.Background(), from, db, time.Now(), quiet)
	if err == nil || !strings.Contains(err.Error(), msg) {
		t.Fatalf("restore from %s: %v, want %q", filepath.Base(from), err, msg)
	}
}

// copyOf copies the database file src and changes the copy with change.
func copyOf(t *testing.T, src string, change func(*sql.DB) error) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "changed.db")
	os.WriteFile(dst, b, 0o644)
	raw, err := sql.Open("sqlite3", "file:"+dst)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := change(raw); err != nil {
		t.Fatal(err)
	}
	return dst
}

// openApp opens the app on the database at path.
func openApp(t *testing.T, path string) *app.App {
	t.Helper()
	a, _, err := app.Open(context.Background(), path, time.Now, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// checkInvariants fails the test unless the stock invariants hold.
func checkInvariants(t *testing.T, a *app.App) {
	t.Helper()
	rep, err := ops.New(a).CheckInvariants(context.Background())
	if err != nil || !rep.OK() {
		t.Fatalf("invariants: %+v %v", rep, err)
	}
}

// assertFiles wants exactly the files names in dir.
func assertFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Fatalf("%s holds %v, want %v", dir, got, names)
	}
}

// waitFor polls cond for up to a minute.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out")
}
