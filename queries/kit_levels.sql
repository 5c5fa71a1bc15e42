-- What kits allow, kept in kit_leaves, kit_state and kit_levels
-- (migrations/0038_kit_levels.sql; app/kit_levels.go).

-- name: DeleteKitLeaves :exec
DELETE FROM kit_leaves WHERE kit_sku_id IN (SELECT value FROM json_each(sqlc.arg(kit_ids)));

-- name: DeleteKitState :exec
DELETE FROM kit_state WHERE kit_sku_id IN (SELECT value FROM json_each(sqlc.arg(kit_ids)));

-- name: DeleteKitLevels :exec
DELETE FROM kit_levels WHERE kit_sku_id IN (SELECT value FROM json_each(sqlc.arg(kit_ids)));

-- name: KitTrees :many
-- Every SKU under each kit whose id is in the JSON array @kit_ids, at any
-- depth, by path, with the units of it one kit takes along that path: what
-- app/kit_levels.go flattens into kit_leaves and kit_state (depth is bounded
-- as in KitParts; SetKitComponents refuses cycles).
WITH RECURSIVE parts AS (
    SELECT c.kit_sku_id AS kit_id, c.component_sku_id AS sku_id, c.quantity AS qty, 1 AS depth
    FROM sku_components c JOIN skus k ON k.id = c.kit_sku_id AND k.is_kit = 1
    WHERE c.kit_sku_id IN (SELECT value FROM json_each(sqlc.arg(kit_ids)))
    UNION ALL
    SELECT p.kit_id, c.component_sku_id, p.qty * c.quantity, p.depth + 1
    FROM parts p JOIN sku_components c ON c.kit_sku_id = p.sku_id
    WHERE p.depth < 8
)
SELECT CAST(p.kit_id AS INTEGER) AS kit_id, p.sku_id, CAST(p.qty AS INTEGER) AS qty, s.is_kit, s.active
FROM parts p JOIN skus s ON s.id = p.sku_id;

-- name: InsertKitLeaves :exec
-- Writes kit_leaves rows given as a JSON array of [kit_sku_id, part_sku_id, per_kit].
INSERT INTO kit_leaves (kit_sku_id, part_sku_id, per_kit)
SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2 FROM json_each(sqlc.arg(rows)) AS j;

-- name: InsertKitState :exec
-- Writes kit_state rows given as a JSON array of [kit_sku_id, dead].
INSERT INTO kit_state (kit_sku_id, dead)
SELECT j.value ->> 0, j.value ->> 1 FROM json_each(sqlc.arg(rows)) AS j;

-- name: InsertKitLevels :exec
-- What each kit whose id is in the JSON array @kit_ids allows at each
-- location with a level of every one of its leaves (kit_leaves written first).
INSERT INTO kit_levels (kit_sku_id, location_id, available)
SELECT k.kit_sku_id, sl.location_id, min(max(0, sl.on_hand - sl.reserved - sl.safety_stock) / k.per_kit)
FROM kit_leaves k JOIN stock_levels sl ON sl.sku_id = k.part_sku_id
WHERE k.kit_sku_id IN (SELECT value FROM json_each(sqlc.arg(kit_ids)))
GROUP BY k.kit_sku_id, sl.location_id
HAVING count(*) = (SELECT count(*) FROM kit_leaves n WHERE n.kit_sku_id = k.kit_sku_id);

-- name: KitAvailability :many
-- ATP of the kits among @codes for one channel: the sum of what each allows
-- at the active locations that ship and serve the channel, less the channel's
-- buffer, never below zero; 0 when a component at some depth is inactive.
SELECT s.code AS sku,
       CAST(max(0, coalesce(sum(kl.available), 0) - sqlc.arg(buffer)) AS INTEGER) AS available
FROM skus s
LEFT JOIN kit_levels kl
       ON kl.kit_sku_id = s.id
      AND NOT EXISTS (SELECT 1 FROM kit_state ks WHERE ks.kit_sku_id = s.id AND ks.dead = 1)
      AND kl.location_id IN (
          SELECT lc.location_id FROM location_channels lc JOIN locations l ON l.id = lc.location_id
          WHERE lc.channel_id = sqlc.arg(channel_id) AND l.active = 1 AND l.ships = 1)
