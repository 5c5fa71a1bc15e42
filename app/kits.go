package app

import (
	"context"
	"fmt"
	"strings"

	store "switchyard/sql"
)

// MaxKitComponents bounds how many direct components a kit may have.
const MaxKitComponents = 50

// Component is one direct component of a kit, as the API and forms give it.
type Component struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// KitPart is one plain SKU a kit is made of (through kits inside kits), with
// the units of it one kit takes.
type KitPart struct {
	SKUID    int64
	Code     string
	Name     string
	Active   bool
	Quantity int64
}

// KitParts returns the plain SKUs kitID is made of; none when it is not a kit.
func KitParts(ctx context.Context, q *store.Queries, kitID int64) ([]KitPart, error) {
	rows, err := q.KitParts(ctx, kitID)
	if err != nil {
		return nil, fmt.Errorf("read the parts of kit %d: %w", kitID, err)
	}
	parts := make([]KitPart, len(rows))
	for i, r := range rows {
		parts[i] = KitPart{SKUID: r.SkuID, Code: r.Code, Name: r.Name, Active: r.Active == 1, Quantity: r.Quantity}
	}
	return parts, nil
}

// KitComponents returns the direct components of kitID, in the order given.
func KitComponents(ctx context.Context, q *store.Queries, kitID int64) ([]Component, error) {
	rows, err := q.ListKitComponents(ctx, kitID)
	if err != nil {
		return nil, fmt.Errorf("read the components of kit %d: %w", kitID, err)
	}
	out := make([]Component, len(rows))
	for i, r := range rows {
		out[i] = Component{SKU: r.Code, Quantity: r.Quantity}
	}
	return out, nil
}

// SetKitComponentsInTx replaces the components of the SKU kitID inside tx: a
// non-empty list makes it a kit, an empty one a plain SKU again. It refuses,
// naming the field "components", unknown SKUs, quantities outside 1 to 1000,
// a SKU given twice, a kit that would contain itself (directly or through other
// kits) and a SKU that still holds or reserves stock of its own.
func SetKitComponentsInTx(ctx context.Context, tx Tx, kitID int64, in []Component) error {
	fields := FieldsError{}
	if len(in) > MaxKitComponents {
		fields.Add("components", fmt.Sprintf("a kit has at most %d components", MaxKitComponents))
		return fields.Err("components are invalid")
	}
	ids, err := componentIDs(ctx, tx, kitID, in, fields)
	if err != nil {
		return err
	}
	if len(in) > 0 && len(fields) == 0 {
		held, err := tx.Q.CountHeldLevels(ctx, kitID)
		if err != nil {
			return fmt.Errorf("count the stock of SKU %d: %w", kitID, err)
		}
		if held > 0 {
			fields.Add("components", fmt.Sprintf("this SKU holds or reserves stock at %s; a kit holds none of its own: count it to 0 there first", fmt.Sprintf("%d location%s", held, Plural(int(held)))))
		}
	}
	if err := fields.Err("components are invalid"); err != nil {
		return err
	}
	if err := tx.Q.DeleteKitComponents(ctx, kitID); err != nil {
		return fmt.Errorf("clear the components of SKU %d: %w", kitID, err)
	}
	for i, c := range in {
		err := tx.Q.InsertKitComponent(ctx, store.InsertKitComponentParams{
			KitSkuID: kitID, ComponentSkuID: ids[i], Quantity: c.Quantity, Position: int64(i),
		})
		if err != nil {
			return fmt.Errorf("add component %s: %w", c.SKU, err)
		}
	}
	err = tx.Q.SetSKUIsKit(ctx, store.SetSKUIsKitParams{IsKit: BoolInt(len(in) > 0), UpdatedAt: Millis(tx.Now), ID: kitID})
	if err != nil {
		return fmt.Errorf("mark SKU %d as a kit: %w", kitID, err)
	}
	return refreshKits(ctx, tx, kitID)
}

// componentIDs resolves and checks each component, adding problems to fields.
func componentIDs(ctx context.Context, tx Tx, kitID int64, in []Component, fields FieldsError) ([]int64, error) {
	ids := make([]int64, len(in))
	seen := map[string]bool{}
	for i, c := range in {
		name := fmt.Sprintf("components[%d]", i)
		code := strings.TrimSpace(c.SKU)
		if code == "" {
			fields.Add(name+".sku", "give the component's SKU code")
			continue
		}
		if c.Quantity < 1 || c.Quantity > 1000 {
			fields.Add(name+".quantity", "must be a whole number from 1 to 1000")
		}
		if seen[strings.ToLower(code)] {
			fields.Add(name+".sku", fmt.Sprintf("%s is given twice; give it once with the total quantity", Quote(Clip(code, 64, -1))))
			continue
		}
		seen[strings.ToLower(code)] = true
		sku, err := tx.Q.GetSKUByCode(ctx, code)
		if store.IsNoRows(err) {
			fields.Add(name+".sku", fmt.Sprintf("no SKU %s", Quote(Clip(code, 64, -1))))
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("get component %s: %w", code, err)
		}
		loops, err := tx.Q.KitReaches(ctx, store.KitReachesParams{FromSkuID: sku.ID, SkuID: kitID})
		if err != nil {
			return nil, fmt.Errorf("check kit %d for a cycle: %w", kitID, err)
		}
		if loops > 0 {
			fields.Add(name+".sku", fmt.Sprintf("%s contains this kit (directly or through other kits): a kit cannot contain itself", Quote(sku.Code)))
			continue
		}
		ids[i] = sku.ID
	}
	return ids, nil
}
