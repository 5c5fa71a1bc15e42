-- Orders enter the search index in batches after their intake, not in the
-- intake's own transaction: indexing the words of one order at a time (six
-- prefixes of each) took a tenth of the writer's time per order. Orders up
-- to order_search_progress.upto are indexed; app.Search first indexes the
-- rest, and serve indexes them every moment anyway, so search misses nothing.
-- An order changed before it is indexed is indexed as it is then: the
-- triggers below only touch the index for orders already in it.

CREATE TABLE order_search_progress (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    upto INTEGER NOT NULL -- the orders with id <= upto are in order_search
);
INSERT INTO order_search_progress (id, upto) SELECT 1, coalesce(max(id), 0) FROM orders;

DROP TRIGGER order_search_insert;

DROP TRIGGER order_search_update;
CREATE TRIGGER order_search_update AFTER UPDATE OF customer_name, ship_name, customer_email, ship_city, note ON orders
WHEN (OLD.customer_name IS NOT NEW.customer_name OR OLD.ship_name IS NOT NEW.ship_name
      OR OLD.customer_email IS NOT NEW.customer_email OR OLD.ship_city IS NOT NEW.ship_city OR OLD.note IS NOT NEW.note)
 AND OLD.id <= (SELECT upto FROM order_search_progress)
BEGIN
    INSERT INTO order_search (order_search, rowid, customer_name, ship_name, customer_email, ship_city, note)
    VALUES ('delete', OLD.id, OLD.customer_name, OLD.ship_name, OLD.customer_email, OLD.ship_city, OLD.note);
    INSERT INTO order_search (rowid, customer_name, ship_name, customer_email, ship_city, note)
    VALUES (NEW.id, NEW.customer_name, NEW.ship_name, NEW.customer_email, NEW.ship_city, NEW.note);
END;

DROP TRIGGER order_search_delete;
CREATE TRIGGER order_search_delete AFTER DELETE ON orders
WHEN OLD.id <= (SELECT upto FROM order_search_progress)
BEGIN
    INSERT INTO order_search (order_search, rowid, customer_name, ship_name, customer_email, ship_city, note)
    VALUES ('delete', OLD.id, OLD.customer_name, OLD.ship_name, OLD.customer_email, OLD.ship_city, OLD.note);
END;