WHERE s.code IN (sqlc.slice(codes)) AND s.is_kit = 1
GROUP BY s.code
ORDER BY s.code;

-- name: KitLevelMismatches :many
-- Kits whose kept leaves, dead flag or levels differ from what sku_components,
-- skus and stock_levels give when computed from scratch: should be none.
-- what is 'leaf' (detail: the part's id), 'dead' (detail 0) or 'level'
-- (detail: the location's id).
WITH RECURSIVE parts AS (
    SELECT c.kit_sku_id AS kit_id, c.component_sku_id AS sku_id, c.quantity AS qty, 1 AS depth
    FROM sku_components c JOIN skus k ON k.id = c.kit_sku_id AND k.is_kit = 1
    UNION ALL
    SELECT p.kit_id, c.component_sku_id, p.qty * c.quantity, p.depth + 1
    FROM parts p JOIN sku_components c ON c.kit_sku_id = p.sku_id
    WHERE p.depth < 8
),
plain AS (
    SELECT p.kit_id, p.sku_id, sum(p.qty) AS qty
    FROM parts p JOIN skus s ON s.id = p.sku_id WHERE s.is_kit = 0 GROUP BY p.kit_id, p.sku_id
),
dead AS (
    SELECT p.kit_id, max(s.active = 0) AS dead FROM parts p JOIN skus s ON s.id = p.sku_id GROUP BY p.kit_id
),
fresh AS (
    SELECT p.kit_id, sl.location_id, min(max(0, sl.on_hand - sl.reserved - sl.safety_stock) / p.qty) AS available
    FROM plain p JOIN stock_levels sl ON sl.sku_id = p.sku_id
    GROUP BY p.kit_id, sl.location_id
    HAVING count(*) = (SELECT count(*) FROM plain n WHERE n.kit_id = p.kit_id)
),
bad AS (
    SELECT kit_id, sku_id AS detail, 'leaf' AS what FROM (SELECT kit_id, sku_id, qty FROM plain EXCEPT SELECT kit_sku_id, part_sku_id, per_kit FROM kit_leaves)
    UNION
    SELECT kit_sku_id, part_sku_id, 'leaf' FROM (SELECT kit_sku_id, part_sku_id, per_kit FROM kit_leaves EXCEPT SELECT kit_id, sku_id, qty FROM plain)
    UNION
    SELECT kit_id, 0, 'dead' FROM (SELECT kit_id, dead FROM dead EXCEPT SELECT kit_sku_id, dead FROM kit_state)
    UNION
    SELECT kit_sku_id, 0, 'dead' FROM (SELECT kit_sku_id, dead FROM kit_state EXCEPT SELECT kit_id, dead FROM dead)
    UNION
    SELECT kit_id, location_id, 'level' FROM (SELECT kit_id, location_id, available FROM fresh EXCEPT SELECT kit_sku_id, location_id, available FROM kit_levels)
    UNION
    SELECT kit_sku_id, location_id, 'level' FROM (SELECT kit_sku_id, location_id, available FROM kit_levels EXCEPT SELECT kit_id, location_id, available FROM fresh)
)
SELECT CAST(kit_id AS INTEGER) AS kit_sku_id, CAST(detail AS INTEGER) AS detail, CAST(what AS TEXT) AS what
FROM bad ORDER BY kit_id, what, detail;

-- name: KitLeavesOfCodes :many
-- The kits among @codes (a JSON array) with their plain parts at any depth
-- (kit_leaves) and whether a component is inactive (kit_state.dead): what a
-- kit line's promise is computed from (app/inbound/promise_kits.go).
SELECT s.code AS kit, l.part_sku_id AS sku_id, l.per_kit, coalesce(k.dead, 0) AS dead
FROM skus s
JOIN kit_leaves l ON l.kit_sku_id = s.id
LEFT JOIN kit_state k ON k.kit_sku_id = s.id
WHERE s.code IN (SELECT value FROM json_each(sqlc.arg(codes))) AND s.is_kit = 1
ORDER BY s.code, l.part_sku_id;
