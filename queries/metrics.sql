-- name: OutboxGauges :many
-- Undelivered and dead outbox messages by channel code ('' for generic
-- webhooks) and kind, with the oldest undelivered one's creation time, for
-- /metrics. Delivered messages are not read (outbox_due's status prefix).
SELECT CAST(coalesce(c.code, '') AS TEXT) AS channel, m.kind,
    CAST(coalesce(sum(m.status IN ('pending', 'delivering')), 0) AS INTEGER) AS undelivered,
    CAST(coalesce(sum(m.status = 'dead'), 0) AS INTEGER) AS dead,
    CAST(coalesce(min(CASE WHEN m.status IN ('pending', 'delivering') THEN m.created_at END), 0) AS INTEGER) AS oldest_undelivered_at
FROM outbox_messages m LEFT JOIN channels c ON c.id = m.channel_id
WHERE m.status IN ('pending', 'delivering', 'dead')
GROUP BY c.code, m.kind;
