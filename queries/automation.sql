-- name: GetAutomationRules :one
SELECT * FROM automation_rules WHERE version = ?;

-- name: LatestAutomationRules :one
SELECT * FROM automation_rules WHERE version > 0 ORDER BY version DESC LIMIT 1;

-- name: ListAutomationRuleVersions :many
SELECT version, note, saved_at, saved_by FROM automation_rules WHERE version > 0 ORDER BY version DESC;

-- name: SaveAutomationRulesDraft :exec
INSERT INTO automation_rules (version, body, note, saved_at, saved_by) VALUES (0, ?, '', ?, ?)
ON CONFLICT (version) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at, saved_by = excluded.saved_by;

-- name: PublishAutomationRules :one
INSERT INTO automation_rules (version, body, note, saved_at, saved_by)
VALUES ((SELECT coalesce(max(version), 0) + 1 FROM automation_rules), ?, ?, ?, ?)
RETURNING version;

-- name: MarkAutomationFired :execrows
-- Claims (order, trigger) for this run: 0 rows when its rules already ran.
INSERT INTO automation_fired (order_id, trigger, version, rules, fired_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (order_id, trigger) DO NOTHING;

-- name: SetAutomationFiredRules :exec
UPDATE automation_fired SET rules = ? WHERE order_id = ? AND trigger = ?;

-- name: ListAutomationFired :many
SELECT * FROM automation_fired WHERE order_id = ? ORDER BY fired_at, trigger;

-- name: CountOrdersOfEmail :one
-- Orders of one customer email placed at or before a time (this one included), through orders_by_email.
SELECT count(*) FROM orders WHERE lower(customer_email) = lower(sqlc.arg(email)) AND customer_email <> ''
  AND placed_at <= sqlc.arg(until);

-- name: CountOrdersOfEmailSince :one
SELECT count(*) FROM orders WHERE lower(customer_email) = lower(sqlc.arg(email)) AND customer_email <> ''
  AND placed_at >= sqlc.arg(since) AND placed_at <= sqlc.arg(until);

-- name: SKUTagsOfOrder :many
SELECT DISTINCT s.tags FROM order_lines l JOIN skus s ON s.id = l.sku_id WHERE l.order_id = ?;

-- name: SetOrderTags :exec
UPDATE orders SET tags = ?, updated_at = ? WHERE id = ?;

-- name: DeleteOrderTag :exec
DELETE FROM order_tags WHERE tag = ? AND placed_at = ? AND order_id = ?;

-- name: SetOrderPriority :exec
UPDATE orders SET priority = ?, updated_at = ? WHERE id = ?;

-- name: SetFulfillmentsPriority :exec
-- Copies an order's priority to its open fulfillments, which the queue orders by (0040).
UPDATE fulfillments SET priority = sqlc.arg(priority)
WHERE order_id = sqlc.arg(order_id) AND status IN ('pending', 'accepted') AND priority <> sqlc.arg(priority);

-- name: RecentOrderIDs :many
-- The newest orders, for a simulation; only those of channel_id unless it is 0 (a key bound to a channel).
SELECT id FROM orders
WHERE CAST(sqlc.arg(channel_id) AS INTEGER) = 0 OR channel_id = sqlc.arg(channel_id)
ORDER BY placed_at DESC, id DESC LIMIT sqlc.arg(lim);

-- name: LateOrdersNotAutomated :many
-- Open orders past their promised ship-by whose order.late rules have not
-- run yet, the oldest promise first (the sweep of app/automate_late.go).
SELECT o.id FROM orders o
WHERE o.promised_ship_by < sqlc.arg(now)
  AND o.status NOT IN ('shipped', 'delivered', 'cancelled', 'returned', 'partially_returned')
  AND NOT EXISTS (SELECT 1 FROM automation_fired f WHERE f.order_id = o.id AND f.trigger = 'order.late')
ORDER BY o.promised_ship_by, o.id
LIMIT sqlc.arg(lim);

-- name: OrderHasEventKind :one
-- Whether an order's timeline has an entry of a kind (a simulation asks
-- whether a count once left it short: kind 'stock_short').
SELECT EXISTS (SELECT 1 FROM order_events WHERE order_id = sqlc.arg(order_id) AND kind = sqlc.arg(kind)) AS found;
