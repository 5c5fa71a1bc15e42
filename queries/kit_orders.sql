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
-- some of it reserved them: what a return of it restocks. A kit split over
-- several locations (part_of, migrations/0039_kit_split.sql) gives the parts
-- of all the lines that carried it.
WITH latest AS (
    SELECT fl.fulfillment_id, fl.part_of FROM fulfillment_lines fl
    WHERE fl.order_line_id = sqlc.arg(order_line_id) AND fl.shipped > 0
      AND EXISTS (SELECT 1 FROM fulfillment_line_parts x WHERE x.fulfillment_id = fl.fulfillment_id AND x.order_line_id = fl.order_line_id)
    ORDER BY fl.fulfillment_id DESC LIMIT 1
)
SELECT p.sku_id, p.per_kit, s.code
FROM fulfillment_line_parts p JOIN skus s ON s.id = p.sku_id
JOIN fulfillment_lines fl ON fl.fulfillment_id = p.fulfillment_id AND fl.order_line_id = p.order_line_id
WHERE p.order_line_id = sqlc.arg(order_line_id)
  AND (p.fulfillment_id = (SELECT fulfillment_id FROM latest)
       OR (fl.part_of IS NOT NULL AND fl.part_of = (SELECT part_of FROM latest)))
ORDER BY s.code;

-- name: KitSplitSiblings :many
-- The lines that carry parts of the same kits of an order line (one split,
-- migrations/0039_kit_split.sql), with their fulfillments' status.
SELECT fl.fulfillment_id, fl.quantity, fl.shipped, fl.released, f.location_id, f.status, l.name AS location_name
FROM fulfillment_lines fl JOIN fulfillments f ON f.id = fl.fulfillment_id JOIN locations l ON l.id = f.location_id
WHERE fl.order_line_id = sqlc.arg(order_line_id) AND fl.part_of = sqlc.arg(part_of)
ORDER BY fl.fulfillment_id;

-- name: OrderHasOpenKitSplit :one
-- Whether an order has an open line carrying part of a kit.
SELECT EXISTS (SELECT 1 FROM fulfillment_lines fl JOIN fulfillments f ON f.id = fl.fulfillment_id
               WHERE f.order_id = ? AND fl.part_of IS NOT NULL AND f.status IN ('pending', 'accepted')
                 AND fl.quantity - fl.shipped - fl.released > 0) AS open;

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

-- name: SplitKitLine :one
-- An order line's order, number and name (its SKU's when the line has none),
-- for a split kit's timeline entry.
SELECT ol.order_id, ol.line_no, CAST(coalesce(nullif(ol.name, ''), s.name, ol.sku) AS TEXT) AS name
FROM order_lines ol LEFT JOIN skus s ON s.id = ol.sku_id
WHERE ol.id = ?;

-- name: BrokenSplitKits :many
-- Per order line of an order, the kits of its splits that some location
-- shipped parts of while another gave its parts back (neither shipped nor
-- open there): routing them again would send the shipped parts twice, so
-- they are a person's to decide (app/kit_split_moves.go).
SELECT order_line_id, CAST(sum(broken) AS INTEGER) AS kits
FROM (SELECT fl.order_line_id, max(fl.shipped) - min(fl.quantity - fl.released) AS broken
      FROM fulfillment_lines fl JOIN order_lines ol ON ol.id = fl.order_line_id
      WHERE ol.order_id = sqlc.arg(order_id) AND fl.part_of IS NOT NULL
      GROUP BY fl.order_line_id, fl.part_of)
WHERE broken > 0
GROUP BY order_line_id;
