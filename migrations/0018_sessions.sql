-- Server-side sign-in sessions. The session cookie carries a random token;
-- only its SHA-256 is kept here. A session opens a page only while it has not
-- ended and has not expired: signing out, deactivation, a password reset, a
-- role change or an admin ends it at once. Rows ended or expired for more
-- than a day are deleted at the next sign-in.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   BLOB    NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    user_agent   TEXT    NOT NULL,
    ip           TEXT    NOT NULL,
    ended_at     INTEGER
) STRICT;
CREATE INDEX sessions_open_by_user ON sessions (user_id) WHERE ended_at IS NULL;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
