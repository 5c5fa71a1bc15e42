-- Inbound stock: purchase orders and transfers, their lines and receipts
-- (migrations/0033_inbound.sql).

-- name: InsertInbound :one
INSERT INTO inbound_orders (
    id, number, kind, status, supplier, from_location_id, to_location_id, expected_on, note,
    created_by, created_at, sent_at, sent_by, updated_at
) VALUES (
    (SELECT coalesce(max(id), 0) + 1 FROM inbound_orders),
    printf('IN-%06d', (SELECT coalesce(max(id), 0) + 1 FROM inbound_orders)),
    sqlc.arg(kind), sqlc.arg(status), sqlc.arg(supplier), sqlc.narg(from_location_id), sqlc.arg(to_location_id),
    sqlc.arg(expected_on), sqlc.arg(note), sqlc.arg(created_by), sqlc.arg(created_at), sqlc.narg(sent_at),
    sqlc.arg(sent_by), sqlc.arg(created_at)
) RETURNING id, number;

-- name: InsertInboundLine :exec
INSERT INTO inbound_lines (inbound_id, line_no, sku_id, sku, quantity, expected_on)
VALUES (?, ?, ?, ?, ?, ?);

-- name: GetInboundByNumber :one
SELECT i.*, coalesce(f.code, '') AS from_code, coalesce(f.name, '') AS from_name,
       t.code AS to_code, t.name AS to_name
FROM inbound_orders i
JOIN locations t ON t.id = i.to_location_id
LEFT JOIN locations f ON f.id = i.from_location_id
WHERE i.number = ?;

-- name: ListInboundLines :many
SELECT * FROM inbound_lines WHERE inbound_id = ? ORDER BY line_no;

-- name: ListInboundReceipts :many
SELECT r.*, l.sku, l.line_no FROM inbound_receipts r JOIN inbound_lines l ON l.id = r.line_id
WHERE r.inbound_id = ? ORDER BY r.id;

-- name: MoveInbound :execrows
-- Moves an inbound from one status to another, only when it is still in
-- @from (a concurrent move makes this touch nothing).
UPDATE inbound_orders
SET status = sqlc.arg(to_status), updated_at = sqlc.arg(now),
    sent_at = CASE WHEN sqlc.arg(to_status) = 'sent' AND sent_at IS NULL THEN sqlc.arg(now) ELSE sent_at END,
    sent_by = CASE WHEN sqlc.arg(to_status) = 'sent' AND sent_by = '' THEN sqlc.arg(actor) ELSE sent_by END,
    closed_at = CASE WHEN sqlc.arg(to_status) = 'closed' OR sqlc.arg(to_status) = 'cancelled' THEN sqlc.arg(now) ELSE closed_at END,
    closed_by = CASE WHEN sqlc.arg(to_status) = 'closed' OR sqlc.arg(to_status) = 'cancelled' THEN sqlc.arg(actor) ELSE closed_by END
WHERE id = sqlc.arg(id) AND status = sqlc.arg(from_status);

-- name: CountInboundLine :execrows
-- Adds a count to a line, only when the line still holds the counts the
-- receiver saw (@seen_received, @seen_damaged): two people counting the same
-- line at once count it once.
UPDATE inbound_lines
SET received = received + sqlc.arg(received), damaged = damaged + sqlc.arg(damaged)
WHERE id = sqlc.arg(id) AND received = sqlc.arg(seen_received) AND damaged = sqlc.arg(seen_damaged);

