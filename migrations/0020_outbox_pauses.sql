-- Channels whose outbox messages an admin has paused: the dispatcher leaves
-- their messages waiting (no attempt counted) until the pause is lifted.
CREATE TABLE outbox_pauses (
    channel_id  INTEGER PRIMARY KEY REFERENCES channels (id),
    paused_at   INTEGER NOT NULL,
    paused_by   TEXT    NOT NULL    -- who paused it, as the audit trail names actors
) STRICT;
