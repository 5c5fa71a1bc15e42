package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ceilingRoute writes the rows routing adds to an order, as the server
// writes them when it routes an order to one location with everything in
// stock (app/route_apply.go): the decision with its input (of the size the
// server stores: the newest decision in the database is written again), the
// day's count, the fulfillment, and per line the reservation (the same
// conditional ledger insert, whose trigger moves the level), the
// fulfillment line and the line's reserved quantity; then the 'routed'
// timeline entry.
type ceilingRoute struct {
	decide, countDay, fulfill, reserve, fulfillLine, lineReserved, routedEvt *sql.Stmt

	input, decision, explanation string
	locationID                   int64 // the location every order ships from: the one with the most stock levels
}

// newCeilingRoute prepares routing's statements (as queries/routing.sql and
// queries/stock.sql) on conn.
func newCeilingRoute(ctx context.Context, conn *sql.Conn) (*ceilingRoute, error) {
	r := &ceilingRoute{input: "{}", decision: "{}"}
	err := conn.QueryRowContext(ctx, `SELECT input, decision, explanation FROM routing_decisions ORDER BY id DESC LIMIT 1`).
		Scan(&r.input, &r.decision, &r.explanation)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("a stored decision: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT location_id FROM stock_levels GROUP BY location_id ORDER BY count(*) DESC, location_id LIMIT 1`).
		Scan(&r.locationID); err != nil {
		return nil, fmt.Errorf("the location with the most stock: %w", err)
	}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&r.decide, `INSERT INTO routing_decisions (order_id, at, trigger, rule_version, rule_name, input, decision, explanation)
			VALUES (?, ?, 'intake', 0, '', ?, ?, ?)`},
		{&r.countDay, `INSERT INTO location_day_counts (location_id, day, n) VALUES (?, ?, 1)
			ON CONFLICT (location_id, day) DO UPDATE SET n = n + 1`},
		{&r.fulfill, `INSERT INTO fulfillments (order_id, location_id, decision_id, status, promised_ship_by, promised_delivery_by, created_at, updated_at)
			VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)`},
		{&r.reserve, `INSERT INTO stock_ledger (prev_id, sku_id, location_id, delta_on_hand, delta_reserved, reason, reference, actor, note, at)
			SELECT sl.last_ledger_id, sl.sku_id, sl.location_id, 0, ?1, 'reservation', ?2, 'Switchyard', '', ?3
			FROM stock_levels sl
			WHERE sl.sku_id = ?4 AND sl.location_id = ?5 AND sl.reserved + ?1 >= 0 AND sl.on_hand - sl.reserved - ?1 >= 0`},
		{&r.fulfillLine, `INSERT INTO fulfillment_lines (fulfillment_id, order_line_id, sku_id, quantity) VALUES (?, ?, ?, ?)`},
		{&r.lineReserved, `UPDATE order_lines SET reserved = reserved + ? WHERE id = ?`},
		{&r.routedEvt, `INSERT INTO order_events (order_id, at, actor_kind, actor_id, actor_name, kind, message, data, customer_visible)
			VALUES (?, ?, 'system', NULL, 'Switchyard', 'routed', ?, '{"decision":1,"rule":"","rule_version":0,"trigger":"intake"}', 0)`},
	} {
		var err error
		if *p.stmt, err = conn.PrepareContext(ctx, p.sql); err != nil {
			r.close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
	}
	return r, nil
}

// close releases the prepared statements.
func (r *ceilingRoute) close() {
	for _, s := range []*sql.Stmt{r.decide, r.countDay, r.fulfill, r.reserve, r.fulfillLine, r.lineReserved, r.routedEvt} {
		if s != nil {
			s.Close()
		}
	}
}

// ceilingLine is an order line as written, for routing it.
type ceilingLine struct {
	id, skuID, quantity int64
}

// write routes order id (number) to the ceiling's location.
func (r *ceilingRoute) write(ctx context.Context, id int64, number string, lines []ceilingLine, now int64) error {
	res, err := r.decide.ExecContext(ctx, id, now, r.input, r.decision, r.explanation)
	if err != nil {
		return fmt.Errorf("insert decision: %w", err)
	}
	decisionID, _ := res.LastInsertId()
	if _, err := r.countDay.ExecContext(ctx, r.locationID, "bench-day"); err != nil {
		return fmt.Errorf("count the day: %w", err)
	}
	promise := now + 24*3600*1000
	if res, err = r.fulfill.ExecContext(ctx, id, r.locationID, decisionID, promise, promise+3*24*3600*1000, now, now); err != nil {
		return fmt.Errorf("insert fulfillment: %w", err)
	}
	fulfillmentID, _ := res.LastInsertId()
	for _, l := range lines {
		if _, err := r.reserve.ExecContext(ctx, l.quantity, number, now, l.skuID, r.locationID); err != nil {
			return fmt.Errorf("reserve: %w", err)
		}
		if _, err := r.fulfillLine.ExecContext(ctx, fulfillmentID, l.id, l.skuID, l.quantity); err != nil {
			return fmt.Errorf("insert fulfillment line: %w", err)
		}
		if _, err := r.lineReserved.ExecContext(ctx, l.quantity, l.id); err != nil {
			return fmt.Errorf("reserve the line: %w", err)
		}
	}
	if _, err := r.routedEvt.ExecContext(ctx, id, now, r.explanation); err != nil {
		return fmt.Errorf("insert routed event: %w", err)
	}
	return nil
}
