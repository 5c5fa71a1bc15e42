//go:build dqlite

package cluster_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/app/apptest"
	"switchyard/app/demo"
	"switchyard/app/search"
	store "switchyard/sql"
	"switchyard/sql/cluster"
)

// quiet is a logger that writes nowhere.
func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// merchantFile makes a single-file Switchyard with the demo network, a Lyon
// network of its own and orders in it, some indexed for search and some
// not; it returns the file, closed.
func merchantFile(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "merchant.db")
	a, _, err := app.Open(ctx, path, time.Now, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if seeded, _, err := demo.New(a, accounts.New(a)).SeedDemo(ctx); err != nil || !seeded {
		t.Fatalf("demo: %v %v", seeded, err)
	}
	apptest.MustChannel(t, a, "web", 0)
	apptest.MustLocation(t, a, "LYS", "web")
	apptest.MustSKU(t, a, "TEE")
	apptest.Count(t, a, "LYS", "TEE", 1000)
	place(t, a, "before-index-1", "before-index-2")
	if _, err := search.New(a).IndexSearch(ctx); err != nil {
		t.Fatal(err)
	}
	place(t, a, "after-index-1") // left for the cluster's indexer
	return path
}

// place places Lyon orders with the external ids exts.
func place(t *testing.T, a *app.App, exts ...string) app.Order {
	t.Helper()
	var o app.Order
	for _, ext := range exts {
		var err error
		if o, _, err = a.PlaceOrder(context.Background(), app.System, apptest.LyonOrder(ext, 1)); err != nil {
			t.Fatalf("order %s: %v", ext, err)
		}
	}
	return o
}

