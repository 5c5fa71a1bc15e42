-- The answer API for assistants (POST /api/v1/wismo): its attempts, kept for
-- the rate limits: one row per attempt and per counter (the API key, the
-- order name asked for; hashed), pruned once out of the window.
CREATE TABLE wismo_attempts (
    id  INTEGER PRIMARY KEY,
    key TEXT    NOT NULL,
    at  INTEGER NOT NULL
) STRICT;
CREATE INDEX wismo_attempts_by_key ON wismo_attempts (key, at);
CREATE INDEX wismo_attempts_by_at ON wismo_attempts (at);
