package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	store "switchyard/sql"
)

// kitPlan is one kit asked for: the units of each plain part one kit takes,
// and whether a component at some depth is inactive (then it makes none).
type kitPlan struct {
	parts map[int64]int64
	dead  bool
}

// kitATP is what channel ch may sell of the kits among codes, before the
// channel is checked active; plain SKUs are not in the map. Two statements:
// the kits' parts, then each part's free stock per location packed in one
// row, combined here (the fewest kits each location's parts make, summed).
func kitATP(ctx context.Context, q *store.Queries, ch store.Channel, codes []string) (map[string]int64, error) {
	kits, partIDs, err := kitPlans(ctx, q, codes)
	if err != nil || len(kits) == 0 {
		return map[string]int64{}, err
	}
	levels, err := partLevels(ctx, q, ch.ID, partIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(kits))
	for code, k := range kits {
		out[code] = max(0, kitsMade(k, levels)-ch.Buffer)
	}
	return out, nil
}

// kitPlans reads the parts of the kits among codes, and the distinct plain parts.
func kitPlans(ctx context.Context, q *store.Queries, codes []string) (map[string]*kitPlan, []int64, error) {
	js, err := json.Marshal(codes)
	if err != nil {
		return nil, nil, fmt.Errorf("encode SKU codes: %w", err)
	}
	rows, err := q.KitLeavesOfCodes(ctx, string(js))
	if err != nil {
		return nil, nil, fmt.Errorf("parts of kits: %w", err)
	}
	kits := map[string]*kitPlan{}
	seen := map[int64]bool{}
	var ids []int64
	for _, r := range rows {
		k := kits[r.Kit]
		if k == nil {
			k = &kitPlan{parts: map[int64]int64{}}
			kits[r.Kit] = k
		}
		k.dead = k.dead || r.Active == 0
		if r.IsKit == 1 {
			continue // a kit inside: its own parts are rows too
		}
		k.parts[r.SkuID] += r.Qty
		if !seen[r.SkuID] {
			seen[r.SkuID] = true
			ids = append(ids, r.SkuID)
		}
	}
	return kits, ids, nil
}

// partLevels reads each part's free stock at the locations serving channel,
// by SKU id then location id.
func partLevels(ctx context.Context, q *store.Queries, channel int64, ids []int64) (map[int64]map[int64]int64, error) {
	js, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("encode SKU ids: %w", err)
	}
	rows, err := q.PartLevelsPacked(ctx, store.PartLevelsPackedParams{ChannelID: channel, SkuIds: string(js)})
	if err != nil {
		return nil, fmt.Errorf("stock of kits' parts: %w", err)
	}
	out := make(map[int64]map[int64]int64, len(rows))
	for _, r := range rows {
		m := map[int64]int64{}
		for _, pair := range strings.Split(r.Levels, ",") {
			loc, avail, ok := strings.Cut(pair, ":")
			if !ok {
				continue
			}
			l, err1 := strconv.ParseInt(loc, 10, 64)
			n, err2 := strconv.ParseInt(avail, 10, 64)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("stock of SKU %d: bad pair %q", r.SkuID, pair)
			}
			m[l] = n
		}
		out[r.SkuID] = m
	}
	return out, nil
}

// kitsMade sums over the locations the fewest kits k's parts make there; a
// location without a level of every part makes none, a dead kit none at all.
func kitsMade(k *kitPlan, levels map[int64]map[int64]int64) int64 {
	if k.dead || len(k.parts) == 0 {
		return 0
	}
	var first int64
	for id := range k.parts {
		first = id
		break
	}
	total := int64(0)
	for loc := range levels[first] {
		made := int64(-1)
		for id, qty := range k.parts {
			avail, ok := levels[id][loc]
			if !ok {
				made = 0
				break
			}
			if n := avail / qty; made < 0 || n < made {
				made = n
			}
		}
		total += max(0, made)
	}
	return total
}
