-- A kit line whose parts ship from several locations (issue 19): when the
-- deciding rule allows it (split.kit_components) and no single location can
-- supply a whole kit, the kit's order line gets a fulfillment line at each
-- location involved, each with the same kit quantity, and
-- fulfillment_line_parts (0035) listing only the parts shipped from there.
-- part_of names the routing decision that split it: the lines of one order
-- line with the same part_of are siblings, carrying one kit between them.
-- NULL: the line carries the whole kit (or is a plain SKU), as before.
-- The order line counts the kits once: reserved when routed, shipped when
-- the last sibling has shipped them (app/kit_split.go).
ALTER TABLE fulfillment_lines ADD COLUMN part_of INTEGER;
CREATE INDEX fulfillment_lines_part_of ON fulfillment_lines (order_line_id, part_of) WHERE part_of IS NOT NULL;
