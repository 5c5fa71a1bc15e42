-- name: ExceptionTotals :one
-- What the navigation counts, each exception once: held and waiting orders
-- (from order_counts), late orders in the normal flow, short stock levels.
-- Open orders are "status NOT IN (the finished ones)", word for word the WHERE of the
-- partial index orders_open_promise, so SQLite uses it (no other index serves NOT IN).
SELECT
    CAST((SELECT coalesce(sum(n), 0) FROM order_counts
          WHERE status IN ('on_hold', 'received', 'partially_routed', 'backordered')) AS INTEGER) AS stuck,
    CAST((SELECT count(*) FROM orders
          WHERE promised_ship_by < sqlc.arg(now)
            AND status NOT IN ('shipped', 'delivered', 'cancelled', 'returned', 'partially_returned')
            AND status NOT IN ('received', 'partially_routed', 'backordered', 'on_hold')) AS INTEGER) AS late,
    CAST((SELECT count(*) FROM stock_levels WHERE on_hand < reserved) AS INTEGER) AS short;

-- name: RejectionCounts :many
-- Held and waiting orders whose rejected work is not placed again, per order status.
-- CROSS JOIN makes SQLite walk the few rejections, not the many held and waiting orders.
SELECT o.status, count(*) AS n
FROM order_rejections r CROSS JOIN orders o ON o.id = r.order_id
WHERE o.status IN ('on_hold', 'received', 'partially_routed', 'backordered')
GROUP BY o.status;

-- name: LateCount :one
-- Open orders whose promised ship-by has passed.
SELECT count(*) FROM orders
WHERE promised_ship_by < sqlc.arg(now)
  AND status NOT IN ('shipped', 'delivered', 'cancelled', 'returned', 'partially_returned');

-- name: ShortLevelCount :one
SELECT count(*) FROM stock_levels WHERE on_hand < reserved;

-- name: ExceptionOrdersInStatus :many
-- Orders in one status without a pending rejection, oldest first, after the
-- keyset (after_placed, after_id) (the index orders_by_status walks from it).
SELECT o.id, o.placed_at FROM orders o
WHERE o.status = sqlc.arg(status)
  AND o.placed_at >= sqlc.arg(after_placed) AND (o.placed_at > sqlc.arg(after_placed) OR o.id > sqlc.arg(after_id))
  AND NOT EXISTS (SELECT 1 FROM order_rejections r WHERE r.order_id = o.id)
ORDER BY o.placed_at, o.id
LIMIT sqlc.arg(lim);

-- name: RejectedOrderIDs :many
-- Held and waiting orders whose rejected work is not placed again, oldest
-- rejection first, after the keyset (after_at, after_id).
SELECT r.order_id, r.rejected_at FROM order_rejections r CROSS JOIN orders o ON o.id = r.order_id
WHERE o.status IN ('on_hold', 'received', 'partially_routed', 'backordered')
  AND r.rejected_at >= sqlc.arg(after_at) AND (r.rejected_at > sqlc.arg(after_at) OR r.order_id > sqlc.arg(after_id))
ORDER BY r.rejected_at, r.order_id
LIMIT sqlc.arg(lim);

-- name: LateOrderIDs :many
-- Open orders past their promised ship-by, the latest first, after the keyset
-- (after_by, after_id), with their status.
SELECT id, CAST(promised_ship_by AS INTEGER) AS promised_ship_by, status FROM orders
WHERE promised_ship_by < sqlc.arg(now)
  AND status NOT IN ('shipped', 'delivered', 'cancelled', 'returned', 'partially_returned')
  AND promised_ship_by >= sqlc.arg(after_by) AND (promised_ship_by > sqlc.arg(after_by) OR id > sqlc.arg(after_id))
ORDER BY promised_ship_by, id
LIMIT sqlc.arg(lim);

-- name: ExceptionOrderFacts :many
-- What the reasons of some orders are made of.
SELECT o.id, o.number, o.status, o.hold_reason, o.promised_ship_by, o.placed_at, o.customer_name, c.name AS channel_name
FROM orders o JOIN channels c ON c.id = o.channel_id
WHERE o.id IN (sqlc.slice(ids));

