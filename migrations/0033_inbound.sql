-- Inbound stock: purchase orders from a supplier and transfers from another
-- location, expected at a destination, received there line by line. The
-- stock they bring goes through the ledger (reasons receipt, transfer_out,
-- transfer_in), so the ledger's CHECK is widened below.

-- An expected receipt. Numbered IN-000001 in the order they are made.
-- A purchase order starts draft (not yet sent to the supplier) or sent; a
-- transfer starts draft with its quantity reserved at the origin, and is sent
-- (in transit) when the origin ships it.
CREATE TABLE inbound_orders (
    id               INTEGER PRIMARY KEY,
    number           TEXT    NOT NULL UNIQUE,                   -- IN-000007
    kind             TEXT    NOT NULL CHECK (kind IN ('purchase', 'transfer')),
    status           TEXT    NOT NULL CHECK (status IN ('draft', 'sent', 'partially_received', 'received', 'closed', 'cancelled')),
    supplier         TEXT    NOT NULL DEFAULT '',               -- purchases: who sends it
    from_location_id INTEGER REFERENCES locations (id),         -- transfers: where it comes from
    to_location_id   INTEGER NOT NULL REFERENCES locations (id),
    expected_on      TEXT    NOT NULL CHECK (date(expected_on) IS expected_on), -- 2026-12-20
    note             TEXT    NOT NULL DEFAULT '',
    created_by       TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,                                   -- sent to the supplier, or shipped at the origin
    sent_by          TEXT    NOT NULL DEFAULT '',
    received_at      INTEGER,                                   -- the last receipt
    closed_at        INTEGER,                                   -- closed or cancelled
    closed_by        TEXT    NOT NULL DEFAULT '',
    updated_at       INTEGER NOT NULL,
    CHECK ((kind = 'transfer') = (from_location_id IS NOT NULL)),
    CHECK (from_location_id IS NULL OR from_location_id <> to_location_id)
) STRICT;
CREATE INDEX inbound_by_status ON inbound_orders (status, id);
CREATE INDEX inbound_by_to ON inbound_orders (to_location_id, status, id);
CREATE INDEX inbound_by_from ON inbound_orders (from_location_id, status, id) WHERE from_location_id IS NOT NULL;

-- The lines: how many of a SKU are expected, and what was counted so far.
-- received went into sellable stock; damaged arrived but did not. Over is
-- received + damaged beyond quantity; short is what is missing once closed.
CREATE TABLE inbound_lines (
    id          INTEGER PRIMARY KEY,
    inbound_id  INTEGER NOT NULL REFERENCES inbound_orders (id),
    line_no     INTEGER NOT NULL CHECK (line_no > 0),
    sku_id      INTEGER NOT NULL REFERENCES skus (id),
    sku         TEXT    NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    expected_on TEXT    NOT NULL CHECK (date(expected_on) IS expected_on),
    received    INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
    damaged     INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0),
    UNIQUE (inbound_id, line_no),
    UNIQUE (inbound_id, sku_id)
) STRICT;
-- What is coming for a SKU, for the backorders' promise dates.
CREATE INDEX inbound_lines_by_sku ON inbound_lines (sku_id, inbound_id);

-- Every count at the destination: who received what, when.
CREATE TABLE inbound_receipts (
    id         INTEGER PRIMARY KEY,
    inbound_id INTEGER NOT NULL REFERENCES inbound_orders (id),
    line_id    INTEGER NOT NULL REFERENCES inbound_lines (id),
    received   INTEGER NOT NULL CHECK (received >= 0),
    damaged    INTEGER NOT NULL CHECK (damaged >= 0),
    over       INTEGER NOT NULL DEFAULT 0 CHECK (over >= 0),     -- of these, beyond what was expected
    note       TEXT    NOT NULL DEFAULT '',
    actor_name TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    CHECK (received + damaged > 0)
) STRICT;
CREATE INDEX inbound_receipts_by_inbound ON inbound_receipts (inbound_id, id);

-- Idempotency keys of API requests that create or receive inbound, as for
-- orders and returns: the first answer's status and inbound, kept 48 hours.
-- action (create, receive, ship...) is part of what must match.
CREATE TABLE inbound_idempotency_keys (
    api_key_id   INTEGER NOT NULL,
    key          TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    request_hash BLOB    NOT NULL,
    status_code  INTEGER NOT NULL,
    inbound_id   INTEGER NOT NULL REFERENCES inbound_orders (id),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (api_key_id, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX inbound_idempotency_keys_by_age ON inbound_idempotency_keys (created_at);

-- The stock ledger again, with the transfers' reasons. SQLite cannot change
-- a CHECK: the table is made anew, its rows copied with their ids and chains
-- (prev_id), the old one dropped and the new one renamed. Its index and
-- trigger are then made again exactly as 0002 and 0015 left them (0015
-- dropped 0002's index stock_ledger_by_level for the chains; stock_levels and
-- its last_ledger_id are untouched).
CREATE TABLE stock_ledger_new (
    id             INTEGER PRIMARY KEY,
    sku_id         INTEGER NOT NULL,
    location_id    INTEGER NOT NULL,
    delta_on_hand  INTEGER NOT NULL,
    delta_reserved INTEGER NOT NULL,
    reason         TEXT    NOT NULL CHECK (reason IN ('receipt', 'adjustment', 'count', 'reservation', 'release', 'shipment', 'return', 'correction', 'transfer_out', 'transfer_in')),
    reference      TEXT    NOT NULL DEFAULT '',
    actor          TEXT    NOT NULL,
    note           TEXT    NOT NULL DEFAULT '',
    at             INTEGER NOT NULL,
    prev_id        INTEGER, -- the level's previous row; NULL for its first
    FOREIGN KEY (sku_id, location_id) REFERENCES stock_levels (sku_id, location_id)
) STRICT;

INSERT INTO stock_ledger_new (id, sku_id, location_id, delta_on_hand, delta_reserved, reason, reference, actor, note, at, prev_id)
SELECT id, sku_id, location_id, delta_on_hand, delta_reserved, reason, reference, actor, note, at, prev_id
FROM stock_ledger ORDER BY id;

DROP TRIGGER stock_ledger_applies;
DROP TABLE stock_ledger;
ALTER TABLE stock_ledger_new RENAME TO stock_ledger;

-- As in 0015: appending a ledger row applies its deltas and makes it its
-- level's newest; an insert that does not name the previous row is linked here.
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
