package app

import (
	"context"
	"database/sql"
	"fmt"

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
