-- The customer's self-service returns: attempts to prove who they are.

-- name: PruneReturnAttempts :exec
DELETE FROM return_attempts WHERE at <= ?;

-- name: CountReturnAttempts :one
SELECT count(*) AS attempts, CAST(coalesce(min(at), 0) AS INTEGER) AS oldest
FROM return_attempts WHERE key = ? AND at > ?;

-- name: RecordReturnAttempt :exec
INSERT INTO return_attempts (key, at) VALUES (?, ?);
