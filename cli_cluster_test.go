package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/sql/cluster"
)

func TestClusterFlagsAreCheckedTogether(t *testing.T) {
	for _, tc := range []struct {
		addr, join, data string
		want             string
	}{
		{"", "127.0.0.1:9001", "", "need --cluster-addr"},
		{"", "", "/tmp/x", "need --cluster-addr"},
		{"127.0.0.1:9001", "", "", "needs --data"},
	} {
		if _, err := clusterFlagsOf(tc.addr, tc.join, tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc, err, tc.want)
		}
	}
	c, err := clusterFlagsOf(" 127.0.0.1:9002 ", "127.0.0.1:9001, ,127.0.0.1:9003", "/tmp/n2")
	if err != nil || c.addr != "127.0.0.1:9002" || len(c.join) != 2 || c.join[1] != "127.0.0.1:9003" {
		t.Fatalf("%+v %v", c, err)
	}
	if c, err := clusterFlagsOf("", "", ""); err != nil || c.addr != "" {
		t.Fatalf("no cluster: %+v %v", c, err)
	}
}

func TestWithoutDqliteTheClusterIsRefusedPlainly(t *testing.T) {
	if cluster.Built {
		t.Skip("this binary has dqlite")
	}
	dir := t.TempDir()
	if _, _, err := cli(t, "", nil, "serve", "--cluster-addr", "127.0.0.1:9001", "--data", dir, "--demo"); err == nil ||
		!strings.Contains(err.Error(), "--demo is for a single file") {
		t.Errorf("a cluster with --demo: %v", err)
	}
	for _, args := range [][]string{
		{"serve", "--cluster-addr", "127.0.0.1:9001", "--data", dir},
		{"migrate", "--db", "dqlite://127.0.0.1:9001"},
		{"cluster", "status", "--join", "127.0.0.1:9001"},
		{"cluster", "export", "--join", "127.0.0.1:9001", "--to", dir + "/out.db"},
		{"cluster", "remove", "--join", "127.0.0.1:9001", "--node", "127.0.0.1:9003"},
		{"cluster", "import", "--join", "127.0.0.1:9001", "--from", dir + "/in.db"},
		{"cluster", "import", "--join", "127.0.0.1:9001", "--demo"},
	} {
		if _, _, err := cli(t, "", nil, args...); !errors.Is(err, errNoCluster) {
			t.Errorf("%v: %v, want the build's plain refusal", args, err)
		}
	}
}

func TestClusterImportNeedsOneSource(t *testing.T) {
	for _, args := range [][]string{
		{"cluster", "import", "--join", "127.0.0.1:9001"},
		{"cluster", "import", "--join", "127.0.0.1:9001", "--from", "x.db", "--demo"},
	} {
		if _, _, err := cli(t, "", nil, args...); err == nil || !strings.Contains(err.Error(), "needs --from FILE") {
			t.Errorf("%v: %v, want the flags named", args, err)
		}
	}
	if _, _, err := cli(t, "", nil, "cluster", "import", "--from", "x.db"); err == nil || !strings.Contains(err.Error(), "cluster import --join") {
		t.Errorf("no --join: %v, want the usage", err)
	}
}

func TestClusterImportOfAMissingFileNamesTheFlag(t *testing.T) {
	if !cluster.Built {
		t.Skip("this binary has no dqlite")
	}
	missing := t.TempDir() + "/missing.db"
	_, _, err := cli(t, "", nil, "cluster", "import", "--join", "127.0.0.1:1", "--from", missing)
	if err == nil || !strings.Contains(err.Error(), "--from "+missing+": no such file") {
		t.Fatalf("a missing file: %v", err)
	}
	if _, statErr := os.Stat(missing); statErr == nil {
		t.Error("the import made the missing file")
	}
}

func TestLeaderOnlyRunsWorkWhileLeading(t *testing.T) {
	var leading, runs atomic.Int32
	leading.Store(1)
	isLeader := func(context.Context) bool { return leading.Load() == 1 }
	work := func(ctx context.Context) error {
		runs.Add(1)
		<-ctx.Done()
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- leaderOnly(isLeader, slog.New(slog.NewTextHandler(io.Discard, nil)), "work", work)(ctx)
	}()
	waitFor(t, "the work to start on the leader", func() bool { return runs.Load() == 1 })
	leading.Store(0) // leadership moves away: the work stops here
	time.Sleep(2500 * time.Millisecond)
	if runs.Load() != 1 {
		t.Fatalf("the work ran %d times while this node did not lead", runs.Load())
	}
	leading.Store(1) // and comes back: the work starts again
	waitFor(t, "the work to start again", func() bool { return runs.Load() == 2 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if fn := leaderOnly(nil, nil, "work", work); fn == nil {
		t.Fatal("without a cluster the work must run as it is")
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestRoleOfANode(t *testing.T) {
	if roleOf(nil) != nil {
		t.Error("a single file has no cluster role")
	}
	leads := true
	role := roleOf(func(context.Context) bool { return leads })
	if got := role(context.Background()); got != "leader" {
		t.Errorf("role = %q, want leader", got)
	}
	leads = false
	if got := role(context.Background()); got != "follower" {
		t.Errorf("role = %q, want follower", got)
	}
}
