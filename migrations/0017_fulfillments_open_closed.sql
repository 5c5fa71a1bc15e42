-- Intake creates pending fulfillments by the thousand, and three indexes of
-- fulfillments by location each took a page of their own per location and
-- commit. The open fulfillments (pending, accepted), which the location's
-- queue walks oldest first, now have an index to themselves; the closed ones
-- (shipped, delivered, rejected, cancelled) are in two others, by creation
-- for the API's listing and by last change for the queue's "today" tabs. A
-- new fulfillment enters one index, not three. Queries name the partial
-- index's condition (status IN / NOT IN ('pending', 'accepted')) so that
-- SQLite uses it.
DROP INDEX fulfillments_by_location;             -- (location_id, status, created_at)
DROP INDEX fulfillments_by_location_day;         -- (location_id, created_at)
DROP INDEX fulfillments_by_location_status_time; -- (location_id, status, updated_at)

CREATE INDEX fulfillments_open ON fulfillments (location_id, status, created_at)
WHERE status IN ('pending', 'accepted');
CREATE INDEX fulfillments_closed ON fulfillments (location_id, status, created_at)
WHERE status NOT IN ('pending', 'accepted');
CREATE INDEX fulfillments_closed_since ON fulfillments (location_id, status, updated_at)
WHERE status NOT IN ('pending', 'accepted');
