-- Two indexes that cost intake most are replaced by chains. An index keyed
-- by stock level or by SKU code takes each new row at the end of that key's
-- range: every reservation and every order line dirtied a page of its own,
-- and every page dirtied is written whole to the WAL at each commit. The two
-- were a third of the pages an order wrote.
--
-- Instead, each row names the previous row of its key (prev_id), and a small
-- row per key names the newest one: the stock level itself, which each ledger
-- row updates anyway, and sku_line_heads, a few hundred rows to a page. A
-- level's ledger and a SKU's orders are read newest first by following the
-- chain from there (queries/stock.sql LedgerOf, queries/search.sql
-- SearchOrdersBySKU). Ledger rows and order lines are never deleted, and
-- neither changes its level or SKU, so a chain never breaks.

-- The chains of the rows already there are drawn with the old indexes, then
-- those go.

-- The ledger of a stock level.
ALTER TABLE stock_ledger ADD COLUMN prev_id INTEGER; -- the level's previous row; NULL for its first
ALTER TABLE stock_levels ADD COLUMN last_ledger_id INTEGER; -- the level's newest ledger row

UPDATE stock_ledger SET prev_id = (
    SELECT max(p.id) FROM stock_ledger p
    WHERE p.sku_id = stock_ledger.sku_id AND p.location_id = stock_ledger.location_id AND p.id < stock_ledger.id);

UPDATE stock_levels SET last_ledger_id = (
    SELECT max(l.id) FROM stock_ledger l WHERE l.sku_id = stock_levels.sku_id AND l.location_id = stock_levels.location_id);

DROP INDEX stock_ledger_by_level;

-- Appending a ledger row applies its deltas (see 0002) and makes it its level's
-- newest. The inserts name the previous row themselves (stock_levels.last_ledger_id,
-- from the level they read anyway); one that does not is linked here.
DROP TRIGGER stock_ledger_applies;
CREATE TRIGGER stock_ledger_applies AFTER INSERT ON stock_ledger
BEGIN
    UPDATE stock_ledger
    SET prev_id = (SELECT sl.last_ledger_id FROM stock_levels sl WHERE sl.sku_id = NEW.sku_id AND sl.location_id = NEW.location_id)
    WHERE id = NEW.id AND NEW.prev_id IS NULL;
    UPDATE stock_levels
    SET on_hand        = on_hand + NEW.delta_on_hand,
        reserved       = reserved + NEW.delta_reserved,
        updated_at     = NEW.at,
        last_ledger_id = NEW.id
    WHERE sku_id = NEW.sku_id AND location_id = NEW.location_id;
END;

-- The order lines of a SKU code, in any case (lines of SKUs we do not know included).
ALTER TABLE order_lines ADD COLUMN prev_sku_line_id INTEGER; -- the previous line with this SKU code

CREATE TABLE sku_line_heads (
    sku          TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
    last_line_id INTEGER NOT NULL -- the newest order line with this SKU code
) STRICT, WITHOUT ROWID;

UPDATE order_lines SET prev_sku_line_id = (
    SELECT p.id FROM order_lines p
    WHERE p.sku = order_lines.sku COLLATE NOCASE AND (p.order_id, p.id) < (order_lines.order_id, order_lines.id)
    ORDER BY p.order_id DESC, p.id DESC
    LIMIT 1);

INSERT INTO sku_line_heads (sku, last_line_id)
SELECT sku, max(id) FROM order_lines GROUP BY sku COLLATE NOCASE;

DROP INDEX order_lines_by_sku_code;

-- A new line becomes its code's newest. The intake's insert names the previous
-- line itself (queries/orders.sql InsertOrderLine); one that does not is linked here.
CREATE TRIGGER order_lines_sku_chain AFTER INSERT ON order_lines
BEGIN
    UPDATE order_lines SET prev_sku_line_id = (SELECT h.last_line_id FROM sku_line_heads h WHERE h.sku = NEW.sku)
    WHERE id = NEW.id AND NEW.prev_sku_line_id IS NULL;
    INSERT INTO sku_line_heads (sku, last_line_id) VALUES (NEW.sku, NEW.id)
    ON CONFLICT (sku) DO UPDATE SET last_line_id = excluded.last_line_id;
END;
