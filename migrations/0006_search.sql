-- Support search: an FTS5 index over the words people remember of an order,
-- kept in sync with orders by triggers, and plain indexes for the exact keys
-- (order number and shipments.tracking_number are indexed already).
-- Needs SQLite with FTS5: build with `-tags sqlite_fts5` (mattn/go-sqlite3).

-- The words of an order: an external-content index over orders (the text stays
-- in orders only). Diacritics are folded ("José" is found by "jose"). Prefixes
-- of 2 to 6 characters are indexed: a prefix query ("lyo*") then reads one list
-- as it goes, where a longer prefix makes FTS5 merge the lists of every word it
-- starts, whole, before the first row (40 ms for a word in a million orders).
CREATE VIRTUAL TABLE order_search USING fts5 (
    customer_name, ship_name, customer_email, ship_city, note,
    content = 'orders', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6'
);

-- Names weigh most, then the email, the city and the note.
INSERT INTO order_search (order_search, rank) VALUES ('rank', 'bm25(10.0, 8.0, 5.0, 2.0, 1.0)');

-- Orders stored before this migration.
INSERT INTO order_search (order_search) VALUES ('rebuild');

CREATE TRIGGER order_search_insert AFTER INSERT ON orders
BEGIN
    INSERT INTO order_search (rowid, customer_name, ship_name, customer_email, ship_city, note)
    VALUES (NEW.id, NEW.customer_name, NEW.ship_name, NEW.customer_email, NEW.ship_city, NEW.note);
END;

CREATE TRIGGER order_search_update AFTER UPDATE OF customer_name, ship_name, customer_email, ship_city, note ON orders
WHEN OLD.customer_name IS NOT NEW.customer_name OR OLD.ship_name IS NOT NEW.ship_name
    OR OLD.customer_email IS NOT NEW.customer_email OR OLD.ship_city IS NOT NEW.ship_city OR OLD.note IS NOT NEW.note
BEGIN
    INSERT INTO order_search (order_search, rowid, customer_name, ship_name, customer_email, ship_city, note)
    VALUES ('delete', OLD.id, OLD.customer_name, OLD.ship_name, OLD.customer_email, OLD.ship_city, OLD.note);
    INSERT INTO order_search (rowid, customer_name, ship_name, customer_email, ship_city, note)
    VALUES (NEW.id, NEW.customer_name, NEW.ship_name, NEW.customer_email, NEW.ship_city, NEW.note);
END;

CREATE TRIGGER order_search_delete AFTER DELETE ON orders
BEGIN
    INSERT INTO order_search (order_search, rowid, customer_name, ship_name, customer_email, ship_city, note)
    VALUES ('delete', OLD.id, OLD.customer_name, OLD.ship_name, OLD.customer_email, OLD.ship_city, OLD.note);
END;

-- Email, any case (ASCII, as lower() folds it), the customer's newest orders first.
-- An expression rather than COLLATE NOCASE: with it SQLite reads the newest first
-- without sorting all of a customer's orders.
CREATE INDEX orders_by_email ON orders (lower(customer_email), placed_at) WHERE customer_email <> '';

-- The channel's ids of an order, whatever the channel.
CREATE INDEX orders_by_external_id ON orders (external_id);
CREATE INDEX orders_by_channel_ref ON orders (channel_ref) WHERE channel_ref <> '';

-- Phones by their last 7 digits, written however they were typed: spaces, dots,
-- dashes, slashes, brackets and + are dropped. app.Search checks the rest of the
-- number. The queries in queries/search.sql repeat these expressions exactly.
CREATE INDEX orders_by_customer_phone ON orders (
    substr(replace(replace(replace(replace(replace(replace(replace(customer_phone,
        ' ', ''), '.', ''), '-', ''), '/', ''), '(', ''), ')', ''), '+', ''), -7)
) WHERE customer_phone <> '';
CREATE INDEX orders_by_ship_phone ON orders (
    substr(replace(replace(replace(replace(replace(replace(replace(ship_phone,
        ' ', ''), '.', ''), '-', ''), '/', ''), '(', ''), ')', ''), '+', ''), -7)
) WHERE ship_phone <> '';

-- Orders with a line of a SKU code (as the channel sent it, any case), newest first.
CREATE INDEX order_lines_by_sku_code ON order_lines (sku COLLATE NOCASE, order_id);
