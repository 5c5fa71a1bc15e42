package routing

// KitPart is one plain SKU a kit is made of and the units of it one kit takes.
type KitPart struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
	// Active is false for a part that is inactive (or was deleted): the kit
	// is then unavailable everywhere.
	Active bool `json:"active"`
}

// KitStock derives what a location has of a kit from its parts' stock: for
// either reading of safety stock, Available is the minimum over the parts of
// floor(Available(part) / quantity), and zero when the kit has no parts or a
// part is inactive or has no stock level there. The result has nothing
// reserved; its safety stock is what respecting the parts' safety stock takes
// away, so the engine, optimiser and cost model need no notion of kits.
func KitStock(parts []KitPart, stock map[string]Stock) Stock {
	free, freeSafe := kitFree(parts, stock, nil)
	return Stock{OnHand: free, Safety: free - freeSafe}
}

// kitFree returns how many whole kits the parts allow, ignoring and
// respecting safety stock, after taking away the units of each part already
// promised to other lines (used; nil: none).
func kitFree(parts []KitPart, stock map[string]Stock, used *partsUsed) (free, freeSafe int64) {
	if len(parts) == 0 {
		return 0, 0
	}
	free, freeSafe = -1, -1
	for _, p := range parts {
		s, ok := stock[p.SKU]
		if !p.Active || !ok || p.Quantity <= 0 {
			return 0, 0
		}
		u := used.of(p.SKU)
		n := max(s.Available(false)-u, 0) / p.Quantity
		ns := max(s.Available(true)-u, 0) / p.Quantity
		if free < 0 || n < free {
			free = n
		}
		if freeSafe < 0 || ns < freeSafe {
			freeSafe = ns
		}
	}
	return free, min(freeSafe, free)
}

// partsUsed counts units of SKUs promised to lines: a short list on the
// stack, as an order has few lines and a kit few parts (quicker than a map
// per candidate); SKUs beyond the list's room go to a map.
type partsUsed struct {
	k    int
	sku  [16]string
	n    [16]int64
	over map[string]int64
}

// of returns the units of sku promised so far; a nil list has none.
func (u *partsUsed) of(sku string) int64 {
	if u == nil {
		return 0
	}
	for i := range u.k {
		if u.sku[i] == sku {
			return u.n[i]
		}
	}
	return u.over[sku]
}

// add promises n more units of sku.
func (u *partsUsed) add(sku string, n int64) {
	for i := range u.k {
		if u.sku[i] == sku {
			u.n[i] += n
			return
		}
	}
	if u.k < len(u.sku) {
		u.sku[u.k], u.n[u.k] = sku, n
		u.k++
		return
	}
	if u.over == nil {
		u.over = map[string]int64{}
	}
	u.over[sku] += n
}

// KitOrderLine is what an order asks of one SKU, for AllotKitStock: the
// total quantity over its lines, and its parts when it is a kit.
type KitOrderLine struct {
	SKU      string
	Quantity int64
	Parts    []KitPart // nil: a plain SKU
}

// AllotKitStock sets, in a candidate's stock map, the derived stock of each
// kit the order asks for (see KitStock), so that no choice the engine can
// make at that candidate promises a part twice when lines share it (a kit
// and its component ordered together, or two kits with a component in
// common): the plain SKUs ordered keep their own stock and are counted as
// taken first, up to what they ask; then each kit, in the order given, sees
// what is left and counts as taken what it may use. The view is cautious: an
// order whose lines share a part may be backordered at a location that could
// just have served it, never oversold. It writes only the kits' entries, so
// it may run again on the same map.
func AllotKitStock(want []KitOrderLine, stock map[string]Stock) {
	var used partsUsed
	for _, w := range want {
		if w.Parts == nil {
			used.add(w.SKU, min(w.Quantity, stock[w.SKU].Available(false)))
		}
	}
	for _, w := range want {
		if w.Parts == nil {
			continue
		}
		free, freeSafe := kitFree(w.Parts, stock, &used)
		stock[w.SKU] = Stock{OnHand: free, Safety: free - freeSafe}
		take := min(w.Quantity, free)
		for _, p := range w.Parts {
			used.add(p.SKU, take*p.Quantity)
		}
	}
}
