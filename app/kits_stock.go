package app

import (
	"context"
	"encoding/json"
	"fmt"

	store "switchyard/sql"
)

// What a kit allows: a kit holds no stock of its own. At a location it allows
// the fewest kits its plain parts make (each part's available stock divided by
// the units one kit takes, rounded down; a location without a level of every
// part allows none), and nothing at all when a component, at any depth, is
// inactive. Its ATP on a channel is the sum over the locations that serve the
// channel, less the channel's buffer, as for a plain SKU (queries/kits.sql).

// KitStockProblem is the refusal of counting or adjusting the kit code.
func KitStockProblem(code string) string {
	return Quote(code) + " is a kit: it holds no stock of its own; count or adjust its components"
}

// KitLevel is what a kit allows at one location.
type KitLevel struct {
	LocationID   int64
	Location     string
	LocationName string
	Kind         string
	Country      string
	Active       bool
	Ships        bool
	Available    int64
	UpdatedAt    int64 // the latest change of a part's level, Unix ms
}

// kitLevels reads what each kit of kitIDs allows at the locations user has
// (0: every location), by kit id, each kit's locations by code.
func kitLevels(ctx context.Context, q *store.Queries, kitIDs []int64, user int64) (map[int64][]KitLevel, error) {
	out := map[int64][]KitLevel{}
	if len(kitIDs) == 0 {
		return out, nil
	}
	ids, err := json.Marshal(kitIDs)
	if err != nil {
		return nil, fmt.Errorf("encode kit ids: %w", err)
	}
	rows, err := q.KitLevels(ctx, store.KitLevelsParams{KitIds: string(ids), UserID: user})
	if err != nil {
		return nil, fmt.Errorf("levels of kits: %w", err)
	}
	for _, r := range rows {
		out[r.KitID] = append(out[r.KitID], KitLevel{
			LocationID: r.LocationID, Location: r.Location, LocationName: r.LocationName, Kind: r.Kind,
			Country: r.Country, Active: r.Active == 1, Ships: r.Ships == 1, Available: r.Available, UpdatedAt: r.UpdatedAt,
		})
	}
	return out, nil
}

// kitStockLevel is a kit's row in the stock listing: nothing on hand of its
// own, available what its components allow.
func kitStockLevel(code string, l KitLevel) StockLevel {
	lvl := newLevel(l.Location, code, 0, 0, 0, l.UpdatedAt)
	lvl.Available, lvl.Kit = l.Available, true
	return lvl
}

// markKitAvailability marks, for every connected active channel, the
// availability of the kits holding skuID (and of skuID itself when self): its
// components, or whether a component is active, changed.
func markKitAvailability(ctx context.Context, tx Tx, skuID int64, self bool) error {
	kits, err := tx.Q.KitsOfComponent(ctx, skuID)
	if err != nil {
		return fmt.Errorf("kits of SKU %d: %w", skuID, err)
	}
	ids := make([]int64, 0, len(kits)+1)
	if self {
		ids = append(ids, skuID)
	}
	for _, k := range kits {
		ids = append(ids, k.ID)
	}
	marked := int64(0)
	for _, id := range ids {
		n, err := tx.Q.MarkAvailabilityEverywhere(ctx, store.MarkAvailabilityEverywhereParams{
			SkuID: optID(id), Due: Millis(tx.Now.Add(AvailabilityDelay)), Now: Millis(tx.Now),
		})
		if err != nil {
			return fmt.Errorf("mark availability of SKU %d: %w", id, err)
		}
		marked += n
	}
	if marked > 0 {
		tx.KickOutbox()
	}
	return nil
}

// markKitsAtLocation marks the availability of the kits holding the level's
// SKU for the channels its location serves: a component's stock moved.
func markKitsAtLocation(ctx context.Context, tx Tx, key LevelKey) error {
	kits, err := tx.Q.KitsOfComponent(ctx, key.SKU)
	if err != nil {
		return fmt.Errorf("kits of SKU %d: %w", key.SKU, err)
	}
	for _, k := range kits {
		n, err := tx.Q.MarkAvailabilityPending(ctx, store.MarkAvailabilityPendingParams{
			SkuID: optID(k.ID), Due: Millis(tx.Now.Add(AvailabilityDelay)), Now: Millis(tx.Now), LocationID: key.Location,
		})
		if err != nil {
			return fmt.Errorf("mark availability of kit %s: %w", k.Code, err)
		}
		if n > 0 {
			tx.KickOutbox()
		}
	}
	return nil
}
