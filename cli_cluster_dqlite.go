//go:build dqlite

package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"switchyard/app"
	"switchyard/sql/cluster"
)

// openClusterApp starts this process's dqlite node and opens the App over the
// cluster's database; the node's stop stops it after the App is closed.
func openClusterApp(ctx context.Context, c clusterFlags, log *slog.Logger) (*app.App, *clusterNode, error) {
	startCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	node, err := cluster.Start(startCtx, cluster.Options{Dir: c.data, Addr: c.addr, Join: c.join, Log: log})
	if err != nil {
		return nil, nil, err
	}
	stopNode := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := node.Close(ctx); err != nil {
			log.Warn("stop the cluster node", "err", err)
		}
	}
	db, err := node.Open(ctx)
	if err != nil {
		stopNode()
		return nil, nil, err
	}
	a, applied, err := app.OpenStore(ctx, db, time.Now, log)
	if err != nil {
		stopNode()
		return nil, nil, err
	}
	if len(applied) > 0 {
		log.Info("migrations applied", "db", db.Path(), "migrations", strings.Join(applied, ", "))
	}
	log.Info("cluster node started", "node", node.Address(), "data", c.data, "joined", strings.Join(c.join, ","))
	return a, &clusterNode{address: node.Address(), leader: node.Leader, logIndex: node.LogIndex, stop: stopNode}, nil
}

// clusterStatus prints the members of the cluster reachable at addrs, the
// leader marked, with the URL, latest heartbeat and Raft log index each node
// announced.
func clusterStatus(ctx context.Context, env cliEnv, addrs []string) error {
	members, err := cluster.Status(ctx, addrs)
	if err != nil {
		return err
	}
	announced := map[string]app.ClusterNode{}
	if a, err := openClusterClient(ctx, addrs, slog.New(slog.DiscardHandler)); err == nil {
		nodes, _ := a.ClusterNodes(ctx)
		a.Close()
		for _, n := range nodes {
			announced[n.Address] = n
		}
	}
	now := time.Now()
	for _, m := range members {
		role := m.Role
		if m.Leader {
			role += ", leader"
		}
		fmt.Fprintf(env.stdout, "%d %s (%s)", m.ID, m.Address, role)
		if n, ok := announced[m.Address]; ok {
			fmt.Fprintf(env.stdout, " %s, log index %d, seen %s ago", n.URL, n.LogIndex, now.Sub(n.SeenAt).Round(time.Second))
		} else {
			fmt.Fprint(env.stdout, " (has not announced itself)")
		}
		fmt.Fprintln(env.stdout)
	}
	return nil
}

// openClusterClient opens the App over the cluster reachable at addrs, as a
// client (commands such as user add).
func openClusterClient(ctx context.Context, addrs []string, log *slog.Logger) (*app.App, error) {
	db, err := cluster.Connect(ctx, addrs)
	if err != nil {
		return nil, err
	}
	a, _, err := app.OpenStore(ctx, db, time.Now, log)
	return a, err
}

// clusterExport writes the cluster's database to the new SQLite file to.
func clusterExport(ctx context.Context, env cliEnv, addrs []string, to string) error {
	if err := cluster.Export(ctx, addrs, to); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "The cluster's database is in %s: `switchyard serve --db %s` runs on it.\n", to, to)
	return nil
}

// clusterRemove takes the member at node out of the cluster.
func clusterRemove(ctx context.Context, env cliEnv, addrs []string, node string) error {
	if err := cluster.Remove(ctx, addrs, node); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s is no longer a member of the cluster.\n", node)
	return nil
}
