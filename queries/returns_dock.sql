-- Receiving at a location: the returns it expects back.

-- name: ExpectedReturns :many
-- The approved or partly received returns coming back to a location, the
-- longest approved first (the late ones lead), up to a limit.
SELECT r.id, r.number, r.status, r.approved_at, r.requested_at, o.number AS order_number, o.customer_name
FROM returns r JOIN orders o ON o.id = r.order_id
WHERE r.location_id = sqlc.arg(location_id) AND r.status IN ('approved', 'partially_received')
ORDER BY r.approved_at, r.id
LIMIT sqlc.arg(lim);

-- name: CountExpectedReturns :one
SELECT count(*) FROM returns
WHERE location_id = ? AND status IN ('approved', 'partially_received');

-- name: SetLocationAcceptsReturns :exec
UPDATE locations SET accepts_returns = ? WHERE id = ?;
