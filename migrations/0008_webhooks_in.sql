-- Channels calling in: the shop domain or site URL of a channel, and the
-- webhook deliveries received, for deduplication and the admin's list.

ALTER TABLE channels ADD COLUMN shop_domain TEXT NOT NULL DEFAULT '';

CREATE TABLE webhook_deliveries_in (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    -- the delivery's own id: X-Shopify-Webhook-Id (the same on every retry),
    -- or for WooCommerce topic:order id:date modified (it has no stable id)
    source_id   TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    external_id TEXT    NOT NULL DEFAULT '',      -- the channel's order id, when it names one
    order_id    INTEGER REFERENCES orders (id),
    received_at INTEGER NOT NULL,                 -- unix ms
    result      TEXT    NOT NULL,                 -- 'processing', or what was done, or 'error: ...'
    UNIQUE (channel_id, source_id)
);
CREATE INDEX webhook_deliveries_in_recent ON webhook_deliveries_in (channel_id, received_at DESC, id DESC);
