package app

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"switchyard/app/routing"
	store "switchyard/sql"
)

// Kits split over locations (issue 19, migrations/0039_kit_split.sql). When
// the deciding rule allows it (split.kit_components) and no single location
// can supply whole kits, the engine ships a kit line's parts from several
// locations (routing/kitsplit.go). Each location gets a fulfillment line of
// the kit with the same kit quantity, its part_of naming the decision, and
// fulfillment_line_parts listing only the parts it ships: the stock moves
// (kit_moves.go), pick lists and the invariants then need nothing new. The
// order line counts the kits once: reserved when routed, shipped when the
// last of its lines has shipped them. Giving back one of the lines before
// any has shipped gives back all of them, and the kits are routed again
// whole; once one has shipped, the rest is a person's to decide (the order
// is held, and the timeline says why).

// kitSplitRules reports whether any enabled rule may split kits: only then
// does routing get the kits' parts (the input is otherwise as before).
func kitSplitRules(rs routing.RuleSet) bool {
	for _, r := range rs.Rules {
		if r.Enabled && r.Split.Allow && r.Split.KitComponents {
			return true
		}
	}
	return false
}

// giveKitParts sets on the order's kit lines their parts, when a rule may split kits.
func (p *routePlan) giveKitParts() {
	if len(p.kits) == 0 || !kitSplitRules(p.in.Rules) {
		return
	}
	for i := range p.in.Order.Lines {
		l := &p.in.Order.Lines[i]
		k := p.kits[l.SKU]
		if k == nil {
			continue
		}
		l.Parts = make([]routing.KitPart, len(k.parts))
		for j, part := range k.parts {
			l.Parts[j] = routing.KitPart{SKU: part.code, Quantity: part.per, Active: part.active}
		}
	}
}

// splitPartsFor is the parts of a kit a part allocation reserves: those it names.
func (p *routePlan) splitPartsFor(a routing.Allocation) []routeKitPart {
	all := p.kitPartsFor(a.SKU)
	var out []routeKitPart
	for _, want := range a.Parts {
		for _, part := range all {
			if part.code == want.SKU {
				out = append(out, part)
			}
		}
	}
	if len(out) != len(a.Parts) {
		return []routeKitPart{} // a part the kit no longer has: the reservation is refused (errStalePlan)
	}
	return out
}

// ReservedByLine is what a decision reserves of each order line (by line
// number): the kits of a split count once, however many locations ship
// their parts.
func ReservedByLine(d routing.Decision) map[int64]int64 {
	out := map[int64]int64{}
	split := map[int64]bool{}
	for _, s := range d.Shipments {
		for _, a := range s.Lines {
			if a.Parts != nil {
				if split[a.LineID] {
					continue
				}
				split[a.LineID] = true
			}
			out[a.LineID] += a.Quantity
		}
	}
	return out
}

// explainSplitKits says where each split kit's parts ship from: "Gift set:
// 2 × Mug from Lyon and 1 × Tray from Paris, because no single location had
// the whole set."
func (p *routePlan) explainSplitKits() []string {
	var says []string
	var lines []int64
	pieces := map[int64][]string{}
	qty := map[int64]int64{}
	sku := map[int64]string{}
	for _, s := range p.d.Shipments {
		for _, a := range s.Lines {
			k := p.kits[a.SKU]
			if a.Parts == nil || k == nil {
				continue
			}
			if _, seen := pieces[a.LineID]; !seen {
				lines = append(lines, a.LineID)
			}
			var items []string
			for _, part := range a.Parts {
				items = append(items, fmt.Sprintf("%d × %s", a.Quantity*part.Quantity, partName(k, part.SKU)))
			}
			pieces[a.LineID] = append(pieces[a.LineID], andList(items)+" from "+s.LocationName)
			qty[a.LineID], sku[a.LineID] = a.Quantity, a.SKU
		}
	}
	for _, id := range lines {
		head := p.kits[sku[id]].name
		if qty[id] > 1 {
			head = fmt.Sprintf("%d × %s", qty[id], head)
		}
		says = append(says, head+": "+andList(pieces[id])+", because no single location had the whole set.")
	}
	return says
}

// partName is a kit part's name for people, its code when unknown.
func partName(k *routeKit, code string) string {
	for _, part := range k.parts {
		if part.code == code && part.name != "" {
			return part.name
		}
	}
	return code
}

// partOf is a fulfillment line's part_of: the decision, for a part allocation.
func partOf(a routing.Allocation, decisionID int64) sql.NullInt64 {
	return sql.NullInt64{Int64: decisionID, Valid: a.Parts != nil}
}

