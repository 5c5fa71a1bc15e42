-- The location's queue puts fulfillments of a higher priority first across
-- its pages, not only within one (issue 20). The priority is the order's
-- (orders.priority, 0037, set by automation rules); each fulfillment carries
-- a copy, kept equal on the open ones by the app (InsertFulfillment reads the
-- order's, SetFulfillmentsPriority follows a change), so that the queue walks one
-- index in its own order: late ones aside, higher priority first, then the
-- oldest. The open fulfillments' index gains the priority (still one index a
-- new fulfillment enters).
ALTER TABLE fulfillments ADD COLUMN priority INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 100);

UPDATE fulfillments SET priority = (SELECT o.priority FROM orders o WHERE o.id = fulfillments.order_id)
WHERE order_id IN (SELECT id FROM orders WHERE priority <> 0);

DROP INDEX fulfillments_open; -- (location_id, status, created_at)
CREATE INDEX fulfillments_open ON fulfillments (location_id, status, priority DESC, created_at)
WHERE status IN ('pending', 'accepted');
