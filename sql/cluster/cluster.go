//go:build dqlite

// Package cluster runs Switchyard's database on dqlite, Canonical's
// Raft-replicated SQLite: every node keeps the whole database, one of them
// leads, and the go-dqlite driver sends each statement to the leader. The
// store's one writer with group commit runs over it as over a file.
package cluster

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	dqlite "github.com/canonical/go-dqlite"
	"github.com/canonical/go-dqlite/app"
	"github.com/canonical/go-dqlite/client"
	"github.com/canonical/go-dqlite/driver"

	store "switchyard/sql"
)

// Built reports whether this binary can run a cluster node.
const Built = true

// DatabaseName is the name of Switchyard's database inside the cluster.
const DatabaseName = "switchyard"

// multiThread is the process-wide SQLite setting go-dqlite needs: its init
// leaves SQLite single-threaded, and the setting can be made only once, before
// any database opens.
var multiThread = sync.OnceValue(func() error {
	if err := dqlite.ConfigMultiThread(); err != nil {
		return fmt.Errorf("dqlite: SQLite multi-thread mode: %w (start the node before opening any database)", err)
	}
	return nil
})

// configure makes SQLite multi-threaded once per process.
func configure() error { return multiThread() }

// A node snapshots its database every snapshotThreshold Raft entries and
// then keeps the last snapshotTrailing entries, in memory as on disk, for a
// follower that fell behind (one further behind is sent the snapshot).
// dqlite's defaults (1,024 and 8,192) kept up to 9,216 entries in each
// node's memory, and a write transaction is one entry of its pages; dqlite
// wants trailing at least threshold.
const (
	snapshotThreshold = 512
	snapshotTrailing  = 512
)

// Options start one node.
type Options struct {
	Dir     string        // the node's data directory (Raft log and snapshots)
	Addr    string        // host:port the node listens on for the cluster
	Join    []string      // host:port of members to join; empty for the first node
	Latency time.Duration // the network's round trip, for Raft's timeouts (default 10 ms)
	Log     *slog.Logger
}

// Node is one running member of the cluster.
type Node struct {
	app    *app.App
	dir    string
	log    *slog.Logger
	closed sync.Once
	err    error // Close's answer
	leader leaderCache
}

// Start starts (or restarts, from Dir) a node and waits until it is part of
// a cluster with a leader.
func Start(ctx context.Context, o Options) (*Node, error) {
	if err := configure(); err != nil {
		return nil, err
	}
	if o.Latency == 0 {
		o.Latency = 10 * time.Millisecond
	}
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	a, err := app.New(o.Dir, app.WithAddress(o.Addr), app.WithCluster(o.Join), app.WithNetworkLatency(o.Latency),
		app.WithSnapshotParams(dqlite.SnapshotParams{Threshold: snapshotThreshold, Trailing: snapshotTrailing}),
		app.WithLogFunc(func(l client.LogLevel, format string, args ...interface{}) {
			if l >= client.LogWarn {
				log.Warn(fmt.Sprintf(format, args...), "node", o.Addr)
			}
		}))
	if err != nil {
		return nil, fmt.Errorf("start dqlite node %s: %w", o.Addr, err)
	}
	if err := a.Ready(ctx); err != nil {
		a.Close()
		return nil, fmt.Errorf("dqlite node %s not ready: %w", o.Addr, err)
	}
	return &Node{app: a, dir: o.Dir, log: log}, nil
}

// Open opens Switchyard's database through the node: one connection for the
// writer, a pool for reads.
func (n *Node) Open(ctx context.Context) (*store.DB, error) {
	writer, err := n.app.Open(ctx, DatabaseName)
	if err != nil {
		return nil, fmt.Errorf("open the cluster database: %w", err)
	}
	reader, err := n.app.Open(ctx, DatabaseName)
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("open the cluster database for reading: %w", err)
	}
	return store.OpenPools("dqlite://"+n.app.Address()+"/"+DatabaseName, writer, reader), nil
}

// Address is the node's cluster address.
func (n *Node) Address() string { return n.app.Address() }

// Member is one node of the cluster as its leader sees it.
type Member struct {
	ID      uint64
	Address string
	Role    string
	Leader  bool
}

// Members lists the cluster's nodes, the leader marked.
func (n *Node) Members(ctx context.Context) ([]Member, error) {
	cli, err := n.app.Leader(ctx)
	if err != nil {
		return nil, fmt.Errorf("find the leader: %w", err)
	}
	defer cli.Close()
	return members(ctx, cli)
}

// members asks the leader cli for the members.
func members(ctx context.Context, cli *client.Client) ([]Member, error) {
	leader, err := cli.Leader(ctx)
	if err != nil {
		return nil, fmt.Errorf("ask the leader: %w", err)
	}
	nodes, err := cli.Cluster(ctx)
	if err != nil {
		return nil, fmt.Errorf("list the members: %w", err)
	}
	out := make([]Member, 0, len(nodes))
	for _, nd := range nodes {
		out = append(out, Member{ID: nd.ID, Address: nd.Address, Role: nd.Role.String(), Leader: leader != nil && nd.ID == leader.ID})
	}
	return out, nil
}

// IsLeader reports whether this node leads the cluster now.
func (n *Node) IsLeader(ctx context.Context) bool {
	leader, err := n.Leader(ctx)
	return err == nil && leader == n.app.Address()
}

// leaderFresh is how long a node trusts the leader it last asked for: every
// request that changes data asks, and a stale answer only sends it to a
// node that answers "not the leader" (the client tries again).
const leaderFresh = 250 * time.Millisecond

