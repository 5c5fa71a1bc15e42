package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"switchyard/app"
)

// clusterNode is what serve needs from this process's node of a dqlite
// cluster.
type clusterNode struct {
	address  string                                // its cluster address
	leader   func(context.Context) (string, error) // the leader's cluster address
	logIndex func() (uint64, error)                // the Raft log index it has stored
	stop     func()                                // stops the node, after the App is closed
}

// isLeader reports whether this node leads the cluster now.
func (n *clusterNode) isLeader(ctx context.Context) bool {
	leader, err := n.leader(ctx)
	return err == nil && leader == n.address
}

// clusterSearchBatch is how many orders one transaction of a cluster's
// search indexer takes: each transaction is one Raft entry, and the default
// 5,000 orders made entries large enough to cost the leader its leadership.
const clusterSearchBatch = 500

// heartbeatEvery is how often a node records that it is alive, and how far
// its log has come, for `cluster status`.
const heartbeatEvery = 5 * time.Second

// announce records this node's HTTP URL, then its heartbeat every
// heartbeatEvery until ctx ends.
func (n *clusterNode) announce(ctx context.Context, a *app.App, url string, log *slog.Logger) error {
	idx, _ := n.logIndex()
	if err := a.AnnounceNode(ctx, n.address, url, int64(idx)); err != nil {
		return err
	}
	tick := time.NewTicker(heartbeatEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			idx, _ := n.logIndex()
			if err := a.HeartbeatNode(ctx, n.address, url, int64(idx)); err != nil && ctx.Err() == nil {
				log.Warn("cluster heartbeat", "err", err)
			}
		}
	}
}

// writerURL is web.Config.WriterURL for this node: "" while it leads, else
// the URL the leader announced (kept until the leader changes).
func (n *clusterNode) writerURL(a *app.App) func(context.Context) (string, error) {
	var mu sync.Mutex
	known := map[string]string{} // cluster address -> URL
	return func(ctx context.Context) (string, error) {
		leader, err := n.leader(ctx)
		if err != nil {
			return "", err
		}
		if leader == n.address {
			return "", nil
		}
		mu.Lock()
		url, ok := known[leader]
		mu.Unlock()
		if ok {
			return url, nil
		}
		url, err = a.NodeURL(ctx, leader)
		if err != nil {
			return "", fmt.Errorf("the leader %s: %w", leader, err)
		}
		mu.Lock()
		known[leader] = url
		mu.Unlock()
		return url, nil
	}
}

// advertisedURL is the base URL other nodes reach this node's HTTP server
// at: advertise when set, else http:// and the address it listens on, with
// the cluster address's host when it listens on every interface.
func advertisedURL(advertise, listen, clusterAddr string) (string, error) {
	if advertise != "" {
		return advertise, nil
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("--addr %q: %w", listen, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		if host, _, err = net.SplitHostPort(clusterAddr); err != nil {
			return "", fmt.Errorf("--cluster-addr %q: %w", clusterAddr, err)
		}
	}
	return "http://" + net.JoinHostPort(host, port), nil
}