// releaseSplitKit gives back take kits of a line carrying part of a split
// kit, and as many of each of its siblings still open, so that the kits
// route again whole; the order line's reserved count falls once. When a
// sibling has already shipped some, the rest cannot simply route again
// (its parts left): with hold, the order is held and the timeline says so.
func releaseSplitKit(ctx context.Context, tx Tx, fulfillmentID, lineID int64, group int64, take int64, reference string, hold bool) error {
	sibs, err := tx.Q.KitSplitSiblings(ctx, store.KitSplitSiblingsParams{OrderLineID: lineID, PartOf: sql.NullInt64{Int64: group, Valid: true}})
	if err != nil {
		return fmt.Errorf("kit split of line %d: %w", lineID, err)
	}
	var shippedAt []string
	for _, s := range sibs {
		open := s.Quantity - s.Shipped - s.Released
		if s.Shipped > 0 {
			shippedAt = append(shippedAt, s.LocationName)
		}
		if open <= 0 || (s.Status != string(FulfillmentPending) && s.Status != string(FulfillmentAccepted)) {
			continue
		}
		n := min(take, open)
		if err := releaseUnits(ctx, tx, s.FulfillmentID, lineID, LevelKey{Location: s.LocationID}, n, reference); err != nil {
			return err
		}
		if err := tx.Q.ReleaseFulfillmentLine(ctx, store.ReleaseFulfillmentLineParams{Released: n, FulfillmentID: s.FulfillmentID, OrderLineID: lineID}); err != nil {
			return fmt.Errorf("release fulfillment line: %w", err)
		}
		if s.FulfillmentID != fulfillmentID {
			if err := closeIfDone(ctx, tx, s.FulfillmentID, FulfillmentCancelled); err != nil {
				return err
			}
		}
	}
	if err := tx.Q.AddLineRouting(ctx, store.AddLineRoutingParams{Reserved: -take, ID: lineID}); err != nil {
		return fmt.Errorf("release line: %w", err)
	}
	if len(shippedAt) == 0 || !hold {
		return nil
	}
	return holdSplitKit(ctx, tx, lineID, take, shippedAt)
}

// holdSplitKit holds an order whose split kit lost a part after another
// part shipped, and says so: a person decides how to send the rest.
func holdSplitKit(ctx context.Context, tx Tx, lineID, take int64, shippedAt []string) error {
	l, err := tx.Q.SplitKitLine(ctx, lineID)
	if err != nil {
		return fmt.Errorf("order line %d: %w", lineID, err)
	}
	o, err := tx.Q.GetOrder(ctx, l.OrderID)
	if err != nil {
		return fmt.Errorf("get order: %w", err)
	}
	if o.OnHold == 0 {
		if err := setFlags(ctx, tx, o, 1, HoldStockReview, o.Cancelled); err != nil {
			return err
		}
	}
	msg := fmt.Sprintf("%d × %s: part of the set already left %s, and the rest was given back; "+
		"the order is held for a person to decide how to send the rest (routing it again would send the shipped parts twice).",
		take, l.Name, strings.Join(shippedAt, " and "))
	return AppendEvent(ctx, tx, o.ID, System, NewEvent{Kind: "kit_split_broken", Message: msg, Data: map[string]any{"line": l.LineNo}})
}

// shipSplitKit records q kits of a line carrying part of a split kit as
// shipped from its fulfillment, and returns how many kits this completes:
// those every line of the split has now shipped (the order line's shipped
// count rises by them only).
func shipSplitKit(ctx context.Context, tx Tx, fulfillmentID, lineID, group, q int64) (int64, error) {
	before, err := splitShipped(ctx, tx, lineID, group)
	if err != nil {
		return 0, err
	}
	if err := tx.Q.ShipFulfillmentLine(ctx, store.ShipFulfillmentLineParams{Shipped: q, FulfillmentID: fulfillmentID, OrderLineID: lineID}); err != nil {
		return 0, fmt.Errorf("ship fulfillment line: %w", err)
	}
	after, err := splitShipped(ctx, tx, lineID, group)
	if err != nil {
		return 0, err
	}
	return after - before, nil
}

// splitShipped is how many kits of a split every one of its lines has shipped.
func splitShipped(ctx context.Context, tx Tx, lineID, group int64) (int64, error) {
	sibs, err := tx.Q.KitSplitSiblings(ctx, store.KitSplitSiblingsParams{OrderLineID: lineID, PartOf: sql.NullInt64{Int64: group, Valid: true}})
	if err != nil {
		return 0, fmt.Errorf("kit split of line %d: %w", lineID, err)
	}
	least := int64(-1)
	for _, s := range sibs {
		if least < 0 || s.Shipped < least {
			least = s.Shipped
		}
	}
	return max(least, 0), nil
}

// reserveSplitKits counts on each order line the kits a decision splits
// over locations, once (unless the lines were written with the decision).
func reserveSplitKits(ctx context.Context, tx Tx, d routing.Decision, lineByNo map[int64]store.OrderLine, routed bool) error {
	if routed {
		return nil
	}
	done := map[int64]bool{}
	for _, s := range d.Shipments {
		for _, a := range s.Lines {
			if a.Parts == nil || done[a.LineID] {
				continue
			}
			done[a.LineID] = true
			if err := tx.Q.AddLineRouting(ctx, store.AddLineRoutingParams{Reserved: a.Quantity, ID: lineByNo[a.LineID].ID}); err != nil {
				return fmt.Errorf("reserve line %d: %w", a.LineID, err)
			}
		}
	}
	return nil
}

// shipSplitLine ships q kits' worth of the parts a line carries: the order
// line, and the shipment line the channel is told of, count only the kits
// this completes (every line of the split has shipped them).
func shipSplitLine(ctx context.Context, tx Tx, f store.GetFulfillmentRow, shipmentID int64, l store.ListFulfillmentLinesRow, q int64) error {
	done, err := shipSplitKit(ctx, tx, f.ID, l.OrderLineID, l.PartOf.Int64, q)
	if err != nil || done == 0 {
		return err
	}
	if err := tx.Q.ShipOrderLine(ctx, store.ShipOrderLineParams{Qty: done, ID: l.OrderLineID}); err != nil {
		return fmt.Errorf("ship order line: %w", err)
	}
	return tx.Q.InsertShipmentLine(ctx, store.InsertShipmentLineParams{ShipmentID: shipmentID, OrderLineID: l.OrderLineID, SkuID: l.SkuID, Quantity: done})
}
