-- name: InsertFulfillmentLinePart :exec
-- A part a kit line reserved (migrations/0035_kit_reservations.sql).
INSERT INTO fulfillment_line_parts (fulfillment_id, order_line_id, sku_id, per_kit) VALUES (?, ?, ?, ?);

-- name: FulfillmentLineParts :many
-- The parts a kit line of a fulfillment reserved, by SKU code; none for a plain line.
SELECT p.sku_id, p.per_kit, s.code, s.name, s.barcode
FROM fulfillment_line_parts p JOIN skus s ON s.id = p.sku_id
WHERE p.fulfillment_id = ? AND p.order_line_id = ?
ORDER BY s.code;

-- name: ShippedPartsOfOrderLine :many
-- The parts of an order line's kit as its latest fulfillment that shipped
-- some of it reserved them: what a return of it restocks.
SELECT p.sku_id, p.per_kit, s.code
FROM fulfillment_line_parts p JOIN skus s ON s.id = p.sku_id
WHERE p.fulfillment_id = (
    SELECT max(fl.fulfillment_id) FROM fulfillment_lines fl
    WHERE fl.order_line_id = sqlc.arg(order_line_id) AND fl.shipped > 0
      AND EXISTS (SELECT 1 FROM fulfillment_line_parts x WHERE x.fulfillment_id = fl.fulfillment_id AND x.order_line_id = fl.order_line_id))
  AND p.order_line_id = sqlc.arg(order_line_id)
ORDER BY s.code;

-- name: KitPartsForRouting :many
-- The plain parts of some kits, through kits inside kits, with the units of
-- each one kit takes, for the routing snapshot; inactive parts are listed
-- (they make the kit unavailable).
WITH RECURSIVE parts AS (
    SELECT k.kit_sku_id AS kit_id, k.component_sku_id AS sku_id, k.quantity AS qty, 1 AS depth
    FROM sku_components k WHERE k.kit_sku_id IN (sqlc.slice(kit_ids))
    UNION ALL
    SELECT p.kit_id, c.component_sku_id, p.qty * c.quantity, p.depth + 1
    FROM parts p JOIN sku_components c ON c.kit_sku_id = p.sku_id
    WHERE p.depth < 8
)
SELECT p.kit_id, p.sku_id, s.code, s.name, s.active, CAST(sum(p.qty) AS INTEGER) AS quantity
FROM parts p JOIN skus s ON s.id = p.sku_id
WHERE s.is_kit = 0
GROUP BY p.kit_id, p.sku_id
ORDER BY p.kit_id, s.code;

-- name: PartsOfFulfillments :many
-- The parts of the kit lines of some fulfillments (a queue, a pick list),
-- by fulfillment and order line number.
SELECT p.fulfillment_id, ol.line_no, s.code, s.name, p.per_kit
FROM fulfillment_line_parts p
JOIN order_lines ol ON ol.id = p.order_line_id
JOIN skus s ON s.id = p.sku_id
WHERE p.fulfillment_id IN (sqlc.slice(ids))
ORDER BY p.fulfillment_id, ol.line_no, s.code;

-- name: PartsOfOrderFulfillments :many
-- The parts of the kit lines of an order's fulfillments.
SELECT p.fulfillment_id, ol.line_no, s.code, s.name, p.per_kit
FROM fulfillment_line_parts p
JOIN order_lines ol ON ol.id = p.order_line_id
JOIN skus s ON s.id = p.sku_id
WHERE p.fulfillment_id IN (SELECT f.id FROM fulfillments f WHERE f.order_id = ?)
ORDER BY p.fulfillment_id, ol.line_no, s.code;
