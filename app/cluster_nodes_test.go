package app

import (
	"context"
	"testing"
)

func TestClusterNodesAnnounceThemselves(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	if _, err := a.NodeURL(ctx, "10.0.0.1:9001"); ErrorKind(err) != KindNotFound {
		t.Fatalf("a node that never announced itself: %v, want not found", err)
	}
	if err := a.AnnounceNode(ctx, "10.0.0.1:9001", "http://10.0.0.1:8080", 7); err != nil {
		t.Fatal(err)
	}
	// A heartbeat moves the log index on and keeps the start time.
	nodes, _ := a.ClusterNodes(ctx)
	started := nodes[0].StartedAt
	if err := a.HeartbeatNode(ctx, "10.0.0.1:9001", "http://10.0.0.1:8080", 42); err != nil {
		t.Fatal(err)
	}
	// A heartbeat of a node whose row is gone (an import replaced the rows)
	// announces it again.
	if err := a.HeartbeatNode(ctx, "10.0.0.2:9001", "http://10.0.0.2:8080", 41); err != nil {
		t.Fatal(err)
	}
	nodes, err := a.ClusterNodes(ctx)
	if err != nil || len(nodes) != 2 {
		t.Fatalf("nodes %+v %v: want two", nodes, err)
	}
	if n := nodes[0]; n.Address != "10.0.0.1:9001" || n.LogIndex != 42 || !n.StartedAt.Equal(started) || n.SeenAt.Before(started) {
		t.Errorf("after a heartbeat: %+v", n)
	}
	if url, err := a.NodeURL(ctx, "10.0.0.2:9001"); err != nil || url != "http://10.0.0.2:8080" {
		t.Errorf("the second node's URL: %q %v", url, err)
	}
}
