-- name: SearchOrdersByNumber :many
-- The order with this number (the exact keys use their indexes; words use FTS5).
SELECT * FROM orders WHERE number = ?;

-- name: SearchOrdersByChannelRef :many
SELECT * FROM orders
WHERE external_id = @ref OR (channel_ref = @ref AND channel_ref <> '') OR (channel_ref = @hash_ref AND channel_ref <> '')
ORDER BY placed_at DESC, id DESC
LIMIT @lim;

-- name: SearchOrdersByEmail :many
SELECT * FROM orders
WHERE lower(customer_email) = lower(CAST(@email AS TEXT)) AND customer_email <> ''
ORDER BY placed_at DESC, id DESC
LIMIT @lim;

-- name: SearchOrdersByPhone :many
-- By the last 7 digits; the expressions repeat those of the indexes in
-- migrations/0006_search.sql exactly, so that SQLite uses them.
SELECT * FROM orders
WHERE (customer_phone <> '' AND substr(replace(replace(replace(replace(replace(replace(replace(customer_phone,
        ' ', ''), '.', ''), '-', ''), '/', ''), '(', ''), ')', ''), '+', ''), -7) = @key)
   OR (ship_phone <> '' AND substr(replace(replace(replace(replace(replace(replace(replace(ship_phone,
        ' ', ''), '.', ''), '-', ''), '/', ''), '(', ''), ')', ''), '+', ''), -7) = @key)
ORDER BY placed_at DESC, id DESC
LIMIT @lim;

-- name: SearchOrdersByTracking :many
SELECT * FROM orders
WHERE id IN (SELECT s.order_id FROM shipments s WHERE s.tracking_number = @tracking AND s.tracking_number <> '')
ORDER BY placed_at DESC, id DESC
LIMIT @lim;

-- name: SearchOrdersBySKU :many
-- The newest orders with a line of this SKU code, in any case: it follows the
-- code's chain of lines, newest first (migrations/0015_chains.sql), through at
-- most @scan lines.
WITH RECURSIVE chain(id, order_id, n) AS (
    SELECT l.id, l.order_id, 1 FROM order_lines l
    WHERE l.id = (SELECT h.last_line_id FROM sku_line_heads h WHERE h.sku = CAST(@sku AS TEXT))
    UNION ALL
    SELECT p.id, p.order_id, chain.n + 1
    FROM chain JOIN order_lines l ON l.id = chain.id JOIN order_lines p ON p.id = l.prev_sku_line_id
    WHERE chain.n < CAST(@scan AS INTEGER)
)
SELECT * FROM orders
WHERE id IN (SELECT order_id FROM chain)
ORDER BY id DESC
LIMIT @lim;

-- name: CountTextMatches :one
-- How many orders match, counting no further than @cap. In the FTS5 queries,
-- match() and the casts hide FTS5's hidden columns (the table's own name, rowid,
-- rank) from sqlc, which knows only the declared columns; SQLite treats
-- match(q, order_search) exactly as order_search MATCH q.
SELECT count(*) FROM (
    SELECT 1 FROM order_search WHERE match(CAST(@match AS TEXT), order_search) LIMIT @cap
);

-- name: SearchOrdersTextRanked :many
-- The orders that match, best (lowest bm25 rank) first, then newest. bm25 reads
-- every order that each word matches: only for selective words.
SELECT sqlc.embed(o), m.score
FROM (
    SELECT CAST(rowid AS INTEGER) AS order_id, CAST(rank AS REAL) AS score
    FROM order_search
    WHERE match(CAST(@match AS TEXT), order_search)
    ORDER BY rank, rowid DESC
    LIMIT @lim
) AS m
JOIN orders o ON o.id = m.order_id
ORDER BY m.score, o.placed_at DESC, o.id DESC;

-- name: SearchOrdersTextNewest :many
-- The newest orders that match.
SELECT * FROM orders
WHERE id IN (
    SELECT rowid FROM order_search WHERE match(CAST(@match AS TEXT), order_search) ORDER BY rowid DESC LIMIT @lim
)
ORDER BY placed_at DESC, id DESC;

-- name: SearchIndexLag :one
-- How far the search index has come (upto) and the newest order (newest).
SELECT (SELECT upto FROM order_search_progress) AS upto,
       CAST((SELECT coalesce(max(id), 0) FROM orders) AS INTEGER) AS newest;

-- name: IndexOrdersForSearch :execrows
-- Indexes the orders after upto, through sqlc.arg(through).
INSERT INTO order_search (rowid, customer_name, ship_name, customer_email, ship_city, note)
SELECT o.id, o.customer_name, o.ship_name, o.customer_email, o.ship_city, o.note FROM orders o
WHERE o.id > (SELECT p.upto FROM order_search_progress p) AND o.id <= sqlc.arg(through)
ORDER BY o.id;

-- name: SetSearchIndexedThrough :exec
UPDATE order_search_progress SET upto = max(upto, CAST(sqlc.arg(through) AS INTEGER)) WHERE id = 1;
