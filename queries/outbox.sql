-- name: InsertOutboxMessage :one
INSERT INTO outbox_messages (order_id, channel_id, endpoint_id, sku_id, kind, payload, status, next_attempt_at, created_at)
VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)
RETURNING id;

-- name: MarkAvailabilityPending :execrows
-- One pending availability message per (channel, SKU) for every active channel
-- the location serves that is connected (a callback URL, and for Shopify and
-- WooCommerce a token: app.ChannelConnected); a pending one already there
-- absorbs the change.
INSERT INTO outbox_messages (channel_id, sku_id, kind, payload, status, next_attempt_at, created_at)
SELECT lc.channel_id, sqlc.arg(sku_id), 'availability', '{}', 'pending', sqlc.arg(due), sqlc.arg(now)
FROM location_channels lc JOIN channels c ON c.id = lc.channel_id AND c.active = 1
  AND c.callback_base_url <> '' AND (c.kind NOT IN ('shopify', 'woocommerce') OR c.callback_token <> '')
WHERE lc.location_id = sqlc.arg(location_id)
  AND NOT EXISTS (SELECT 1 FROM outbox_messages m
                  WHERE m.kind = 'availability' AND m.channel_id = lc.channel_id
                    AND m.sku_id = sqlc.arg(sku_id) AND m.status = 'pending');

-- name: DueOutboxMessages :many
-- Due messages, oldest first; a message of an order waits while an earlier
-- message of the same order is still pending or being delivered. A paused
-- channel's messages wait (outbox_pauses).
SELECT m.id FROM outbox_messages m
WHERE m.status IN ('pending', 'delivering') AND m.next_attempt_at <= sqlc.arg(now)
  AND (m.channel_id IS NULL OR m.channel_id NOT IN (SELECT channel_id FROM outbox_pauses))
  AND (m.order_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM outbox_messages p
        WHERE p.order_id = m.order_id AND p.id < m.id AND p.status IN ('pending', 'delivering')))
ORDER BY m.next_attempt_at, m.id
LIMIT sqlc.arg(lim);

-- name: ClaimOutboxMessage :execrows
UPDATE outbox_messages SET status = 'delivering', next_attempt_at = sqlc.arg(lease_until)
WHERE id = sqlc.arg(id) AND status IN ('pending', 'delivering') AND next_attempt_at <= sqlc.arg(now);

-- name: GetOutboxMessage :one
SELECT * FROM outbox_messages WHERE id = ?;

-- name: FinishOutboxMessage :exec
UPDATE outbox_messages
SET status = ?, attempts = ?, next_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ?
WHERE id = ?;

-- name: ResetDeliveringOutbox :execrows
-- At start: messages left in delivering by a crash are due again.
UPDATE outbox_messages SET status = 'pending', next_attempt_at = sqlc.arg(now) WHERE status = 'delivering';

-- name: RetryDeadOutbox :execrows
UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = sqlc.arg(now), last_error = ''
WHERE id = sqlc.arg(id) AND status = 'dead';

-- name: KillEndpointOutbox :exec
UPDATE outbox_messages SET status = 'dead', last_error = sqlc.arg(reason)
WHERE endpoint_id = sqlc.arg(endpoint_id) AND status = 'pending';

-- name: ListOutboxByStatus :many
SELECT m.*, coalesce(c.code, '') AS channel_code, coalesce(e.url, '') AS endpoint_url, coalesce(o.number, '') AS order_number
FROM outbox_messages m
LEFT JOIN channels c ON c.id = m.channel_id
LEFT JOIN webhook_endpoints e ON e.id = m.endpoint_id
LEFT JOIN orders o ON o.id = m.order_id
WHERE m.status = ?
ORDER BY m.id DESC
LIMIT ?;

-- name: ListOutboxPage :many
-- A page of the messages with a status, newest first, before the id @before
-- (the index outbox_by_status_id walks from it).
SELECT m.*, coalesce(c.code, '') AS channel_code, coalesce(e.url, '') AS endpoint_url, coalesce(o.number, '') AS order_number
FROM outbox_messages m
LEFT JOIN channels c ON c.id = m.channel_id
LEFT JOIN webhook_endpoints e ON e.id = m.endpoint_id
LEFT JOIN orders o ON o.id = m.order_id
WHERE m.status = @status AND m.id < @before
ORDER BY m.id DESC
LIMIT @lim;

-- name: CountOutboxStatus :one
-- How many messages have a status, counting no further than @cap.
SELECT count(*) FROM (SELECT 1 FROM outbox_messages WHERE status = @status LIMIT @cap);

-- name: CountOutboxByStatus :many
SELECT status, count(*) AS n FROM outbox_messages GROUP BY status;

-- name: InsertWebhookEndpoint :one
INSERT INTO webhook_endpoints (url, events, secret, active, created_at, updated_at)
VALUES (?, ?, ?, 1, ?, ?)
RETURNING id;

-- name: ListWebhookEndpoints :many
SELECT * FROM webhook_endpoints ORDER BY id;

-- name: ListActiveWebhookEndpoints :many
SELECT id, events FROM webhook_endpoints WHERE active = 1 ORDER BY id;

-- name: GetWebhookEndpoint :one
SELECT * FROM webhook_endpoints WHERE id = ?;

-- name: DisableWebhookEndpoint :exec
UPDATE webhook_endpoints SET active = 0, disabled_reason = ?, updated_at = ? WHERE id = ?;

-- name: OrderOutboxFacts :one
SELECT o.id, o.number, o.external_id, o.channel_id, c.code AS channel_code, c.kind AS channel_kind,
       c.callback_base_url, c.callback_token
FROM orders o JOIN channels c ON c.id = o.channel_id
WHERE o.id = ?;

-- name: ShipmentOutboxLines :many
SELECT ol.external_id, ol.sku, sl.quantity
FROM shipment_lines sl JOIN order_lines ol ON ol.id = sl.order_line_id
WHERE sl.shipment_id = ?
ORDER BY ol.line_no;

-- name: SkuCode :one
SELECT code FROM skus WHERE id = ?;

-- name: LocationsAnnouncingAvailability :many
-- The locations that serve an active, connected channel (see
-- MarkAvailabilityPending).
SELECT DISTINCT lc.location_id
FROM location_channels lc JOIN channels c ON c.id = lc.channel_id
WHERE c.active = 1 AND c.callback_base_url <> '' AND (c.kind NOT IN ('shopify', 'woocommerce') OR c.callback_token <> '');

-- name: OutboxSummary :many
-- Messages by channel (or generic webhook), kind and status, for the admin page.
SELECT coalesce(m.channel_id, 0) AS channel_id, m.kind, m.status, count(*) AS n
FROM outbox_messages m
GROUP BY m.channel_id, m.kind, m.status
ORDER BY m.channel_id, m.kind;

-- name: PauseChannelOutbox :execrows
INSERT INTO outbox_pauses (channel_id, paused_at, paused_by) VALUES (?, ?, ?)
ON CONFLICT (channel_id) DO NOTHING;

-- name: ResumeChannelOutbox :execrows
DELETE FROM outbox_pauses WHERE channel_id = ?;

-- name: ListOutboxPauses :many
SELECT * FROM outbox_pauses ORDER BY channel_id;
