-- The answer API for assistants: finding an order by the name a customer
-- gives, and counting attempts for the rate limits.

-- name: WismoOrdersByNumber :many
SELECT * FROM orders
WHERE number = @number AND (channel_id = @channel_id OR @channel_id = 0)
ORDER BY id DESC LIMIT 8;

-- name: WismoOrdersByRef :many
SELECT * FROM orders
WHERE channel_ref IN (@ref, @alt_ref) AND channel_ref <> '' AND (channel_id = @channel_id OR @channel_id = 0)
ORDER BY id DESC LIMIT 8;

-- name: PruneWismoAttempts :exec
DELETE FROM wismo_attempts WHERE at <= ?;

-- name: CountWismoAttempts :one
SELECT count(*) AS attempts, CAST(coalesce(min(at), 0) AS INTEGER) AS oldest
FROM wismo_attempts WHERE key = ? AND at > ?;

-- name: RecordWismoAttempt :exec
INSERT INTO wismo_attempts (key, at) VALUES (?, ?);
