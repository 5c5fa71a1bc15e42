package app

import (
	"context"
	"encoding/json"
	"fmt"

	store "switchyard/sql"
)

// What kits allow is kept in three tables (migrations/0038_kit_levels.sql):
// each kit's plain parts at any depth (kit_leaves), whether a component is
// inactive (kit_state), and what it allows at each location (kit_levels),
// which triggers on stock_levels keep as the parts' stock moves. refreshKits
// rewrites them for a kit and the kits holding it when what they are made of
// changes; kitATP reads them.

// refreshKits rewrites the kept leaves, state and levels of skuID (when it is
// or was a kit) and of every kit holding it, at any depth: its components, or
// whether it is active, changed.
func refreshKits(ctx context.Context, tx Tx, skuID int64) error {
	above, err := tx.Q.KitsOfComponent(ctx, skuID)
	if err != nil {
		return fmt.Errorf("kits of SKU %d: %w", skuID, err)
	}
	ids := make([]int64, 0, len(above)+1)
	ids = append(ids, skuID)
	for _, k := range above {
		ids = append(ids, k.ID)
	}
	return rewriteKits(ctx, tx.Q, ids)
}

// rewriteKits computes from scratch the kept leaves, state and levels of the
// SKUs ids (a SKU that is no kit has none).
func rewriteKits(ctx context.Context, q *store.Queries, ids []int64) error {
	js, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("encode kit ids: %w", err)
	}
	kits := string(js)
	for _, del := range []struct {
		what string
		fn   func(context.Context, any) error
	}{{"levels", q.DeleteKitLevels}, {"leaves", q.DeleteKitLeaves}, {"state", q.DeleteKitState}} {
		if err := del.fn(ctx, kits); err != nil {
			return fmt.Errorf("clear the kept %s of kits: %w", del.what, err)
		}
	}
	tree, err := q.KitTrees(ctx, kits)
	if err != nil {
		return fmt.Errorf("read the parts of kits: %w", err)
	}
	leaves, state, err := flattenKits(tree)
	if err != nil {
		return err
	}
	if err := q.InsertKitLeaves(ctx, leaves); err != nil {
		return fmt.Errorf("keep the parts of kits: %w", err)
	}
	if err := q.InsertKitState(ctx, state); err != nil {
		return fmt.Errorf("keep whether kits are made: %w", err)
	}
	if err := q.InsertKitLevels(ctx, kits); err != nil {
		return fmt.Errorf("keep what kits allow: %w", err)
	}
	return nil
}

// flattenKits turns the kits' trees into kit_leaves rows [kit, part, per_kit]
// (a plain part's units summed over its paths) and kit_state rows [kit, dead]
// (dead: some SKU under it, a kit inside included, is inactive), as JSON.
func flattenKits(tree []store.KitTreesRow) (string, string, error) {
	type leaf struct{ kit, part int64 }
	perKit := map[leaf]int64{}
	var order []leaf
	dead := map[int64]int64{}
	var kits []int64
	for _, r := range tree {
		if _, ok := dead[r.KitID]; !ok {
			dead[r.KitID] = 0
			kits = append(kits, r.KitID)
		}
		if r.Active == 0 {
			dead[r.KitID] = 1
		}
		if r.IsKit == 1 {
			continue // a kit inside: its own parts are rows too
		}
		l := leaf{r.KitID, r.SkuID}
		if _, ok := perKit[l]; !ok {
			order = append(order, l)
		}
		perKit[l] += r.Qty
	}
	leaves := make([][3]int64, len(order))
	for i, l := range order {
		leaves[i] = [3]int64{l.kit, l.part, perKit[l]}
	}
	state := make([][2]int64, len(kits))
	for i, k := range kits {
		state[i] = [2]int64{k, dead[k]}
	}
	lj, err := json.Marshal(leaves)
	if err != nil {
		return "", "", fmt.Errorf("encode kit parts: %w", err)
	}
	sj, err := json.Marshal(state)
	if err != nil {
		return "", "", fmt.Errorf("encode kit states: %w", err)
	}
	return string(lj), string(sj), nil
}
