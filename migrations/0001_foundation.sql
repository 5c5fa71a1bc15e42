-- Users, roles, sign-in, API keys and server settings.
-- Times are stored as Unix milliseconds (UTC) so they sort and compare exactly.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    name            TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('admin', 'ops', 'warehouse', 'support')),
    password_hash   TEXT    NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- bumped on password reset, deactivation and role change: older sessions stop working
    session_version INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

-- Failed sign-ins, for throttling per account.
CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY,
    email     TEXT    NOT NULL COLLATE NOCASE,
    failed_at INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_by_email ON login_failures (email, failed_at);

-- API keys: only the SHA-256 of the key is kept; the prefix identifies it in lists.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL UNIQUE,
    key_hash     BLOB    NOT NULL UNIQUE,
    scopes       TEXT    NOT NULL,
    channel_code TEXT,
    created_by   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
) STRICT;
