-- Returns, their lines and receipts, refunds, return policies and return rules.

-- name: InsertReturn :one
INSERT INTO returns (
    id, number, order_id, channel_id, status, resolution, location_id, location_why, started_by, actor_name,
    external_id, override, note, reasons, exchange_lines, requested_at, approved_at, updated_at
) VALUES (
    (SELECT coalesce(max(id), 0) + 1 FROM returns),
    printf('RT-%06d', (SELECT coalesce(max(id), 0) + 1 FROM returns)),
    sqlc.arg(order_id), sqlc.arg(channel_id), sqlc.arg(status), sqlc.arg(resolution), sqlc.arg(location_id),
    sqlc.arg(location_why), sqlc.arg(started_by), sqlc.arg(actor_name), sqlc.narg(external_id), sqlc.arg(override),
    sqlc.arg(note), sqlc.arg(reasons), sqlc.arg(exchange_lines), sqlc.arg(requested_at), sqlc.narg(approved_at), sqlc.arg(requested_at)
) RETURNING *;

-- name: InsertReturnLine :execlastid
INSERT INTO return_lines (return_id, order_line_id, sku_id, sku, quantity, unit_price, reason, note)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: GetReturn :one
SELECT * FROM returns WHERE id = ?;

-- name: GetReturnByNumber :one
SELECT * FROM returns WHERE number = ?;

-- name: GetReturnByExternal :one
SELECT * FROM returns WHERE channel_id = ? AND external_id = ?;

-- name: ListReturnLines :many
SELECT rl.*, ol.line_no, ol.name, ol.external_id AS line_external_id
FROM return_lines rl JOIN order_lines ol ON ol.id = rl.order_line_id
WHERE rl.return_id = ? ORDER BY ol.line_no;

-- name: ListOrderReturnIDs :many
SELECT id FROM returns WHERE order_id = ? ORDER BY id;

-- name: ReturnsOfExchange :many
SELECT id FROM returns WHERE exchange_order_id = ? ORDER BY id;

-- name: SetReturnState :exec
UPDATE returns SET status = ?, approved_at = ?, received_at = ?, closed_at = ?, decline_reason = ?, updated_at = ?
WHERE id = ?;

-- name: SetReturnExchange :exec
UPDATE returns SET exchange_order_id = ?, updated_at = ? WHERE id = ?;

-- name: OpenReturnUnits :execrows
-- Puts units of a shipped line on a return; no row changes when that would
-- return more than was shipped and not yet returned.
UPDATE order_lines SET return_open = return_open + sqlc.arg(quantity)
WHERE id = sqlc.arg(id) AND return_open + returned + sqlc.arg(quantity) <= shipped;

-- name: CloseReturnUnits :exec
-- Takes units off a return: `back` of them came back, the rest did not.
UPDATE order_lines SET return_open = return_open - sqlc.arg(quantity), returned = returned + sqlc.arg(back)
WHERE id = sqlc.arg(id);

-- name: ReceiveReturnLine :execrows
-- Counts units of a return line once: no row changes when the line has
-- fewer units left to count.
UPDATE return_lines SET restocked = restocked + sqlc.arg(restocked), quarantined = quarantined + sqlc.arg(quarantined),
    scrapped = scrapped + sqlc.arg(scrapped), missing = missing + sqlc.arg(missing)
WHERE id = sqlc.arg(id)
  AND restocked + quarantined + scrapped + missing + sqlc.arg(restocked) + sqlc.arg(quarantined)
      + sqlc.arg(scrapped) + sqlc.arg(missing) <= quantity;

-- name: InsertReturnReceipt :exec
INSERT INTO return_receipts (return_line_id, quantity, disposition, note, actor_name, at) VALUES (?, ?, ?, ?, ?, ?);

-- name: ListReturnReceipts :many
SELECT rr.*, rl.sku FROM return_receipts rr JOIN return_lines rl ON rl.id = rr.return_line_id
WHERE rl.return_id = ? ORDER BY rr.id;

-- name: InsertRefund :one
INSERT INTO refunds (order_id, return_id, kind, amount, items, shipping, fee, currency, status, source, external_id,
                     created_by, created_at, updated_at)
VALUES (sqlc.arg(order_id), sqlc.narg(return_id), sqlc.arg(kind), sqlc.arg(amount), sqlc.arg(items), sqlc.arg(shipping),
        sqlc.arg(fee), sqlc.arg(currency), sqlc.arg(status), sqlc.arg(source), sqlc.narg(external_id),
        sqlc.arg(created_by), sqlc.arg(created_at), sqlc.arg(created_at))
RETURNING *;

