-- The audit log: what people and API keys did, appended in the same
-- transaction as the change it records (sign-in failures and throttles in
-- their own). detail is plain words and never holds a secret: a password,
-- token, API key or webhook secret is only said to have changed.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,            -- Unix milliseconds, UTC
    actor_kind  TEXT    NOT NULL,            -- user, api_key, system, channel, or anonymous
    actor_id    INTEGER NOT NULL DEFAULT 0,  -- the user's or key's id; 0 for none
    actor_name  TEXT    NOT NULL DEFAULT '' COLLATE NOCASE,
    ip          TEXT    NOT NULL DEFAULT '',
    action      TEXT    NOT NULL,            -- e.g. user.created, signin.failed
    object_kind TEXT    NOT NULL DEFAULT '',
    object_ref  TEXT    NOT NULL DEFAULT '',
    detail      TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_action_at ON audit_log (action, at, id);
CREATE INDEX audit_log_actor_at ON audit_log (actor_name, at, id);
CREATE INDEX audit_log_object_at ON audit_log (object_kind, object_ref, at, id);

-- Rows never change.
CREATE TRIGGER audit_log_is_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: its rows never change');
END;

-- Rows are deleted only by the retention purge: a row may go once it is
-- older than the retention (settings key audit_retention_days, 365 when
-- unset, never less than 30) by the database's own clock. Anything younger
-- is refused, whatever the statement.
CREATE TRIGGER audit_log_kept_for_retention BEFORE DELETE ON audit_log
WHEN OLD.at >= CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
    - max(30, coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'audit_retention_days'), 365)) * 86400000
BEGIN
    SELECT RAISE(ABORT, 'audit log rows are kept for the retention period: only older rows may be purged');
END;
