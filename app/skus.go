package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	store "switchyard/sql"
)

// SKU is a sellable unit.
type SKU struct {
	ID          int64     `json:"-"`
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	Barcode     string    `json:"barcode"`
	WeightGrams int64     `json:"weight_grams"`
	Tags        []string  `json:"tags"`
	Active      bool      `json:"active"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Kit: the SKU has components and no stock of its own (app/kits.go).
	Kit        bool        `json:"kit"`
	Components []Component `json:"components"`
}

// SKUInput is the content of PUT /api/v1/skus/{code} and the SKU form.
type SKUInput struct {
	Name        string   `json:"name" form:"name" validate:"required,max=200"`
	Barcode     string   `json:"barcode" form:"barcode" validate:"max=64"`
	WeightGrams int64    `json:"weight_grams" form:"weight_grams" validate:"gte=0,lte=10000000"`
	Tags        []string `json:"tags" form:"tags"`
	Active      *bool    `json:"active" form:"-"`
	// Components makes the SKU a kit (nil: leave them as they are; empty: a
	// plain SKU again).
	Components *[]Component `json:"components" form:"-"`
}

// CheckSKU validates a SKU input.
func CheckSKU(in *SKUInput, code string) FieldsError {
	in.Name = strings.TrimSpace(in.Name)
	in.Barcode = strings.TrimSpace(in.Barcode)
	in.Tags = normTags(in.Tags)
	fields := CheckStruct(*in)
	if !ValidCode(code) {
		fields.Add("code", codeProblem)
	}
	if p := tagProblem(in.Tags); p != "" {
		fields.Add("tags", p)
	}
	return fields
}

// PutSKU creates or replaces the SKU code; it reports whether it was created.
func (a *App) PutSKU(ctx context.Context, actor Actor, code string, in SKUInput) (SKU, bool, error) {
	if err := actor.Require(RoleAdmin, RoleOps); err != nil {
		return SKU{}, false, err
	}
	if err := CheckSKU(&in, code).Err("SKU is invalid"); err != nil {
		return SKU{}, false, err
	}
	var created bool
	err := a.Write(ctx, func(tx Tx) error {
		var err error
		created, err = PutSKUInTx(ctx, tx, code, in)
		return err
	})
	if err != nil {
		return SKU{}, false, err
	}
	s, err := a.SKU(ctx, code)
	return s, created, err
}

// putSKU writes one validated SKU inside tx.
func PutSKUInTx(ctx context.Context, tx Tx, code string, in SKUInput) (bool, error) {
	active := in.Active == nil || *in.Active
	cur, err := tx.Q.GetSKUByCode(ctx, code)
	if store.IsNoRows(err) {
		id, err := tx.Q.CreateSKU(ctx, store.CreateSKUParams{
			Code: code, Name: in.Name, Barcode: in.Barcode, WeightGrams: in.WeightGrams,
			Tags: joinTags(in.Tags), Active: BoolInt(active), CreatedAt: Millis(tx.Now), UpdatedAt: Millis(tx.Now),
		})
		if err != nil {
			return false, fmt.Errorf("insert SKU %s: %w", code, err)
		}
		return true, putComponents(ctx, tx, id, false, in.Components)
	}
	if err != nil {
		return false, fmt.Errorf("get SKU: %w", err)
	}
	err = tx.Q.UpdateSKU(ctx, store.UpdateSKUParams{
		Name: in.Name, Barcode: in.Barcode, WeightGrams: in.WeightGrams, Tags: joinTags(in.Tags),
		Active: BoolInt(active), UpdatedAt: Millis(tx.Now), ID: cur.ID,
	})
	if err != nil {
		return false, fmt.Errorf("update SKU %s: %w", code, err)
	}
	if (cur.Active == 1) != active { // the kits holding it are sellable, or not, again
		if err := refreshKits(ctx, tx, cur.ID); err != nil {
			return false, err
		}
		if err := markKitAvailability(ctx, tx, cur.ID, false); err != nil {
			return false, err
		}
	}
	return false, putComponents(ctx, tx, cur.ID, cur.IsKit == 1, in.Components)
}

// putComponents writes the components given with a SKU (nil: left as they
// are) and, when it is or was a kit, marks what it allows for every channel.
func putComponents(ctx context.Context, tx Tx, id int64, wasKit bool, in *[]Component) error {
	if in == nil {
		return nil
	}
	if err := SetKitComponentsInTx(ctx, tx, id, *in); err != nil {
		return err
	}
	if !wasKit && len(*in) == 0 {
		return nil
	}
	return markKitAvailability(ctx, tx, id, true)
}

// SKU returns one SKU by code.
func (a *App) SKU(ctx context.Context, code string) (SKU, error) {
	row, err := a.Read().GetSKUByCode(ctx, code)
	if store.IsNoRows(err) {
		return SKU{}, NotFound("no SKU %q", code)
	}
	if err != nil {
		return SKU{}, fmt.Errorf("get SKU %s: %w", code, err)
	}
	s := skuFromRow(row)
	return s, addComponents(ctx, a.Read(), []*SKU{&s})
}

// addComponents reads the components of the kits among skus.
func addComponents(ctx context.Context, q *store.Queries, skus []*SKU) error {
	for _, s := range skus {
		if !s.Kit {
			continue
		}
		var err error
		if s.Components, err = KitComponents(ctx, q, s.ID); err != nil {
			return err
		}
	}
	return nil
}

// SKUPage is one page of SKUs and the cursor of the next, "" at the end.
type SKUPage struct {
	SKUs []SKU
	Next string
}

// SKUs lists SKUs by code after the cursor; q matches a code prefix or part of the name.
func (a *App) SKUs(ctx context.Context, q, after string, limit int) (SKUPage, error) {
	limit = ClampLimit(limit)
	rows, err := a.Read().ListSKUsAfter(ctx, store.ListSKUsAfterParams{
		After: after, Q: strings.TrimSpace(q), Lim: int64(limit + 1),
	})
	if err != nil {
		return SKUPage{}, fmt.Errorf("list SKUs: %w", err)
	}
	page := SKUPage{SKUs: make([]SKU, 0, len(rows))}
	for i, r := range rows {
		if i == limit {
			page.Next = page.SKUs[limit-1].Code
			break
		}
		page.SKUs = append(page.SKUs, skuFromRow(r))
	}
	kits := make([]*SKU, len(page.SKUs))
	for i := range page.SKUs {
		kits[i] = &page.SKUs[i]
	}
	return page, addComponents(ctx, a.Read(), kits)
}

// ClampLimit keeps page sizes between 1 and 500, 50 by default.
func ClampLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 500:
		return 500
	}
	return n
}

// skuFromRow maps a database row to a SKU.
func skuFromRow(r store.Sku) SKU {
	return SKU{
		ID: r.ID, Code: r.Code, Name: r.Name, Barcode: r.Barcode, WeightGrams: r.WeightGrams,
		Tags: SplitTags(r.Tags), Active: r.Active == 1, UpdatedAt: FromMillis(r.UpdatedAt),
		Kit: r.IsKit == 1, Components: []Component{},
	}
}

// ParseCursor reads a keyset page cursor "AT.ID" (a time in Unix ms and a
// row id, as the lists write them); ok is false when after is not one.
func ParseCursor(after string) (at, id int64, ok bool) {
	a, i, found := strings.Cut(after, ".")
	at, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(i, 10, 64)
	return at, id, found && err1 == nil && err2 == nil
}
