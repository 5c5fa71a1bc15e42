-- name: ReservationMismatches :many
-- Stock levels whose reserved quantity differs from the open quantity of the
-- pending and accepted fulfillment lines at that location: should be none.
SELECT sl.location_id, sl.sku_id, sl.reserved,
       CAST(coalesce((SELECT sum(fl.quantity - fl.shipped - fl.released)
                      FROM fulfillment_lines fl JOIN fulfillments f ON f.id = fl.fulfillment_id
                      WHERE f.location_id = sl.location_id AND fl.sku_id = sl.sku_id
                        AND f.status IN ('pending', 'accepted')), 0) AS INTEGER) AS open
FROM stock_levels sl
WHERE sl.reserved <> coalesce((SELECT sum(fl.quantity - fl.shipped - fl.released)
                               FROM fulfillment_lines fl JOIN fulfillments f ON f.id = fl.fulfillment_id
                               WHERE f.location_id = sl.location_id AND fl.sku_id = sl.sku_id
                                 AND f.status IN ('pending', 'accepted')), 0);

-- name: LedgerMismatches :many
-- Stock levels that differ from the sums of their ledger, or are negative: should be none.
SELECT sl.location_id, sl.sku_id, sl.on_hand, sl.reserved
FROM stock_levels sl
LEFT JOIN (SELECT sku_id, location_id, sum(delta_on_hand) AS oh, sum(delta_reserved) AS rs
           FROM stock_ledger GROUP BY sku_id, location_id) g
       ON g.sku_id = sl.sku_id AND g.location_id = sl.location_id
WHERE sl.on_hand <> coalesce(g.oh, 0) OR sl.reserved <> coalesce(g.rs, 0) OR sl.on_hand < 0 OR sl.reserved < 0;

-- name: CountStockLevels :one
SELECT count(*) FROM stock_levels;
