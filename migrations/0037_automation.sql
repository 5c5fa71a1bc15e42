-- Automation rules (issue 20): versions of one JSON document, as ops edit them.
-- Version 0 is the draft; 1, 2, ... are published and never change.
CREATE TABLE automation_rules (
    version  INTEGER PRIMARY KEY CHECK (version >= 0),
    body     TEXT    NOT NULL CHECK (json_valid(body)),   -- {"rules": [...]} (app/automation)
    note     TEXT    NOT NULL DEFAULT '',
    saved_at INTEGER NOT NULL,
    saved_by TEXT    NOT NULL
) STRICT;
CREATE TRIGGER automation_rules_published_are_immutable BEFORE UPDATE ON automation_rules WHEN OLD.version > 0
BEGIN
    SELECT RAISE(ABORT, 'published automation rules cannot change');
END;
CREATE TRIGGER automation_rules_published_are_kept BEFORE DELETE ON automation_rules WHEN OLD.version > 0
BEGIN
    SELECT RAISE(ABORT, 'published automation rules are kept');
END;

-- Which triggers have run their rules for an order: at most once per order and trigger.
CREATE TABLE automation_fired (
    order_id INTEGER NOT NULL REFERENCES orders (id),
    trigger  TEXT    NOT NULL,
    version  INTEGER NOT NULL,   -- the published rules that ran
    rules    TEXT    NOT NULL DEFAULT '',  -- the names of the rules that matched, one a line
    fired_at INTEGER NOT NULL,
    PRIMARY KEY (order_id, trigger)
) STRICT, WITHOUT ROWID;

-- The location queue on the floor puts orders of a higher priority first (an automation action).
ALTER TABLE orders ADD COLUMN priority INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 100);
