-- name: CreateLocationStub :one
INSERT INTO locations (code, name, active, created_at, updated_at)
VALUES (?, ?, 1, ?, ?)
RETURNING id;

-- name: ListLocationChoices :many
SELECT id, code, name, active FROM locations ORDER BY code;

-- name: GetLocationIDsByCodes :many
SELECT id, code FROM locations WHERE code IN (sqlc.slice(codes));
