-- name: GetSKUByCode :one
SELECT * FROM skus WHERE code = ?;

-- name: CreateSKU :one
INSERT INTO skus (code, name, barcode, weight_grams, tags, active, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: UpdateSKU :exec
UPDATE skus SET name = ?, barcode = ?, weight_grams = ?, tags = ?, active = ?, updated_at = ?
WHERE id = ?;

-- name: ListSKUsAfter :many
-- Keyset pagination by code; q matches a code prefix or part of the name (literally: no wildcards).
SELECT * FROM skus
WHERE code > sqlc.arg(after)
  AND (CAST(sqlc.arg(q) AS TEXT) = '' OR instr(code, sqlc.arg(q)) = 1 OR instr(lower(name), lower(sqlc.arg(q))) > 0)
ORDER BY code
LIMIT sqlc.arg(lim);

-- name: CountSKUs :one
SELECT count(*) FROM skus;
