-- name: GetRules :one
SELECT * FROM routing_rules WHERE version = ?;

-- name: GetPublishedRules :one
-- The active rules: the newest published version.
SELECT * FROM routing_rules WHERE version > 0 ORDER BY version DESC LIMIT 1;

-- name: ListRuleVersions :many
SELECT version, updated_by, updated_at, published_by, published_at FROM routing_rules ORDER BY version DESC;

-- name: PutDraftRules :exec
UPDATE routing_rules SET rules = ?, updated_by = ?, updated_at = ? WHERE version = 0;

-- name: PublishRules :one
INSERT INTO routing_rules (version, rules, updated_by, updated_at, published_by, published_at)
SELECT (SELECT max(version) FROM routing_rules) + 1, rules, updated_by, updated_at, sqlc.arg(published_by), sqlc.arg(published_at)
FROM routing_rules WHERE version = 0
RETURNING version;

-- name: ListRoutingLocations :many
-- Every location with the channels it serves (comma-separated codes).
SELECT l.id, l.code, l.name, l.kind, l.country, l.region, l.lat, l.lon, l.tags, l.active, l.ships, l.pickup,
       l.rank, l.daily_capacity, l.timezone, l.cutoff, l.handling_days,
       l.handling_per_shipment, l.handling_per_unit, l.handling_currency,
       CAST(coalesce((SELECT group_concat(c.code) FROM location_channels lc JOIN channels c ON c.id = lc.channel_id
                      WHERE lc.location_id = l.id), '') AS TEXT) AS channels
FROM locations l
ORDER BY l.code;

-- name: StockForSKUs :many
-- The stock of some SKUs at every location that has a level for them.
SELECT sl.location_id, sl.sku_id, sl.on_hand, sl.reserved, sl.safety_stock
FROM stock_levels sl
WHERE sl.sku_id IN (sqlc.slice(sku_ids));

-- name: SKUsForRouting :many
SELECT id, code, name, tags, active, is_kit FROM skus WHERE code IN (sqlc.slice(codes));

-- name: ZoneRatesTo :many
SELECT l.code AS origin, z.country, z.region, z.cost, z.currency, z.transit_days
FROM zone_rates z JOIN locations l ON l.id = z.origin_location_id
WHERE z.country = ?;

-- name: PostalCodePoint :one
SELECT lat, lon FROM postal_codes WHERE country = ? AND postal_code = ?;

-- name: LocationDayCounts :many
-- The fulfillments some locations took on some days: by the primary key, not
-- by reading every location's every day.
SELECT location_id, day, n FROM location_day_counts
WHERE location_id IN (sqlc.slice(locations)) AND day IN (sqlc.slice(days));

-- name: BumpLocationDay :execrows
-- Counts one more fulfillment for a location's day, unless that would exceed
-- cap (0 = no limit); no row is affected when the day has no row yet or is full.
UPDATE location_day_counts SET n = n + 1
WHERE location_id = sqlc.arg(location_id) AND day = sqlc.arg(day)
  AND (CAST(sqlc.arg(cap) AS INTEGER) = 0 OR n < sqlc.arg(cap));

-- name: StartLocationDay :execrows
-- The first fulfillment of a location's day; no row is affected when the day has a row.
INSERT INTO location_day_counts (location_id, day, n) VALUES (?, ?, 1)
ON CONFLICT (location_id, day) DO NOTHING;

-- name: InsertDecision :execlastid
INSERT INTO routing_decisions (order_id, at, trigger, rule_version, rule_name, input, decision, explanation)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: LatestDecision :one
SELECT * FROM routing_decisions WHERE order_id = ? ORDER BY id DESC LIMIT 1;

-- name: LatestDecisionTrigger :one
-- What caused an order's latest routing decision, without its stored input.
SELECT trigger FROM routing_decisions WHERE order_id = ? ORDER BY id DESC LIMIT 1;

-- name: ListDecisions :many
SELECT * FROM routing_decisions WHERE order_id = ? ORDER BY id;

-- name: InsertFulfillment :execlastid
-- A new pending fulfillment, with its order's priority (the queue's order, 0040).
INSERT INTO fulfillments (order_id, location_id, decision_id, status, promised_ship_by, promised_delivery_by, created_at, updated_at, priority)
VALUES (sqlc.arg(order_id), sqlc.arg(location_id), sqlc.arg(decision_id), 'pending', sqlc.arg(promised_ship_by), sqlc.arg(promised_delivery_by),
        sqlc.arg(created_at), sqlc.arg(updated_at), (SELECT o.priority FROM orders o WHERE o.id = sqlc.arg(order_id)));

-- name: InsertFulfillmentLine :exec
INSERT INTO fulfillment_lines (fulfillment_id, order_line_id, sku_id, quantity, part_of) VALUES (?, ?, ?, ?, ?);

-- name: AddLineRouting :exec
UPDATE order_lines
SET reserved = reserved + sqlc.arg(reserved),
    backordered = backordered + sqlc.arg(backordered),
    backorder_location_id = coalesce(sqlc.narg(backorder_location_id), backorder_location_id)
WHERE id = sqlc.arg(id);

-- name: SetOrderPromise :exec
UPDATE orders SET promised_ship_by = ?, promised_delivery_by = ?, updated_at = ? WHERE id = ?;

