-- name: SetChannelIncoming :exec
UPDATE channels SET sell_incoming = ?, incoming_limit = ? WHERE id = ?;

-- name: IncomingOfSKUForChannel :many
-- What is still coming of a SKU to the active locations that ship and serve
-- a channel: the lines of sent or partly received inbound, earliest expected
-- first (then by number), with what remains.
SELECT i.number, l.expected_on, CAST(l.quantity - l.received - l.damaged AS INTEGER) AS remaining
FROM inbound_lines l
JOIN inbound_orders i ON i.id = l.inbound_id
JOIN locations t ON t.id = i.to_location_id AND t.active = 1 AND t.ships = 1
JOIN location_channels lc ON lc.location_id = t.id AND lc.channel_id = sqlc.arg(channel_id)
WHERE l.sku_id = sqlc.arg(sku_id) AND i.status IN ('sent', 'partially_received')
  AND l.quantity > l.received + l.damaged
ORDER BY l.expected_on, i.number
LIMIT 200;

-- name: WaitingOfSKU :one
-- The units of a SKU backordered on orders not cancelled.
SELECT CAST(coalesce(sum(l.backordered), 0) AS INTEGER) AS waiting
FROM order_lines l JOIN orders o ON o.id = l.order_id
WHERE l.sku_id = ? AND l.open_quantity > 0 AND l.backordered > 0 AND o.cancelled = 0;

-- name: PreorderedOfChannelSKU :one
-- The units of a SKU a channel's orders hold as pre-orders still waiting.
SELECT CAST(coalesce(sum(min(l.preordered, l.backordered)), 0) AS INTEGER) AS preordered
FROM order_lines l JOIN orders o ON o.id = l.order_id
WHERE o.channel_id = sqlc.arg(channel_id) AND l.sku_id = sqlc.arg(sku_id) AND l.open_quantity > 0 AND l.preordered > 0
  AND l.backordered > 0 AND o.cancelled = 0;

-- name: SetLinePreordered :exec
UPDATE order_lines SET preordered = ? WHERE id = ?;
