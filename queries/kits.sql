-- name: ListKitComponents :many
-- The direct components of a kit, in the order they were given.
SELECT c.component_sku_id, c.quantity, s.code, s.name, s.active, s.is_kit
FROM sku_components c JOIN skus s ON s.id = c.component_sku_id
WHERE c.kit_sku_id = ?
ORDER BY c.position;

-- name: KitParts :many
-- The plain SKUs a kit is made of, through kits inside kits, with the units of
-- each that one kit takes. Depth is bounded; SetKitComponents refuses cycles.
WITH RECURSIVE parts AS (
    SELECT k.component_sku_id AS sku_id, k.quantity AS qty, 1 AS depth FROM sku_components k WHERE k.kit_sku_id = sqlc.arg(kit_sku_id)
    UNION ALL
    SELECT c.component_sku_id, p.qty * c.quantity, p.depth + 1
    FROM parts p JOIN sku_components c ON c.kit_sku_id = p.sku_id
    WHERE p.depth < 8
)
SELECT p.sku_id, s.code, s.name, s.active, CAST(sum(p.qty) AS INTEGER) AS quantity
FROM parts p JOIN skus s ON s.id = p.sku_id
WHERE s.is_kit = 0
GROUP BY p.sku_id
ORDER BY s.code;

-- name: KitReaches :one
-- Whether sku_id is among the components of from_sku_id, at any depth (or is it).
WITH RECURSIVE below AS (
    SELECT s.id AS id FROM skus s WHERE s.id = sqlc.arg(from_sku_id)
    UNION
    SELECT c.component_sku_id FROM sku_components c JOIN below b ON c.kit_sku_id = b.id
)
SELECT count(*) FROM below WHERE id = sqlc.arg(sku_id);

-- name: KitsOfComponent :many
-- The kits that hold a SKU, at any depth: their availability follows its stock.
WITH RECURSIVE above AS (
    SELECT c.kit_sku_id AS id FROM sku_components c WHERE c.component_sku_id = sqlc.arg(component_sku_id)
    UNION
    SELECT c.kit_sku_id FROM sku_components c JOIN above a ON c.component_sku_id = a.id
)
SELECT s.id, s.code FROM above a JOIN skus s ON s.id = a.id ORDER BY s.code;

-- name: DeleteKitComponents :exec
DELETE FROM sku_components WHERE kit_sku_id = ?;

-- name: InsertKitComponent :exec
INSERT INTO sku_components (kit_sku_id, component_sku_id, quantity, position) VALUES (?, ?, ?, ?);

-- name: SetSKUIsKit :exec
UPDATE skus SET is_kit = ?, updated_at = ? WHERE id = ?;

-- name: CountHeldLevels :one
-- The stock levels of a SKU that hold or reserve units.
SELECT count(*) FROM stock_levels WHERE sku_id = ? AND (on_hand <> 0 OR reserved <> 0);

-- name: KitLevels :many
-- What each kit whose id is in the JSON array @kit_ids allows at each location
-- that has a level of every one of its plain parts, among the locations
-- @user_id has (0: every location): the fewest kits the parts' free stock
-- makes (0 when a component, at any depth, is inactive).
WITH RECURSIVE parts AS (
    SELECT c.kit_sku_id AS kit_id, c.component_sku_id AS sku_id, c.quantity AS qty, 1 AS depth FROM sku_components c
    WHERE c.kit_sku_id IN (SELECT value FROM json_each(sqlc.arg(kit_ids)))
    UNION ALL
    SELECT p.kit_id, c.component_sku_id, p.qty * c.quantity, p.depth + 1
    FROM parts p JOIN sku_components c ON c.kit_sku_id = p.sku_id
    WHERE p.depth < 8
),
leaves AS (
    SELECT p.kit_id, p.sku_id, p.qty, s.is_kit, s.active FROM parts p CROSS JOIN skus s ON s.id = p.sku_id
),
plain AS (
    SELECT kit_id, sku_id, sum(qty) AS qty FROM leaves WHERE is_kit = 0 GROUP BY kit_id, sku_id
),
counts AS (SELECT kit_id, count(*) AS n FROM plain GROUP BY kit_id),
dead AS (SELECT DISTINCT kit_id FROM leaves WHERE active = 0)
SELECT p.kit_id, l.id AS location_id, l.code AS location, l.name AS location_name, l.kind, l.country, l.active, l.ships,
       CAST(CASE WHEN p.kit_id IN (SELECT kit_id FROM dead) THEN 0
                 ELSE min(max(0, sl.on_hand - sl.reserved - sl.safety_stock) / p.qty) END AS INTEGER) AS available,
       CAST(max(sl.updated_at) AS INTEGER) AS updated_at
FROM plain p
CROSS JOIN stock_levels sl ON sl.sku_id = p.sku_id
JOIN locations l ON l.id = sl.location_id
WHERE CAST(sqlc.arg(user_id) AS INTEGER) = 0
   OR sl.location_id IN (SELECT ul.location_id FROM user_locations ul WHERE ul.user_id = sqlc.arg(user_id))
GROUP BY p.kit_id, l.id
HAVING count(*) = (SELECT c.n FROM counts c WHERE c.kit_id = p.kit_id)
ORDER BY p.kit_id, l.code;

-- name: KitsInCodeRange :many
-- The kits whose code is after @after and at most @until ('' = no bound), by
-- code: the kits a page of the stock listing may hold.
SELECT id, code FROM skus
WHERE is_kit = 1 AND code > sqlc.arg(after) AND (CAST(sqlc.arg(until) AS TEXT) = '' OR code <= sqlc.arg(until))
  AND (CAST(sqlc.arg(sku) AS TEXT) = '' OR code = sqlc.arg(sku))
ORDER BY code
LIMIT 1000;

-- name: MarkAvailabilityEverywhere :execrows
-- One pending availability message of the SKU for every connected active
-- channel (see MarkAvailabilityPending): a kit's components, or a
-- component's being active, changed what it allows everywhere.
INSERT INTO outbox_messages (channel_id, sku_id, kind, payload, status, next_attempt_at, created_at)
SELECT c.id, sqlc.arg(sku_id), 'availability', '{}', 'pending', sqlc.arg(due), sqlc.arg(now)
FROM channels c
WHERE c.active = 1 AND c.callback_base_url <> '' AND (c.kind NOT IN ('shopify', 'woocommerce') OR c.callback_token <> '')
  AND NOT EXISTS (SELECT 1 FROM outbox_messages m
                  WHERE m.kind = 'availability' AND m.channel_id = c.id
                    AND m.sku_id = sqlc.arg(sku_id) AND m.status = 'pending');

-- name: KitIDsAmong :many
-- The kits among the SKUs whose ids are in the JSON array @sku_ids.
SELECT id FROM skus WHERE id IN (SELECT value FROM json_each(sqlc.arg(sku_ids))) AND is_kit = 1;

-- name: ListKitIDs :many
-- Every kit's id: what a stock file may not count.
SELECT id FROM skus WHERE is_kit = 1;
