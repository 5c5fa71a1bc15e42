//go:build dqlite

package cluster_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/apptest"
	store "switchyard/sql"
	"switchyard/sql/cluster"
)

// freeAddrs finds n free loopback addresses.
func freeAddrs(t *testing.T, n int) []string {
	t.Helper()
	var out []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l.Addr().String())
		l.Close()
	}
	return out
}

// startCluster starts n nodes on loopback, the first alone, the others joining it.
func startCluster(t *testing.T, n int) []*cluster.Node {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	addrs := freeAddrs(t, n)
	nodes := make([]*cluster.Node, n)
	for i, addr := range addrs {
		o := cluster.Options{Dir: t.TempDir(), Addr: addr, Log: log}
		if i > 0 {
			o.Join = addrs[:1]
		}
		node, err := cluster.Start(ctx, o)
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		nodes[i] = node
	}
	t.Cleanup(func() {
		for i := len(nodes) - 1; i >= 0; i-- {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_ = nodes[i].Close(ctx)
			cancel()
		}
	})
	return nodes
}

// openApps opens Switchyard on every node (the first migrates the schema).
func openApps(t *testing.T, nodes []*cluster.Node) []*app.App {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	apps := make([]*app.App, len(nodes))
	for i, n := range nodes {
		db, err := n.Open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := app.OpenStore(ctx, db, time.Now, log)
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		t.Cleanup(func() { a.Close() })
		apps[i] = a
	}
	return apps
}

// TestOrdersOnAThreeNodeCluster migrates Switchyard's schema into a three-node
// cluster, places and routes orders through one node (16 at once, through the
// writer's group commit), and reads every one of them, with the stock they
// reserved, on every node.
func TestOrdersOnAThreeNodeCluster(t *testing.T) {
	nodes := startCluster(t, 3)
	ctx := context.Background()
	apps := openApps(t, nodes)
	a := apps[0]
	apptest.MustChannel(t, a, "web", 0)
	apptest.MustLocation(t, a, "LYS", "web")
	apptest.MustSKU(t, a, "TEE")
	apptest.Count(t, a, "LYS", "TEE", 1000)
	const orders = 64
	var wg sync.WaitGroup
	errs := make(chan error, orders)
	for i := range orders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder(fmt.Sprint("C", i), 2)); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i, other := range apps {
		n, err := other.Read().CountOrders(ctx)
		if err != nil || n != orders {
			t.Errorf("node %d reads %d orders (%v), want %d", i, n, err, orders)
		}
		page, err := other.ListStock(ctx, app.StockQuery{Location: "LYS", SKU: "TEE"})
		if err != nil || len(page.Levels) != 1 || page.Levels[0].Reserved != 2*orders {
			t.Errorf("node %d reads the level %+v (%v), want %d reserved", i, page.Levels, err, 2*orders)
		}
	}
	// The cluster's database moves out into a plain file, orders and all.
	file := filepath.Join(t.TempDir(), "exported.db")
	if err := cluster.Export(ctx, []string{nodes[2].Address()}, file); err != nil {
		t.Fatal(err)
	}
	if err := cluster.Export(ctx, []string{nodes[2].Address()}, file); err == nil {
		t.Error("an export over an existing file was not refused")
	}
	out, _, err := app.Open(ctx, file, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("open the exported file: %v", err)
	}
	defer out.Close()
	if n, err := out.Read().CountOrders(ctx); err != nil || n != orders {
		t.Errorf("the exported file holds %d orders (%v), want %d", n, err, orders)
	}
	apptest.CheckInvariants(t, out)
	members, err := nodes[1].Members(ctx)
	if err != nil || len(members) != 3 {
		t.Fatalf("members %+v %v", members, err)
	}
	leaders := 0
	for _, m := range members {
		if m.Leader {
			leaders++
		}
	}
	if leaders != 1 {
		t.Errorf("%d leaders among %+v", leaders, members)
	}
}

// TestUniqueViolationsAreKnownThroughDqlite: the idempotency paths tell a
// UNIQUE failure by store.IsUniqueViolation; through dqlite's driver too.
func TestUniqueViolationsAreKnownThroughDqlite(t *testing.T) {
	nodes := startCluster(t, 1)
	ctx := context.Background()
	db, err := nodes[0].Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, _, err := app.OpenStore(ctx, db, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	apptest.MustChannel(t, a, "web", 0)
	apptest.MustLocation(t, a, "LYS", "web")
	// The idempotency keys' inserts are plain INSERTs: their failure keeps
	// SQLite's extended code through dqlite. (dqlite 1.11 answers a failed
	// INSERT ... RETURNING with code 1 and a column's name instead: no use of
	// IsUniqueViolation relies on one.)
	err = a.Write(ctx, func(tx app.Tx) error {
		return tx.Q.AddLocationChannel(ctx, store.AddLocationChannelParams{LocationID: 1, ChannelID: 1})
	})
	if err == nil || !store.IsUniqueViolation(err) {
		t.Fatalf("the same location and channel twice: %v (%#v), want a unique violation", err, err)
	}
}

// TestEveryNodeTakesWrites: each of three nodes places orders through its
// own writer at once. dqlite does not wait for the cluster's write lock, so a
// batch that meets it is run again: every order is placed, once, and every
// node reads them all with their reservations.
func TestEveryNodeTakesWrites(t *testing.T) {
	nodes := startCluster(t, 3)
	ctx := context.Background()
	apps := openApps(t, nodes)
	apptest.MustChannel(t, apps[0], "web", 0)
	apptest.MustLocation(t, apps[0], "LYS", "web")
	apptest.MustSKU(t, apps[0], "TEE")
	apptest.Count(t, apps[0], "LYS", "TEE", 1000)
	const perNode = 24
	var wg sync.WaitGroup
	errs := make(chan error, perNode*len(apps))
	for n, a := range apps {
		for i := range perNode {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder(fmt.Sprintf("N%d-%d", n, i), 1)); err != nil {
					errs <- fmt.Errorf("node %d order %d: %w", n, i, err)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i, a := range apps {
		n, err := a.Read().CountOrders(ctx)
		if err != nil || n != perNode*int64(len(apps)) {
			t.Errorf("node %d reads %d orders (%v), want %d", i, n, err, perNode*len(apps))
		}
	}
	apptest.CheckInvariants(t, apps[2])
}

// TestRemoveAMember: a retired node is taken out of the cluster; the others
// go on, and an unknown address is refused.
func TestRemoveAMember(t *testing.T) {
	nodes := startCluster(t, 3)
	ctx := context.Background()
	addrs := []string{nodes[0].Address()}
	if err := cluster.Remove(ctx, addrs, "127.0.0.1:1"); err == nil {
		t.Error("removing an unknown member was not refused")
	}
	retired := nodes[2].Address()
	if err := nodes[2].Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := cluster.Remove(ctx, addrs, retired); err != nil {
		t.Fatal(err)
	}
	members, err := cluster.Status(ctx, addrs)
	if err != nil || len(members) != 2 {
		t.Fatalf("members after the removal: %+v %v", members, err)
	}
	for _, m := range members {
		if m.Address == retired {
			t.Errorf("%s is still a member", retired)
		}
	}
}
