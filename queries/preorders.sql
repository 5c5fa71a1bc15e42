-- name: SetChannelIncoming :exec
UPDATE channels SET sell_incoming = ?, incoming_limit = ? WHERE id = ?;

-- name: WaitingOfSKU :one
-- The units of a SKU backordered on orders not cancelled: on its own lines,
-- and as a part of the kits backordered (kit_leaves), which wait for it too.
SELECT CAST(
    coalesce((SELECT sum(l.backordered) FROM order_lines l JOIN orders o ON o.id = l.order_id
              WHERE l.sku_id = sqlc.arg(sku_id) AND l.open_quantity > 0 AND l.backordered > 0 AND o.cancelled = 0), 0)
  + coalesce((SELECT sum(l.backordered * k.per_kit) FROM kit_leaves k
              JOIN order_lines l ON l.sku_id = k.kit_sku_id JOIN orders o ON o.id = l.order_id
              WHERE k.part_sku_id = sqlc.arg(sku_id) AND l.open_quantity > 0 AND l.backordered > 0 AND o.cancelled = 0), 0)
  AS INTEGER) AS waiting;

-- name: PreorderedOfChannelSKU :one
-- The units of a SKU a channel's orders hold as pre-orders still waiting.
SELECT CAST(coalesce(sum(min(l.preordered, l.backordered)), 0) AS INTEGER) AS preordered
FROM order_lines l JOIN orders o ON o.id = l.order_id
WHERE o.channel_id = sqlc.arg(channel_id) AND l.sku_id = sqlc.arg(sku_id) AND l.open_quantity > 0 AND l.preordered > 0
  AND l.backordered > 0 AND o.cancelled = 0;

-- name: SetLinePreordered :exec
UPDATE order_lines SET preordered = ? WHERE id = ?;

-- name: MarkIncomingPending :execrows
-- An availability message for a SKU to every active, connected channel that
-- sells incoming stock and is served by the location, when stock on its way
-- there changed (an inbound sent, cancelled or closed); a pending one
-- already there absorbs the change.
INSERT INTO outbox_messages (channel_id, sku_id, kind, payload, status, next_attempt_at, created_at)
SELECT lc.channel_id, sqlc.arg(sku_id), 'availability', '{}', 'pending', sqlc.arg(due), sqlc.arg(now)
FROM location_channels lc JOIN channels c ON c.id = lc.channel_id AND c.active = 1 AND c.sell_incoming = 1
  AND c.callback_base_url <> '' AND (c.kind NOT IN ('shopify', 'woocommerce') OR c.callback_token <> '')
WHERE lc.location_id = sqlc.arg(location_id)
  AND NOT EXISTS (SELECT 1 FROM outbox_messages m
                  WHERE m.kind = 'availability' AND m.channel_id = lc.channel_id
                    AND m.sku_id = sqlc.arg(sku_id) AND m.status = 'pending');

-- name: MarkChannelIncomingPending :execrows
-- An availability message to a connected channel for every SKU on its way to
-- the locations that serve it, when its pre-order setting changed.
INSERT INTO outbox_messages (channel_id, sku_id, kind, payload, status, next_attempt_at, created_at)
SELECT DISTINCT c.id, l.sku_id, 'availability', '{}', 'pending', sqlc.arg(due), sqlc.arg(now)
FROM channels c
JOIN location_channels lc ON lc.channel_id = c.id
JOIN inbound_orders i ON i.to_location_id = lc.location_id AND i.status IN ('sent', 'partially_received')
JOIN inbound_lines l ON l.inbound_id = i.id AND l.quantity > l.received + l.damaged
WHERE c.id = sqlc.arg(channel_id) AND c.active = 1
  AND c.callback_base_url <> '' AND (c.kind NOT IN ('shopify', 'woocommerce') OR c.callback_token <> '')
  AND NOT EXISTS (SELECT 1 FROM outbox_messages m
                  WHERE m.kind = 'availability' AND m.channel_id = c.id
                    AND m.sku_id = l.sku_id AND m.status = 'pending');

-- name: KitLeavesOfSKU :many
-- A kit's plain parts (kit_leaves) with their codes, and whether a
-- component is inactive (kit_state): what its pre-orders are computed from
-- (app/preorder_kits.go). No rows: a plain SKU.
SELECT l.part_sku_id, l.per_kit, s.code, CAST(coalesce(k.dead, 0) AS INTEGER) AS dead
FROM kit_leaves l JOIN skus s ON s.id = l.part_sku_id
LEFT JOIN kit_state k ON k.kit_sku_id = l.kit_sku_id
WHERE l.kit_sku_id = ?
ORDER BY s.code;
