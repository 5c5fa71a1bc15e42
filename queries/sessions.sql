-- name: ReserveLoginAttempt :one
-- A sign-in attempt counts as a failure from before its password is checked;
-- a right password forgets it (ForgetLoginAttempt).
INSERT INTO login_failures (email, failed_at) VALUES (?, ?) RETURNING id;

-- name: ForgetLoginAttempt :exec
DELETE FROM login_failures WHERE id = ?;

-- name: CreateSession :one
INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip)
VALUES (?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: GetSessionByToken :one
SELECT id, user_id, last_seen_at, expires_at, ended_at FROM sessions WHERE token_hash = ?;

-- name: TouchSession :exec
UPDATE sessions SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL;

-- name: EndSessionByToken :execrows
UPDATE sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL;

-- name: EndUserSession :execrows
UPDATE sessions SET ended_at = ? WHERE id = ? AND user_id = ? AND ended_at IS NULL;

-- name: EndUserSessions :execrows
UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL;

-- name: ListOpenSessions :many
SELECT id, created_at, last_seen_at, expires_at, user_agent, ip
FROM sessions
WHERE user_id = ? AND ended_at IS NULL AND expires_at > ?
ORDER BY last_seen_at DESC, id DESC;

-- name: PruneSessions :exec
DELETE FROM sessions WHERE coalesce(ended_at, expires_at) < ?;
