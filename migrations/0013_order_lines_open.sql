-- What is left to place of a line (neither reserved, shipped nor cancelled),
-- and an index of the lines with some left, by SKU, oldest orders first: the
-- restock reroute reads it. The index before it (0004's order_lines_waiting)
-- spelled the condition as an expression SQLite cannot match to a query, so
-- it was never used, and order_lines_by_sku served the reroute by reading
-- every line ever sold of the SKU; both go.
ALTER TABLE order_lines ADD COLUMN open_quantity INTEGER GENERATED ALWAYS AS (quantity - reserved - shipped - cancelled) VIRTUAL;

DROP INDEX order_lines_waiting;
DROP INDEX order_lines_by_sku;
CREATE INDEX order_lines_open ON order_lines (sku_id, order_id) WHERE open_quantity > 0;
