-- What a location charges to pick and pack: per shipment and per unit, in
-- minor units of handling_currency, as zone_rates keep cost and currency.
-- Routing's cost model counts them for orders in that currency (amounts in
-- another currency are not converted, as zone rates are not). A location
-- that states no handling costs keeps 0 and ''.
ALTER TABLE locations ADD COLUMN handling_per_shipment INTEGER NOT NULL DEFAULT 0 CHECK (handling_per_shipment >= 0);
ALTER TABLE locations ADD COLUMN handling_per_unit INTEGER NOT NULL DEFAULT 0 CHECK (handling_per_unit >= 0);
ALTER TABLE locations ADD COLUMN handling_currency TEXT NOT NULL DEFAULT '' CHECK (handling_currency = '' OR length(handling_currency) = 3);

-- A location's handling currency starts as the one most of its zone rates use.
UPDATE locations SET handling_currency = coalesce((
    SELECT z.currency FROM zone_rates z WHERE z.origin_location_id = locations.id
    GROUP BY z.currency ORDER BY count(*) DESC, z.currency LIMIT 1), '');
