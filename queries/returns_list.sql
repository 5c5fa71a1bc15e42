-- The returns list, its counts per status and its CSV export (app/returns/list.go).
-- Filters left empty (0, '') select everything; the page continues after the
-- cursor (requested_at, id), newest first. No reason code is part of another,
-- so instr finds a reason in the space-separated list.

-- name: ListReturnsPage :many
SELECT r.id, r.number, r.status, r.resolution, r.started_by, r.actor_name, r.reasons, r.requested_at, r.approved_at,
       r.received_at, r.note, r.override,
       o.number AS order_number, o.currency, c.code AS channel_code, l.code AS location_code, l.name AS location_name,
       x.number AS exchange_number,
       CAST(coalesce((SELECT sum(rl.quantity) FROM return_lines rl WHERE rl.return_id = r.id), 0) AS INTEGER) AS units,
       CAST(coalesce((SELECT sum(rl.restocked + rl.quarantined + rl.scrapped) FROM return_lines rl WHERE rl.return_id = r.id), 0) AS INTEGER) AS received,
       CAST(coalesce((SELECT sum(f.amount) FROM refunds f WHERE f.return_id = r.id AND f.status <> 'failed'), 0) AS INTEGER) AS refunded,
       CAST(coalesce((SELECT f.status FROM refunds f WHERE f.return_id = r.id ORDER BY f.id DESC LIMIT 1), '') AS TEXT) AS refund_status
FROM returns r
JOIN orders o ON o.id = r.order_id
JOIN channels c ON c.id = r.channel_id
JOIN locations l ON l.id = r.location_id
LEFT JOIN orders x ON x.id = r.exchange_order_id
WHERE r.requested_at <= sqlc.arg(after_at)
  AND (r.requested_at < sqlc.arg(after_at) OR r.id < sqlc.arg(after_id))
  AND r.requested_at >= sqlc.arg(from_at) AND r.requested_at < sqlc.arg(to_at)
  AND (CAST(sqlc.arg(status) AS TEXT) = '' OR r.status = sqlc.arg(status))
  AND (CAST(sqlc.arg(location_id) AS INTEGER) = 0 OR r.location_id = sqlc.arg(location_id))
  AND (CAST(sqlc.arg(channel_id) AS INTEGER) = 0 OR r.channel_id = sqlc.arg(channel_id))
  AND (CAST(sqlc.arg(reason) AS TEXT) = '' OR instr(r.reasons, sqlc.arg(reason)) > 0)
ORDER BY r.requested_at DESC, r.id DESC
LIMIT sqlc.arg(lim);

-- name: ReturnStatusCounts :many
-- How many returns each status holds under the other filters.
SELECT r.status, count(*) AS n
FROM returns r
WHERE r.requested_at >= sqlc.arg(from_at) AND r.requested_at < sqlc.arg(to_at)
  AND (CAST(sqlc.arg(location_id) AS INTEGER) = 0 OR r.location_id = sqlc.arg(location_id))
  AND (CAST(sqlc.arg(channel_id) AS INTEGER) = 0 OR r.channel_id = sqlc.arg(channel_id))
  AND (CAST(sqlc.arg(reason) AS TEXT) = '' OR instr(r.reasons, sqlc.arg(reason)) > 0)
GROUP BY r.status;
