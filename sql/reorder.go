package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
)

// ReorderFilter selects a page of reorder lines. Zero values mean "any".
type ReorderFilter struct {
	LocationID    int64
	SKUID         int64 // one SKU (0: every one)
	OnlyOrder     bool  // only the lines with a suggestion
	Since         int64 // the window's start in Unix ms: fulfillments created at or after it
	WindowDays    int64 // the window's length, for the velocity
	LeadDefault   int64 // lead time where no setting
	CoverDefault  int64 // cover where no setting
	Offset, Limit int64
}

// ReorderRow is one SKU at one location with what reorder needs. Units is
// what was ordered there in the window; Suggested is 0 when nothing is due.
type ReorderRow struct {
	SKUID, LocationID int64
	SKUCode, SKUName  string
	LocationCode      string
	Available         int64 // on hand − reserved (may be negative when short)
	Units             int64
	LeadTimeDays      int64
	CoverDays         int64
	MinQty, MaxQty    sql.NullInt64
	Suggested         int64
	Custom            bool // a setting is stored
}

// reorderSQL computes everything in one statement, integers only: velocity =
// units / window (a kit's line sells the parts it reserved, per_kit each), so "available < velocity × lead" is available × window <
// units × lead, and ceil(a / b) is (a + b − 1) / b. Lines sort by days of
// cover (available × window / units), those that sell nothing last. What is
// already on order there (inbound sent or partly received, less what was
// counted; a draft is not sent yet) counts with what is available, so a
// purchase order sent is not suggested again.
const reorderSQL = `
WITH sold AS MATERIALIZED (
    SELECT coalesce(p.sku_id, fl.sku_id) AS sku_id, f.location_id,
           sum((fl.quantity - fl.released) * coalesce(p.per_kit, 1)) AS units
    FROM fulfillments f
    JOIN fulfillment_lines fl ON fl.fulfillment_id = f.id
    JOIN orders o ON o.id = f.order_id
    LEFT JOIN fulfillment_line_parts p ON p.fulfillment_id = fl.fulfillment_id AND p.order_line_id = fl.order_line_id
    WHERE f.created_at >= ?1 AND f.status NOT IN ('rejected', 'cancelled') AND o.cancelled = 0
      AND f.location_id BETWEEN ?2 AND ?9 AND (?10 = 0 OR coalesce(p.sku_id, fl.sku_id) = ?10)
    GROUP BY 1, 2
), lines AS (
    SELECT sl.sku_id, sl.location_id, s.code AS sku_code, s.name AS sku_name, l.code AS location_code,
           sl.on_hand - sl.reserved AS available, coalesce(sold.units, 0) AS units,
           coalesce(rs.lead_time_days, ?3) AS lead, coalesce(rs.cover_days, ?4) AS cover,
           rs.min_qty, rs.max_qty, rs.sku_id IS NOT NULL AS custom,
           coalesce((SELECT sum(il.quantity - il.received - il.damaged)
                     FROM inbound_lines il JOIN inbound_orders i ON i.id = il.inbound_id
                     WHERE il.sku_id = sl.sku_id AND i.to_location_id = sl.location_id
                       AND i.status IN ('sent', 'partially_received')
                       AND il.quantity > il.received + il.damaged), 0) AS on_order
    FROM stock_levels sl
    JOIN skus s ON s.id = sl.sku_id AND s.active = 1
    JOIN locations l ON l.id = sl.location_id AND l.active = 1
    LEFT JOIN sold ON sold.sku_id = sl.sku_id AND sold.location_id = sl.location_id
    LEFT JOIN reorder_settings rs ON rs.sku_id = sl.sku_id AND rs.location_id = sl.location_id
    WHERE sl.location_id BETWEEN ?2 AND ?9 AND (?10 = 0 OR sl.sku_id = ?10)
), due AS (
    SELECT *, CASE
        WHEN min_qty IS NOT NULL THEN CASE WHEN available + on_order < min_qty THEN max_qty - available - on_order ELSE 0 END
        WHEN (available + on_order) * ?5 < units * lead THEN max((units * (lead + cover) + ?5 - 1) / ?5 - available - on_order, 0)
        ELSE 0 END AS suggested
    FROM lines
)
SELECT sku_id, location_id, sku_code, sku_name, location_code, available, units, lead, cover,
       min_qty, max_qty, suggested, custom
FROM due
WHERE (?6 = 0 OR suggested > 0)
ORDER BY units = 0, CASE WHEN units = 0 THEN 0 ELSE CAST(available AS REAL) / units END, sku_code, location_code
LIMIT ?7 OFFSET ?8`

// ListReorder returns one page of reorder lines, by days of cover.
// It is written by hand because sqlc cannot type the computed columns of
// the nested selects.
func (db *DB) ListReorder(ctx context.Context, f ReorderFilter) ([]ReorderRow, error) {
	only := 0
	if f.OnlyOrder {
		only = 1
	}
	// One location, or every one: a range, so that SQLite walks the
	// location's index when there is one.
	lo, hi := f.LocationID, f.LocationID
	if f.LocationID == 0 {
		lo, hi = math.MinInt64, math.MaxInt64
	}
	rows, err := db.reader.QueryContext(ctx, reorderSQL, f.Since, lo, f.LeadDefault, f.CoverDefault,
		f.WindowDays, only, f.Limit, f.Offset, hi, f.SKUID)
	if err != nil {
		return nil, fmt.Errorf("list reorder: %w", err)
	}
	defer rows.Close()
	var out []ReorderRow
	for rows.Next() {
		var r ReorderRow
		if err := rows.Scan(&r.SKUID, &r.LocationID, &r.SKUCode, &r.SKUName, &r.LocationCode, &r.Available, &r.Units,
			&r.LeadTimeDays, &r.CoverDays, &r.MinQty, &r.MaxQty, &r.Suggested, &r.Custom); err != nil {
			return nil, fmt.Errorf("list reorder: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
