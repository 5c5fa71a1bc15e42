-- name: IntakeByDay :many
-- Orders placed per UTC day (days since 1970-01-01) and channel, from day `from` to day `to`.
SELECT day, channel_id, n FROM order_day_counts
WHERE day BETWEEN sqlc.arg(from_day) AND sqlc.arg(to_day)
ORDER BY day, channel_id;

-- name: PromiseCounts :one
-- Open orders late (ship-by before now) and at risk (ship-by from now until `until`).
SELECT CAST(coalesce(sum(promised_ship_by < sqlc.arg(now)), 0) AS INTEGER) AS late,
       CAST(coalesce(sum(promised_ship_by >= sqlc.arg(now)), 0) AS INTEGER) AS at_risk
FROM orders
WHERE promised_ship_by < sqlc.arg(until)
  AND status NOT IN ('shipped', 'delivered', 'cancelled', 'returned', 'partially_returned');

-- name: AtRiskOrders :many
-- Open orders due to ship from now until `until`, the soonest first.
SELECT number, status, promised_ship_by FROM orders
WHERE promised_ship_by >= sqlc.arg(now) AND promised_ship_by < sqlc.arg(until)
  AND status NOT IN ('shipped', 'delivered', 'cancelled', 'returned', 'partially_returned')
ORDER BY promised_ship_by, id
LIMIT sqlc.arg(lim);

-- name: FulfillmentsByLocationDays :many
-- Fulfillments created per location and local day, from day `from` to day `to` (YYYY-MM-DD).
SELECT location_id, day, n FROM location_day_counts
WHERE day BETWEEN sqlc.arg(from_day) AND sqlc.arg(to_day);
