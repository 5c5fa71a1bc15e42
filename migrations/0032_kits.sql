-- Kits (bundles): a SKU with components. A kit holds no stock of its own; what
-- a location has of it is what its components allow, and ordering one reserves,
-- ships and restocks the components (app/kits.go).
ALTER TABLE skus ADD COLUMN is_kit INTEGER NOT NULL DEFAULT 0 CHECK (is_kit IN (0, 1));

-- The direct components of a kit. A component may itself be a kit; the stock
-- moves go to the plain SKUs at the bottom (queries/kits.sql KitParts).
CREATE TABLE sku_components (
    kit_sku_id       INTEGER NOT NULL REFERENCES skus (id),
    component_sku_id INTEGER NOT NULL REFERENCES skus (id),
    quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    position         INTEGER NOT NULL,
    PRIMARY KEY (kit_sku_id, component_sku_id),
    CHECK (kit_sku_id <> component_sku_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX sku_components_by_component ON sku_components (component_sku_id, kit_sku_id);

-- A kit has no stock level: its stock is its components'.
CREATE TRIGGER stock_levels_no_kit BEFORE INSERT ON stock_levels
WHEN (SELECT is_kit FROM skus WHERE id = NEW.sku_id) = 1
BEGIN
    SELECT RAISE(ABORT, 'a kit holds no stock of its own');
END;
