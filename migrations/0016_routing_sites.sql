-- The facts of the locations a routing decision saw that change only with the
-- network (name, kind, place, tags, channels served, rank, capacity, time
-- zone, cut-off, handling days) are stored once per set of facts, not in every
-- decision's input, where they were nine tenths of its size, and most of the
-- bytes each order wrote. A decision's input names them by hash (its "sites"
-- member) and keeps, per candidate, what changes from order to order: the
-- stock of the order's SKUs and the fulfillments taken that day. Inputs
-- stored before keep their candidates whole and are read as they are.
CREATE TABLE routing_sites (
    hash  TEXT NOT NULL PRIMARY KEY, -- SHA-256 of facts, in hex
    facts TEXT NOT NULL              -- JSON: every location as a routing candidate, without stock or usage
) STRICT;
