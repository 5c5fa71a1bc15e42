-- Shopify Admin API version per channel, and the stock levels Switchyard
-- last set in each Shopify store.

-- The Admin API version a Shopify channel is called with; '' is the version
-- this build is written for (app.ShopifyAPIVersion).
ALTER TABLE channels ADD COLUMN shopify_api_version TEXT NOT NULL DEFAULT '';

-- The "available" quantity Switchyard last set (or read) for a SKU at a
-- Shopify location: the next inventorySetQuantities sends it as its
-- changeFromQuantity, so a change made in Shopify meanwhile is noticed.
CREATE TABLE shopify_stock_pushed (
    channel_id  INTEGER NOT NULL REFERENCES channels (id),
    sku_id      INTEGER NOT NULL REFERENCES skus (id),
    location    TEXT    NOT NULL,                   -- gid://shopify/Location/123
    quantity    INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,                   -- the outbox message that set it
    note        TEXT    NOT NULL DEFAULT '',        -- e.g. what Shopify held when it differed
    pushed_at   INTEGER NOT NULL,
    PRIMARY KEY (channel_id, sku_id, location)
) STRICT, WITHOUT ROWID;
