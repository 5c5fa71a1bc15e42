-- name: OrdersToReevaluate :many
-- Orders, after a given id, with a fulfillment no location has accepted yet,
-- neither on hold nor cancelled: one page of the re-evaluation pass. It reads
-- the open fulfillments' partial index (0017), whatever the history's size,
-- rather than every fulfillment by order.
SELECT DISTINCT f.order_id FROM fulfillments f INDEXED BY fulfillments_open JOIN orders o ON o.id = f.order_id
WHERE f.status IN ('pending', 'accepted') AND f.status = 'pending' AND f.order_id > sqlc.arg(after)
  AND o.on_hold = 0 AND o.cancelled = 0
ORDER BY f.order_id
LIMIT sqlc.arg(lim);

-- name: CancelPendingFulfillment :execrows
-- Cancels a fulfillment only while no location has accepted it: re-evaluation's check.
UPDATE fulfillments SET status = 'cancelled', updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id) AND status = 'pending';
