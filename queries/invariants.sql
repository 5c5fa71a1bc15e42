-- name: ReservationMismatches :many
-- Stock levels whose reserved quantity differs from the open quantity of the
-- pending and accepted fulfillment lines at that location, and of the
-- transfers it has not shipped yet (draft transfers reserve at their origin,
-- migrations/0033_inbound.sql): should be none.
-- The open quantities are summed once, from the open fulfillments only.
-- A kit line counts for the parts it reserved, per_kit units of each per open
-- kit (migrations/0035_kit_reservations.sql), and not for the kit's own SKU.
WITH open_lines AS (
    SELECT location_id, sku_id, sum(open) AS open FROM (
        SELECT f.location_id, coalesce(p.sku_id, fl.sku_id) AS sku_id,
               (fl.quantity - fl.shipped - fl.released) * coalesce(p.per_kit, 1) AS open
        FROM fulfillments f JOIN fulfillment_lines fl ON fl.fulfillment_id = f.id
        LEFT JOIN fulfillment_line_parts p ON p.fulfillment_id = fl.fulfillment_id AND p.order_line_id = fl.order_line_id
        WHERE f.status IN ('pending', 'accepted')
        UNION ALL
        SELECT i.from_location_id, il.sku_id, il.quantity
        FROM inbound_orders i JOIN inbound_lines il ON il.inbound_id = i.id
        WHERE i.kind = 'transfer' AND i.status = 'draft')
    GROUP BY location_id, sku_id
)
SELECT sl.location_id, sl.sku_id, sl.reserved, CAST(coalesce(o.open, 0) AS INTEGER) AS open
FROM stock_levels sl LEFT JOIN open_lines o ON o.location_id = sl.location_id AND o.sku_id = sl.sku_id
WHERE sl.reserved <> coalesce(o.open, 0);

-- name: LedgerMismatches :many
-- Stock levels that differ from the sums of their ledger, or are negative: should be none.
SELECT sl.location_id, sl.sku_id, sl.on_hand, sl.reserved
FROM stock_levels sl
LEFT JOIN (SELECT sku_id, location_id, sum(delta_on_hand) AS oh, sum(delta_reserved) AS rs
           FROM stock_ledger GROUP BY sku_id, location_id) g
       ON g.sku_id = sl.sku_id AND g.location_id = sl.location_id
WHERE sl.on_hand <> coalesce(g.oh, 0) OR sl.reserved <> coalesce(g.rs, 0) OR sl.on_hand < 0 OR sl.reserved < 0;

-- name: PriorityMismatches :many
-- Open fulfillments whose priority (the queue's order, migrations/0040)
-- differs from their order's: should be none.
SELECT f.id, f.priority, o.priority AS order_priority
FROM fulfillments f JOIN orders o ON o.id = f.order_id
WHERE f.status IN ('pending', 'accepted') AND f.priority <> o.priority;

-- name: CountStockLevels :one
SELECT count(*) FROM stock_levels;

-- name: ChainBreaks :one
-- Ledger rows that do not name their level's previous row, levels that do not
-- name their newest, and the same for order lines by SKU code: should be none
-- (migrations/0015_chains.sql).
SELECT CAST((SELECT count(*) FROM (
            SELECT g.prev_id, lag(g.id) OVER (PARTITION BY g.sku_id, g.location_id ORDER BY g.id) AS want FROM stock_ledger g) AS c
        WHERE c.prev_id IS NOT c.want)
     + (SELECT count(*) FROM stock_levels sl
        LEFT JOIN (SELECT sku_id, location_id, max(id) AS newest FROM stock_ledger GROUP BY sku_id, location_id) AS m
               ON m.sku_id = sl.sku_id AND m.location_id = sl.location_id
        WHERE sl.last_ledger_id IS NOT m.newest)
     + (SELECT count(*) FROM (
            SELECT ol.prev_sku_line_id AS prev, lag(ol.id) OVER (PARTITION BY ol.sku COLLATE NOCASE ORDER BY ol.id) AS want FROM order_lines ol) AS c
        WHERE c.prev IS NOT c.want)
     + (SELECT count(*) FROM (SELECT sku COLLATE NOCASE AS code, max(id) AS newest FROM order_lines GROUP BY sku COLLATE NOCASE) AS m
        LEFT JOIN sku_line_heads h ON h.sku = m.code
        WHERE h.last_line_id IS NOT m.newest) AS INTEGER) AS breaks;

-- name: KitSplitMismatches :many
-- Kits split over several locations (migrations/0039_kit_split.sql) whose
-- lines disagree: every line of one split carries the same kit quantity, has
-- parts, and no part comes from two places: should be none.
SELECT fl.order_line_id, fl.part_of
FROM fulfillment_lines fl
LEFT JOIN (SELECT fulfillment_id, order_line_id, count(*) AS n FROM fulfillment_line_parts GROUP BY fulfillment_id, order_line_id) pc
       ON pc.fulfillment_id = fl.fulfillment_id AND pc.order_line_id = fl.order_line_id
LEFT JOIN (SELECT f2.order_line_id, f2.part_of, count(*) AS n, count(DISTINCT p.sku_id) AS d
           FROM fulfillment_lines f2 JOIN fulfillment_line_parts p ON p.fulfillment_id = f2.fulfillment_id AND p.order_line_id = f2.order_line_id
           WHERE f2.part_of IS NOT NULL GROUP BY f2.order_line_id, f2.part_of) g
       ON g.order_line_id = fl.order_line_id AND g.part_of = fl.part_of
WHERE fl.part_of IS NOT NULL
GROUP BY fl.order_line_id, fl.part_of
HAVING min(fl.quantity) <> max(fl.quantity) OR min(coalesce(pc.n, 0)) = 0 OR max(g.n) <> max(g.d) OR count(*) < 2;

-- name: LineReservedMismatches :many
-- Order lines whose reserved count differs from what their pending and
-- accepted fulfillment lines hold open: a line's own fulfillment lines add
-- up, and a kit split over locations (part_of, migrations/0039_kit_split.sql)
-- counts once, for the most any of its lines has open: should be none.
WITH open_fl AS (
    SELECT fl.order_line_id, fl.part_of, fl.quantity - fl.shipped - fl.released AS open
    FROM fulfillment_lines fl JOIN fulfillments f ON f.id = fl.fulfillment_id
    WHERE f.status IN ('pending', 'accepted')
), per_line AS (
    SELECT order_line_id, sum(open) AS open FROM (
        SELECT order_line_id, open FROM open_fl WHERE part_of IS NULL
        UNION ALL
        SELECT order_line_id, max(open) FROM open_fl WHERE part_of IS NOT NULL GROUP BY order_line_id, part_of)
    GROUP BY order_line_id
)
SELECT ol.id, ol.reserved, CAST(coalesce(p.open, 0) AS INTEGER) AS open
FROM order_lines ol LEFT JOIN per_line p ON p.order_line_id = ol.id
WHERE ol.reserved <> coalesce(p.open, 0);
