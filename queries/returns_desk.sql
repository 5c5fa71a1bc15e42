-- Returns in the support desk's exceptions queue and on the dashboard (app/desk).

-- name: LateReturns :many
-- Returns approved before `before` whose goods are still expected, oldest first.
SELECT r.number, r.status, r.approved_at, o.number AS order_number, o.customer_name, l.name AS location_name
FROM returns r
JOIN orders o ON o.id = r.order_id
JOIN locations l ON l.id = r.location_id
WHERE r.status IN ('approved', 'partially_received') AND r.approved_at < sqlc.arg(before)
ORDER BY r.approved_at, r.id
LIMIT sqlc.arg(lim);

-- name: CountLateReturns :one
SELECT count(*) FROM returns
WHERE status IN ('approved', 'partially_received') AND approved_at < sqlc.arg(before);

-- name: FailedRefunds :many
-- Refunds the channel refused and nobody refunded again since, oldest first.
SELECT f.id, f.amount, f.currency, f.failure, f.updated_at, o.number AS order_number, o.customer_name,
       c.name AS channel_name, CAST(coalesce(r.number, '') AS TEXT) AS return_number
FROM refunds f
JOIN orders o ON o.id = f.order_id
JOIN channels c ON c.id = o.channel_id
LEFT JOIN returns r ON r.id = f.return_id
WHERE f.status = 'failed'
  -- a refund made again after it settles it
  AND NOT EXISTS (SELECT 1 FROM refunds g WHERE g.order_id = f.order_id AND g.id > f.id AND g.status <> 'failed'
                  AND coalesce(g.return_id, 0) = coalesce(f.return_id, 0))
ORDER BY f.updated_at, f.id
LIMIT sqlc.arg(lim);

-- name: CountFailedRefunds :one
SELECT count(*) FROM refunds f WHERE f.status = 'failed'
  AND NOT EXISTS (SELECT 1 FROM refunds g WHERE g.order_id = f.order_id AND g.id > f.id AND g.status <> 'failed'
                  AND coalesce(g.return_id, 0) = coalesce(f.return_id, 0));

-- name: ReturnedUnitsBySKU :many
-- Units on returns requested since `since` (declined and cancelled ones left out), per SKU, most first.
SELECT rl.sku, CAST(sum(rl.quantity) AS INTEGER) AS units
FROM returns r JOIN return_lines rl ON rl.return_id = r.id
WHERE r.requested_at >= sqlc.arg(since) AND r.status NOT IN ('declined', 'cancelled')
GROUP BY rl.sku
ORDER BY units DESC, rl.sku
LIMIT sqlc.arg(lim);

-- name: ShippedUnitsOfSKUs :many
-- Units shipped since `since` of the SKUs named.
SELECT s.code, CAST(sum(sl.quantity) AS INTEGER) AS units
FROM shipments sh
JOIN shipment_lines sl ON sl.shipment_id = sh.id
JOIN skus s ON s.id = sl.sku_id
WHERE sh.shipped_at >= sqlc.arg(since) AND s.code IN (sqlc.slice(codes))
GROUP BY s.code;

-- name: ReturnedUnitsByReason :many
-- Units on returns requested since `since` (declined and cancelled ones left out), per reason, most first.
SELECT rl.reason, CAST(sum(rl.quantity) AS INTEGER) AS units
FROM returns r JOIN return_lines rl ON rl.return_id = r.id
WHERE r.requested_at >= sqlc.arg(since) AND r.status NOT IN ('declined', 'cancelled')
GROUP BY rl.reason
ORDER BY units DESC, rl.reason;
