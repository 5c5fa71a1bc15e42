package app

import (
	"context"
	"fmt"
	"strings"

	"switchyard/app/routing"
	store "switchyard/sql"
)

// routeKit is a kit an order asks for, as routing reads it: its name and its
// plain parts (through kits inside kits) with the units of each one kit takes.
type routeKit struct {
	name  string
	parts []routeKitPart
}

// routeKitPart is one plain part of a kit.
type routeKitPart struct {
	id     int64
	code   string
	name   string
	per    int64
	active bool
}

// readKits reads the parts of the order's kits (rows are the order's SKUs)
// and remembers their ids, so that readStock reads the parts' stock too.
func (p *routePlan) readKits(ctx context.Context, q *store.Queries, rows []store.SKUsForRoutingRow) error {
	var ids []int64
	names := map[int64]string{}
	codes := map[int64]string{}
	for _, r := range rows {
		if r.IsKit == 1 {
			ids = append(ids, r.ID)
			names[r.ID], codes[r.ID] = r.Name, r.Code
		}
	}
	if len(ids) == 0 {
		return nil
	}
	parts, err := q.KitPartsForRouting(ctx, ids)
	if err != nil {
		return fmt.Errorf("routing kit parts: %w", err)
	}
	p.kits, p.partIDs = map[string]*routeKit{}, map[string]int64{}
	for _, id := range ids {
		p.kits[codes[id]] = &routeKit{name: names[id]} // a kit without parts stays unavailable
	}
	for _, r := range parts {
		k := p.kits[codes[r.KitID]]
		k.parts = append(k.parts, routeKitPart{id: r.SkuID, code: r.Code, name: r.Name, per: r.Quantity, active: r.Active == 1})
		p.partIDs[r.Code] = r.SkuID
	}
	return nil
}

// deriveKitStock sets each candidate's stock of the order's kits from its
// parts' stock (routing.AllotKitStock): the engine then routes a kit as one
// SKU, whole kits from one location each.
func (p *routePlan) deriveKitStock() {
	if len(p.kits) == 0 {
		return
	}
	var want []routing.KitOrderLine
	at := map[string]int{}
	for _, l := range p.in.Order.Lines {
		i, seen := at[l.SKU]
		if !seen {
			i = len(want)
			at[l.SKU] = i
			w := routing.KitOrderLine{SKU: l.SKU}
			if k := p.kits[l.SKU]; k != nil {
				w.Parts = make([]routing.KitPart, 0, len(k.parts))
				for _, part := range k.parts {
					w.Parts = append(w.Parts, routing.KitPart{SKU: part.code, Quantity: part.per, Active: part.active})
				}
			}
			want = append(want, w)
		}
		want[i].Quantity += l.Quantity
	}
	for i := range p.in.Candidates {
		routing.AllotKitStock(want, p.in.Candidates[i].Stock)
	}
}

// countHeldKits counts as available, at each location, the parts the order's
// own pending kit lines hold there (held is by location and SKU code, as for
// countHeldAsAvailable), and derives the kits' stock again.
func (p *routePlan) countHeldKits(held map[string]map[string]int64) {
	if len(p.kits) == 0 {
		return
	}
	for i := range p.in.Candidates {
		c := &p.in.Candidates[i]
		for code, n := range held[c.Code] {
			k := p.kits[code]
			if k == nil {
				continue
			}
			for _, part := range k.parts {
				s := c.Stock[part.code]
				s.Reserved = max(s.Reserved-n*part.per, 0)
				c.Stock[part.code] = s
			}
		}
	}
	p.deriveKitStock()
}

// explainKits adds to the decision's explanation what each kit shipment
// takes: "Gift set: 2 × Mug and 1 × Tray from Lyon."
func (p *routePlan) explainKits() {
	if len(p.kits) == 0 {
		return
	}
	var says []string
	for _, s := range p.d.Shipments {
		for _, a := range s.Lines {
			if k := p.kits[a.SKU]; k != nil && a.Quantity > 0 && a.Parts == nil {
				says = append(says, kitWords(k, a.Quantity)+" from "+s.LocationName+".")
			}
		}
	}
	says = append(says, p.explainSplitKits()...)
	if len(says) > 0 {
		p.d.Explanation = strings.TrimSpace(p.d.Explanation + " " + strings.Join(says, " "))
	}
}

// kitWords says what qty kits take: "Gift set: 2 × Mug and 1 × Tray"
// (with "2 × Gift set" when more than one kit).
func kitWords(k *routeKit, qty int64) string {
	items := make([]string, len(k.parts))
	for i, part := range k.parts {
		items[i] = fmt.Sprintf("%d × %s", qty*part.per, part.name)
	}
	head := k.name
	if qty > 1 {
		head = fmt.Sprintf("%d × %s", qty, k.name)
	}
	return head + ": " + andList(items)
}

// kitPartsFor is the parts a kit line reserves when routed with p (nil for a plain SKU).
func (p *routePlan) kitPartsFor(sku string) []routeKitPart {
	if k := p.kits[sku]; k != nil {
		return k.parts
	}
	return nil
}

// lineParts is a kit line's parts as its fulfillment line shows them (as
// PartsOfFulfillments reads them back: by code); nil for a plain SKU. A
// part of a kit split over locations shows the parts it ships.
func (p *routePlan) lineParts(a routing.Allocation) []LinePart {
	parts := p.kitPartsFor(a.SKU)
	if a.Parts != nil {
		parts = p.splitPartsFor(a)
	}
	if parts == nil {
		return nil
	}
	out := make([]LinePart, len(parts))
	for i, part := range parts {
		out[i] = LinePart{SKU: part.code, Name: part.name, PerKit: part.per}
	}
	return out
}
