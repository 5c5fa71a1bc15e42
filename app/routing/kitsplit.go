package routing

// Kits split over locations (issue 19). A kit routes as one SKU whose stock
// is derived from its parts (KitStock): whole kits ship from one location.
// When the deciding rule allows splitting and kit_components, and the order
// gives a kit line's parts (Line.Parts), the kit units the assignment left
// unsupplied may ship as parts from several locations: each part, for all
// those units, from one location, preferring the locations the order
// already ships from, then in ranked order, within max_shipments. Nothing
// changes when the rule does not allow it.

// kitSite is a location the parts of a split kit may come from.
type kitSite struct {
	c    *cand
	used bool // the order already ships from it
}

// splitKits supplies, as parts from several locations, the kit units the
// plan left over, when the rule allows it.
func (e *engine) splitKits(p *plan) {
	s := e.rule.Split
	if !s.Allow || !s.KitComponents || p.remUnits == 0 || len(e.ranked) == 0 {
		return
	}
	limit := max(s.MaxShipments, 1)
	for i := range e.o.lines {
		if p.rem[i] > 0 && len(e.o.lines[i].parts) > 0 {
			e.splitKitLine(p, i, limit)
		}
	}
}

// splitKitLine supplies as many of line i's missing kits as the parts'
// stock allows, each part from one location.
func (e *engine) splitKitLine(p *plan, i, limit int) {
	var sites []kitSite
	for _, c := range e.ranked {
		sp := shipAt(p, c)
		if sp != nil && sp.qty[i] > 0 {
			continue // it ships some of the line already: one line there
		}
		sites = append(sites, kitSite{c: c, used: sp != nil})
	}
	free := func(c *cand, sku string) int64 { return e.freeAt(p, c, sku) }
	n, picks := planKitSplit(e.o.lines[i].parts, p.rem[i], sites, limit-len(p.ships), free)
	if n == 0 {
		return
	}
	for _, pk := range picks {
		sp := shipAt(p, pk.c)
		if sp == nil {
			p.ships = append(p.ships, shipPlan{c: pk.c, qty: make([]int64, len(e.o.lines))})
			sp = &p.ships[len(p.ships)-1]
		}
		if sp.kitParts == nil {
			sp.kitParts = map[int][]KitPart{}
		}
		sp.qty[i], sp.units, sp.kitParts[i] = n, sp.units+n, pk.parts
	}
	p.rem[i] -= n
	p.remUnits -= n
}

// shipAt is the plan's shipment from c, or nil.
func shipAt(p *plan, c *cand) *shipPlan {
	for j := range p.ships {
		if p.ships[j].c == c {
			return &p.ships[j]
		}
	}
	return nil
}

// freeAt is what c has of sku under the rule's safety setting, less what
// the plan already ships of it there (a plain line's SKU, a kit's parts).
func (e *engine) freeAt(p *plan, c *cand, sku string) int64 {
	s, ok := c.src.Stock[sku]
	if !ok {
		return 0
	}
	left := s.Available(e.rule.Filters.RespectSafetyStock)
	sp := shipAt(p, c)
	if sp == nil {
		return left
	}
	for j, l := range e.o.lines {
		q := sp.qty[j]
		if q == 0 {
			continue
		}
		parts := l.parts
		if kp, ok := sp.kitParts[j]; ok {
			parts = kp
		}
		if len(parts) == 0 && l.sku == sku {
			left -= q
		}
		for _, part := range parts {
			if part.SKU == sku {
				left -= q * part.Quantity
			}
		}
	}
	return max(left, 0)
}

// kitPick is the parts of a split kit one location ships.
type kitPick struct {
	c     *cand
	parts []KitPart
}

// planKitSplit finds the most kits, up to want, whose parts the sites
// (best first) can supply, each part for all the kits from one site, using
// at most room sites the order does not ship from yet, and at least two
// sites in all (one would have shipped whole kits). It returns the kits and
// what each site ships, or 0 when none can be supplied.
func planKitSplit(parts []KitPart, want int64, sites []kitSite, room int, free func(c *cand, sku string) int64) (int64, []kitPick) {
	if want <= 0 || len(parts) < 2 || room < 0 {
		return 0, nil
	}
	for _, part := range parts {
		if !part.Active || part.Quantity <= 0 {
			return 0, nil
		}
	}
	lo, hi := int64(0), want
	var best []kitPick
	for lo < hi { // the most kits that can be split: feasibility falls as kits rise
		mid := lo + (hi-lo+1)/2
		if picks := pickKitSites(parts, mid, sites, room, free); picks != nil {
			lo, best = mid, picks
		} else {
			hi = mid - 1
		}
	}
	return lo, best
}

// pickKitSites places each part of n kits at one site: one the order
// already ships from or this split uses when it has enough, else the best
// other site with enough while room lasts; nil when a part finds none or
// all parts land at one site.
func pickKitSites(parts []KitPart, n int64, sites []kitSite, room int, free func(c *cand, sku string) int64) []kitPick {
	var picks []kitPick
	chosen := func(c *cand) int {
		for j := range picks {
			if picks[j].c == c {
				return j
			}
		}
		return -1
	}
	for _, part := range parts {
		need := n * part.Quantity
		at := -1
		for j, s := range sites { // a site already in use first
			if (s.used || chosen(s.c) >= 0) && free(s.c, part.SKU) >= need {
				at = j
				break
			}
		}
		if at < 0 {
			for j, s := range sites {
				if !s.used && chosen(s.c) < 0 && room > 0 && free(s.c, part.SKU) >= need {
					at, room = j, room-1
					break
				}
			}
		}
		if at < 0 {
			return nil
		}
		k := chosen(sites[at].c)
		if k < 0 {
			picks = append(picks, kitPick{c: sites[at].c})
			k = len(picks) - 1
		}
		picks[k].parts = append(picks[k].parts, part)
	}
	if len(picks) < 2 {
		return nil
	}
	return picks
}
