-- Routing: versioned rules, zone rates, postal codes, fulfillments and the
-- decisions that created them.

-- Version 0 is the draft that the UI and the API edit; publishing copies it to
-- the next version number. Published versions never change.
CREATE TABLE routing_rules (
    version      INTEGER PRIMARY KEY CHECK (version >= 0),
    rules        TEXT    NOT NULL,            -- JSON: {"rules": [...]}
    updated_by   TEXT    NOT NULL DEFAULT '',
    updated_at   INTEGER NOT NULL,
    published_by TEXT    NOT NULL DEFAULT '',
    published_at INTEGER
) STRICT;
INSERT INTO routing_rules (version, rules, updated_at) VALUES (0, '{"rules":[]}', 0);

CREATE TRIGGER routing_rules_published_are_immutable BEFORE UPDATE ON routing_rules WHEN OLD.version > 0
BEGIN
    SELECT RAISE(ABORT, 'published routing rules never change: edit the draft and publish it');
END;
CREATE TRIGGER routing_rules_published_are_kept BEFORE DELETE ON routing_rules WHEN OLD.version > 0
BEGIN
    SELECT RAISE(ABORT, 'published routing rules are kept');
END;

-- What it costs and how long it takes to ship from a location to a country (or region).
CREATE TABLE zone_rates (
    id                 INTEGER PRIMARY KEY,
    origin_location_id INTEGER NOT NULL REFERENCES locations (id),
    country            TEXT    NOT NULL CHECK (length(country) = 2),
    region             TEXT    NOT NULL DEFAULT '',   -- '' = the whole country
    cost               INTEGER NOT NULL CHECK (cost >= 0),  -- minor units of currency
    currency           TEXT    NOT NULL CHECK (length(currency) = 3),
    transit_days       INTEGER NOT NULL CHECK (transit_days BETWEEN 0 AND 60),
    UNIQUE (origin_location_id, country, region)
) STRICT;

-- Coordinates of postal codes, imported, for orders that come without coordinates.
CREATE TABLE postal_codes (
    country     TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    lat         REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon         REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    PRIMARY KEY (country, postal_code)
) STRICT, WITHOUT ROWID;

-- Every routing decision, with its inputs, so that it can be explained and replayed.
CREATE TABLE routing_decisions (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    at           INTEGER NOT NULL,
    trigger      TEXT    NOT NULL,   -- intake, release, rejection, count, address, manual, restock
    rule_version INTEGER NOT NULL,
    rule_name    TEXT    NOT NULL,
    input        TEXT    NOT NULL,   -- JSON routing.Input
    decision     TEXT    NOT NULL,   -- JSON routing.Decision
    explanation  TEXT    NOT NULL
) STRICT;
CREATE INDEX routing_decisions_by_order ON routing_decisions (order_id, id);

-- The part of an order one location ships.
CREATE TABLE fulfillments (
    id                   INTEGER PRIMARY KEY,
    order_id             INTEGER NOT NULL REFERENCES orders (id),
    location_id          INTEGER NOT NULL REFERENCES locations (id),
    decision_id          INTEGER REFERENCES routing_decisions (id),
    status               TEXT    NOT NULL CHECK (status IN ('pending', 'accepted', 'shipped', 'delivered', 'rejected', 'cancelled')),
    promised_ship_by     INTEGER,
    promised_delivery_by INTEGER,
    reject_reason        TEXT    NOT NULL DEFAULT '',
    reject_note          TEXT    NOT NULL DEFAULT '',
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    accepted_at          INTEGER,
    shipped_at           INTEGER,
    delivered_at         INTEGER
) STRICT;
CREATE INDEX fulfillments_by_order ON fulfillments (order_id, id);
CREATE INDEX fulfillments_by_location ON fulfillments (location_id, status, created_at);
CREATE INDEX fulfillments_by_location_day ON fulfillments (location_id, created_at);

-- What a fulfillment ships of each order line. open = quantity - shipped - released.
CREATE TABLE fulfillment_lines (
    fulfillment_id INTEGER NOT NULL REFERENCES fulfillments (id),
    order_line_id  INTEGER NOT NULL REFERENCES order_lines (id),
    sku_id         INTEGER NOT NULL REFERENCES skus (id),
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    shipped        INTEGER NOT NULL DEFAULT 0 CHECK (shipped >= 0),
    released       INTEGER NOT NULL DEFAULT 0 CHECK (released >= 0),  -- given back: rejected, cancelled, rerouted
    CHECK (shipped + released <= quantity),
    PRIMARY KEY (fulfillment_id, order_line_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX fulfillment_lines_by_line ON fulfillment_lines (order_line_id);

-- Fulfillments created per location and local day, for daily capacity.
CREATE TABLE location_day_counts (
    location_id INTEGER NOT NULL REFERENCES locations (id),
    day         TEXT    NOT NULL,   -- YYYY-MM-DD in the location's time zone
    n           INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (location_id, day)
) STRICT, WITHOUT ROWID;

-- Lines still waiting for stock, to route them again when it arrives.
CREATE INDEX order_lines_waiting ON order_lines (sku_id, order_id) WHERE reserved + shipped + cancelled < quantity;
