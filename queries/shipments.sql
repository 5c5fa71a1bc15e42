-- name: InsertShipment :one
INSERT INTO shipments (fulfillment_id, order_id, carrier, tracking_number, tracking_url, tracking_warning, shipped_at, created_by)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: InsertShipmentLine :exec
INSERT INTO shipment_lines (shipment_id, order_line_id, sku_id, quantity) VALUES (?, ?, ?, ?);

-- name: ShipFulfillmentLine :exec
UPDATE fulfillment_lines SET shipped = shipped + ? WHERE fulfillment_id = ? AND order_line_id = ?;

-- name: ShipOrderLine :exec
UPDATE order_lines SET shipped = shipped + sqlc.arg(qty), reserved = reserved - sqlc.arg(qty) WHERE id = sqlc.arg(id);

-- name: SetFulfillmentShipped :exec
UPDATE fulfillments SET status = ?, shipped_at = coalesce(shipped_at, ?), updated_at = ? WHERE id = ?;

-- name: SetFulfillmentDelivered :exec
UPDATE fulfillments SET status = 'delivered', delivered_at = ?, updated_at = ? WHERE id = ?;

-- name: SetShipmentsDelivered :exec
UPDATE shipments SET delivered_at = ? WHERE fulfillment_id = ? AND delivered_at IS NULL;

-- name: ListOrderShipments :many
SELECT s.*, l.code AS location, l.name AS location_name, l.city AS location_city
FROM shipments s JOIN fulfillments f ON f.id = s.fulfillment_id JOIN locations l ON l.id = f.location_id
WHERE s.order_id = ?
ORDER BY s.id;

-- name: ListOrderShipmentLines :many
SELECT sl.shipment_id, sl.quantity, ol.line_no, ol.sku
FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id JOIN order_lines ol ON ol.id = sl.order_line_id
WHERE s.order_id = ?
ORDER BY sl.shipment_id, ol.line_no;

-- name: GetShipment :one
SELECT s.*, l.code AS location, l.name AS location_name, o.number AS order_number
FROM shipments s JOIN fulfillments f ON f.id = s.fulfillment_id JOIN locations l ON l.id = f.location_id
JOIN orders o ON o.id = s.order_id
WHERE s.id = ?;

-- name: CorrectShipmentTracking :exec
UPDATE shipments SET carrier = ?, tracking_number = ?, tracking_url = ?, tracking_warning = ? WHERE id = ?;
