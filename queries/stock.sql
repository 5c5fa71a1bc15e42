-- name: EnsureStockLevel :exec
INSERT INTO stock_levels (sku_id, location_id, on_hand, reserved, safety_stock, updated_at)
VALUES (?, ?, 0, 0, 0, ?)
ON CONFLICT (sku_id, location_id) DO NOTHING;

-- name: SetSafetyStock :exec
UPDATE stock_levels SET safety_stock = ?, updated_at = ? WHERE sku_id = ? AND location_id = ?;

-- name: AppendLedgerIf :execrows
-- Appends a ledger row (which applies its deltas through the trigger) only when
-- the level exists, neither on_hand nor reserved would go below zero, and, when
-- check_free is 1, the free stock (on_hand - reserved, less the safety stock when
-- respect_safety is 1) would not go below zero either.
INSERT INTO stock_ledger (prev_id, sku_id, location_id, delta_on_hand, delta_reserved, reason, reference, actor, note, at)
SELECT sl.last_ledger_id, sl.sku_id, sl.location_id, sqlc.arg(delta_on_hand), sqlc.arg(delta_reserved), sqlc.arg(reason),
       sqlc.arg(reference), sqlc.arg(actor), sqlc.arg(note), sqlc.arg(at)
FROM stock_levels sl
WHERE sl.sku_id = sqlc.arg(sku_id) AND sl.location_id = sqlc.arg(location_id)
  AND sl.on_hand + sqlc.arg(delta_on_hand) >= 0
  AND sl.reserved + sqlc.arg(delta_reserved) >= 0
  AND (CAST(sqlc.arg(check_free) AS INTEGER) = 0
       OR sl.on_hand + sqlc.arg(delta_on_hand) - sl.reserved - sqlc.arg(delta_reserved)
          - CAST(sqlc.arg(respect_safety) AS INTEGER) * sl.safety_stock >= 0);

-- name: CountStockTo :execrows
-- A count: sets on_hand to the counted quantity by appending the difference.
INSERT INTO stock_ledger (prev_id, sku_id, location_id, delta_on_hand, delta_reserved, reason, reference, actor, note, at)
SELECT sl.last_ledger_id, sl.sku_id, sl.location_id, sqlc.arg(counted) - sl.on_hand, 0, 'count',
       sqlc.arg(reference), sqlc.arg(actor), sqlc.arg(note), sqlc.arg(at)
FROM stock_levels sl
WHERE sl.sku_id = sqlc.arg(sku_id) AND sl.location_id = sqlc.arg(location_id)
  AND sl.on_hand <> sqlc.arg(counted);

-- name: GetStockLevel :one
SELECT l.code AS location, s.code AS sku, sl.on_hand, sl.reserved, sl.safety_stock, sl.updated_at
FROM stock_levels sl
JOIN locations l ON l.id = sl.location_id
JOIN skus s ON s.id = sl.sku_id
WHERE sl.sku_id = ? AND sl.location_id = ?;

-- name: ListStock :many
-- Stock levels filtered by SKU and/or location code ('' = any), in (sku, location) order.
SELECT l.code AS location, s.code AS sku, sl.on_hand, sl.reserved, sl.safety_stock, sl.updated_at
FROM stock_levels sl
JOIN locations l ON l.id = sl.location_id
JOIN skus s ON s.id = sl.sku_id
WHERE (CAST(sqlc.arg(sku) AS TEXT) = '' OR s.code = sqlc.arg(sku))
  AND (CAST(sqlc.arg(location) AS TEXT) = '' OR l.code = sqlc.arg(location))
  AND (s.code > sqlc.arg(after_sku) OR (s.code = sqlc.arg(after_sku) AND l.code > sqlc.arg(after_location)))
ORDER BY s.code, l.code
LIMIT sqlc.arg(lim);

-- name: StockOfSKU :many
-- Every location's level of one SKU, with the location's facts.
SELECT l.id AS location_id, l.code AS location, l.name AS location_name, l.kind, l.country, l.active, l.ships,
       sl.on_hand, sl.reserved, sl.safety_stock, sl.updated_at