-- name: ExceptionRejections :many
-- The pending rejection of some orders: where, why and when.
SELECT r.order_id, r.rejected_at, f.reject_reason, f.reject_note, l.name AS location_name
FROM order_rejections r
JOIN fulfillments f ON f.id = r.fulfillment_id
JOIN locations l ON l.id = f.location_id
WHERE r.order_id IN (sqlc.slice(ids));

-- name: ExceptionWaitingLines :many
-- Lines of some orders with quantity neither reserved, shipped nor cancelled,
-- with the location a backorder waits at.
SELECT ol.order_id, ol.line_no, ol.sku, ol.quantity - ol.reserved - ol.shipped - ol.cancelled AS waiting,
       ol.backordered, coalesce(l.name, '') AS backorder_location
FROM order_lines ol LEFT JOIN locations l ON l.id = ol.backorder_location_id
WHERE ol.order_id IN (sqlc.slice(ids)) AND ol.open_quantity > 0
ORDER BY ol.order_id, ol.line_no;

-- name: ShortLevels :many
-- Stock levels with less on hand than reserved, by location and SKU.
SELECT l.id AS location_id, l.code AS location, l.name AS location_name, s.id AS sku_id, s.code AS sku,
       sl.on_hand, sl.reserved, sl.updated_at
FROM stock_levels sl
JOIN locations l ON l.id = sl.location_id
JOIN skus s ON s.id = sl.sku_id
WHERE sl.on_hand < sl.reserved
  AND (l.code > sqlc.arg(after_location) OR (l.code = sqlc.arg(after_location) AND s.code > sqlc.arg(after_sku)))
ORDER BY l.code, s.code
LIMIT sqlc.arg(lim);

-- name: ShortLevelsOf :many
-- The short stock levels a user has taken.
SELECT l.id AS location_id, l.code AS location, l.name AS location_name, s.id AS sku_id, s.code AS sku,
       sl.on_hand, sl.reserved, sl.updated_at
FROM exception_assignments a
JOIN stock_levels sl ON sl.sku_id = a.sku_id AND sl.location_id = a.location_id
JOIN locations l ON l.id = sl.location_id
JOIN skus s ON s.id = sl.sku_id
WHERE a.user_id = sqlc.arg(user_id) AND sl.on_hand < sl.reserved
  AND (l.code > sqlc.arg(after_location) OR (l.code = sqlc.arg(after_location) AND s.code > sqlc.arg(after_sku)))
ORDER BY l.code, s.code
LIMIT sqlc.arg(lim);

-- name: AssignedOrderIDs :many
-- The orders a user has taken, first taken first, after the keyset (after_at, after_key).
SELECT order_id, taken_at, key FROM exception_assignments
WHERE user_id = sqlc.arg(user_id) AND order_id IS NOT NULL
  AND taken_at >= sqlc.arg(after_at) AND (taken_at > sqlc.arg(after_at) OR key > sqlc.arg(after_key))
ORDER BY taken_at, key
LIMIT sqlc.arg(lim);

-- name: ExceptionAssignments :many
-- Who took each of some exceptions.
SELECT a.key, a.user_id, u.name AS user_name, a.taken_at
FROM exception_assignments a JOIN users u ON u.id = a.user_id
WHERE a.key IN (sqlc.slice(keys));

-- name: TakeException :exec
-- Gives an exception to a user (taking it over from whoever had it).
INSERT INTO exception_assignments (key, order_id, location_id, sku_id, user_id, taken_at)
VALUES (sqlc.arg(key), sqlc.narg(order_id), sqlc.narg(location_id), sqlc.narg(sku_id), sqlc.arg(user_id), sqlc.arg(taken_at))
ON CONFLICT (key) DO UPDATE SET user_id = excluded.user_id, taken_at = excluded.taken_at;

-- name: GetShortLevel :one
-- One stock level by codes, with whether it is short.
SELECT l.id AS location_id, l.code AS location, l.name AS location_name, s.id AS sku_id, s.code AS sku,
       sl.on_hand, sl.reserved, sl.updated_at
FROM stock_levels sl
JOIN locations l ON l.id = sl.location_id
JOIN skus s ON s.id = sl.sku_id
WHERE l.code = sqlc.arg(location) AND s.code = sqlc.arg(sku);
