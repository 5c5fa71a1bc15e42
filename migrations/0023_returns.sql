-- Returns, exchanges and refunds: the order's life after delivery.

-- Which locations take goods back. Dropshippers and partners do not by default.
ALTER TABLE locations ADD COLUMN accepts_returns INTEGER NOT NULL DEFAULT 1 CHECK (accepts_returns IN (0, 1));
UPDATE locations SET accepts_returns = 0 WHERE kind IN ('dropship', 'partner');

-- Units of a line on open returns (requested, approved, being received) and
-- units that came back. Together never more than shipped: the constraint is
-- what refuses a second return of the same unit, however the requests race.
ALTER TABLE order_lines ADD COLUMN returned INTEGER NOT NULL DEFAULT 0 CHECK (returned >= 0);
ALTER TABLE order_lines ADD COLUMN return_open INTEGER NOT NULL DEFAULT 0
    CHECK (return_open >= 0 AND return_open + returned <= shipped);

-- What was refunded of an order, in minor units: never more than was paid.
ALTER TABLE orders ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= total);

-- Each channel's return policy; a channel without a row has the defaults.
CREATE TABLE return_policies (
    channel_id              INTEGER PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
    window_days             INTEGER NOT NULL DEFAULT 30 CHECK (window_days BETWEEN 0 AND 3650),
    customer_needs_approval INTEGER NOT NULL DEFAULT 1 CHECK (customer_needs_approval IN (0, 1)),
    restocking_fee_pct      INTEGER NOT NULL DEFAULT 0 CHECK (restocking_fee_pct BETWEEN 0 AND 100),
    -- never | whole_order (only when everything shipped comes back) | always
    refund_shipping         TEXT    NOT NULL DEFAULT 'whole_order' CHECK (refund_shipping IN ('never', 'whole_order', 'always')),
    -- space-separated reason codes offered; '' = all of them
    reasons                 TEXT    NOT NULL DEFAULT '',
    updated_at              INTEGER NOT NULL,
    updated_by              TEXT    NOT NULL DEFAULT ''
) STRICT;

-- Return rules: where goods come back. Version 0 is the draft; published
-- versions (1, 2, ...) are kept unchanged, like routing rules.
CREATE TABLE return_rules (
    version    INTEGER PRIMARY KEY CHECK (version >= 0),
    body       TEXT    NOT NULL CHECK (json_valid(body)),   -- [{"name", "channel", "country", "sku_tag", "location"}]
    note       TEXT    NOT NULL DEFAULT '',
    saved_at   INTEGER NOT NULL,
    saved_by   TEXT    NOT NULL
) STRICT;
CREATE TRIGGER return_rules_published_are_immutable BEFORE UPDATE ON return_rules WHEN OLD.version > 0
BEGIN
    SELECT RAISE(ABORT, 'published return rules cannot change');
END;
CREATE TRIGGER return_rules_published_are_kept BEFORE DELETE ON return_rules WHEN OLD.version > 0
BEGIN
    SELECT RAISE(ABORT, 'published return rules are kept');
END;

CREATE TABLE returns (
    id                INTEGER PRIMARY KEY,
    number            TEXT    NOT NULL UNIQUE,                  -- RT-000042
    order_id          INTEGER NOT NULL REFERENCES orders (id),
    channel_id        INTEGER NOT NULL REFERENCES channels (id), -- the order's, for filters
    status            TEXT    NOT NULL CHECK (status IN ('requested', 'approved', 'partially_received', 'received',
                          'closed', 'declined', 'cancelled')),
    resolution        TEXT    NOT NULL CHECK (resolution IN ('refund', 'store_credit', 'exchange', 'none')),
    location_id       INTEGER NOT NULL REFERENCES locations (id),
    location_why      TEXT    NOT NULL DEFAULT '',              -- why this location, in words
    started_by        TEXT    NOT NULL CHECK (started_by IN ('support', 'customer', 'channel', 'api')),
    actor_name        TEXT    NOT NULL,
    external_id       TEXT,                                     -- the channel's id, e.g. gid://shopify/Return/123
    exchange_order_id INTEGER REFERENCES orders (id),
    override          TEXT    NOT NULL DEFAULT '',              -- the policy rule an ops user overrode
    decline_reason    TEXT    NOT NULL DEFAULT '',
    note              TEXT    NOT NULL DEFAULT '',
    reasons           TEXT    NOT NULL DEFAULT '',              -- space-separated reason codes of the lines, for filters
    exchange_lines    TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(exchange_lines)), -- [{"sku", "quantity"}] to send
    requested_at      INTEGER NOT NULL,
    approved_at       INTEGER,
    received_at       INTEGER,
    closed_at         INTEGER,
    updated_at        INTEGER NOT NULL,
    UNIQUE (channel_id, external_id)
) STRICT;
CREATE INDEX returns_by_order ON returns (order_id, id);
CREATE INDEX returns_by_requested ON returns (requested_at, id);
CREATE INDEX returns_by_status ON returns (status, requested_at, id);
CREATE INDEX returns_by_location ON returns (location_id, status, approved_at, id);
CREATE INDEX returns_by_channel ON returns (channel_id, requested_at, id);
CREATE INDEX returns_by_exchange ON returns (exchange_order_id) WHERE exchange_order_id IS NOT NULL;

