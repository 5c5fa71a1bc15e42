-- Where a channel's stock lives in the store, for availability updates: the
-- Shopify location (a GID, gid://shopify/Location/123) whose "available"
-- quantity Switchyard sets.

ALTER TABLE channels ADD COLUMN inventory_location TEXT NOT NULL DEFAULT '';