FROM stock_levels sl JOIN locations l ON l.id = sl.location_id
WHERE sl.sku_id = ?
ORDER BY l.code;

-- name: StockAtLocation :many
-- One location's levels, keyset-paginated by SKU code, with search and filters.
SELECT s.id AS sku_id, s.code AS sku, s.name AS sku_name, sl.on_hand, sl.reserved, sl.safety_stock, sl.updated_at
FROM stock_levels sl JOIN skus s ON s.id = sl.sku_id
WHERE sl.location_id = sqlc.arg(location_id)
  AND s.code > sqlc.arg(after)
  AND (CAST(sqlc.arg(q) AS TEXT) = '' OR instr(s.code, sqlc.arg(q)) = 1 OR instr(lower(s.name), lower(sqlc.arg(q))) > 0)
  AND (CAST(sqlc.arg(filter) AS TEXT) = ''
       OR (sqlc.arg(filter) = 'short' AND sl.on_hand < sl.reserved)
       OR (sqlc.arg(filter) = 'below_safety' AND sl.on_hand - sl.reserved < sl.safety_stock)
       OR (sqlc.arg(filter) = 'zero' AND sl.on_hand = 0))
ORDER BY s.code
LIMIT sqlc.arg(lim);

-- name: LedgerOf :many
-- The ledger of one stock level, newest first, keyset-paginated by id. It
-- follows the level's chain (migrations/0015_chains.sql): from the row before
-- @before when @before is the level's own row (the next page), else from the
-- level's newest row, skipping rows from @before on.
WITH RECURSIVE chain(id) AS (
    SELECT CASE
        WHEN EXISTS (SELECT 1 FROM stock_ledger b
                     WHERE b.id = CAST(@before AS INTEGER) AND b.sku_id = CAST(@sku_id AS INTEGER) AND b.location_id = CAST(@location_id AS INTEGER))
        THEN (SELECT b.prev_id FROM stock_ledger b WHERE b.id = CAST(@before AS INTEGER))
        ELSE (SELECT sl.last_ledger_id FROM stock_levels sl WHERE sl.sku_id = CAST(@sku_id AS INTEGER) AND sl.location_id = CAST(@location_id AS INTEGER))
    END
    UNION ALL
    SELECT l.prev_id FROM chain JOIN stock_ledger l ON l.id = chain.id WHERE l.prev_id IS NOT NULL
)
SELECT id, delta_on_hand, delta_reserved, reason, reference, actor, note, at
FROM stock_ledger
WHERE id IN (SELECT id FROM chain WHERE id < CAST(@before AS INTEGER) LIMIT CAST(@lim AS INTEGER))
ORDER BY id DESC;

-- name: LedgerSums :one
-- The sums of a level's ledger, to check it against the level.
SELECT CAST(coalesce(sum(delta_on_hand), 0) AS INTEGER) AS on_hand,
       CAST(coalesce(sum(delta_reserved), 0) AS INTEGER) AS reserved
FROM stock_ledger WHERE sku_id = ? AND location_id = ?;

-- name: Availability :many
-- ATP of some SKUs for one channel: the sum of available over the active
-- locations that ship and serve the channel, less the channel's buffer, never below zero.
-- A kit (is_kit) has no levels: its ATP is its components' (app/kits_atp.go).
SELECT s.code AS sku,
       CAST(max(0, coalesce(sum(max(0, sl.on_hand - sl.reserved - sl.safety_stock)), 0) - sqlc.arg(buffer)) AS INTEGER) AS available,
       CAST(max(s.is_kit) AS INTEGER) AS is_kit
FROM skus s
LEFT JOIN stock_levels sl
       ON sl.sku_id = s.id
      AND sl.location_id IN (
          SELECT lc.location_id FROM location_channels lc JOIN locations l ON l.id = lc.location_id
          WHERE lc.channel_id = sqlc.arg(channel_id) AND l.active = 1 AND l.ships = 1)
