-- The network: channels, locations, SKUs, stock levels and the stock ledger.

CREATE TABLE channels (
    id                INTEGER PRIMARY KEY,
    code              TEXT    NOT NULL UNIQUE,
    name              TEXT    NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('shopify', 'woocommerce', 'api', 'manual', 'pos', 'marketplace')),
    -- units of each SKU held back from what the channel may sell
    buffer            INTEGER NOT NULL DEFAULT 0 CHECK (buffer >= 0),
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- write-only secrets: newline-separated webhook secrets (two during a rotation)
    webhook_secrets   TEXT    NOT NULL DEFAULT '',
    callback_base_url TEXT    NOT NULL DEFAULT '',
    callback_token    TEXT    NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
) STRICT;

CREATE TABLE locations (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('warehouse', 'store', '3pl', 'dropship', 'partner')),
    line1         TEXT    NOT NULL DEFAULT '',
    line2         TEXT    NOT NULL DEFAULT '',
    city          TEXT    NOT NULL DEFAULT '',
    region        TEXT    NOT NULL DEFAULT '',
    postal_code   TEXT    NOT NULL DEFAULT '',
    country       TEXT    NOT NULL CHECK (length(country) = 2),
    lat           REAL    NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon           REAL    NOT NULL CHECK (lon BETWEEN -180 AND 180),
    -- 1 when lat/lon were not given and are the country's centroid
    approx_coords INTEGER NOT NULL DEFAULT 0 CHECK (approx_coords IN (0, 1)),
    timezone      TEXT    NOT NULL,
    ships         INTEGER NOT NULL DEFAULT 1 CHECK (ships IN (0, 1)),
    pickup        INTEGER NOT NULL DEFAULT 0 CHECK (pickup IN (0, 1)),
    -- orders per day; 0 means no limit
    daily_capacity INTEGER NOT NULL DEFAULT 0 CHECK (daily_capacity >= 0),
    -- local time of day after which orders go out the next working day, "HH:MM"; '' = none
    cutoff        TEXT    NOT NULL DEFAULT '',
    handling_days INTEGER NOT NULL DEFAULT 0 CHECK (handling_days >= 0),
    rank          INTEGER NOT NULL DEFAULT 0,
    -- comma-separated, lower case, sorted
    tags          TEXT    NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

-- Which channels a location may serve.
CREATE TABLE location_channels (
    location_id INTEGER NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    channel_id  INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    PRIMARY KEY (location_id, channel_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX location_channels_by_channel ON location_channels (channel_id, location_id);

-- Which locations a warehouse user works for.
CREATE TABLE user_locations (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, location_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE skus (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    barcode      TEXT    NOT NULL DEFAULT '',
    weight_grams INTEGER NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
    tags         TEXT    NOT NULL DEFAULT '',
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX skus_by_name ON skus (name COLLATE NOCASE, id);

-- Stock of one SKU at one location. available = max(0, on_hand - reserved - safety_stock).
-- on_hand and reserved change only through the ledger (see the trigger below);
-- on_hand may fall below reserved after a count: the level is then "short".
CREATE TABLE stock_levels (
    sku_id       INTEGER NOT NULL REFERENCES skus (id),
    location_id  INTEGER NOT NULL REFERENCES locations (id),
    on_hand      INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    reserved     INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    safety_stock INTEGER NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (sku_id, location_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX stock_levels_by_location ON stock_levels (location_id, sku_id);

-- Every change of on_hand or reserved, with why, who and when.
CREATE TABLE stock_ledger (
    id             INTEGER PRIMARY KEY,
    sku_id         INTEGER NOT NULL,
    location_id    INTEGER NOT NULL,
    delta_on_hand  INTEGER NOT NULL,
    delta_reserved INTEGER NOT NULL,
    reason         TEXT    NOT NULL CHECK (reason IN ('receipt', 'adjustment', 'count', 'reservation', 'release', 'shipment', 'return', 'correction')),
    reference      TEXT    NOT NULL DEFAULT '',
    actor          TEXT    NOT NULL,
    note           TEXT    NOT NULL DEFAULT '',
    at             INTEGER NOT NULL,
    FOREIGN KEY (sku_id, location_id) REFERENCES stock_levels (sku_id, location_id)
) STRICT;
CREATE INDEX stock_ledger_by_level ON stock_ledger (sku_id, location_id, id);

-- The ledger is the only way stock moves: appending a row applies its deltas.
-- The CHECK constraints on stock_levels refuse any row that would make on_hand
-- or reserved negative, and the whole statement is undone.
CREATE TRIGGER stock_ledger_applies AFTER INSERT ON stock_ledger
BEGIN
    UPDATE stock_levels
    SET on_hand    = on_hand + NEW.delta_on_hand,
        reserved   = reserved + NEW.delta_reserved,
        updated_at = NEW.at
    WHERE sku_id = NEW.sku_id AND location_id = NEW.location_id;
END;

-- Levels with less on hand than reserved, for the exceptions and reroutes.
CREATE INDEX stock_levels_short ON stock_levels (location_id, sku_id) WHERE on_hand < reserved;
