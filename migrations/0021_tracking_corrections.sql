-- Correcting a shipment's tracking tells the channel again: two new outbox
-- message kinds (Shopify's fulfillmentTrackingInfoUpdate, a WooCommerce order
-- note). SQLite cannot change a CHECK constraint in place, so the table is
-- rebuilt with the same columns, rows and indexes (no table references it).

CREATE TABLE outbox_messages_new (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER REFERENCES orders (id),
    channel_id      INTEGER REFERENCES channels (id),
    endpoint_id     INTEGER REFERENCES webhook_endpoints (id),
    sku_id          INTEGER REFERENCES skus (id),   -- availability messages
    kind            TEXT    NOT NULL CHECK (kind IN ('shopify.fulfillment_create', 'shopify.order_cancel',
                        'shopify.tracking_update', 'woocommerce.order_complete', 'woocommerce.order_cancel',
                        'woocommerce.tracking_note', 'availability', 'webhook')),
    payload         TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivering', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    last_status     INTEGER NOT NULL DEFAULT 0,     -- last HTTP status, 0 when none came back
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
) STRICT;
INSERT INTO outbox_messages_new (id, order_id, channel_id, endpoint_id, sku_id, kind, payload, status, attempts,
    next_attempt_at, last_status, last_error, created_at, delivered_at)
SELECT id, order_id, channel_id, endpoint_id, sku_id, kind, payload, status, attempts,
    next_attempt_at, last_status, last_error, created_at, delivered_at
FROM outbox_messages;
DROP TABLE outbox_messages;
ALTER TABLE outbox_messages_new RENAME TO outbox_messages;
CREATE INDEX outbox_due ON outbox_messages (status, next_attempt_at);
CREATE INDEX outbox_by_order ON outbox_messages (order_id, id) WHERE order_id IS NOT NULL;
CREATE INDEX outbox_availability ON outbox_messages (channel_id, sku_id, status) WHERE kind = 'availability';
CREATE INDEX outbox_by_status_id ON outbox_messages (status, id);
