-- name: ClaimWebhookDelivery :one
-- Records a delivery as being processed; a delivery seen before is claimed
-- again only when its processing failed or stalled for a minute. No row: a duplicate.
INSERT INTO webhook_deliveries_in (channel_id, source_id, topic, external_id, channel_modified, received_at, result)
VALUES (?, ?, ?, ?, ?, ?, 'processing')
ON CONFLICT (channel_id, source_id) DO UPDATE
SET received_at = excluded.received_at, channel_modified = excluded.channel_modified, result = 'processing'
WHERE webhook_deliveries_in.result LIKE 'error:%'
   OR (webhook_deliveries_in.result = 'processing' AND webhook_deliveries_in.received_at < excluded.received_at - 60000)
RETURNING id;

-- name: WebhookDeliveryDone :one
-- Whether a delivery was processed already (so a retry is a duplicate).
SELECT count(*) FROM webhook_deliveries_in
WHERE channel_id = ? AND source_id = ? AND result <> 'processing' AND result NOT LIKE 'error:%';

-- name: FinishWebhookDelivery :exec
UPDATE webhook_deliveries_in SET result = ?, order_id = ? WHERE id = ?;

-- name: ListWebhookDeliveries :many
SELECT d.id, d.source_id, d.topic, d.external_id, d.received_at, d.result, o.number AS order_number
FROM webhook_deliveries_in d LEFT JOIN orders o ON o.id = d.order_id
WHERE d.channel_id = ?
ORDER BY d.received_at DESC, d.id DESC
LIMIT ?;

-- name: CountWebhookDeliveries :one
SELECT count(*) FROM webhook_deliveries_in WHERE channel_id = ?;

-- name: SetChannelShopDomain :exec
UPDATE channels SET shop_domain = ?, updated_at = ? WHERE id = ?;
