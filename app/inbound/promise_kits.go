package inbound

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	store "switchyard/sql"
)

// A backordered kit line waits for its parts: it is promised when the last
// of them is expected. Each plain part (at any depth, with the units one kit
// takes) is lined up as a plain line would be, behind the units of it
// backordered by older orders, on plain lines and in kits; a part no open
// inbound covers, or an inactive part, leaves the kit line without a promise.

// kitPart is one plain part of a kit and the units of it one kit takes.
type kitPart struct {
	skuID, perKit int64
}

// kitRecipe is a kit's plain parts; dead when a component is inactive.
type kitRecipe struct {
	parts []kitPart
	dead  bool
}

// kitRecipes reads the recipes of the kits among codes (plain SKUs are not
// in the map).
func kitRecipes(ctx context.Context, q *store.Queries, codes []string) (map[string]*kitRecipe, error) {
	out := map[string]*kitRecipe{}
	if len(codes) == 0 {
		return out, nil
	}
	js, err := json.Marshal(codes)
	if err != nil {
		return nil, fmt.Errorf("encode SKU codes: %w", err)
	}
	rows, err := q.KitLeavesOfCodes(ctx, string(js))
	if err != nil {
		return nil, fmt.Errorf("parts of kits: %w", err)
	}
	for _, r := range rows {
		k := out[r.Kit]
		if k == nil {
			k = &kitRecipe{}
			out[r.Kit] = k
		}
		k.dead = k.dead || r.Dead != 0
		k.parts = append(k.parts, kitPart{skuID: r.SkuID, perKit: r.PerKit})
	}
	return out, nil
}

// kitCovering finds, for a kit line of order o waiting for backordered
// kits, the inbound that brings the last of its parts: for each part, the
// open inbound covering what older orders' plain lines wait for of it plus
// what this line needs, the latest of them. It reports false when a part is
// not covered.
func kitCovering(ctx context.Context, q *store.Queries, o store.Order, k *kitRecipe, backordered int64) (coming, bool, error) {
	if k.dead || len(k.parts) == 0 {
		return coming{}, false, nil
	}
	var last coming
	for _, p := range k.parts {
		ahead, err := q.BackorderedAheadOfSKU(ctx, store.BackorderedAheadOfSKUParams{
			SkuID: sql.NullInt64{Int64: p.skuID, Valid: true}, PlacedAt: o.PlacedAt, OrderID: o.ID})
		if err != nil {
			return coming{}, false, fmt.Errorf("backorders ahead: %w", err)
		}
		incoming, err := q.OpenInboundOfSKU(ctx, store.OpenInboundOfSKUParams{ChannelID: o.ChannelID, SkuID: p.skuID})
		if err != nil {
			return coming{}, false, fmt.Errorf("inbound of SKU: %w", err)
		}
		c, ok := firstCovering(incoming, ahead+backordered*p.perKit)
		if !ok {
			return coming{}, false, nil
		}
		if last.Number == "" || c.ExpectedOn > last.ExpectedOn {
			last = c
		}
	}
	return last, true, nil
}

// kitPromiseWords is a kit line's promise in words: when, and which inbound
// brings the last of its parts.
func kitPromiseWords(kit string, c coming) string {
	return fmt.Sprintf("Expected around %s, when the last of the parts of %s arrives: %s", Day(c.ExpectedOn), kit, bringsWords(c))
}