-- name: GetRefund :one
SELECT * FROM refunds WHERE id = ?;

-- name: GetRefundByExternal :one
SELECT * FROM refunds WHERE order_id = ? AND external_id = ?;

-- name: ListOrderRefunds :many
SELECT * FROM refunds WHERE order_id = ? ORDER BY id;

-- name: SetRefundStatus :exec
UPDATE refunds SET status = sqlc.arg(status), external_id = coalesce(sqlc.narg(external_id), external_id),
    failure = sqlc.arg(failure), updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id);

-- name: AddOrderRefunded :execrows
-- Records money refunded; no row changes when it would refund more than was paid.
UPDATE orders SET refunded = refunded + sqlc.arg(amount), updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id) AND refunded + sqlc.arg(amount) <= total;

-- name: SubOrderRefunded :exec
UPDATE orders SET refunded = refunded - sqlc.arg(amount), updated_at = sqlc.arg(updated_at) WHERE id = sqlc.arg(id);

-- name: GetReturnPolicy :one
SELECT * FROM return_policies WHERE channel_id = ?;

-- name: UpsertReturnPolicy :exec
INSERT INTO return_policies (channel_id, window_days, customer_needs_approval, restocking_fee_pct, refund_shipping,
                             reasons, updated_at, updated_by)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (channel_id) DO UPDATE SET window_days = excluded.window_days,
    customer_needs_approval = excluded.customer_needs_approval, restocking_fee_pct = excluded.restocking_fee_pct,
    refund_shipping = excluded.refund_shipping, reasons = excluded.reasons, updated_at = excluded.updated_at,
    updated_by = excluded.updated_by;

-- name: GetReturnRules :one
SELECT * FROM return_rules WHERE version = ?;

-- name: LatestReturnRules :one
SELECT * FROM return_rules WHERE version > 0 ORDER BY version DESC LIMIT 1;

-- name: ListReturnRuleVersions :many
SELECT version, note, saved_at, saved_by FROM return_rules WHERE version > 0 ORDER BY version DESC;

-- name: SaveReturnRulesDraft :exec
INSERT INTO return_rules (version, body, note, saved_at, saved_by) VALUES (0, ?, ?, ?, ?)
ON CONFLICT (version) DO UPDATE SET body = excluded.body, note = excluded.note, saved_at = excluded.saved_at,
    saved_by = excluded.saved_by;

-- name: PublishReturnRules :one
INSERT INTO return_rules (version, body, note, saved_at, saved_by)
VALUES ((SELECT coalesce(max(version), 0) + 1 FROM return_rules), ?, ?, ?, ?)
RETURNING version;

-- name: ListReturnLocations :many
-- Active locations that take goods back, with whether they stock the SKU.
SELECT l.id, l.code, l.name, l.kind, l.country, l.lat, l.lon, l.tags,
       EXISTS (SELECT 1 FROM stock_levels s WHERE s.location_id = l.id AND s.sku_id = sqlc.arg(sku_id)) AS stocks_sku
FROM locations l
WHERE l.active = 1 AND l.accepts_returns = 1
ORDER BY l.code;

-- name: ReturnWindowStart :one
-- When the order's goods last reached the customer (delivered, else shipped):
-- the return window counts from there. 0 when nothing left.
SELECT CAST(coalesce(max(coalesce(delivered_at, shipped_at)), 0) AS INTEGER) AS at FROM shipments WHERE order_id = ?;

-- name: ListChannelLocationIDs :many
SELECT location_id FROM location_channels WHERE channel_id = ?;

-- name: ListRefundsOfReturn :many
SELECT * FROM refunds WHERE return_id = ? ORDER BY id;

-- name: GetSKUByID :one
SELECT * FROM skus WHERE id = ?;

-- name: GetReturnIdempotencyKey :one
SELECT * FROM return_idempotency_keys WHERE api_key_id = ? AND key = ?;

-- name: InsertReturnIdempotencyKey :exec
INSERT INTO return_idempotency_keys (api_key_id, key, request_hash, status_code, return_id, created_at)
VALUES (?, ?, ?, ?, ?, ?);

-- name: PruneReturnIdempotencyKeys :exec
DELETE FROM return_idempotency_keys WHERE created_at < ?;

-- name: DeliveredOrders :many
-- Delivered orders and when their goods arrived, oldest first (the demo's returns).
SELECT o.id, o.number, CAST(max(s.delivered_at) AS INTEGER) AS delivered_at
FROM orders o JOIN shipments s ON s.order_id = o.id
WHERE o.status = 'delivered' AND s.delivered_at IS NOT NULL
GROUP BY o.id ORDER BY o.id;
