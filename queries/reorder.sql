-- name: UpsertReorderSetting :exec
INSERT INTO reorder_settings (sku_id, location_id, lead_time_days, cover_days, min_qty, max_qty, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (sku_id, location_id) DO UPDATE
SET lead_time_days = excluded.lead_time_days, cover_days = excluded.cover_days,
    min_qty = excluded.min_qty, max_qty = excluded.max_qty, updated_at = excluded.updated_at;

-- name: StockLevelExists :one
SELECT count(*) FROM stock_levels WHERE sku_id = ? AND location_id = ?;
