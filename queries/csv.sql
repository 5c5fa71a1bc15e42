-- CSV import and export: bulk code lookups and keyset pages.

-- name: CSVSKUIDs :many
-- Every SKU's id by code, to resolve the codes of an import at once.
SELECT id, code FROM skus;

-- name: CSVLocationIDs :many
-- Every location's id by code, to resolve the codes of an import at once.
SELECT id, code FROM locations;

-- name: CSVExportSKUs :many
-- One page of SKUs by code, after the last code seen.
SELECT * FROM skus
WHERE code > sqlc.arg(after)
ORDER BY code
LIMIT sqlc.arg(lim);

-- name: CSVExportStock :many
-- One page of stock levels in primary-key order, after the last (sku_id, location_id) seen.
SELECT sl.sku_id, sl.location_id, s.code AS sku, l.code AS location, sl.on_hand, sl.safety_stock
FROM stock_levels sl
JOIN skus s ON s.id = sl.sku_id
JOIN locations l ON l.id = sl.location_id
WHERE sl.sku_id >= sqlc.arg(after_sku)
  AND (sl.sku_id > sqlc.arg(after_sku) OR sl.location_id > sqlc.arg(after_location))
ORDER BY sl.sku_id, sl.location_id
LIMIT sqlc.arg(lim);

-- The bulk path of a stock import: each query takes a batch of counts as one
-- JSON array of [sku_id, location_id, on_hand, safety_stock or null, note]
-- rows, in which a level appears at most once.

-- name: CSVEnsureLevels :exec
-- Creates the levels of a batch that do not exist yet, empty.
INSERT INTO stock_levels (sku_id, location_id, on_hand, reserved, safety_stock, updated_at)
SELECT j.value ->> 0, j.value ->> 1, 0, 0, 0, sqlc.arg(at)
FROM json_each(sqlc.arg(batch)) AS j
WHERE true
ON CONFLICT (sku_id, location_id) DO NOTHING;

-- name: CSVSetSafetyStocks :exec
-- Sets the safety stock of the (existing) levels of a batch whose rows all give one.
INSERT INTO stock_levels (sku_id, location_id, on_hand, reserved, safety_stock, updated_at)
SELECT j.value ->> 0, j.value ->> 1, 0, 0, j.value ->> 3, sqlc.arg(at)
FROM json_each(sqlc.arg(batch)) AS j
WHERE true
ON CONFLICT (sku_id, location_id) DO UPDATE
SET safety_stock = excluded.safety_stock, updated_at = excluded.updated_at;

-- name: CSVCountLevels :execrows
-- Counts a batch: appends, as a ledger row with reason count, the difference
-- between each counted quantity and on_hand; the ledger trigger applies it.
INSERT INTO stock_ledger (prev_id, sku_id, location_id, delta_on_hand, delta_reserved, reason, reference, actor, note, at)
SELECT sl.last_ledger_id, sl.sku_id, sl.location_id, (j.value ->> 2) - sl.on_hand, 0, 'count', '', sqlc.arg(actor), j.value ->> 4, sqlc.arg(at)
FROM json_each(sqlc.arg(batch)) AS j
JOIN stock_levels sl ON sl.sku_id = (j.value ->> 0) AND sl.location_id = (j.value ->> 1)
WHERE sl.on_hand <> (j.value ->> 2);
