-- name: ListZoneRates :many
SELECT z.id, l.code AS origin, l.name AS origin_name, z.country, z.region, z.cost, z.currency, z.transit_days
FROM zone_rates z JOIN locations l ON l.id = z.origin_location_id
ORDER BY l.code, z.country, z.region;

-- name: UpsertZoneRate :one
-- One rate per origin, country and region: a second one replaces the first.
INSERT INTO zone_rates (origin_location_id, country, region, cost, currency, transit_days)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (origin_location_id, country, region) DO UPDATE
SET cost = excluded.cost, currency = excluded.currency, transit_days = excluded.transit_days
RETURNING id;

-- name: DeleteZoneRate :execrows
DELETE FROM zone_rates WHERE id = ?;

-- name: UpsertPostalCode :exec
INSERT INTO postal_codes (country, postal_code, lat, lon) VALUES (?, ?, ?, ?)
ON CONFLICT (country, postal_code) DO UPDATE SET lat = excluded.lat, lon = excluded.lon;

-- name: CountPostalCodes :many
-- How many postal codes are known, per country.
SELECT country, count(*) AS n FROM postal_codes GROUP BY country ORDER BY country;