// tableCounts counts the rows of every ordinary table of a plain file.
func tableCounts(t *testing.T, path string) map[string]int64 {
	t.Helper()
	db, err := sql.Open("sqlite3", store.FileURI(path, url.Values{"mode": {"ro"}}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
		AND name NOT LIKE 'sqlite%' AND name NOT IN ('schema_migrations', 'cluster_nodes')`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	counts := map[string]int64{}
	for _, n := range names {
		var c int64
		if err := db.QueryRow(`SELECT count(*) FROM "` + n + `"`).Scan(&c); err != nil {
			t.Fatal(err)
		}
		counts[n] = c
	}
	return counts
}

// sessionKeysOf reads the session keys a plain file holds (nil: none).
func sessionKeysOf(t *testing.T, path string) []byte {
	t.Helper()
	db, err := sql.Open("sqlite3", store.FileURI(path, url.Values{"mode": {"ro"}}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var keys []byte
	if err := db.QueryRow(`SELECT value FROM settings WHERE key = 'session_keys'`).Scan(&keys); err != nil && err != sql.ErrNoRows {
		t.Fatal(err)
	}
	return keys
}

// copyFile copies a closed SQLite file.
func copyFile(t *testing.T, from string) string {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return to
}

// TestImportAFileIntoANewCluster moves a merchant's file into a three-node
// cluster: every table's rows arrive, the stock invariants hold, search
// finds the imported orders, the next order takes the number and id the
// file would have given, the cluster exports back to a file with the same
// rows, and a second import is refused.
func TestImportAFileIntoANewCluster(t *testing.T) {
	nodes := startCluster(t, 3)
	apps := openApps(t, nodes)
	ctx := context.Background()
	file := merchantFile(t)
	want := tableCounts(t, file)
	addrs := []string{nodes[0].Address(), nodes[1].Address(), nodes[2].Address()}
	clusterKeys, err := accounts.New(apps[0]).SessionKeys(ctx, "")
	if err != nil {
		t.Fatal(err)
	}

	rep, err := cluster.Import(ctx, cluster.ImportOptions{Addrs: addrs, File: file})
	if err != nil {
		t.Fatal(err)
	}
	var rows int64
	for _, n := range want {
		rows += n
	}
	if rep.Tables != len(want) || rep.Rows != rows {
		t.Errorf("imported %d tables, %d rows; the file has %d and %d", rep.Tables, rep.Rows, len(want), rows)
	}
	t.Logf("imported %d tables, %d rows in %s", rep.Tables, rep.Rows, rep.Took)

	// Round trip: the cluster exports to a file with the same rows.
	exported := filepath.Join(t.TempDir(), "exported.db")
	if err := cluster.Export(ctx, addrs, exported); err != nil {
		t.Fatal(err)
	}
	got := tableCounts(t, exported)
	for name, n := range want {
		if got[name] != n && !(name == "settings" && got[name] == n+1) { // the cluster's session keys kept
			t.Errorf("table %s: %d rows after the round trip, %d in the file", name, got[name], n)
		}
	}
	if keys := sessionKeysOf(t, exported); keys == nil || string(keys) != string(clusterKeys) {
		t.Error("the cluster's session keys were not kept")
	}

	for i, a := range apps {
		apptest.CheckInvariants(t, a)
		if n, err := a.Read().CountOrders(ctx); err != nil || n != want["orders"] {
			t.Errorf("node %d reads %d orders (%v), want %d", i, n, err, want["orders"])
		}
	}
	for _, q := range []string{"before-index-2", "after-index-1"} {
		res, err := search.New(apps[1]).Search(ctx, app.System, q, 10)
		if err != nil || len(res.Orders) != 1 {
			t.Errorf("search %q on the cluster: %+v %v, want one order", q, res.Orders, err)
		}
	}
	res, err := search.New(apps[2]).Search(ctx, app.System, "lyon", 500)
	if err != nil || len(res.Orders) == 0 {
		t.Errorf("search for a word of the imported orders: %d orders %v", len(res.Orders), err)
	}

	// The next order: the same number and id in the cluster as in the file.
	fileCopy := copyFile(t, file)
	plain, _, err := app.Open(ctx, fileCopy, time.Now, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	wantNext := place(t, plain, "next")
	next := place(t, apps[2], "next")
	if next.ID != wantNext.ID || next.Number != wantNext.Number {
		t.Errorf("the next order in the cluster is %d %s, in the file it would be %d %s", next.ID, next.Number, wantNext.ID, wantNext.Number)
	}
	apptest.CheckInvariants(t, apps[0])

	_, err = cluster.Import(ctx, cluster.ImportOptions{Addrs: addrs, File: file})
	if err == nil || !strings.Contains(err.Error(), "import goes into a new cluster only") || strings.Contains(err.Error(), "partial") {
		t.Errorf("a second import: %v, want a refusal", err)
	}
}

// TestImportRefusals: a file that is not there, and a file whose migrations
// are not the cluster's, are refused before anything changes.
func TestImportRefusals(t *testing.T) {
	nodes := startCluster(t, 1)
	openApps(t, nodes)
	ctx := context.Background()
	addrs := []string{nodes[0].Address()}
	missing := filepath.Join(t.TempDir(), "missing.db")
	if _, err := cluster.Import(ctx, cluster.ImportOptions{Addrs: addrs, File: missing}); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("a missing file: %v", err)
	}
	older := filepath.Join(t.TempDir(), "older.db")
	a, _, err := app.Open(ctx, older, time.Now, quiet())
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	db, err := sql.Open("sqlite3", older)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM schema_migrations WHERE name = (SELECT max(name) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = cluster.Import(ctx, cluster.ImportOptions{Addrs: addrs, File: older})
	if err == nil || !strings.Contains(err.Error(), "differ from the cluster's") || strings.Contains(err.Error(), "partial") {
		t.Errorf("a file of other migrations: %v", err)
	}
}

// TestImportGoesOnAcrossALeaderChange: the leader stops while an import
// runs; the import goes on through the new leader and every row arrives once.
func TestImportGoesOnAcrossALeaderChange(t *testing.T) {
	nodes := startCluster(t, 3)
	openApps(t, nodes[:1])
	ctx := context.Background()
	file := merchantFile(t)
	want := tableCounts(t, file)
	addrs := []string{nodes[0].Address(), nodes[1].Address(), nodes[2].Address()}
	tables, stopped := 0, -1
	progress := func(string, int64) {
		if tables++; tables != 10 {
			return
		}
		for i, n := range nodes {
			if n.IsLeader(ctx) {
				stopped = i
				if err := n.Close(ctx); err != nil {
					t.Errorf("stop the leader: %v", err)
				}
				return
			}
		}
	}
	if _, err := cluster.Import(ctx, cluster.ImportOptions{Addrs: addrs, File: file, Progress: progress}); err != nil {
		t.Fatal(err)
	}
	if stopped < 0 {
		t.Fatal("no leader was stopped")
	}
	exported := filepath.Join(t.TempDir(), "exported.db")
	if err := cluster.Export(ctx, addrs, exported); err != nil {
		t.Fatal(err)
	}
	got := tableCounts(t, exported)
	for name, n := range want {
		if got[name] != n {
			t.Errorf("table %s: %d rows, %d in the file", name, got[name], n)
		}
	}
	out, _, err := app.Open(ctx, exported, time.Now, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	apptest.CheckInvariants(t, out)
	if res, err := search.New(out).Search(ctx, app.System, "before-index-1", 10); err != nil || len(res.Orders) != 1 {
		t.Errorf("search in the exported file: %+v %v", res.Orders, err)
	}
}