-- name: InsertInboundReceipt :exec
INSERT INTO inbound_receipts (inbound_id, line_id, received, damaged, over, note, actor_name, at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: SetInboundReceived :exec
UPDATE inbound_orders SET received_at = ?, updated_at = ? WHERE id = ?;

-- name: ListInbound :many
-- A page of inbound, newest first, by status, kind and location (empty: any;
-- a location matches as destination or origin), keyset-paginated by id, for
-- the locations @user_id has (0: every location).
SELECT i.*, coalesce(f.code, '') AS from_code, t.code AS to_code,
       CAST((SELECT coalesce(sum(l.quantity), 0) FROM inbound_lines l WHERE l.inbound_id = i.id) AS INTEGER) AS units,
       CAST((SELECT coalesce(sum(l.received + l.damaged), 0) FROM inbound_lines l WHERE l.inbound_id = i.id) AS INTEGER) AS counted,
       CAST((SELECT count(*) FROM inbound_lines l WHERE l.inbound_id = i.id) AS INTEGER) AS line_count
FROM inbound_orders i
JOIN locations t ON t.id = i.to_location_id
LEFT JOIN locations f ON f.id = i.from_location_id
WHERE i.id < CAST(@before AS INTEGER)
  AND (CAST(@status AS TEXT) = '' OR i.status = @status)
  AND (CAST(@kind AS TEXT) = '' OR i.kind = @kind)
  AND (CAST(@location AS TEXT) = '' OR t.code = @location OR f.code = @location)
  AND (CAST(@user_id AS INTEGER) = 0
       OR i.to_location_id IN (SELECT ul.location_id FROM user_locations ul WHERE ul.user_id = @user_id)
       OR i.from_location_id IN (SELECT ul.location_id FROM user_locations ul WHERE ul.user_id = @user_id))
ORDER BY i.id DESC
LIMIT @lim;

-- name: ExportInboundLines :many
-- Every line of the inbound listed as ListInbound filters them, for the CSV,
-- newest inbound first, keyset-paginated by (inbound id, line number): the
-- lines after @after_line of inbound @before, then the inbound before it.
SELECT i.id, i.number, i.kind, i.status, i.supplier, coalesce(f.code, '') AS from_code, t.code AS to_code,
       i.expected_on AS inbound_expected_on, l.line_no, l.sku, l.quantity, l.expected_on, l.received, l.damaged
FROM inbound_orders i
JOIN inbound_lines l ON l.inbound_id = i.id
JOIN locations t ON t.id = i.to_location_id
LEFT JOIN locations f ON f.id = i.from_location_id
WHERE (i.id < CAST(@before AS INTEGER) OR (i.id = @before AND l.line_no > CAST(@after_line AS INTEGER)))
  AND (CAST(@status AS TEXT) = '' OR i.status = @status)
  AND (CAST(@kind AS TEXT) = '' OR i.kind = @kind)
  AND (CAST(@location AS TEXT) = '' OR t.code = @location OR f.code = @location)
  AND (CAST(@user_id AS INTEGER) = 0
       OR i.to_location_id IN (SELECT ul.location_id FROM user_locations ul WHERE ul.user_id = @user_id)
       OR i.from_location_id IN (SELECT ul.location_id FROM user_locations ul WHERE ul.user_id = @user_id))
ORDER BY i.id DESC, l.line_no
LIMIT @lim;

-- name: OpenInboundOfSKU :many
-- What is still coming of a SKU to the active locations that ship and serve
-- a channel (only those route its orders when the stock arrives): the lines
-- of sent or partly received inbound, earliest expected first (then by
-- number), with what remains: what backorders are promised from
-- (app/inbound) and what a channel may pre-order (app/preorders.go).
SELECT i.id, i.number, i.kind, i.supplier, coalesce(f.name, '') AS from_name, t.name AS to_name, t.code AS to_code,
       l.expected_on, l.sku, CAST(l.quantity - l.received - l.damaged AS INTEGER) AS remaining
FROM inbound_lines l
JOIN inbound_orders i ON i.id = l.inbound_id
JOIN locations t ON t.id = i.to_location_id AND t.active = 1 AND t.ships = 1
JOIN location_channels lc ON lc.location_id = t.id AND lc.channel_id = sqlc.arg(channel_id)
LEFT JOIN locations f ON f.id = i.from_location_id
WHERE l.sku_id = sqlc.arg(sku_id) AND i.status IN ('sent', 'partially_received')
  AND l.quantity > l.received + l.damaged
ORDER BY l.expected_on, i.number
LIMIT 200;

-- name: BackordersOfSKU :many
-- The order lines of a SKU waiting at a location for stock, in the order
-- they arrived (oldest order first), bounded.
SELECT l.id, l.order_id, o.number, o.channel_id, o.placed_at, l.backordered
FROM order_lines l JOIN orders o ON o.id = l.order_id
WHERE l.sku_id = ? AND l.backordered > 0 AND o.cancelled = 0
ORDER BY o.placed_at, o.id, l.id
LIMIT ?;

-- name: UserHasLocation :one
SELECT count(*) FROM user_locations WHERE user_id = ? AND location_id = ?;

-- name: GetInboundIdempotencyKey :one
SELECT * FROM inbound_idempotency_keys WHERE api_key_id = ? AND key = ?;

-- name: InsertInboundIdempotencyKey :exec
INSERT INTO inbound_idempotency_keys (api_key_id, key, action, request_hash, status_code, inbound_id, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: PruneInboundIdempotencyKeys :exec
DELETE FROM inbound_idempotency_keys WHERE created_at < ?;

-- name: GetInboundNumber :one
SELECT number FROM inbound_orders WHERE id = ?;

-- name: CountInbound :one
-- How many inbound ListInbound's filters select, on every page.
SELECT count(*) FROM inbound_orders i
JOIN locations t ON t.id = i.to_location_id
LEFT JOIN locations f ON f.id = i.from_location_id
WHERE (CAST(@status AS TEXT) = '' OR i.status = @status)
  AND (CAST(@kind AS TEXT) = '' OR i.kind = @kind)
  AND (CAST(@location AS TEXT) = '' OR t.code = @location OR f.code = @location)
  AND (CAST(@user_id AS INTEGER) = 0
       OR i.to_location_id IN (SELECT ul.location_id FROM user_locations ul WHERE ul.user_id = @user_id)
       OR i.from_location_id IN (SELECT ul.location_id FROM user_locations ul WHERE ul.user_id = @user_id));

-- name: CountInboundAt :one
-- What a location's queue announces: inbound on its way to it, and
-- transfers waiting to ship from it.
SELECT
    (SELECT count(*) FROM inbound_orders e WHERE e.to_location_id = @location_id AND e.status IN ('sent', 'partially_received')) AS expected,
    (SELECT count(*) FROM inbound_orders s WHERE s.from_location_id = @location_id AND s.status = 'draft') AS to_ship;

-- name: BackorderedAheadOfSKU :one
-- The units of a SKU backordered by orders placed before the order
-- (@placed_at, @order_id), on plain lines and as a part of kits
-- (kit_leaves): what a kit line of that order waits behind for the SKU.
SELECT CAST(
    coalesce((SELECT sum(l.backordered) FROM order_lines l JOIN orders o ON o.id = l.order_id
              WHERE l.sku_id = sqlc.arg(sku_id) AND l.backordered > 0 AND o.cancelled = 0
                AND (o.placed_at < sqlc.arg(placed_at) OR (o.placed_at = sqlc.arg(placed_at) AND o.id < sqlc.arg(order_id)))), 0)
  + coalesce((SELECT sum(l.backordered * k.per_kit) FROM kit_leaves k
              JOIN order_lines l ON l.sku_id = k.kit_sku_id JOIN orders o ON o.id = l.order_id
              WHERE k.part_sku_id = sqlc.arg(sku_id) AND l.backordered > 0 AND o.cancelled = 0
                AND (o.placed_at < sqlc.arg(placed_at) OR (o.placed_at = sqlc.arg(placed_at) AND o.id < sqlc.arg(order_id)))), 0)
  AS INTEGER) AS units;

-- name: KitBackorderedAheadOfPart :one
-- The units of a SKU that kit lines of orders placed before the order
-- (@placed_at, @order_id) wait for as one of their parts (kit_leaves): what
-- a plain line of that order waits behind for it, besides older plain lines.
SELECT CAST(coalesce(sum(l.backordered * k.per_kit), 0) AS INTEGER) AS units
FROM kit_leaves k
JOIN order_lines l ON l.sku_id = k.kit_sku_id
JOIN orders o ON o.id = l.order_id
WHERE k.part_sku_id = sqlc.arg(sku_id) AND l.backordered > 0 AND o.cancelled = 0
  AND (o.placed_at < sqlc.arg(placed_at) OR (o.placed_at = sqlc.arg(placed_at) AND o.id < sqlc.arg(order_id)));
