-- Pre-orders: a channel may sell stock that is on its way in (the open
-- inbound expected at the locations that serve it), up to incoming_limit
-- units of each SKU at a time. Off by default.
ALTER TABLE channels ADD COLUMN sell_incoming INTEGER NOT NULL DEFAULT 0 CHECK (sell_incoming IN (0, 1));
ALTER TABLE channels ADD COLUMN incoming_limit INTEGER NOT NULL DEFAULT 0 CHECK (incoming_limit BETWEEN 0 AND 1000000);

-- The units of an order line's backorder taken as a pre-order against
-- incoming stock (never more than its backorder when taken; what of it is
-- still backordered counts against the channel's limit).
ALTER TABLE order_lines ADD COLUMN preordered INTEGER NOT NULL DEFAULT 0 CHECK (preordered >= 0);