WHERE s.code IN (sqlc.slice(codes))
GROUP BY s.code
ORDER BY s.code;

-- name: ReceiveAtWarehouses :execrows
-- A receipt of qty units at every stock level of every active warehouse or
-- 3PL that ships.
INSERT INTO stock_ledger (prev_id, sku_id, location_id, delta_on_hand, delta_reserved, reason, reference, actor, note, at)
SELECT sl.last_ledger_id, sl.sku_id, sl.location_id, sqlc.arg(qty), 0, 'receipt', sqlc.arg(reference), sqlc.arg(actor), '', sqlc.arg(at)
FROM stock_levels sl JOIN locations l ON l.id = sl.location_id
WHERE l.kind IN ('warehouse', '3pl') AND l.ships = 1 AND l.active = 1;

-- name: StockOverviewPage :many
-- A page of SKUs by code for the stock overview, with search and filters
-- over their levels at the locations @user_id has (0: at every location):
-- short (a level reserves more than it holds), below_safety, zero (nothing on hand).
SELECT s.id, s.code, s.name, s.active
FROM skus s
LEFT JOIN stock_levels sl ON sl.sku_id = s.id
    AND (CAST(@user_id AS INTEGER) = 0
         OR sl.location_id IN (SELECT ul.location_id FROM user_locations ul WHERE ul.user_id = @user_id))
WHERE s.code > @after
  AND (CAST(@until AS TEXT) = '' OR s.code <= @until)
  AND (CAST(@q AS TEXT) = '' OR instr(s.code, @q) = 1 OR instr(lower(s.name), lower(@q)) > 0)
GROUP BY s.code
HAVING CAST(@filter AS TEXT) = ''
    OR (@filter = 'short' AND coalesce(sum(sl.on_hand < sl.reserved), 0) > 0)
    OR (@filter = 'below_safety' AND coalesce(sum(sl.on_hand - sl.reserved < sl.safety_stock), 0) > 0)
    OR (@filter = 'zero' AND coalesce(sum(sl.on_hand), 0) = 0)
ORDER BY s.code
LIMIT @lim;

-- name: LevelsOfSKUs :many
-- The levels of the SKUs whose ids are in the JSON array @sku_ids, at the
-- locations @user_id has (0: at every location).
SELECT sl.sku_id, l.code AS location, sl.on_hand, sl.reserved, sl.safety_stock, sl.updated_at
FROM stock_levels sl JOIN locations l ON l.id = sl.location_id
WHERE sl.sku_id IN (SELECT value FROM json_each(@sku_ids))
  AND (CAST(@user_id AS INTEGER) = 0
       OR sl.location_id IN (SELECT ul.location_id FROM user_locations ul WHERE ul.user_id = @user_id))
ORDER BY sl.sku_id, l.code;

-- name: SKUCodeAhead :one
-- The code @ahead SKUs after @after in code order (where a filtered stock
-- page stops looking), or an error when there are not that many.
SELECT code FROM skus WHERE code > @after ORDER BY code LIMIT 1 OFFSET CAST(@ahead AS INTEGER) - 1;

-- name: LedgerCount :one
-- How many rows a stock level's ledger holds, counting no further than @cap:
-- it walks the level's chain from its newest row (migrations/0015_chains.sql).
WITH RECURSIVE chain(id, n) AS (
    SELECT sl.last_ledger_id, 1 FROM stock_levels sl
    WHERE sl.sku_id = CAST(@sku_id AS INTEGER) AND sl.location_id = CAST(@location_id AS INTEGER) AND sl.last_ledger_id IS NOT NULL
    UNION ALL
    SELECT l.prev_id, chain.n + 1 FROM chain JOIN stock_ledger l ON l.id = chain.id
    WHERE l.prev_id IS NOT NULL AND chain.n < CAST(@cap AS INTEGER)
)
SELECT count(*) FROM chain;
