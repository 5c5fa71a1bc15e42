-- name: GetOrderIDByExternal :one
SELECT id FROM orders WHERE channel_id = ? AND external_id = ?;

-- name: InsertOrder :one
INSERT INTO orders (
    id, number, channel_id, external_id, channel_ref, placed_at, currency,
    customer_email, customer_name, customer_phone,
    ship_name, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code, ship_country, ship_phone,
    ship_lat, ship_lon, delivery, pickup_location_id, subtotal, shipping_price, total, tags, note, test,
    status, on_hold, hold_reason, cancelled, promised_ship_by, promised_delivery_by, tracking_token, created_at, updated_at
) VALUES (
    (SELECT coalesce(max(id), 0) + 1 FROM orders),
    printf('SY-%06d', (SELECT coalesce(max(id), 0) + 1 FROM orders)),
    sqlc.arg(channel_id), sqlc.arg(external_id), sqlc.arg(channel_ref), sqlc.arg(placed_at), sqlc.arg(currency),
    sqlc.arg(customer_email), sqlc.arg(customer_name), sqlc.arg(customer_phone),
    sqlc.arg(ship_name), sqlc.arg(ship_line1), sqlc.arg(ship_line2), sqlc.arg(ship_city), sqlc.arg(ship_region),
    sqlc.arg(ship_postal_code), sqlc.arg(ship_country), sqlc.arg(ship_phone),
    sqlc.narg(ship_lat), sqlc.narg(ship_lon), sqlc.arg(delivery), sqlc.narg(pickup_location_id),
    sqlc.arg(subtotal), sqlc.arg(shipping_price), sqlc.arg(total), sqlc.arg(tags), sqlc.arg(note), sqlc.arg(test),
    sqlc.arg(status), sqlc.arg(on_hold), sqlc.arg(hold_reason), 0,
    sqlc.narg(promised_ship_by), sqlc.narg(promised_delivery_by), sqlc.arg(tracking_token),
    sqlc.arg(created_at), sqlc.arg(created_at)
)
RETURNING *;

-- name: InsertOrderLine :execlastid
-- A line, with what its first routing decision reserved and backordered
-- (0 when it is not routed yet), linked to the newest line of its SKU code
-- (migrations/0015_chains.sql).
INSERT INTO order_lines (order_id, line_no, external_id, sku_id, sku, name, quantity, unit_price,
                         reserved, backordered, backorder_location_id, prev_sku_line_id)
VALUES (sqlc.arg(order_id), sqlc.arg(line_no), sqlc.arg(external_id), sqlc.narg(sku_id), sqlc.arg(sku), sqlc.arg(name),
        sqlc.arg(quantity), sqlc.arg(unit_price), sqlc.arg(reserved), sqlc.arg(backordered), sqlc.narg(backorder_location_id),
        (SELECT h.last_line_id FROM sku_line_heads h WHERE h.sku = sqlc.arg(sku)));

-- name: InsertOrderTag :exec
INSERT INTO order_tags (tag, placed_at, order_id) VALUES (?, ?, ?);

-- name: InsertOrderEvent :execlastid
INSERT INTO order_events (order_id, at, actor_kind, actor_id, actor_name, kind, message, data, customer_visible)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: GetOrder :one
SELECT * FROM orders WHERE id = ?;

-- name: GetOrderByNumber :one
SELECT * FROM orders WHERE number = ?;

-- name: GetOrderByTrackingToken :one
SELECT * FROM orders WHERE tracking_token = ?;

-- name: ListOrderLines :many
SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no;

-- name: ListOrderEvents :many
SELECT * FROM order_events WHERE order_id = ? ORDER BY id;

-- name: SetOrderState :exec
UPDATE orders
SET status = ?, on_hold = ?, hold_reason = ?, cancelled = ?, updated_at = ?
WHERE id = ?;

-- name: SetOrderAddress :exec
UPDATE orders
SET ship_name = ?, ship_line1 = ?, ship_line2 = ?, ship_city = ?, ship_region = ?, ship_postal_code = ?,
    ship_country = ?, ship_phone = ?, ship_lat = ?, ship_lon = ?, updated_at = ?
WHERE id = ?;

-- name: SetLineCancelled :exec
UPDATE order_lines SET cancelled = ? WHERE id = ?;

-- name: OrderCounts :many
-- Orders per status, for one channel or (channel_id 0) all of them.
SELECT status, CAST(sum(n) AS INTEGER) AS n
FROM order_counts
WHERE sqlc.arg(channel_id) = 0 OR channel_id = sqlc.arg(channel_id)
GROUP BY status;

-- name: GetIdempotencyKey :one
SELECT * FROM idempotency_keys WHERE api_key_id = ? AND key = ?;

-- name: InsertIdempotencyKey :exec
INSERT INTO idempotency_keys (api_key_id, key, request_hash, status_code, order_id, created_at)
VALUES (?, ?, ?, ?, ?, ?);

-- name: PruneIdempotencyKeys :exec
DELETE FROM idempotency_keys WHERE created_at < ?;

-- name: CountOrders :one
SELECT count(*) FROM orders;

-- name: GetOrderForUpdate :one
SELECT * FROM orders WHERE number = ?;

-- name: CSVExportOrderLines :many
-- Order lines with their order, for the CSV export, keyset by (order id, line number).
SELECT o.id AS order_id, c.code AS channel, o.external_id, o.channel_ref, o.placed_at, o.currency,
       o.customer_email, o.customer_name, o.customer_phone, o.ship_name, o.ship_line1, o.ship_line2, o.ship_city,
       o.ship_region, o.ship_postal_code, o.ship_country, o.ship_phone, o.ship_lat, o.ship_lon, o.delivery,
       coalesce(pl.code, '') AS pickup_location, o.shipping_price, o.tags, o.note,
       l.line_no, l.external_id AS line_external_id, l.sku, l.name AS line_name, l.quantity, l.unit_price
FROM orders o
JOIN channels c ON c.id = o.channel_id
JOIN order_lines l ON l.order_id = o.id
LEFT JOIN locations pl ON pl.id = o.pickup_location_id
WHERE (o.id, l.line_no) > (sqlc.arg(after_order), sqlc.arg(after_line))
ORDER BY o.id, l.line_no
LIMIT sqlc.arg(lim);