CREATE TABLE return_lines (
    id            INTEGER PRIMARY KEY,
    return_id     INTEGER NOT NULL REFERENCES returns (id),
    order_line_id INTEGER NOT NULL REFERENCES order_lines (id),
    sku_id        INTEGER REFERENCES skus (id),
    sku           TEXT    NOT NULL,
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    unit_price    INTEGER NOT NULL CHECK (unit_price >= 0),
    reason        TEXT    NOT NULL CHECK (reason IN ('too_small', 'too_large', 'not_as_described', 'damaged',
                      'defective', 'wrong_item', 'changed_mind', 'late', 'other')),
    note          TEXT    NOT NULL DEFAULT '',
    restocked     INTEGER NOT NULL DEFAULT 0 CHECK (restocked >= 0),
    quarantined   INTEGER NOT NULL DEFAULT 0 CHECK (quarantined >= 0),
    scrapped      INTEGER NOT NULL DEFAULT 0 CHECK (scrapped >= 0),
    missing       INTEGER NOT NULL DEFAULT 0 CHECK (missing >= 0),
    -- a unit is counted once: the constraint refuses a second receipt of it
    CHECK (restocked + quarantined + scrapped + missing <= quantity),
    UNIQUE (return_id, order_line_id)
) STRICT;
CREATE INDEX return_lines_by_sku ON return_lines (sku_id, return_id);

-- Every receipt at the dock: what was counted, with which disposition.
CREATE TABLE return_receipts (
    id             INTEGER PRIMARY KEY,
    return_line_id INTEGER NOT NULL REFERENCES return_lines (id),
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    disposition    TEXT    NOT NULL CHECK (disposition IN ('restock', 'quarantine', 'scrap', 'missing')),
    note           TEXT    NOT NULL DEFAULT '',
    actor_name     TEXT    NOT NULL,
    at             INTEGER NOT NULL
) STRICT;
CREATE INDEX return_receipts_by_line ON return_receipts (return_line_id, id);

-- Refunds: asked of the channel through the outbox (source 'switchyard'), or
-- made at the channel and recorded here (source 'channel').
CREATE TABLE refunds (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    return_id   INTEGER REFERENCES returns (id),
    kind        TEXT    NOT NULL DEFAULT 'refund' CHECK (kind IN ('refund', 'store_credit')),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    items       INTEGER NOT NULL DEFAULT 0 CHECK (items >= 0),  -- of which the goods
    shipping    INTEGER NOT NULL DEFAULT 0 CHECK (shipping >= 0),
    fee         INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0),     -- restocking fee kept
    currency    TEXT    NOT NULL CHECK (length(currency) = 3),
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'succeeded', 'failed')),
    source      TEXT    NOT NULL CHECK (source IN ('switchyard', 'channel')),
    external_id TEXT,                                        -- the channel's refund id
    failure     TEXT    NOT NULL DEFAULT '',
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (order_id, external_id)
) STRICT;
CREATE INDEX refunds_by_order ON refunds (order_id, id);
CREATE INDEX refunds_by_return ON refunds (return_id, id) WHERE return_id IS NOT NULL;
CREATE INDEX refunds_failed ON refunds (updated_at, id) WHERE status = 'failed';

-- Refund messages to the channels: the outbox's kinds gain Shopify's and
-- WooCommerce's refunds. The table is rebuilt as in 0021.
CREATE TABLE outbox_messages_new (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER REFERENCES orders (id),
    channel_id      INTEGER REFERENCES channels (id),
    endpoint_id     INTEGER REFERENCES webhook_endpoints (id),
    sku_id          INTEGER REFERENCES skus (id),   -- availability messages
    kind            TEXT    NOT NULL CHECK (kind IN ('shopify.fulfillment_create', 'shopify.order_cancel',
                        'shopify.tracking_update', 'woocommerce.order_complete', 'woocommerce.order_cancel',
                        'woocommerce.tracking_note', 'availability', 'webhook',
                        'shopify.refund', 'woocommerce.refund')),
    payload         TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivering', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    last_status     INTEGER NOT NULL DEFAULT 0,
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

-- Idempotency keys of API requests that start returns, as for orders
-- (idempotency_keys): the first answer's status and return, kept 48 hours.
CREATE TABLE return_idempotency_keys (
    api_key_id   INTEGER NOT NULL,
    key          TEXT    NOT NULL,
    request_hash BLOB    NOT NULL,
    status_code  INTEGER NOT NULL,
    return_id    INTEGER NOT NULL REFERENCES returns (id),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (api_key_id, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX return_idempotency_keys_by_age ON return_idempotency_keys (created_at);
