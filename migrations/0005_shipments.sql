-- Shipments: what left a location, with which carrier and tracking number.
-- A fulfillment may leave in several shipments (partial shipment).

CREATE TABLE shipments (
    id               INTEGER PRIMARY KEY,
    fulfillment_id   INTEGER NOT NULL REFERENCES fulfillments (id),
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    carrier          TEXT    NOT NULL,              -- ups, fedex, ..., other; pickup for collected orders
    tracking_number  TEXT    NOT NULL DEFAULT '',   -- normalised
    tracking_url     TEXT    NOT NULL DEFAULT '',
    tracking_warning TEXT    NOT NULL DEFAULT '',   -- why the number does not look right, if it does not
    shipped_at       INTEGER NOT NULL,
    delivered_at     INTEGER,
    created_by       TEXT    NOT NULL
) STRICT;
CREATE INDEX shipments_by_fulfillment ON shipments (fulfillment_id, id);
CREATE INDEX shipments_by_order ON shipments (order_id, id);
CREATE INDEX shipments_by_tracking ON shipments (tracking_number) WHERE tracking_number <> '';

CREATE TABLE shipment_lines (
    shipment_id   INTEGER NOT NULL REFERENCES shipments (id),
    order_line_id INTEGER NOT NULL REFERENCES order_lines (id),
    sku_id        INTEGER NOT NULL REFERENCES skus (id),
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, order_line_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX fulfillments_by_location_status_time ON fulfillments (location_id, status, updated_at);
