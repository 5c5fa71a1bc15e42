-- name: PrivacyOrdersByEmail :many
-- A batch of the orders of a customer email, any case (orders_by_email).
SELECT id FROM orders
WHERE lower(customer_email) = lower(CAST(@email AS TEXT)) AND customer_email <> ''
ORDER BY lower(customer_email), placed_at LIMIT @lim;

-- name: PrivacyOrdersOfChannel :many
-- A batch of a channel's orders after an id.
SELECT id FROM orders WHERE channel_id = @channel_id AND id > @after ORDER BY id LIMIT @lim;

-- name: PrivacyOrderPII :one
-- The personal data an order holds.
SELECT customer_email, customer_name, customer_phone, ship_name, ship_line1, ship_line2,
       ship_city, ship_region, ship_postal_code, ship_phone, note
FROM orders WHERE id = ?;

-- name: PrivacyEraseOrder :exec
-- Erases an order's personal data; the country, money and lines stay. The
-- search index follows by the order_search_update trigger.
UPDATE orders SET customer_email = '', customer_name = '', customer_phone = '',
    ship_name = '', ship_line1 = '', ship_line2 = '', ship_city = '', ship_region = '',
    ship_postal_code = '', ship_phone = '', ship_lat = NULL, ship_lon = NULL,
    note = CASE WHEN note = '' THEN '' ELSE '[redacted]' END, updated_at = @updated_at
WHERE id = @id;

-- name: PrivacyOrderEvents :many
SELECT id, kind, message, data FROM order_events WHERE order_id = ? ORDER BY id;

-- name: PrivacySetEvent :exec
UPDATE order_events SET message = @message, data = @data WHERE id = @id;

-- name: PrivacyEraseReturnNotes :exec
-- The free text of an order's returns and their lines.
UPDATE returns SET note = '[redacted]' WHERE order_id = @order_id AND note <> '';

-- name: PrivacyEraseReturnLineNotes :exec
UPDATE return_lines SET note = '[redacted]'
WHERE note <> '' AND return_id IN (SELECT id FROM returns WHERE order_id = @order_id);

-- name: PrivacyMarkRedacted :execrows
-- Marks an order redacted; 0 rows when it already was.
INSERT INTO redacted_orders (order_id, at) VALUES (?, ?) ON CONFLICT (order_id) DO NOTHING;

-- name: InsertPrivacyRequest :exec
INSERT INTO privacy_requests (channel_id, kind, customer_ref, external_ids, received_at) VALUES (?, ?, ?, ?, ?);

-- name: ListPrivacyRequests :many
SELECT r.id, r.kind, r.customer_ref, r.external_ids, r.received_at, coalesce(c.code, '') AS channel
FROM privacy_requests r LEFT JOIN channels c ON c.id = r.channel_id
ORDER BY r.received_at DESC, r.id DESC LIMIT ?;

-- name: PrivacyOrderOutbox :many
-- The outbox messages of an order (webhooks repeat its timeline entries).
SELECT id, payload FROM outbox_messages WHERE order_id = ? ORDER BY id;

-- name: PrivacySetOutboxPayload :exec
UPDATE outbox_messages SET payload = @payload WHERE id = @id;

-- name: PrivacyOldOrders :many
-- A batch of finished orders placed before a time, not yet redacted, after a
-- (placed_at, id) key, oldest first (orders_by_placed).
SELECT o.id, o.placed_at FROM orders o
WHERE o.placed_at < @before AND (o.placed_at, o.id) > (@after_placed, @after_id)
  AND o.status IN ('shipped', 'delivered', 'cancelled', 'returned', 'partially_returned')
  AND NOT EXISTS (SELECT 1 FROM redacted_orders r WHERE r.order_id = o.id)
ORDER BY o.placed_at, o.id LIMIT @lim;
