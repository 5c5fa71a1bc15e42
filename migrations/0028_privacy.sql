-- Privacy: the orders whose customer's personal data was erased (on the
-- customer's request, a channel's customers/redact or shop/redact), and the
-- customers' requests for their data (Shopify's customers/data_request),
-- which an admin answers by hand. Neither holds the customer's email in
-- clear: customer_ref is "customer #" and a SHA-256 prefix of the email.
CREATE TABLE redacted_orders (
    order_id INTEGER PRIMARY KEY REFERENCES orders (id),
    at       INTEGER NOT NULL             -- Unix milliseconds, UTC
) STRICT;

CREATE TABLE privacy_requests (
    id           INTEGER PRIMARY KEY,
    channel_id   INTEGER REFERENCES channels (id),
    kind         TEXT    NOT NULL,        -- data_request
    customer_ref TEXT    NOT NULL DEFAULT '',
    external_ids TEXT    NOT NULL DEFAULT '', -- the channel's order ids it names, space-separated
    received_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX privacy_requests_by_received ON privacy_requests (received_at, id);
