-- name: AnnounceClusterNode :exec
INSERT INTO cluster_nodes (address, url, started_at, seen_at, log_index)
VALUES (?1, ?2, ?3, ?3, ?4)
ON CONFLICT (address) DO UPDATE SET url = excluded.url, started_at = excluded.started_at,
    seen_at = excluded.seen_at, log_index = excluded.log_index;

-- name: HeartbeatClusterNode :exec
INSERT INTO cluster_nodes (address, url, started_at, seen_at, log_index)
VALUES (?1, ?2, ?3, ?3, ?4)
ON CONFLICT (address) DO UPDATE SET url = excluded.url, seen_at = excluded.seen_at,
    log_index = excluded.log_index;

-- name: ClusterNodeURL :one
SELECT url FROM cluster_nodes WHERE address = ?;

-- name: ListClusterNodes :many
SELECT address, url, started_at, seen_at, log_index FROM cluster_nodes ORDER BY address;