// leaderWait is how long a node looks for the leader before it answers that
// there is none (an election takes well under a second).
const leaderWait = 2 * time.Second

// leaderCache is the leader's address as last asked.
type leaderCache struct {
	mu      sync.Mutex
	address string
	at      time.Time
}

// Leader is the cluster address of the cluster's leader, asked at most every
// leaderFresh.
func (n *Node) Leader(ctx context.Context) (string, error) {
	n.leader.mu.Lock()
	defer n.leader.mu.Unlock()
	if n.leader.address != "" && time.Since(n.leader.at) < leaderFresh {
		return n.leader.address, nil
	}
	ctx, cancel := context.WithTimeout(ctx, leaderWait)
	defer cancel()
	cli, err := n.app.Leader(ctx)
	if err != nil {
		return "", fmt.Errorf("find the leader: %w", err)
	}
	defer cli.Close()
	leader, err := cli.Leader(ctx)
	if err != nil || leader == nil {
		return "", fmt.Errorf("ask the leader for its address: %w", err)
	}
	n.leader.address, n.leader.at = leader.Address, time.Now()
	return leader.Address, nil
}

// LogIndex is the highest Raft log index this node has stored (see LogIndex).
func (n *Node) LogIndex() (uint64, error) { return LogIndex(n.dir) }

// Close hands leadership over when it can and stops the node; closing it
// again answers the same.
func (n *Node) Close(ctx context.Context) error {
	n.closed.Do(func() {
		if err := n.app.Handover(ctx); err != nil {
			n.log.Warn("hand over before stopping", "err", err)
		}
		n.err = n.app.Close()
	})
	return n.err
}

// Status asks the cluster reachable at any of addrs for its members and leader.
func Status(ctx context.Context, addrs []string) ([]Member, error) {
	nodes, err := nodeStore(ctx, addrs)
	if err != nil {
		return nil, err
	}
	cli, err := client.FindLeader(ctx, nodes)
	if err != nil {
		return nil, fmt.Errorf("find the leader among %v: %w", addrs, err)
	}
	defer cli.Close()
	return members(ctx, cli)
}

// nodeStore is the addresses of members to reach a cluster by.
func nodeStore(ctx context.Context, addrs []string) (client.NodeStore, error) {
	nodes := client.NewInmemNodeStore()
	infos := make([]client.NodeInfo, 0, len(addrs))
	for _, a := range addrs {
		infos = append(infos, client.NodeInfo{Address: a})
	}
	if err := nodes.Set(ctx, infos); err != nil {
		return nil, fmt.Errorf("cluster addresses: %w", err)
	}
	return nodes, nil
}

// Connect opens Switchyard's database in the cluster reachable at any of
// addrs as a client only, not a member: for the commands that change data
// (`user add --db dqlite://HOST:PORT,...`).
func Connect(ctx context.Context, addrs []string) (*store.DB, error) {
	if err := configure(); err != nil {
		return nil, err
	}
	nodes, err := nodeStore(ctx, addrs)
	if err != nil {
		return nil, err
	}
	drv, err := driver.New(nodes)
	if err != nil {
		return nil, fmt.Errorf("dqlite driver: %w", err)
	}
	open := func() (*sql.DB, error) {
		conn, err := drv.OpenConnector(DatabaseName)
		if err != nil {
			return nil, fmt.Errorf("connect to the cluster at %v: %w", addrs, err)
		}
		return sql.OpenDB(conn), nil
	}
	writer, err := open()
	if err != nil {
		return nil, err
	}
	reader, err := open()
	if err != nil {
		writer.Close()
		return nil, err
	}
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		reader.Close()
		return nil, fmt.Errorf("connect to the cluster at %v: %w", addrs, err)
	}
	return store.OpenPools("dqlite://"+strings.Join(addrs, ",")+"/"+DatabaseName, writer, reader), nil
}

// Export writes the cluster's database, as the leader has it, to a plain
// SQLite file at path (and its WAL beside it, path-wal, which SQLite folds
// in when the file is next opened): Switchyard runs on it as on any file.
// path must not exist yet.
func Export(ctx context.Context, addrs []string, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists already: export to a new file", path)
	}
	nodes, err := nodeStore(ctx, addrs)
	if err != nil {
		return err
	}
	cli, err := client.FindLeader(ctx, nodes)
	if err != nil {
		return fmt.Errorf("find the leader among %v: %w", addrs, err)
	}
	defer cli.Close()
	files, err := cli.Dump(ctx, DatabaseName)
	if err != nil {
		return fmt.Errorf("dump the cluster's database: %w", err)
	}
	for _, f := range files {
		name := path + strings.TrimPrefix(f.Name, DatabaseName) // switchyard -> path, switchyard-wal -> path-wal
		if err := os.WriteFile(name, f.Data, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}

// Remove takes the member at address out of the cluster reachable at addrs
// (a host retired for good; a node that only restarts needs nothing).
func Remove(ctx context.Context, addrs []string, address string) error {
	nodes, err := nodeStore(ctx, addrs)
	if err != nil {
		return err
	}
	cli, err := client.FindLeader(ctx, nodes)
	if err != nil {
		return fmt.Errorf("find the leader among %v: %w", addrs, err)
	}
	defer cli.Close()
	members, err := cli.Cluster(ctx)
	if err != nil {
		return fmt.Errorf("list the members: %w", err)
	}
	for _, m := range members {
		if m.Address == address {
			if err := cli.Remove(ctx, m.ID); err != nil {
				return fmt.Errorf("remove %s: %w", address, err)
			}
			return nil
		}
	}
	return fmt.Errorf("no member %s in the cluster", address)
}
