-- Orders, their lines and tags, the timeline of each order, and idempotency keys.

CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY,
    number             TEXT    NOT NULL UNIQUE,               -- SY-000123
    channel_id         INTEGER NOT NULL REFERENCES channels (id),
    external_id        TEXT    NOT NULL,                      -- the channel's id for the order
    channel_ref        TEXT    NOT NULL DEFAULT '',           -- the channel's human name, e.g. #1001
    placed_at          INTEGER NOT NULL,
    currency           TEXT    NOT NULL CHECK (length(currency) = 3),
    customer_email     TEXT    NOT NULL DEFAULT '',
    customer_name      TEXT    NOT NULL DEFAULT '',
    customer_phone     TEXT    NOT NULL DEFAULT '',
    ship_name          TEXT    NOT NULL DEFAULT '',
    ship_line1         TEXT    NOT NULL DEFAULT '',
    ship_line2         TEXT    NOT NULL DEFAULT '',
    ship_city          TEXT    NOT NULL DEFAULT '',
    ship_region        TEXT    NOT NULL DEFAULT '',
    ship_postal_code   TEXT    NOT NULL DEFAULT '',
    ship_country       TEXT    NOT NULL DEFAULT '',
    ship_phone         TEXT    NOT NULL DEFAULT '',
    ship_lat           REAL CHECK (ship_lat BETWEEN -90 AND 90),
    ship_lon           REAL CHECK (ship_lon BETWEEN -180 AND 180),
    delivery           TEXT    NOT NULL CHECK (delivery IN ('ship', 'pickup')),
    pickup_location_id INTEGER REFERENCES locations (id),
    -- money in the currency's minor units
    subtotal           INTEGER NOT NULL,
    shipping_price     INTEGER NOT NULL CHECK (shipping_price >= 0),
    total              INTEGER NOT NULL,
    tags               TEXT    NOT NULL DEFAULT '',
    note               TEXT    NOT NULL DEFAULT '',
    test               INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1)),
    -- derived from lines, fulfillments and the flags below by one function (app.deriveStatus)
    status             TEXT    NOT NULL CHECK (status IN ('received', 'routed', 'partially_routed', 'backordered',
                           'in_fulfillment', 'partially_shipped', 'shipped', 'delivered', 'on_hold', 'cancelled',
                           'returned', 'partially_returned')),
    on_hold            INTEGER NOT NULL DEFAULT 0 CHECK (on_hold IN (0, 1)),
    hold_reason        TEXT    NOT NULL DEFAULT '',
    cancelled          INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    promised_ship_by     INTEGER,
    promised_delivery_by INTEGER,
    tracking_token     TEXT    NOT NULL UNIQUE,               -- 128 random bits, hex: the customer's tracking page
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (channel_id, external_id)
) STRICT;
CREATE INDEX orders_by_placed ON orders (placed_at, id);
CREATE INDEX orders_by_status ON orders (status, placed_at, id);
CREATE INDEX orders_by_channel ON orders (channel_id, placed_at, id);
CREATE INDEX orders_on_hold ON orders (placed_at, id) WHERE on_hold = 1;

CREATE TABLE order_lines (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    line_no     INTEGER NOT NULL,
    external_id TEXT    NOT NULL DEFAULT '',
    sku_id      INTEGER REFERENCES skus (id),                 -- NULL when the channel sent a SKU we do not know
    sku         TEXT    NOT NULL,                             -- the SKU code as sent
    name        TEXT    NOT NULL DEFAULT '',
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    unit_price  INTEGER NOT NULL CHECK (unit_price >= 0),
    reserved    INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    shipped     INTEGER NOT NULL DEFAULT 0 CHECK (shipped >= 0),
    cancelled   INTEGER NOT NULL DEFAULT 0 CHECK (cancelled >= 0),
    -- waiting for stock: at a location (backorder) or for a person to decide (unrouted)
    backordered INTEGER NOT NULL DEFAULT 0 CHECK (backordered >= 0),
    backorder_location_id INTEGER REFERENCES locations (id),
    CHECK (shipped + cancelled <= quantity),
    CHECK (reserved + shipped + cancelled + backordered <= quantity),
    UNIQUE (order_id, line_no)
) STRICT;
CREATE INDEX order_lines_by_sku ON order_lines (sku_id, order_id);

-- Tags of an order, one row each, with placed_at for keyset listing by tag.
CREATE TABLE order_tags (
    tag       TEXT    NOT NULL,
    placed_at INTEGER NOT NULL,
    order_id  INTEGER NOT NULL REFERENCES orders (id),
    PRIMARY KEY (tag, placed_at, order_id)
) STRICT, WITHOUT ROWID;

-- Orders per channel and status, kept by triggers so the list's counts cost nothing.
CREATE TABLE order_counts (
    channel_id INTEGER NOT NULL,
    status     TEXT    NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (channel_id, status)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER order_counts_insert AFTER INSERT ON orders
BEGIN
    INSERT INTO order_counts (channel_id, status, n) VALUES (NEW.channel_id, NEW.status, 1)
    ON CONFLICT (channel_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER order_counts_update AFTER UPDATE OF status ON orders WHEN OLD.status <> NEW.status
BEGIN
    UPDATE order_counts SET n = n - 1 WHERE channel_id = OLD.channel_id AND status = OLD.status;
    INSERT INTO order_counts (channel_id, status, n) VALUES (NEW.channel_id, NEW.status, 1)
    ON CONFLICT (channel_id, status) DO UPDATE SET n = n + 1;
END;

-- The timeline: every change of an order, in words a support agent understands.
CREATE TABLE order_events (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    at               INTEGER NOT NULL,
    actor_kind       TEXT    NOT NULL CHECK (actor_kind IN ('user', 'system', 'api_key', 'channel')),
    actor_id         INTEGER,
    actor_name       TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    message          TEXT    NOT NULL,
    data             TEXT    NOT NULL DEFAULT '{}',           -- JSON
    customer_visible INTEGER NOT NULL DEFAULT 0 CHECK (customer_visible IN (0, 1))
) STRICT;
CREATE INDEX order_events_by_order ON order_events (order_id, id);

-- Idempotency keys of API requests, kept at least 24 hours: the first answer's
-- status and order, stored in the same transaction as the order.
CREATE TABLE idempotency_keys (
    api_key_id   INTEGER NOT NULL,
    key          TEXT    NOT NULL,
    request_hash BLOB    NOT NULL,
    status_code  INTEGER NOT NULL,
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (api_key_id, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
