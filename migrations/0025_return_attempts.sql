-- The customer's attempts to start a return on the tracking page, kept for
-- the rate limit: one row per attempt, keyed by the token and by the client's
-- address (hashed), pruned once out of the window.
CREATE TABLE return_attempts (
    id  INTEGER PRIMARY KEY,
    key TEXT    NOT NULL,
    at  INTEGER NOT NULL
) STRICT;
CREATE INDEX return_attempts_by_key ON return_attempts (key, at);
CREATE INDEX return_attempts_by_at ON return_attempts (at);
