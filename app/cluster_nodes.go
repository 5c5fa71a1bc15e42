package app

import (
	"context"
	"fmt"
	"time"

	store "switchyard/sql"
)

// ClusterNode is one node of a dqlite cluster as it last announced itself.
type ClusterNode struct {
	Address   string    // its cluster address (HOST:PORT)
	URL       string    // the base URL of its HTTP server
	StartedAt time.Time // when it last started
	SeenAt    time.Time // its latest heartbeat
	LogIndex  int64     // the Raft log index it had stored at that heartbeat
}

// AnnounceNode records that the node at address started and serves HTTP at url.
func (a *App) AnnounceNode(ctx context.Context, address, url string, logIndex int64) error {
	return a.Write(ctx, func(tx Tx) error {
		err := tx.Q.AnnounceClusterNode(ctx, store.AnnounceClusterNodeParams{
			Address: address, Url: url, StartedAt: Millis(tx.Now), LogIndex: logIndex})
		if err != nil {
			return fmt.Errorf("announce cluster node %s: %w", address, err)
		}
		return nil
	})
}

// HeartbeatNode records that the node at address, serving HTTP at url, is
// alive with logIndex stored; it announces the node again if its row is gone
// (an import replaces the database's rows).
func (a *App) HeartbeatNode(ctx context.Context, address, url string, logIndex int64) error {
	return a.Write(ctx, func(tx Tx) error {
		err := tx.Q.HeartbeatClusterNode(ctx, store.HeartbeatClusterNodeParams{
			Address: address, Url: url, StartedAt: Millis(tx.Now), LogIndex: logIndex})
		if err != nil {
			return fmt.Errorf("heartbeat of cluster node %s: %w", address, err)
		}
		return nil
	})
}

// NodeURL is the HTTP base URL the node at address announced.
func (a *App) NodeURL(ctx context.Context, address string) (string, error) {
	url, err := a.db.Read.ClusterNodeURL(ctx, address)
	if store.IsNoRows(err) {
		return "", NotFound("cluster node %s has not announced its URL yet", address)
	}
	if err != nil {
		return "", fmt.Errorf("read the URL of cluster node %s: %w", address, err)
	}
	return url, nil
}

// ClusterNodes lists the nodes that announced themselves, by address.
func (a *App) ClusterNodes(ctx context.Context) ([]ClusterNode, error) {
	rows, err := a.db.Read.ListClusterNodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("list cluster nodes: %w", err)
	}
	out := make([]ClusterNode, 0, len(rows))
	for _, r := range rows {
		out = append(out, ClusterNode{Address: r.Address, URL: r.Url, StartedAt: FromMillis(r.StartedAt),
			SeenAt: FromMillis(r.SeenAt), LogIndex: r.LogIndex})
	}
	return out, nil
}
