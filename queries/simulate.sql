-- name: SimulationDecisions :many
-- A page of the decisions a simulation replays: each order's first intake
-- decision with the order's number, newest first, older than before_id. The
-- decision comes without its candidates, which the report does not read:
-- SQLite drops them faster than Go would decode them.
SELECT d.id, o.number, CAST(d.input AS BLOB) AS input,
       CAST(json_remove(d.decision, '$.candidates') AS BLOB) AS decision
FROM routing_decisions d JOIN orders o ON o.id = d.order_id
WHERE d.trigger = 'intake' AND d.id < sqlc.arg(before_id)
  AND NOT EXISTS (SELECT 1 FROM routing_decisions e
                  WHERE e.order_id = d.order_id AND e.trigger = 'intake' AND e.id < d.id)
ORDER BY d.id DESC
LIMIT sqlc.arg(page_size);
