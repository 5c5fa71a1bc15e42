-- name: GetLocationByCode :one
SELECT * FROM locations WHERE code = ?;

-- name: GetLocation :one
SELECT * FROM locations WHERE id = ?;

-- name: ListLocations :many
SELECT * FROM locations ORDER BY active DESC, kind, code;

-- name: CreateLocation :one
INSERT INTO locations (
    code, name, kind, line1, line2, city, region, postal_code, country, lat, lon, approx_coords,
    timezone, ships, pickup, daily_capacity, cutoff, handling_days, rank, tags, active, created_at, updated_at,
    handling_per_shipment, handling_per_unit, handling_currency
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: UpdateLocation :exec
UPDATE locations
SET name = ?, kind = ?, line1 = ?, line2 = ?, city = ?, region = ?, postal_code = ?, country = ?,
    lat = ?, lon = ?, approx_coords = ?, timezone = ?, ships = ?, pickup = ?, daily_capacity = ?,
    cutoff = ?, handling_days = ?, rank = ?, tags = ?, active = ?, updated_at = ?,
    handling_per_shipment = ?, handling_per_unit = ?, handling_currency = ?
WHERE id = ?;

-- name: SetLocationActive :exec
UPDATE locations SET active = ?, updated_at = ? WHERE id = ?;

-- name: ListLocationChoices :many
SELECT id, code, name, active FROM locations ORDER BY code;

-- name: GetLocationIDsByCodes :many
SELECT id, code FROM locations WHERE code IN (sqlc.slice(codes));

-- name: ClearLocationChannels :exec
DELETE FROM location_channels WHERE location_id = ?;

-- name: AddLocationChannel :exec
INSERT INTO location_channels (location_id, channel_id) VALUES (?, ?);

-- name: ListLocationChannelCodes :many
SELECT c.code FROM location_channels lc JOIN channels c ON c.id = lc.channel_id
WHERE lc.location_id = ? ORDER BY c.code;

-- name: ListAllLocationChannels :many
SELECT lc.location_id, c.code
FROM location_channels lc JOIN channels c ON c.id = lc.channel_id
ORDER BY lc.location_id, c.code;

-- name: RaiseDailyCapacities :exec
-- Raises every limited daily capacity (0 is no limit) by n.
UPDATE locations SET daily_capacity = daily_capacity + sqlc.arg(n), updated_at = sqlc.arg(at) WHERE daily_capacity > 0;

-- name: ClearChannelLocations :exec
DELETE FROM location_channels WHERE channel_id = ?;

-- name: SetLocationScanToShip :exec
UPDATE locations SET scan_to_ship = ? WHERE id = ?;

-- name: ListSkuScanCodes :many
-- The codes a scan may read for these SKUs: each one's code and barcode.
SELECT code, barcode FROM skus WHERE code IN (sqlc.slice(codes));
