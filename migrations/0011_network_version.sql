-- The network's version: one number that changes whenever something routing
-- reads of the network and keeps in memory changes (locations, the channels
-- they serve, channels, published rules, zone rates). The app caches those
-- per version and reads this one row to know whether its copy still holds,
-- whichever process or connection made the change.

CREATE TABLE network_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    v  INTEGER NOT NULL
);
INSERT INTO network_version (id, v) VALUES (1, 1);

CREATE TRIGGER network_version_locations_insert AFTER INSERT ON locations
BEGIN UPDATE network_version SET v = v + 1; END;
CREATE TRIGGER network_version_locations_update AFTER UPDATE ON locations
BEGIN UPDATE network_version SET v = v + 1; END;
CREATE TRIGGER network_version_locations_delete AFTER DELETE ON locations
BEGIN UPDATE network_version SET v = v + 1; END;

CREATE TRIGGER network_version_location_channels_insert AFTER INSERT ON location_channels
BEGIN UPDATE network_version SET v = v + 1; END;
CREATE TRIGGER network_version_location_channels_update AFTER UPDATE ON location_channels
BEGIN UPDATE network_version SET v = v + 1; END;
CREATE TRIGGER network_version_location_channels_delete AFTER DELETE ON location_channels
BEGIN UPDATE network_version SET v = v + 1; END;

CREATE TRIGGER network_version_channels_insert AFTER INSERT ON channels
BEGIN UPDATE network_version SET v = v + 1; END;
CREATE TRIGGER network_version_channels_update AFTER UPDATE ON channels
BEGIN UPDATE network_version SET v = v + 1; END;
CREATE TRIGGER network_version_channels_delete AFTER DELETE ON channels
BEGIN UPDATE network_version SET v = v + 1; END;

CREATE TRIGGER network_version_rules_insert AFTER INSERT ON routing_rules
BEGIN UPDATE network_version SET v = v + 1; END;
CREATE TRIGGER network_version_rules_update AFTER UPDATE ON routing_rules
BEGIN UPDATE network_version SET v = v + 1; END;
CREATE TRIGGER network_version_rules_delete AFTER DELETE ON routing_rules
BEGIN UPDATE network_version SET v = v + 1; END;

CREATE TRIGGER network_version_zone_rates_insert AFTER INSERT ON zone_rates
BEGIN UPDATE network_version SET v = v + 1; END;
CREATE TRIGGER network_version_zone_rates_update AFTER UPDATE ON zone_rates
BEGIN UPDATE network_version SET v = v + 1; END;
CREATE TRIGGER network_version_zone_rates_delete AFTER DELETE ON zone_rates
BEGIN UPDATE network_version SET v = v + 1; END;
