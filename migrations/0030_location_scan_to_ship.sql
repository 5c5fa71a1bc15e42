-- Scan to verify packing: when scan_to_ship is 1, the lead scans every unit
-- that leaves the location (its SKU's barcode or code) before a shipment may
-- be confirmed there. Off for every location to start with.
ALTER TABLE locations ADD COLUMN scan_to_ship INTEGER NOT NULL DEFAULT 0 CHECK (scan_to_ship IN (0, 1));
