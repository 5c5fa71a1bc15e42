-- The exceptions queue and the ops dashboard: who took which exception, orders
-- whose rejected work is not placed again yet, orders placed per day and channel,
-- and an index for late and at-risk orders.

-- Who took an exception, and when. An exception is an order ("order:SY-000123")
-- or a short stock level ("stock:LYS-WH/TEE-BLK-M").
CREATE TABLE exception_assignments (
    key         TEXT    PRIMARY KEY,
    order_id    INTEGER REFERENCES orders (id),
    location_id INTEGER REFERENCES locations (id),
    sku_id      INTEGER REFERENCES skus (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    taken_at    INTEGER NOT NULL,
    CHECK ((order_id IS NOT NULL) <> (location_id IS NOT NULL AND sku_id IS NOT NULL))
) STRICT;
CREATE INDEX exception_assignments_by_user ON exception_assignments (user_id, taken_at);
CREATE INDEX exception_assignments_by_order ON exception_assignments (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX exception_assignments_by_level ON exception_assignments (sku_id, location_id) WHERE sku_id IS NOT NULL;

-- An order's exception is over once it goes ahead (routed after waiting or a
-- hold) or is finished: whoever took it is done with it.
CREATE TRIGGER exception_assignments_order_done AFTER UPDATE OF status ON orders
WHEN OLD.status <> NEW.status
 AND (NEW.status IN ('shipped', 'delivered', 'cancelled', 'returned', 'partially_returned')
      OR (OLD.status IN ('on_hold', 'received', 'partially_routed', 'backordered') AND NEW.status IN ('routed', 'in_fulfillment')))
BEGIN
    DELETE FROM exception_assignments WHERE order_id = NEW.id;
END;

-- A short level's exception is over once the shelf covers the reservations again.
CREATE TRIGGER exception_assignments_level_done AFTER UPDATE ON stock_levels
WHEN OLD.on_hand < OLD.reserved AND NEW.on_hand >= NEW.reserved
BEGIN
    DELETE FROM exception_assignments WHERE sku_id = NEW.sku_id AND location_id = NEW.location_id;
END;

-- Orders with a rejected fulfillment whose work is not all placed again: the
-- latest rejection of each. Kept by triggers: a rejection adds the order; it
-- leaves once the order is finished or none of its open quantity is unreserved.
-- (The status alone cannot say so: a hold writes the old status first.)
CREATE TABLE order_rejections (
    order_id       INTEGER PRIMARY KEY REFERENCES orders (id),
    fulfillment_id INTEGER NOT NULL REFERENCES fulfillments (id),
    rejected_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX order_rejections_by_time ON order_rejections (rejected_at, order_id);

CREATE TRIGGER order_rejections_add AFTER UPDATE OF status ON fulfillments
WHEN NEW.status = 'rejected' AND OLD.status <> 'rejected'
BEGIN
    INSERT INTO order_rejections (order_id, fulfillment_id, rejected_at) VALUES (NEW.order_id, NEW.id, NEW.updated_at)
    ON CONFLICT (order_id) DO UPDATE SET fulfillment_id = excluded.fulfillment_id, rejected_at = excluded.rejected_at;
END;

CREATE TRIGGER order_rejections_placed AFTER UPDATE OF status ON orders
WHEN EXISTS (SELECT 1 FROM order_rejections r WHERE r.order_id = NEW.id)
 AND (NEW.status IN ('shipped', 'delivered', 'cancelled', 'returned', 'partially_returned')
      OR NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = NEW.id AND l.reserved + l.shipped + l.cancelled < l.quantity))
BEGIN
    DELETE FROM order_rejections WHERE order_id = NEW.id;
END;

INSERT INTO order_rejections (order_id, fulfillment_id, rejected_at)
SELECT f.order_id, max(f.id), max(f.updated_at)
FROM fulfillments f JOIN orders o ON o.id = f.order_id
WHERE f.status = 'rejected' AND o.status NOT IN ('shipped', 'delivered', 'cancelled', 'returned', 'partially_returned')
  AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.reserved + l.shipped + l.cancelled < l.quantity)
GROUP BY f.order_id;

-- Orders placed per UTC day (days since 1970-01-01) and channel, kept by
-- triggers like order_counts, so the dashboard's intake and 30-day chart cost nothing.
CREATE TABLE order_day_counts (
    day        INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (day, channel_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER order_day_counts_insert AFTER INSERT ON orders
BEGIN
    INSERT INTO order_day_counts (day, channel_id, n) VALUES (NEW.placed_at / 86400000, NEW.channel_id, 1)
    ON CONFLICT (day, channel_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER order_day_counts_update AFTER UPDATE OF placed_at, channel_id ON orders
WHEN OLD.placed_at / 86400000 <> NEW.placed_at / 86400000 OR OLD.channel_id <> NEW.channel_id
BEGIN
    UPDATE order_day_counts SET n = n - 1 WHERE day = OLD.placed_at / 86400000 AND channel_id = OLD.channel_id;
    INSERT INTO order_day_counts (day, channel_id, n) VALUES (NEW.placed_at / 86400000, NEW.channel_id, 1)
    ON CONFLICT (day, channel_id) DO UPDATE SET n = n + 1;
END;

INSERT INTO order_day_counts (day, channel_id, n)
SELECT placed_at / 86400000, channel_id, count(*) FROM orders GROUP BY 1, 2;

-- Open orders by their promised ship-by, for late and at-risk orders: only
-- orders that have a promise and are not finished (shipped, delivered, cancelled,
-- returned), so the index stays small; with the status, counts never read the
-- table. Queries repeat its WHERE word for word.
CREATE INDEX orders_open_promise ON orders (promised_ship_by, status)
WHERE promised_ship_by IS NOT NULL
  AND status NOT IN ('shipped', 'delivered', 'cancelled', 'returned', 'partially_returned');
