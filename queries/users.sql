-- name: CreateUser :one
INSERT INTO users (email, name, role, password_hash, active, created_at, updated_at)
VALUES (?, ?, ?, ?, 1, ?, ?)
RETURNING id;

-- name: GetUser :one
SELECT * FROM users WHERE id = ?;

-- name: GetUserByEmail :one
SELECT * FROM users WHERE email = ?;

-- name: ListUsers :many
SELECT * FROM users ORDER BY active DESC, name, id;

-- name: CountUsers :one
SELECT count(*) FROM users;

-- name: CountActiveAdmins :one
SELECT count(*) FROM users WHERE role = 'admin' AND active = 1;

-- name: UpdateUserProfile :exec
UPDATE users
SET name = sqlc.arg(name),
    role = sqlc.arg(role),
    updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id);

-- name: SetUserActive :exec
UPDATE users
SET active = ?, updated_at = ?
WHERE id = ?;

-- name: SetUserPassword :exec
UPDATE users
SET password_hash = ?, updated_at = ?
WHERE id = ?;

-- name: ClearUserLocations :exec
DELETE FROM user_locations WHERE user_id = ?;

-- name: AddUserLocation :exec
INSERT INTO user_locations (user_id, location_id) VALUES (?, ?);

-- name: ListUserLocations :many
SELECT l.id, l.code, l.name
FROM user_locations ul JOIN locations l ON l.id = ul.location_id
WHERE ul.user_id = ?
ORDER BY l.code;

-- name: ListAllUserLocations :many
SELECT ul.user_id, l.code
FROM user_locations ul JOIN locations l ON l.id = ul.location_id
ORDER BY ul.user_id, l.code;

-- name: CountLoginFailuresSince :one
SELECT count(*) AS failures, CAST(coalesce(min(failed_at), 0) AS INTEGER) AS oldest
FROM login_failures
WHERE email = ? AND failed_at > ?;

-- name: PruneLoginFailures :exec
DELETE FROM login_failures WHERE failed_at <= ?;

-- name: SetUserTimezone :exec
UPDATE users
SET timezone = ?, updated_at = ?
WHERE id = ?;
