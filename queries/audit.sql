-- The audit log (app/audit). Filters left empty ('' or 0) select everything;
-- a page continues after the cursor (at, id), newest first.

-- name: InsertAudit :exec
INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, ip, action, object_kind, object_ref, detail)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: ListAuditPage :many
SELECT id, at, actor_kind, actor_id, actor_name, ip, action, object_kind, object_ref, detail
FROM audit_log
WHERE at <= sqlc.arg(after_at)
  AND (at < sqlc.arg(after_at) OR id < sqlc.arg(after_id))
  AND at >= sqlc.arg(from_at) AND at < sqlc.arg(to_at)
  AND (CAST(sqlc.arg(action) AS TEXT) = '' OR action = sqlc.arg(action))
  AND (CAST(sqlc.arg(actor) AS TEXT) = '' OR actor_name = sqlc.arg(actor))
  AND (CAST(sqlc.arg(object_kind) AS TEXT) = '' OR object_kind = sqlc.arg(object_kind))
  AND (CAST(sqlc.arg(object_ref) AS TEXT) = '' OR object_ref = sqlc.arg(object_ref))
ORDER BY at DESC, id DESC
LIMIT sqlc.arg(lim);

-- The same page with one filter required, so that its index leads: by
-- action, by actor, by object (kind and ref). Same columns and arguments.

-- name: ListAuditPageByAction :many
SELECT id, at, actor_kind, actor_id, actor_name, ip, action, object_kind, object_ref, detail
FROM audit_log
WHERE at <= sqlc.arg(after_at)
  AND (at < sqlc.arg(after_at) OR id < sqlc.arg(after_id))
  AND at >= sqlc.arg(from_at) AND at < sqlc.arg(to_at)
  AND action = sqlc.arg(action)
  AND (CAST(sqlc.arg(actor) AS TEXT) = '' OR actor_name = sqlc.arg(actor))
  AND (CAST(sqlc.arg(object_kind) AS TEXT) = '' OR object_kind = sqlc.arg(object_kind))
  AND (CAST(sqlc.arg(object_ref) AS TEXT) = '' OR object_ref = sqlc.arg(object_ref))
ORDER BY at DESC, id DESC
LIMIT sqlc.arg(lim);

-- name: ListAuditPageByActor :many
SELECT id, at, actor_kind, actor_id, actor_name, ip, action, object_kind, object_ref, detail
FROM audit_log
WHERE at <= sqlc.arg(after_at)
  AND (at < sqlc.arg(after_at) OR id < sqlc.arg(after_id))
  AND at >= sqlc.arg(from_at) AND at < sqlc.arg(to_at)
  AND (CAST(sqlc.arg(action) AS TEXT) = '' OR action = sqlc.arg(action))
  AND actor_name = sqlc.arg(actor)
  AND (CAST(sqlc.arg(object_kind) AS TEXT) = '' OR object_kind = sqlc.arg(object_kind))
  AND (CAST(sqlc.arg(object_ref) AS TEXT) = '' OR object_ref = sqlc.arg(object_ref))
ORDER BY at DESC, id DESC
LIMIT sqlc.arg(lim);

-- name: ListAuditPageByObject :many
SELECT id, at, actor_kind, actor_id, actor_name, ip, action, object_kind, object_ref, detail
FROM audit_log
WHERE at <= sqlc.arg(after_at)
  AND (at < sqlc.arg(after_at) OR id < sqlc.arg(after_id))
  AND at >= sqlc.arg(from_at) AND at < sqlc.arg(to_at)
  AND (CAST(sqlc.arg(action) AS TEXT) = '' OR action = sqlc.arg(action))
  AND (CAST(sqlc.arg(actor) AS TEXT) = '' OR actor_name = sqlc.arg(actor))
  AND object_kind = sqlc.arg(object_kind)
  AND object_ref = sqlc.arg(object_ref)
ORDER BY at DESC, id DESC
LIMIT sqlc.arg(lim);

-- name: ListAuditActions :many
-- The actions the log holds, for the filter's choices.
SELECT DISTINCT action FROM audit_log ORDER BY action;

-- name: PurgeAudit :execrows
-- The retention purge: the delete trigger refuses rows younger than the retention.
DELETE FROM audit_log WHERE at < ?;

-- name: PutSetting :exec
INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value;

-- name: ListChannelLocationCodes :many
-- The codes of the locations serving a channel, to name a change of them.
SELECT l.code FROM location_channels lc JOIN locations l ON l.id = lc.location_id
WHERE lc.channel_id = ? ORDER BY l.code;

-- name: CountAudit :one
-- How many entries match the filters, counted up to most (the page's
-- sentence says "more than" beyond it).
SELECT count(*) FROM (
    SELECT 1 FROM audit_log
    WHERE at >= sqlc.arg(from_at) AND at < sqlc.arg(to_at)
      AND (CAST(sqlc.arg(action) AS TEXT) = '' OR action = sqlc.arg(action))
      AND (CAST(sqlc.arg(actor) AS TEXT) = '' OR actor_name = sqlc.arg(actor))
      AND (CAST(sqlc.arg(object_kind) AS TEXT) = '' OR object_kind = sqlc.arg(object_kind))
      AND (CAST(sqlc.arg(object_ref) AS TEXT) = '' OR object_ref = sqlc.arg(object_ref))
    LIMIT sqlc.arg(most)
);
