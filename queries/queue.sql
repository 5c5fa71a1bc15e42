-- name: QueueCounts :many
-- Fulfillments at a location per status; shipped ones only since a time (today).
SELECT status, count(*) AS n FROM fulfillments
WHERE location_id = sqlc.arg(location_id)
  AND (status IN ('pending', 'accepted') OR (status = 'shipped' AND shipped_at >= sqlc.arg(since))
       OR (status = 'rejected' AND updated_at >= sqlc.arg(since)))
GROUP BY status;

-- name: QueueFulfillments :many
-- A location's fulfillments in one status, oldest first (the app puts late ones first).
SELECT f.id, f.order_id, f.status, f.promised_ship_by, f.created_at, f.accepted_at, f.shipped_at, f.reject_reason,
       o.number, o.on_hold, o.hold_reason, o.customer_name, o.delivery, o.ship_city, o.ship_country
FROM fulfillments f JOIN orders o ON o.id = f.order_id
WHERE f.location_id = sqlc.arg(location_id) AND f.status = sqlc.arg(status)
  AND (f.status NOT IN ('shipped', 'rejected') OR f.updated_at >= sqlc.arg(since))
ORDER BY f.created_at, f.id
LIMIT sqlc.arg(lim);

-- name: QueueFulfillmentLines :many
-- The lines of a location's fulfillments in one status.
SELECT fl.fulfillment_id, fl.quantity, fl.shipped, fl.released, ol.line_no, ol.sku, ol.name
FROM fulfillment_lines fl
JOIN fulfillments f ON f.id = fl.fulfillment_id
JOIN order_lines ol ON ol.id = fl.order_line_id
WHERE f.location_id = sqlc.arg(location_id) AND f.status = sqlc.arg(status)
  AND (f.status NOT IN ('shipped', 'rejected') OR f.updated_at >= sqlc.arg(since))
ORDER BY fl.fulfillment_id, ol.line_no;

-- name: ListLocationFulfillments :many
-- A location's fulfillments for the API, by status ('' = open ones), oldest first.
SELECT f.id FROM fulfillments f
WHERE f.location_id = sqlc.arg(location_id)
  AND ((CAST(sqlc.arg(status) AS TEXT) = '' AND f.status IN ('pending', 'accepted')) OR f.status = sqlc.arg(status))
ORDER BY f.created_at, f.id
LIMIT sqlc.arg(lim);
