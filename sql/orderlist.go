package store

import (
	"context"
	"fmt"
	"strings"
)

// OrderFilter selects a page of the order list. Zero values mean "any".
type OrderFilter struct {
	Status    string
	ChannelID int64
	From, To  int64 // placed_at bounds in Unix ms: From <= placed_at < To
	OnHold    bool
	Tag       string
	Oldest    bool // oldest first; newest first otherwise
	// The keyset cursor: the placed_at and id of the last row seen (0, 0 at the start).
	AfterPlaced, AfterID int64
	Limit                int64
}

// OrderListRow is one row of the order list.
type OrderListRow struct {
	ID            int64
	Number        string
	ChannelID     int64
	ExternalID    string
	ChannelRef    string
	PlacedAt      int64
	Currency      string
	CustomerName  string
	CustomerEmail string
	ShipCountry   string
	Total         int64
	Status        string
	OnHold        int64
	HoldReason    string
	Test          int64
}

// ListOrders returns one page of orders by placed_at (then id), filtered.
// It is written by hand because its WHERE clause depends on the filters in use,
// so that SQLite can pick the index that matches them (sqlc cannot express that).
func (db *DB) ListOrders(ctx context.Context, f OrderFilter) ([]OrderListRow, error) {
	query, args := orderListSQL(f)
	rows, err := db.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	defer rows.Close()
	var out []OrderListRow
	for rows.Next() {
		var r OrderListRow
		if err := rows.Scan(&r.ID, &r.Number, &r.ChannelID, &r.ExternalID, &r.ChannelRef, &r.PlacedAt, &r.Currency,
			&r.CustomerName, &r.CustomerEmail, &r.ShipCountry, &r.Total, &r.Status, &r.OnHold, &r.HoldReason, &r.Test); err != nil {
			return nil, fmt.Errorf("list orders: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountOrders counts the orders a filter selects, whatever its cursor, no
// further than most+1 (more than most: the caller says "more than"). It walks
// the same index as the list.
func (db *DB) CountOrders(ctx context.Context, f OrderFilter, most int64) (int64, error) {
	f.AfterPlaced, f.AfterID, f.Limit = 0, 0, most+1
	query, args := orderListQuery(f, "1")
	if f.Tag != "" && f.Status == "" && f.ChannelID == 0 && !f.OnHold {
		// The tag's rows alone say it: no order need be read.
		query = strings.Replace(query, " JOIN orders o ON o.id = t.order_id", "", 1)
	}
	var n int64
	if err := db.reader.QueryRowContext(ctx, "SELECT count(*) FROM ("+query+")", args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count orders: %w", err)
	}
	return n, nil
}

// orderListSQL builds the query and its arguments for a filter.
func orderListSQL(f OrderFilter) (string, []any) {
	return orderListQuery(f, "o.id, o.number, o.channel_id, o.external_id, o.channel_ref, o.placed_at, o.currency, "+
		"o.customer_name, o.customer_email, o.ship_country, o.total, o.status, o.on_hold, o.hold_reason, o.test")
}

// orderListQuery builds the list's query selecting cols, and its arguments.
func orderListQuery(f OrderFilter, cols string) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, vals ...any) { where = append(where, cond); args = append(args, vals...) }
	from := "orders o"
	placed, id := "o.placed_at", "o.id"
	if f.Tag != "" {
		// Walk the tag's rows in order (its primary key), joining each order.
		from = "order_tags t JOIN orders o ON o.id = t.order_id"
		placed, id = "t.placed_at", "t.order_id"
		add("t.tag = ?", f.Tag)
	}
	if f.Status != "" {
		add("o.status = ?", f.Status)
	}
	if f.ChannelID != 0 {
		add("o.channel_id = ?", f.ChannelID)
	}
	if f.OnHold {
		add("o.on_hold = 1")
	}
	if f.From != 0 {
		add(placed+" >= ?", f.From)
	}
	if f.To != 0 {
		add(placed+" < ?", f.To)
	}
	dir, cmp := "DESC", "<"
	if f.Oldest {
		dir, cmp = "ASC", ">"
	}
	if f.AfterID != 0 {
		add(fmt.Sprintf("(%s, %s) %s (?, ?)", placed, id, cmp), f.AfterPlaced, f.AfterID)
	}
	q := "SELECT " + cols + " FROM " + from
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY %s %s, %s %s LIMIT ?", placed, dir, id, dir)
	return q, append(args, f.Limit)
}
