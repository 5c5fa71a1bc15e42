-- The WooCommerce reconciliation pull: WooCommerce never sends a failed
-- webhook again, so Switchyard reads the orders changed since its last pull.

-- How far each channel's orders have been read: the latest date_modified_gmt
-- the store listed (the store's clock, not ours), and when a pull last succeeded.
CREATE TABLE woo_pulls (
    channel_id INTEGER PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
    watermark  INTEGER NOT NULL,   -- unix ms
    pulled_at  INTEGER NOT NULL    -- unix ms
) STRICT;

-- When the channel last changed the order a delivery carried (unix ms, from
-- the order's own modification time), so that a state already taken in by a
-- webhook is not applied again by a pull. NULL when the channel did not say.
ALTER TABLE webhook_deliveries_in ADD COLUMN channel_modified INTEGER;
CREATE INDEX webhook_deliveries_in_order_state ON webhook_deliveries_in (channel_id, external_id, channel_modified);
