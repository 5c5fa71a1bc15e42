-- What kits allow, kept up to date rather than computed at each ATP call
-- (issue 19: kit ATP was a recursive walk of sku_components and a read of
-- every part's levels per call). Three tables:
--   kit_leaves: each kit flattened to the plain SKUs at the bottom, at any
--     depth, with the units of each one kit takes (kits inside multiply);
--   kit_state: per kit, whether a component at some depth (a kit inside
--     included) is inactive, which makes the kit allow none anywhere;
--   kit_levels: per kit and location where every leaf has a stock level, the
--     fewest kits the leaves' available stock (on hand less reserved and
--     safety stock, never below 0) makes, each divided by per_kit, rounded
--     down. It ignores kit_state.dead and the location's flags: readers apply
--     those (queries/kit_levels.sql KitAvailability).
-- The app rewrites kit_leaves, kit_state and kit_levels of a kit and of every
-- kit holding it when its components or a SKU's active flag change
-- (app/kit_levels.go refreshKits); the triggers below keep kit_levels as the
-- leaves' stock moves. SQLite allows no WITH inside a trigger, hence the
-- flattened leaves. A plain SKU in no kit pays one index probe per move.
CREATE TABLE kit_leaves (
    kit_sku_id  INTEGER NOT NULL REFERENCES skus (id),
    part_sku_id INTEGER NOT NULL REFERENCES skus (id),
    per_kit     INTEGER NOT NULL CHECK (per_kit >= 1),
    PRIMARY KEY (kit_sku_id, part_sku_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX kit_leaves_by_part ON kit_leaves (part_sku_id, kit_sku_id);

CREATE TABLE kit_state (
    kit_sku_id INTEGER PRIMARY KEY REFERENCES skus (id),
    dead       INTEGER NOT NULL CHECK (dead IN (0, 1))
) STRICT;

CREATE TABLE kit_levels (
    kit_sku_id  INTEGER NOT NULL REFERENCES skus (id),
    location_id INTEGER NOT NULL REFERENCES locations (id),
    available   INTEGER NOT NULL CHECK (available >= 0),
    PRIMARY KEY (kit_sku_id, location_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER stock_levels_kits_insert AFTER INSERT ON stock_levels
WHEN EXISTS (SELECT 1 FROM kit_leaves WHERE part_sku_id = NEW.sku_id)
BEGIN
    DELETE FROM kit_levels
    WHERE location_id = NEW.location_id
      AND kit_sku_id IN (SELECT kit_sku_id FROM kit_leaves WHERE part_sku_id = NEW.sku_id);
    INSERT INTO kit_levels (kit_sku_id, location_id, available)
    SELECT k.kit_sku_id, NEW.location_id, min(max(0, sl.on_hand - sl.reserved - sl.safety_stock) / k.per_kit)
    FROM kit_leaves mine
    JOIN kit_leaves k ON k.kit_sku_id = mine.kit_sku_id
    JOIN stock_levels sl ON sl.sku_id = k.part_sku_id AND sl.location_id = NEW.location_id
    WHERE mine.part_sku_id = NEW.sku_id
    GROUP BY k.kit_sku_id
    HAVING count(*) = (SELECT count(*) FROM kit_leaves n WHERE n.kit_sku_id = k.kit_sku_id);
END;

-- A level's stock moved: which levels exist is unchanged, so only the kept
-- figures of the kits holding the SKU there are computed again.
CREATE TRIGGER stock_levels_kits_update AFTER UPDATE OF on_hand, reserved, safety_stock ON stock_levels
WHEN EXISTS (SELECT 1 FROM kit_leaves WHERE part_sku_id = NEW.sku_id)
BEGIN
    UPDATE kit_levels
    SET available = (SELECT min(max(0, sl.on_hand - sl.reserved - sl.safety_stock) / k.per_kit)
                     FROM kit_leaves k JOIN stock_levels sl ON sl.sku_id = k.part_sku_id AND sl.location_id = NEW.location_id
                     WHERE k.kit_sku_id = kit_levels.kit_sku_id)
    WHERE location_id = NEW.location_id
      AND kit_sku_id IN (SELECT kit_sku_id FROM kit_leaves WHERE part_sku_id = NEW.sku_id);
END;

CREATE TRIGGER stock_levels_kits_delete AFTER DELETE ON stock_levels
WHEN EXISTS (SELECT 1 FROM kit_leaves WHERE part_sku_id = OLD.sku_id)
BEGIN
    DELETE FROM kit_levels
    WHERE location_id = OLD.location_id
      AND kit_sku_id IN (SELECT kit_sku_id FROM kit_leaves WHERE part_sku_id = OLD.sku_id);
END;

-- The kits there are already.
INSERT INTO kit_leaves (kit_sku_id, part_sku_id, per_kit)
WITH RECURSIVE parts AS (
    SELECT c.kit_sku_id AS kit_id, c.component_sku_id AS sku_id, c.quantity AS qty, 1 AS depth
    FROM sku_components c JOIN skus k ON k.id = c.kit_sku_id AND k.is_kit = 1
    UNION ALL
    SELECT p.kit_id, c.component_sku_id, p.qty * c.quantity, p.depth + 1
    FROM parts p JOIN sku_components c ON c.kit_sku_id = p.sku_id
    WHERE p.depth < 8
)
SELECT p.kit_id, p.sku_id, sum(p.qty)
FROM parts p JOIN skus s ON s.id = p.sku_id
WHERE s.is_kit = 0
GROUP BY p.kit_id, p.sku_id;

INSERT INTO kit_state (kit_sku_id, dead)
WITH RECURSIVE parts AS (
    SELECT c.kit_sku_id AS kit_id, c.component_sku_id AS sku_id, 1 AS depth
    FROM sku_components c JOIN skus k ON k.id = c.kit_sku_id AND k.is_kit = 1
    UNION ALL
    SELECT p.kit_id, c.component_sku_id, p.depth + 1
    FROM parts p JOIN sku_components c ON c.kit_sku_id = p.sku_id
    WHERE p.depth < 8
)
SELECT p.kit_id, max(s.active = 0)
FROM parts p JOIN skus s ON s.id = p.sku_id
GROUP BY p.kit_id;

INSERT INTO kit_levels (kit_sku_id, location_id, available)
SELECT k.kit_sku_id, sl.location_id, min(max(0, sl.on_hand - sl.reserved - sl.safety_stock) / k.per_kit)
FROM kit_leaves k JOIN stock_levels sl ON sl.sku_id = k.part_sku_id
GROUP BY k.kit_sku_id, sl.location_id
HAVING count(*) = (SELECT count(*) FROM kit_leaves n WHERE n.kit_sku_id = k.kit_sku_id);
