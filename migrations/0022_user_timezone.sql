-- A user's own time zone for staff pages: an IANA name, or '' to use the browser's.
ALTER TABLE users ADD COLUMN timezone TEXT NOT NULL DEFAULT '';
