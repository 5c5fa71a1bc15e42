-- The nodes of a dqlite cluster as they announce themselves: each node's
-- cluster address, the base URL its HTTP server answers on (a follower sends
-- the requests that change data to the leader's URL), and its latest
-- heartbeat with the Raft log index it had stored then. Unused (empty) on a
-- single SQLite file.
CREATE TABLE cluster_nodes (
    address    TEXT    PRIMARY KEY,
    url        TEXT    NOT NULL,
    started_at INTEGER NOT NULL,
    seen_at    INTEGER NOT NULL,
    log_index  INTEGER NOT NULL DEFAULT 0
) STRICT;
