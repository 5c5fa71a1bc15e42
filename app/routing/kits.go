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
// respecting safety stock, after taking away used (units of each part
// already promised to other lines; nil: none).
func kitFree(parts []KitPart, stock map[string]Stock, used map[string]int64) (free, freeSafe int64) {
	if len(parts) == 0 {
		return 0, 0
	}
	free, freeSafe = -1, -1
	for _, p := range parts {
		s, ok := stock[p.SKU]
		if !p.Active || !ok || p.Quantity <= 0 {
			return 0, 0
		}
		n := max(s.Available(false)-used[p.SKU], 0) / p.Quantity
		ns := max(s.Available(true)-used[p.SKU], 0) / p.Quantity
		if free < 0 || n < free {
			free = n
		}
		if freeSafe < 0 || ns < freeSafe {
			freeSafe = ns
		}
	}
	return free, min(freeSafe, free)
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
// just have served it, never oversold.
func AllotKitStock(want []KitOrderLine, stock map[string]Stock) {
	used := map[string]int64{}
	for _, w := range want {
		if w.Parts == nil {
			used[w.SKU] += min(w.Quantity, stock[w.SKU].Available(false))
		}
	}
	for _, w := range want {
		if w.Parts == nil {
			continue
		}
		free, freeSafe := kitFree(w.Parts, stock, used)
		stock[w.SKU] = Stock{OnHand: free, Safety: free - freeSafe}
		take := min(w.Quantity, free)
		for _, p := range w.Parts {
			used[p.SKU] += take * p.Quantity
		}
	}
}
