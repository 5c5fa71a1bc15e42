-- name: GetChannelByCode :one
SELECT * FROM channels WHERE code = ?;

-- name: ListChannels :many
SELECT * FROM channels ORDER BY code;

-- name: CreateChannel :one
INSERT INTO channels (code, name, kind, buffer, active, webhook_secrets, callback_base_url, callback_token, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: UpdateChannel :exec
UPDATE channels
SET name = ?, kind = ?, buffer = ?, active = ?, updated_at = ?
WHERE id = ?;

-- name: SetChannelSecrets :exec
UPDATE channels SET webhook_secrets = ?, updated_at = ? WHERE id = ?;

-- name: SetChannelCallback :exec
UPDATE channels SET callback_base_url = ?, callback_token = ?, updated_at = ? WHERE id = ?;

-- name: GetChannelIDsByCodes :many
SELECT id, code FROM channels WHERE code IN (sqlc.slice(codes));

-- name: ListChannelLocations :many
SELECT lc.channel_id, l.code
FROM location_channels lc JOIN locations l ON l.id = lc.location_id
ORDER BY lc.channel_id, l.code;

-- name: GetChannel :one
SELECT * FROM channels WHERE id = ?;

-- name: SetChannelInventoryLocation :exec
UPDATE channels SET inventory_location = ?, updated_at = ? WHERE id = ?;

-- name: SetChannelShopifyAPIVersion :exec
UPDATE channels SET shopify_api_version = ?, updated_at = ? WHERE id = ?;

-- name: GetShopifyStockPushed :one
SELECT quantity FROM shopify_stock_pushed WHERE channel_id = ? AND sku_id = ? AND location = ?;

-- name: PutShopifyStockPushed :exec
INSERT INTO shopify_stock_pushed (channel_id, sku_id, location, quantity, message_id, note, pushed_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (channel_id, sku_id, location) DO UPDATE
SET quantity = excluded.quantity, message_id = excluded.message_id, note = excluded.note, pushed_at = excluded.pushed_at;
