package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/app/ops"
)

// TestBackupAndRestoreAroundServer runs a server with scheduled backups
// under HTTP intake, backs it up from the command line, checks that restore
// refuses while the server runs, restores the backup into another path and
// finds every order acknowledged before the backup began; and that the
// scheduled backups rotate.
func TestBackupAndRestoreAroundServer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a server under load")
	}
	dir := t.TempDir()
	db, backups := filepath.Join(dir, "live.db"), filepath.Join(dir, "backups")
	mustCLI(t, "migrate", "--db", db)
	key := strings.TrimSpace(mustCLI(t, "apikey", "create", "--db", db, "--name", "t", "--scopes", "orders:write"))
	stale := filepath.Join(backups, ".switchyard-20261207T000000.000Z.db.backup-1.tmp") // a killed server's
	os.MkdirAll(backups, 0o755)
	os.WriteFile(stale, []byte("half"), 0o600)
	addr := freeAddr(t)
	ctx, stopServer := context.WithCancel(context.Background())
	defer stopServer()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--db", db, "--addr", addr, "--backup-dir", backups,
			"--backup-every", "300ms", "--backup-keep", "2"}, func(string) string { return "" }, strings.NewReader(""), io.Discard, &logs)
	}()
	waitHealthy(t, "http://"+addr)

	acked, stopLoad := loadOrders(t, "http://"+addr, key)
	waitForCond(t, func() bool { return len(acked()) >= 200 })
	before := acked()
	to := filepath.Join(dir, "manual.db")
	out := mustCLI(t, "backup", "--db", db, "--to", to)
	if !strings.HasPrefix(out, "backup "+to+": ") || !strings.Contains(out, " orders, took ") {
		t.Errorf("backup printed %q", out)
	}
	waitForCond(t, func() bool { return len(acked()) >= len(before)+100 })
	if _, _, err := cli(t, "", nil, "backup", "--db", db, "--to", to); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("backup onto an existing file: %v", err)
	}
	if _, _, err := cli(t, "", nil, "restore", "--db", db, "--from", to); err == nil || !strings.Contains(err.Error(), "a switchyard server is running on") {
		t.Errorf("restore while serving: %v", err)
	}
	rotated := watchRotation(t, backups, 2)
	stopLoad()
	stopServer()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, logs.String())
	}
	for _, line := range []string{"backup written", "old backup removed"} {
		if !strings.Contains(logs.String(), line) {
			t.Errorf("the server's log has no %q", line)
		}
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the unfinished backup of a killed server is still there")
	}
	if left := backupNames(t, backups); len(left) != 2 || left[1] < rotated[len(rotated)-1] {
		t.Errorf("after the server stopped %v are left, want the newest 2 (newest seen %s)", left, rotated[len(rotated)-1])
	}

	other := filepath.Join(dir, "other.db")
	out = mustCLI(t, "restore", "--db", other, "--from", to)
	if !strings.Contains(out, "\nrestored "+to+" into "+other+": ") {
		t.Errorf("restore printed %q", out)
	}
	checkRestored(t, other, before)
	out = mustCLI(t, "restore", "--db", db, "--from", filepath.Join(backups, backupNames(t, backups)[1]))
	if !strings.Contains(out, "the database it replaced is kept as "+db+".before-restore-") {
		t.Errorf("restore over the stopped server's database printed %q", out)
	}
}

// TestServeRefusesBackupsInACluster points a cluster's backups to cluster export.
func TestServeRefusesBackupsInACluster(t *testing.T) {
	_, _, err := cli(t, "", nil, "serve", "--cluster-addr", "127.0.0.1:9", "--data", t.TempDir(), "--backup-dir", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "cluster export") {
		t.Fatalf("serve --backup-dir in a cluster: %v", err)
	}
}

// checkRestored finds every order of acked in the database at path, and the
// stock invariants holding there.
func checkRestored(t *testing.T, path string, acked []string) {
	t.Helper()
	rows, err := openRaw(t, path).Query(`SELECT external_id FROM orders`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	stored := map[string]bool{}
	for rows.Next() {
		var ext string
		if err := rows.Scan(&ext); err != nil {
			t.Fatal(err)
		}
		stored[ext] = true
	}
	for _, ext := range acked {
		if !stored[ext] {
			t.Fatalf("order %s was acknowledged before the backup began and is not in it", ext)
		}
	}
	a, err := openApp(context.Background(), path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if rep, err := ops.New(a).CheckInvariants(context.Background()); err != nil || !rep.OK() {
		t.Fatalf("invariants of the restored database: %+v %v", rep, err)
	}
	t.Logf("%d orders acknowledged before the backup, all restored", len(acked))
}

// loadOrders posts orders from 8 clients until stop; acked lists the
// external ids answered 201 so far.
func loadOrders(t *testing.T, base, key string) (acked func() []string, stop func()) {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var ids, unexpected []string
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				ext := fmt.Sprintf("bk-%d-%d-L%d", c, n, 1+n%3)
				status, body, err := postOrder(ctx, client, base, key, ext, 1+n%3)
				mu.Lock()
				if status == http.StatusCreated {
					ids = append(ids, ext)
				} else if ctx.Err() == nil {
					unexpected = append(unexpected, fmt.Sprintf("%s: %d %s %v", ext, status, body, err))
				}
				mu.Unlock()
			}
		})
	}
	acked = func() []string { mu.Lock(); defer mu.Unlock(); return slices.Clone(ids) }
	stop = func() {
		cancel()
		wg.Wait()
		client.CloseIdleConnections()
		if len(unexpected) > 0 {
			t.Errorf("%d orders not answered 201: %v", len(unexpected), firstFew(unexpected))
		}
	}
	t.Cleanup(stop)
	return acked, stop
}

// watchRotation polls dir until it has seen more scheduled backups than
// keep, never more than keep+1 at once (the new one before the oldest goes);
// it returns the names seen, sorted.
func watchRotation(t *testing.T, dir string, keep int) []string {
	t.Helper()
	seen := map[string]bool{}
	waitForCond(t, func() bool {
		names := backupNames(t, dir)
		if len(names) > keep+1 {
			t.Fatalf("%d scheduled backups at once, keep is %d: %v", len(names), keep, names)
		}
		for _, n := range names {
			seen[n] = true
		}
		return len(seen) > keep+1
	})
	all := slices.Sorted(func(yield func(string) bool) {
		for n := range seen {
			if !yield(n) {
				return
			}
		}
	})
	return all
}

// backupNames lists the scheduled backups in dir, sorted.
func backupNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "switchyard-") && strings.HasSuffix(e.Name(), ".db") {
			names = append(names, e.Name())
		}
	}
	return names
}

// mustCLI runs the program and returns its stdout, failing on an error.
func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, _, err := cli(t, "", nil, args...)
	if err != nil {
		t.Fatalf("switchyard %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// waitForCond polls cond for up to two minutes.
func waitForCond(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out")
}

// syncBuffer is a bytes.Buffer that a server's logger and a test share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
