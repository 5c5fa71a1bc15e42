//go:build dqlite

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/apptest"
	store "switchyard/sql"
	"switchyard/sql/cluster"
)

// node is one switchyard process of the failover test.
type node struct {
	http, raft, data string
	join             string
	cmd              *exec.Cmd
}

// freePort finds a free loopback address.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start starts the node's process and waits until it answers /readyz.
func (n *node) start(t *testing.T, bin string) {
	t.Helper()
	args := []string{"serve", "--addr", n.http, "--cluster-addr", n.raft, "--data", n.data, "--woo-pull-interval", "0"}
	if n.join != "" {
		args = append(args, "--join", n.join)
	}
	if err := os.MkdirAll(n.data, 0o755); err != nil {
		t.Fatal(err)
	}
	n.cmd = exec.Command(bin, args...)
	logf, err := os.OpenFile(n.data+".log", os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	n.cmd.Stdout, n.cmd.Stderr = logf, logf
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get("http://" + n.http + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	log, _ := os.ReadFile(n.data + ".log")
	t.Fatalf("node %s never became ready; its log:\n%s", n.raft, log)
}

// TestFailover: three nodes, 16 clients posting orders to any node (a client
// whose request fails sends the same order again, to the next node, until it
// is acknowledged), the leader killed with SIGKILL three times and restarted
// each time. Then every acknowledged order is there exactly once, nothing
// else is, the stock reserved is the orders' units, and intake resumed soon
// after each kill.
func TestFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three processes")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "switchyard-cluster")
	build := exec.Command("go", "build", "-tags", "dqlite libsqlite3 sqlite_fts5", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	nodes := make([]*node, 3)
	for i := range nodes {
		nodes[i] = &node{http: freePort(t), raft: freePort(t), data: filepath.Join(dir, fmt.Sprint("n", i+1))}
		if i > 0 {
			nodes[i].join = nodes[0].raft
		}
		nodes[i].start(t, bin)
	}
	t.Cleanup(func() {
		for _, n := range nodes {
			if n.cmd != nil && n.cmd.Process != nil {
				_ = n.cmd.Process.Kill()
				_ = n.cmd.Wait()
			}
		}
	})
	raft := []string{nodes[0].raft, nodes[1].raft, nodes[2].raft}
	key := failoverSetup(t, bin, raft, nodes[0].http)
	if roles := readyRoles(t, nodes); strings.Count(roles, "leader") != 1 || strings.Count(roles, "follower") != 2 {
		t.Fatalf("/readyz roles %s: want one leader and two followers", roles)
	}

	var stop atomic.Bool
	var acked sync.Map // external id -> true
	var ackCount atomic.Int64
	var lastAck atomic.Int64 // unix nanoseconds of the latest acknowledgement
	var wg sync.WaitGroup
	for c := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second}
			for seq := 0; !stop.Load(); seq++ {
				ext := fmt.Sprintf("c%02d-%06d", c, seq)
				for try := 0; ; try++ {
					n := nodes[(c+seq+try)%len(nodes)]
					if postClusterOrder(client, n.http, key, ext) {
						acked.Store(ext, true)
						ackCount.Add(1)
						lastAck.Store(time.Now().UnixNano())
						break
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
	var outages []time.Duration
	for kill := range 3 {
		time.Sleep(3 * time.Second)
		leader := leaderOf(t, raft)
		var victim *node
		for _, n := range nodes {
			if n.raft == leader {
				victim = n
			}
		}
		if victim == nil {
			t.Fatalf("kill %d: no node is the leader %q", kill+1, leader)
		}
		killedAt := time.Now()
		_ = victim.cmd.Process.Signal(os.Kill)
		_ = victim.cmd.Wait()
		// The outage lasts until an order is acknowledged after the kill.
		for lastAck.Load() < killedAt.UnixNano() && time.Since(killedAt) < 60*time.Second {
			time.Sleep(10 * time.Millisecond)
		}
		outages = append(outages, time.Unix(0, lastAck.Load()).Sub(killedAt))
		victim.join = nodes[(indexOf(nodes, victim)+1)%3].raft
		victim.start(t, bin)
	}
	time.Sleep(2 * time.Second)
	stop.Store(true)
	wg.Wait()
	lost, dups := failoverCheck(t, raft, &acked)
	checkClusterStatus(t, bin, raft)
	// The cluster's database moves out into a plain file with every order.
	file := filepath.Join(dir, "exported.db")
	if out, err := exec.Command(bin, "cluster", "export", "--join", strings.Join(raft, ","), "--to", file).CombinedOutput(); err != nil {
		t.Fatalf("cluster export: %v\n%s", err, out)
	}
	exported, _, err := app.Open(context.Background(), file, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := exported.Read().CountOrders(context.Background()); err != nil || n != ackCount.Load() {
		t.Errorf("the exported file holds %d orders (%v), want the %d acknowledged", n, err, ackCount.Load())
	}
	exported.Close()
	maxOutage := time.Duration(0)
	for _, o := range outages {
		maxOutage = max(maxOutage, o)
	}
	t.Logf("failover: acknowledged %d, lost %d, duplicates %d, max outage %.1f s (outages %v)",
		ackCount.Load(), lost, dups, maxOutage.Seconds(), outages)
	if lost != 0 || dups != 0 {
		t.Errorf("lost %d, duplicates %d: want none", lost, dups)
	}
	if maxOutage > 2*time.Second {
		t.Errorf("intake resumed %.1f s after a kill: want within 2 s", maxOutage.Seconds())
	}
}

// indexOf is n's index in nodes.
func indexOf(nodes []*node, n *node) int {
	for i, x := range nodes {
		if x == n {
			return i
		}
	}
	return -1
}

// postClusterOrder posts one order of one TEE and reports whether it was acknowledged.
func postClusterOrder(client *http.Client, addr, key, ext string) bool {
	body := fmt.Sprintf(`{"channel":"web","external_id":%q,"currency":"EUR","shipping_address":{"line1":"1 rue","city":"Lyon","country":"FR"},`+
		`"lines":[{"sku":"TEE","quantity":1,"unit_price":"10"}]}`, ext)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/v1/orders", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusCreated || res.StatusCode == http.StatusOK
}

// failoverSetup makes an API key through the cluster and the network through
// the API: channel web, location LYS serving it, SKU TEE with plenty of stock.
func failoverSetup(t *testing.T, bin string, raft []string, addr string) string {
	t.Helper()
	out, err := exec.Command(bin, "apikey", "create", "--db", "dqlite://"+strings.Join(raft, ","), "--name", "failover",
		"--scopes", "catalog:write,stock:write,orders:write,orders:read").CombinedOutput()
	if err != nil {
		t.Fatalf("apikey: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	key := lines[len(lines)-1]
	for _, r := range []struct{ method, path, body string }{
		{http.MethodPut, "/api/v1/channels/web", `{"name":"Web","kind":"api"}`},
		{http.MethodPut, "/api/v1/locations/LYS", `{"name":"Lyon","kind":"warehouse","timezone":"Europe/Paris","ships":true,"pickup":false,` +
			`"address":{"line1":"1 rue","city":"Lyon","postal_code":"69002","country":"FR"},"channels":["web"]}`},
		{http.MethodPut, "/api/v1/skus/TEE", `{"name":"Tee"}`},
		{http.MethodPut, "/api/v1/stock/LYS/TEE", `{"on_hand":1000000}`},
	} {
		req, _ := http.NewRequest(r.method, "http://"+addr+r.path, bytes.NewReader([]byte(r.body)))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode >= 300 {
			t.Fatalf("%s %s: %v %v", r.method, r.path, err, res)
		}
		res.Body.Close()
	}
	return key
}

// leaderOf is the cluster's leader's address.
func leaderOf(t *testing.T, raft []string) string {
	t.Helper()
	for range 100 {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		members, err := cluster.Status(ctx, raft)
		cancel()
		if err == nil {
			for _, m := range members {
				if m.Leader {
					return m.Address
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("no leader")
	return ""
}

// failoverCheck reads the cluster's orders and counts the acknowledged orders
// missing (lost) and the orders there beyond the acknowledged ones
// (duplicates: (channel, external id) is unique, so a second copy of an
// order could only be one no client was told of); and it checks the stock
// invariants, and that the stock reserved is one unit per order.
func failoverCheck(t *testing.T, raft []string, acked *sync.Map) (lost, dups int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := cluster.Connect(ctx, raft)
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := app.OpenStore(ctx, db, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ch, err := a.Read().GetChannelByCode(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	acked.Range(func(k, _ any) bool {
		n++
		if _, err := a.Read().GetOrderIDByExternal(ctx, store.GetOrderIDByExternalParams{ChannelID: ch.ID, ExternalID: k.(string)}); err != nil {
			lost++
		}
		return true
	})
	total, err := a.Read().CountOrders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dups = int(total) - (n - lost)
	page, err := a.ListStock(ctx, app.StockQuery{Location: "LYS", SKU: "TEE"})
	if err != nil || len(page.Levels) != 1 || page.Levels[0].Reserved != total {
		t.Errorf("stock %+v (%v): want %d reserved, one per order", page.Levels, err, total)
	}
	apptest.CheckInvariants(t, a)
	return lost, dups
}

// readyRoles is each node's role as its /readyz says, in order.
func readyRoles(t *testing.T, nodes []*node) string {
	t.Helper()
	var roles []string
	for _, n := range nodes {
		res, err := http.Get("http://" + n.http + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		var ready struct{ Role string }
		err = json.NewDecoder(res.Body).Decode(&ready)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		roles = append(roles, ready.Role)
	}
	return strings.Join(roles, ",")
}

// checkClusterStatus runs `cluster status`: every member with its URL, log
// index and heartbeat, one of them the leader.
func checkClusterStatus(t *testing.T, bin string, raft []string) {
	t.Helper()
	out, err := exec.Command(bin, "cluster", "status", "--join", strings.Join(raft, ",")).CombinedOutput()
	if err != nil {
		t.Fatalf("cluster status: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 || strings.Count(string(out), ", leader)") != 1 ||
		strings.Count(string(out), "log index") != 3 || strings.Count(string(out), " http://127.0.0.1:") != 3 {
		t.Fatalf("cluster status:\n%s\nwant three members with URL and log index, one the leader", out)
	}
	t.Logf("cluster status:\n%s", out)
}
