-- name: GetWooPull :one
SELECT watermark, pulled_at FROM woo_pulls WHERE channel_id = ?;

-- name: SaveWooPull :exec
-- Stores a successful pull; the watermark never moves back (two pulls may overlap).
INSERT INTO woo_pulls (channel_id, watermark, pulled_at) VALUES (?, ?, ?)
ON CONFLICT (channel_id) DO UPDATE
SET watermark = max(woo_pulls.watermark, excluded.watermark), pulled_at = excluded.pulled_at;

-- name: ListWooPullChannels :many
-- The active WooCommerce channels Switchyard can read orders from.
SELECT code FROM channels
WHERE kind = 'woocommerce' AND active = 1 AND callback_base_url <> '' AND callback_token <> ''
ORDER BY code;

-- name: SeenChannelOrderState :one
-- Whether a delivery of this order, as the channel last changed it at
-- channel_modified or later, was already taken in (or refused). Deliveries
-- recorded before their channel_modified was kept count when received after it.
SELECT EXISTS (
    SELECT 1 FROM webhook_deliveries_in
    WHERE channel_id = sqlc.arg(channel_id) AND external_id = sqlc.arg(external_id)
      AND (channel_modified >= sqlc.arg(channel_modified)
           OR (channel_modified IS NULL AND received_at >= sqlc.arg(channel_modified)))
      AND result <> 'processing' AND result NOT LIKE 'error:%'
) AS seen;