-- name: ListOrderFulfillments :many
SELECT f.*, l.code AS location, l.name AS location_name
FROM fulfillments f JOIN locations l ON l.id = f.location_id
WHERE f.order_id = ?
ORDER BY f.id;

-- name: ListOrderFulfillmentLines :many
SELECT fl.*, ol.line_no, ol.sku
FROM fulfillment_lines fl
JOIN fulfillments f ON f.id = fl.fulfillment_id
JOIN order_lines ol ON ol.id = fl.order_line_id
WHERE f.order_id = ?
ORDER BY fl.fulfillment_id, ol.line_no;

-- name: OpenFulfillmentLinesOf :many
-- The open parts of an order line in pending or accepted fulfillments, newest first.
SELECT fl.fulfillment_id, fl.order_line_id, fl.sku_id, fl.quantity, fl.shipped, fl.released, fl.part_of, f.location_id, f.status
FROM fulfillment_lines fl JOIN fulfillments f ON f.id = fl.fulfillment_id
WHERE fl.order_line_id = ? AND f.status IN ('pending', 'accepted') AND fl.quantity - fl.shipped - fl.released > 0
ORDER BY f.id DESC;

-- name: ReleaseFulfillmentLine :exec
UPDATE fulfillment_lines SET released = released + ? WHERE fulfillment_id = ? AND order_line_id = ?;

-- name: FulfillmentOpenUnits :one
SELECT CAST(coalesce(sum(quantity - shipped - released), 0) AS INTEGER) AS open,
       CAST(coalesce(sum(shipped), 0) AS INTEGER) AS shipped
FROM fulfillment_lines WHERE fulfillment_id = ?;

-- name: GetFulfillment :one
SELECT f.*, l.code AS location, l.name AS location_name
FROM fulfillments f JOIN locations l ON l.id = f.location_id
WHERE f.id = ?;

-- name: SetFulfillmentStatus :exec
UPDATE fulfillments SET status = ?, updated_at = ? WHERE id = ?;

-- name: ListFulfillmentLines :many
SELECT fl.*, ol.line_no, ol.sku
FROM fulfillment_lines fl JOIN order_lines ol ON ol.id = fl.order_line_id
WHERE fl.fulfillment_id = ?
ORDER BY ol.line_no;

-- name: OpenFulfillmentsOf :many
-- The pending (or also accepted) fulfillments of an order.
SELECT id, location_id, status FROM fulfillments
WHERE order_id = sqlc.arg(order_id) AND (status = 'pending' OR (sqlc.arg(with_accepted) = 1 AND status = 'accepted'))
ORDER BY id;

-- name: ShortFulfillmentLines :many
-- Open fulfillment lines of a SKU at a location, newest first: the ones to move when the shelf is short.
-- A kit line counts for each part it reserved (fulfillment_line_parts), in units of the part.
SELECT fl.fulfillment_id, f.order_id,
       CAST((fl.quantity - fl.shipped - fl.released) * coalesce(p.per_kit, 1) AS INTEGER) AS open
FROM fulfillment_lines fl JOIN fulfillments f ON f.id = fl.fulfillment_id
LEFT JOIN fulfillment_line_parts p ON p.fulfillment_id = fl.fulfillment_id AND p.order_line_id = fl.order_line_id AND p.sku_id = sqlc.arg(sku_id)
WHERE f.location_id = sqlc.arg(location_id) AND (fl.sku_id = sqlc.arg(sku_id) OR p.sku_id IS NOT NULL)
  AND f.status IN ('pending', 'accepted') AND fl.quantity - fl.shipped - fl.released > 0
ORDER BY f.status = 'accepted', f.id DESC;

-- name: WaitingOrdersForSKU :many
-- Orders with lines of a SKU still waiting for stock (backordered or not
-- routed), oldest first; lines of the kits holding the SKU wait for it too.
WITH RECURSIVE wanted AS (
    SELECT sqlc.arg(sku_id) AS id
    UNION
    SELECT c.kit_sku_id FROM sku_components c JOIN wanted w ON c.component_sku_id = w.id
)
SELECT DISTINCT o.id, o.placed_at
FROM order_lines l JOIN orders o ON o.id = l.order_id
WHERE l.sku_id IN (SELECT id FROM wanted) AND l.open_quantity > 0
  AND o.cancelled = 0 AND o.on_hold = 0
ORDER BY o.placed_at, o.id
LIMIT sqlc.arg(lim);

-- name: SetFulfillmentRejected :exec
UPDATE fulfillments SET status = 'rejected', reject_reason = ?, reject_note = ?, updated_at = ? WHERE id = ?;

-- name: SetFulfillmentAccepted :exec
UPDATE fulfillments SET status = 'accepted', accepted_at = ?, updated_at = ? WHERE id = ?;

-- name: NetworkVersion :one
-- Changes whenever locations, channels, published rules or zone rates change
-- (triggers in migrations/0011_network_version.sql).
SELECT v FROM network_version WHERE id = 1;

-- name: RecordRoutingSites :exec
-- Stores a set of location facts that decisions name by hash, once.
INSERT INTO routing_sites (hash, facts) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING;

-- name: GetRoutingSites :one
SELECT facts FROM routing_sites WHERE hash = ?;
