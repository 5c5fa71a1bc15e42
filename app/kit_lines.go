package app

import (
	"context"
	"fmt"

	store "switchyard/sql"
)

// LinePart is one part of a kit line of a fulfillment, as it was reserved:
// a plain SKU and the units of it one kit takes (migrations/0035).
type LinePart struct {
	SKU    string
	Name   string
	PerKit int64
}

// Units is how many units of the part kits kits take.
func (p LinePart) Units(kits int64) int64 { return kits * p.PerKit }

// lineKey names a fulfillment line by its fulfillment and order line number.
type lineKey struct{ fulfillment, lineNo int64 }

// AttachLineParts reads the parts of the kit lines of the fulfillments
// given (by id) and sets them on their lines (Parts stays nil on a plain
// line). lines returns a fulfillment's lines to fill, by id.
func AttachLineParts(ctx context.Context, q *store.Queries, ids []int64, lines func(id int64) []FulfillmentLine) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := q.PartsOfFulfillments(ctx, ids)
	if err != nil {
		return fmt.Errorf("kit parts of fulfillments: %w", err)
	}
	setLineParts(partsByLine(rows), ids, lines)
	return nil
}

// partsByLine groups parts rows by fulfillment line.
func partsByLine(rows []store.PartsOfFulfillmentsRow) map[lineKey][]LinePart {
	out := map[lineKey][]LinePart{}
	for _, r := range rows {
		k := lineKey{r.FulfillmentID, r.LineNo}
		out[k] = append(out[k], LinePart{SKU: r.Code, Name: r.Name, PerKit: r.PerKit})
	}
	return out
}

// setLineParts sets the parts found on the lines of the fulfillments ids.
func setLineParts(parts map[lineKey][]LinePart, ids []int64, lines func(id int64) []FulfillmentLine) {
	if len(parts) == 0 {
		return
	}
	for _, id := range ids {
		ls := lines(id)
		for i := range ls {
			ls[i].Parts = parts[lineKey{id, ls[i].LineNo}]
		}
	}
}

// orderLineParts sets the parts of the kit lines of an order's fulfillments.
func orderLineParts(ctx context.Context, q *store.Queries, orderID int64, fs []Fulfillment) error {
	rows, err := q.PartsOfOrderFulfillments(ctx, orderID)
	if err != nil {
		return fmt.Errorf("kit parts of order %d: %w", orderID, err)
	}
	if len(rows) == 0 {
		return nil
	}
	conv := make([]store.PartsOfFulfillmentsRow, len(rows))
	for i, r := range rows {
		conv[i] = store.PartsOfFulfillmentsRow(r)
	}
	ids := make([]int64, len(fs))
	for i, f := range fs {
		ids[i] = f.ID
	}
	setLineParts(partsByLine(conv), ids, func(id int64) []FulfillmentLine {
		for i := range fs {
			if fs[i].ID == id {
				return fs[i].Lines
			}
		}
		return nil
	})
	return nil
}
