-- The outbox: every message to the outside is a row written in the same
-- transaction as the change that causes it; the dispatcher delivers it later.

-- Generic webhook endpoints registered by admins (Standard Webhooks signing).
CREATE TABLE webhook_endpoints (
    id              INTEGER PRIMARY KEY,
    url             TEXT    NOT NULL,
    events          TEXT    NOT NULL DEFAULT '',   -- space-separated event types, e.g. "order.shipped order.cancelled"
    secret          TEXT    NOT NULL,              -- whsec_<base64 key>, shown once
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    disabled_reason TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE outbox_messages (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER REFERENCES orders (id),
    channel_id      INTEGER REFERENCES channels (id),
    endpoint_id     INTEGER REFERENCES webhook_endpoints (id),
    sku_id          INTEGER REFERENCES skus (id),   -- availability messages
    kind            TEXT    NOT NULL CHECK (kind IN ('shopify.fulfillment_create', 'shopify.order_cancel',
                        'woocommerce.order_complete', 'woocommerce.order_cancel', 'availability', 'webhook')),
    payload         TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivering', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    last_status     INTEGER NOT NULL DEFAULT 0,     -- last HTTP status, 0 when none came back
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
) STRICT;
-- The dispatcher's scan: due messages by time.
CREATE INDEX outbox_due ON outbox_messages (status, next_attempt_at);
-- Per-order ordering: the earliest undelivered message of an order goes first.
CREATE INDEX outbox_by_order ON outbox_messages (order_id, id) WHERE order_id IS NOT NULL;
-- Coalescing availability: one pending message per (channel, SKU).
CREATE INDEX outbox_availability ON outbox_messages (channel_id, sku_id, status) WHERE kind = 'availability';
-- The admin page: recent deliveries and dead letters.
CREATE INDEX outbox_by_status_id ON outbox_messages (status, id);
