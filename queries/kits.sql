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

-- name: ListAllKitComponents :many
-- Every kit's direct components: what the routing snapshot expands kits with.
SELECT kit_sku_id, component_sku_id, quantity FROM sku_components ORDER BY kit_sku_id, position;

-- name: DeleteKitComponents :exec
DELETE FROM sku_components WHERE kit_sku_id = ?;

-- name: InsertKitComponent :exec
INSERT INTO sku_components (kit_sku_id, component_sku_id, quantity, position) VALUES (?, ?, ?, ?);

-- name: SetSKUIsKit :exec
UPDATE skus SET is_kit = ?, updated_at = ? WHERE id = ?;

-- name: CountHeldLevels :one
-- The stock levels of a SKU that hold or reserve units.
SELECT count(*) FROM stock_levels WHERE sku_id = ? AND (on_hand <> 0 OR reserved <> 0);
