-- name: SimulationDecisions :many
-- A page of the decisions a simulation replays: each order's first intake
-- decision with the order's number, latest placed orders first, placed
-- before (before_placed, before_order). The decision comes without its
-- candidates, which the report does not read: SQLite drops them faster than
-- Go would decode them.
SELECT d.id, o.id AS order_id, o.placed_at, o.number, CAST(d.input AS BLOB) AS input,
       CAST(json_remove(d.decision, '$.candidates') AS BLOB) AS decision
FROM orders o
JOIN routing_decisions d ON d.id = (SELECT min(e.id) FROM routing_decisions e
                                    WHERE e.order_id = o.id AND e.trigger = 'intake')
WHERE o.placed_at <= sqlc.arg(before_placed)
  AND NOT (o.placed_at = sqlc.arg(before_placed) AND o.id >= sqlc.arg(before_order))
ORDER BY o.placed_at DESC, o.id DESC
LIMIT sqlc.arg(page_size);
