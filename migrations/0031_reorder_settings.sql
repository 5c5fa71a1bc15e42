-- Reorder settings per SKU and location: how long a purchase takes to arrive
-- (lead time) and how many days of sales an order should cover, or a fixed
-- min/max (reorder point = min, order up to max). No row = the defaults
-- (14 days lead time, 30 days cover, no min/max).
CREATE TABLE reorder_settings (
    sku_id         INTEGER NOT NULL REFERENCES skus (id),
    location_id    INTEGER NOT NULL REFERENCES locations (id),
    lead_time_days INTEGER NOT NULL CHECK (lead_time_days BETWEEN 0 AND 365),
    cover_days     INTEGER NOT NULL CHECK (cover_days BETWEEN 0 AND 365),
    min_qty        INTEGER CHECK (min_qty >= 0),
    max_qty        INTEGER CHECK (max_qty >= 0),
    updated_at     INTEGER NOT NULL,
    CHECK ((min_qty IS NULL) = (max_qty IS NULL)),
    CHECK (max_qty IS NULL OR max_qty >= min_qty),
    PRIMARY KEY (sku_id, location_id)
) STRICT, WITHOUT ROWID;

-- Sales velocity reads the fulfillments created in a window, at every location.
CREATE INDEX fulfillments_by_created ON fulfillments (created_at, location_id);
