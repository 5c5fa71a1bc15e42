-- The parts a kit line of a fulfillment reserved (migrations/0032_kits.sql):
-- the plain SKUs the kit was made of when its stock was reserved, and the
-- units of each one kit takes. A fulfillment line keeps the kit's SKU and the
-- kit quantity; its stock moves go to these parts, each open kit holding
-- per_kit units of each part reserved at the fulfillment's location (what the
-- invariants check). Releasing, shipping and restocking read them, so a kit
-- whose composition changes after the order was placed moves the stock it
-- reserved, not its new parts.
CREATE TABLE fulfillment_line_parts (
    fulfillment_id INTEGER NOT NULL,
    order_line_id  INTEGER NOT NULL,
    sku_id         INTEGER NOT NULL REFERENCES skus (id),
    per_kit        INTEGER NOT NULL CHECK (per_kit >= 1),
    PRIMARY KEY (fulfillment_id, order_line_id, sku_id),
    FOREIGN KEY (fulfillment_id, order_line_id) REFERENCES fulfillment_lines (fulfillment_id, order_line_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX fulfillment_line_parts_by_sku ON fulfillment_line_parts (sku_id);
