-- name: QueueCounts :many
-- Fulfillments at a location per tab: all pending and accepted ones, and the
-- shipped and rejected ones since a time (today); each count walks one range
-- of a partial index (migrations/0017), whose condition each names.
SELECT 'pending' AS status, count(*) AS n FROM fulfillments a
WHERE a.location_id = sqlc.arg(location_id) AND a.status = 'pending' AND a.status IN ('pending', 'accepted')
UNION ALL
SELECT 'accepted', count(*) FROM fulfillments b
WHERE b.location_id = sqlc.arg(location_id) AND b.status = 'accepted' AND b.status IN ('pending', 'accepted')
UNION ALL
SELECT 'shipped', count(*) FROM fulfillments c
WHERE c.location_id = sqlc.arg(location_id) AND c.status = 'shipped' AND c.status NOT IN ('pending', 'accepted')
  AND c.updated_at >= sqlc.arg(since)
UNION ALL
SELECT 'rejected', count(*) FROM fulfillments d
WHERE d.location_id = sqlc.arg(location_id) AND d.status = 'rejected' AND d.status NOT IN ('pending', 'accepted')
  AND d.updated_at >= sqlc.arg(since);

-- name: QueueFulfillments :many
-- A location's closed fulfillments in one status changed since a time, oldest
-- first after the keyset (after_created, after_id) (the open ones:
-- QueueOpenFulfillments). The day's range of fulfillments_closed_since is read,
-- not every closed fulfillment from the keyset on.
SELECT f.id, f.order_id, f.status, f.promised_ship_by, f.created_at, f.accepted_at, f.shipped_at, f.reject_reason,
       o.number, o.on_hold, o.hold_reason, o.customer_name, o.delivery, o.ship_city, o.ship_country, o.priority
FROM fulfillments f INDEXED BY fulfillments_closed_since JOIN orders o ON o.id = f.order_id
WHERE f.location_id = sqlc.arg(location_id) AND f.status = sqlc.arg(status) AND f.status NOT IN ('pending', 'accepted')
  AND f.updated_at >= sqlc.arg(since)
  AND f.created_at >= sqlc.arg(after_created) AND (f.created_at > sqlc.arg(after_created) OR f.id > sqlc.arg(after_id))
ORDER BY f.created_at, f.id
LIMIT sqlc.arg(lim);

-- name: QueueOpenFulfillments :many
-- A location's pending or accepted fulfillments of one priority, late ones
-- (late = 1: the promised ship-by before now) or the others (late = 0),
-- oldest first after the keyset (after_created, after_id), walking the
-- (location, status, priority, created_at) index of open ones (0040) without
-- sorting. QueueOpenLowerFulfillments continues with the lower priorities.
SELECT f.id, f.order_id, f.status, f.promised_ship_by, f.created_at, f.accepted_at, f.shipped_at, f.reject_reason,
       o.number, o.on_hold, o.hold_reason, o.customer_name, o.delivery, o.ship_city, o.ship_country, f.priority
FROM fulfillments f INDEXED BY fulfillments_open JOIN orders o ON o.id = f.order_id
WHERE f.location_id = sqlc.arg(location_id) AND f.status = sqlc.arg(status) AND f.status IN ('pending', 'accepted')
  AND f.priority = sqlc.arg(priority)
  AND (coalesce(f.promised_ship_by, CAST(sqlc.arg(now) AS INTEGER)) < CAST(sqlc.arg(now) AS INTEGER)) = CAST(sqlc.arg(late) AS INTEGER)
  AND f.created_at >= sqlc.arg(after_created) AND (f.created_at > sqlc.arg(after_created) OR f.id > sqlc.arg(after_id))
ORDER BY f.created_at, f.id
LIMIT sqlc.arg(lim);

-- name: QueueOpenLowerFulfillments :many
-- A location's pending or accepted fulfillments of a priority below
-- below, late ones or the others as QueueOpenFulfillments, the higher
-- priority first, then the oldest: the same index, walked in its order.
SELECT f.id, f.order_id, f.status, f.promised_ship_by, f.created_at, f.accepted_at, f.shipped_at, f.reject_reason,
       o.number, o.on_hold, o.hold_reason, o.customer_name, o.delivery, o.ship_city, o.ship_country, f.priority
FROM fulfillments f INDEXED BY fulfillments_open JOIN orders o ON o.id = f.order_id
WHERE f.location_id = sqlc.arg(location_id) AND f.status = sqlc.arg(status) AND f.status IN ('pending', 'accepted')
  AND f.priority < sqlc.arg(below)
  AND (coalesce(f.promised_ship_by, CAST(sqlc.arg(now) AS INTEGER)) < CAST(sqlc.arg(now) AS INTEGER)) = CAST(sqlc.arg(late) AS INTEGER)
ORDER BY f.priority DESC, f.created_at, f.id
LIMIT sqlc.arg(lim);

-- name: QueueFulfillmentLines :many
-- The lines of some fulfillments (those listed in a queue tab).
SELECT fl.fulfillment_id, fl.quantity, fl.shipped, fl.released, ol.line_no, ol.sku, ol.name
FROM fulfillment_lines fl
JOIN order_lines ol ON ol.id = fl.order_line_id
WHERE fl.fulfillment_id IN (sqlc.slice(ids))
ORDER BY fl.fulfillment_id, ol.line_no;

-- name: ListOpenLocationFulfillments :many
-- A location's open fulfillments for the API, in one status ('' = both), oldest first;
-- only those of orders of channel_id unless it is 0 (a key bound to a channel).
SELECT f.id FROM fulfillments f JOIN orders o ON o.id = f.order_id
WHERE f.location_id = sqlc.arg(location_id) AND f.status IN ('pending', 'accepted')
  AND (CAST(sqlc.arg(status) AS TEXT) = '' OR f.status = sqlc.arg(status))
  AND (CAST(sqlc.arg(channel_id) AS INTEGER) = 0 OR o.channel_id = sqlc.arg(channel_id))
ORDER BY f.created_at, f.id
LIMIT sqlc.arg(lim);

-- name: ListClosedLocationFulfillments :many
-- A location's closed fulfillments in one status for the API, oldest first;
-- only those of orders of channel_id unless it is 0 (a key bound to a channel).
SELECT f.id FROM fulfillments f JOIN orders o ON o.id = f.order_id
WHERE f.location_id = sqlc.arg(location_id) AND f.status = sqlc.arg(status) AND f.status NOT IN ('pending', 'accepted')
  AND (CAST(sqlc.arg(channel_id) AS INTEGER) = 0 OR o.channel_id = sqlc.arg(channel_id))
ORDER BY f.created_at, f.id
LIMIT sqlc.arg(lim);
