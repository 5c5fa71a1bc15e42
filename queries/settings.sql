-- name: GetSetting :one
SELECT value FROM settings WHERE key = ?;

-- name: PutSettingIfAbsent :exec
INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING;
