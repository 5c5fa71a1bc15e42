package returns

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"switchyard/app"
	"switchyard/app/automation"
	"switchyard/app/money"
	store "switchyard/sql"
)

// Receipt is what arrived at the dock for one return.
type Receipt struct {
	Lines []ReceiptLine `json:"lines"`
	Note  string        `json:"note" text:"lines"`
}

// ReceiptLine is units of one line with one disposition.
type ReceiptLine struct {
	Line        int64  `json:"line"` // the order line's id, as on the return
	Quantity    int64  `json:"quantity"`
	Disposition string `json:"disposition"`
}

// Receive counts what arrived of a return at its location (that location's
// warehouse users, ops and admins, and API keys). Restocked units go back on
// hand through the ledger; a unit is never counted twice, however the
// receipts race. When the whole return is counted, its resolution follows:
// the refund is asked for, store credit given, or the return closed.
func (s *Service) Receive(ctx context.Context, actor app.Actor, number string, in Receipt) (Return, error) {
	roles := []app.Role{app.RoleAdmin, app.RoleOps, app.RoleWarehouse}
	return s.change(ctx, actor, number, roles, func(tx app.Tx, o store.Order, r store.Return) error {
		loc, err := tx.Q.GetLocation(ctx, r.LocationID)
		if err != nil {
			return fmt.Errorf("return's location: %w", err)
		}
		if err := actor.KnowsLocation(ctx, tx, loc.Code); err != nil {
			return app.NotFound("no return %s at your locations", r.Number)
		}
		return ReceiveTx(ctx, tx, actor, o, r, loc, in)
	})
}

// ReceiveTx is Receive inside tx.
func ReceiveTx(ctx context.Context, tx app.Tx, actor app.Actor, o store.Order, r store.Return, loc store.Location, in Receipt) error {
	if err := checkReceivable(r); err != nil {
		return err
	}
	lines, err := tx.Q.ListReturnLines(ctx, r.ID)
	if err != nil {
		return fmt.Errorf("return lines: %w", err)
	}
	counts, err := checkReceipt(r, lines, in)
	if err != nil {
		return err
	}
	f := app.FieldsError{}
	var what []string
	for _, l := range lines {
		c, ok := counts[l.OrderLineID]
		if !ok {
			continue
		}
		done, err := countLine(ctx, tx, actor, r, loc, l, c, strings.TrimSpace(in.Note))
		if err != nil {
			return err
		}
		if !done {
			f.Add(fmt.Sprintf("lines[%d].quantity", c.first), fmt.Sprintf("only %d of line %d (%s) are left to count",
				l.Quantity-l.Restocked-l.Quarantined-l.Scrapped-l.Missing, l.LineNo, l.Sku))
			continue
		}
		what = append(what, c.words(l.Sku))
	}
	if err := f.Err("receipt is invalid: nothing was counted"); err != nil {
		return err
	}
	return afterReceipt(ctx, tx, actor, o, r, loc, what)
}

// checkReceivable refuses a receipt on a return that expects nothing.
func checkReceivable(r store.Return) error {
	switch Status(r.Status) {
	case StatusApproved, StatusPartiallyReceived:
		return nil
	case StatusRequested:
		return app.Conflict("return %s is not approved yet: approve it before receiving", r.Number)
	}
	return app.Conflict("return %s is %s: nothing more can be received", r.Number, Status(r.Status).Label())
}

// count is the units of one line in a receipt, by disposition.
type count struct {
	first                               int // the index of its first receipt line, for messages
	restock, quarantine, scrap, missing int64
}

// total is every unit counted.
func (c count) total() int64 { return c.restock + c.quarantine + c.scrap + c.missing }

// words says what was counted of a SKU: "2 × TEE restocked, 1 quarantined".
func (c count) words(sku string) string {
	var parts []string
	for _, p := range []struct {
		n    int64
		word string
	}{{c.restock, "restocked"}, {c.quarantine, "quarantined"}, {c.scrap, "scrapped"}, {c.missing, "missing"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.word))
		}
	}
	return sku + ": " + strings.Join(parts, ", ")
}

// checkReceipt checks a receipt's lines and sums them per order line.
func checkReceipt(r store.Return, lines []store.ListReturnLinesRow, in Receipt) (map[int64]count, error) {
	f := app.FieldsError{}
	for field, problem := range app.CheckStruct(in) {
		f.Add(field, problem)
	}
	if len(in.Lines) == 0 {
		f.Add("lines", "count at least one line")
	}
	if len(in.Lines) > 500 {
		f.Add("lines", "at most 500 lines")
	}
	if utf8.RuneCountInString(in.Note) > 500 {
		f.Add("note", "must be at most 500 characters")
	}
	counts := map[int64]count{}
	for i, l := range in.Lines {
		field := fmt.Sprintf("lines[%d].", i)
		if !slices.ContainsFunc(lines, func(rl store.ListReturnLinesRow) bool { return rl.OrderLineID == l.Line }) {
			f.Add(field+"line", fmt.Sprintf("%d is not a line of return %s", l.Line, r.Number))
		}
		if l.Quantity <= 0 || l.Quantity > 100000 {
			f.Add(field+"quantity", "must be between 1 and 100000")
		}
		if !slices.Contains(Dispositions, l.Disposition) {
			f.Add(field+"disposition", "must be one of "+strings.Join(Dispositions, ", "))
		}
		c, seen := counts[l.Line]
		if !seen {
			c.first = i
		}
		switch l.Disposition {
		case DispositionRestock:
			c.restock += l.Quantity
		case DispositionQuarantine:
			c.quarantine += l.Quantity
		case DispositionScrap:
			c.scrap += l.Quantity
		case DispositionMissing:
			c.missing += l.Quantity
		}
		counts[l.Line] = c
	}
	return counts, f.Err("receipt is invalid: nothing was counted")
}

// countLine counts one line once (false when fewer units are left than
// counted: the statement refuses it), writes the receipts, puts restocked
// units back on hand and takes the units off the order line's open returns.
func countLine(ctx context.Context, tx app.Tx, actor app.Actor, r store.Return, loc store.Location,
	l store.ListReturnLinesRow, c count, note string) (bool, error) {
	n, err := tx.Q.ReceiveReturnLine(ctx, store.ReceiveReturnLineParams{Restocked: c.restock, Quarantined: c.quarantine,
		Scrapped: c.scrap, Missing: c.missing, ID: l.ID})
	if err != nil {
		return false, fmt.Errorf("count return line: %w", err)
	}
	if n == 0 {
		return false, nil
	}
	for _, d := range []struct {
		disposition string
		n           int64
	}{{DispositionRestock, c.restock}, {DispositionQuarantine, c.quarantine}, {DispositionScrap, c.scrap}, {DispositionMissing, c.missing}} {
		if d.n == 0 {
			continue
		}
		if err := tx.Q.InsertReturnReceipt(ctx, store.InsertReturnReceiptParams{ReturnLineID: l.ID, Quantity: d.n,
			Disposition: d.disposition, Note: note, ActorName: actor.Label(), At: app.Millis(tx.Now)}); err != nil {
			return false, fmt.Errorf("insert receipt: %w", err)
		}
	}
	if c.restock > 0 {
		if !l.SkuID.Valid {
			return false, app.InvalidField(fmt.Sprintf("lines[%d].disposition", c.first),
				fmt.Sprintf("%s is not a known SKU: it cannot be restocked (quarantine it)", l.Sku))
		}
		key := app.LevelKey{SKU: l.SkuID.Int64, Location: loc.ID}
		if err := app.RestockReturnLine(ctx, tx, l.OrderLineID, key, c.restock, r.Number, actor.Label()); err != nil {
			return false, err
		}
	}
	back := c.total() - c.missing
	if err := tx.Q.CloseReturnUnits(ctx, store.CloseReturnUnitsParams{Quantity: c.total(), Back: back, ID: l.OrderLineID}); err != nil {
		return false, fmt.Errorf("close return units: %w", err)
	}
	return true, nil
}

// afterReceipt moves the return on, tells the timeline and the webhooks, and
// when everything is counted carries out the resolution.
func afterReceipt(ctx context.Context, tx app.Tx, actor app.Actor, o store.Order, r store.Return, loc store.Location, what []string) error {
	lines, err := tx.Q.ListReturnLines(ctx, r.ID)
	if err != nil {
		return fmt.Errorf("return lines: %w", err)
	}
	whole := true
	for _, l := range lines {
		if l.Restocked+l.Quarantined+l.Scrapped+l.Missing < l.Quantity {
			whole = false
		}
	}
	next := StatusPartiallyReceived
	if whole {
		next = StatusReceived
		r.ReceivedAt = app.NullInt(app.Millis(tx.Now))
	}
	if err := checkMove(r.Number, Status(r.Status), next); err != nil {
		return err
	}
	r.Status = string(next)
	if err := storeState(ctx, tx, r); err != nil {
		return err
	}
	msg := fmt.Sprintf("Return %s received in %s on %s: %s", r.Number, loc.Name, tx.Now.Format("2 Jan"), strings.Join(what, "; "))
	if !whole {
		msg += " (more to come)"
	}
	data := map[string]any{"return": r.Number}
	if whole {
		more, refunded, err := resolve(ctx, tx, actor, o, r)
		if err != nil {
			return err
		}
		if more != "" {
			msg += "; " + more
		}
		if refunded != "" {
			data["refund_amount"], data["refund_kind"] = refunded, r.Resolution
		}
	}
	if err := app.AppendEvent(ctx, tx, o.ID, actor, app.NewEvent{Kind: "return_received", Message: msg + ".", Customer: true,
		Data: data}); err != nil {
		return err
	}
	if err := app.RefreshStatus(ctx, tx, o.ID); err != nil {
		return err
	}
	if _, err := app.Automate(ctx, tx, o.ID, automation.OrderReturned); err != nil {
		return err
	}
	if err := webhook(ctx, tx, o, r, app.EventReturnReceived); err != nil {
		return err
	}
	return closeIfSettled(ctx, tx, r.ID)
}

// resolve carries out a fully received return's resolution: the refund of
// what is due (or store credit) unless refunds already cover it. It answers
// the words for the timeline.
func resolve(ctx context.Context, tx app.Tx, actor app.Actor, o store.Order, r store.Return) (words string, refunded string, err error) {
	if r.Resolution != ResolutionRefund && r.Resolution != ResolutionStoreCredit {
		return "", "", nil
	}
	o, err = tx.Q.GetOrder(ctx, o.ID) // refunded may have changed
	if err != nil {
		return "", "", fmt.Errorf("get order: %w", err)
	}
	due, err := dueOf(ctx, tx.Q, o, r)
	if err != nil {
		return "", "", err
	}
	if due.Amount <= 0 {
		return "nothing left to refund", "", nil
	}
	cur := currency(o.Currency)
	if shop, err := shopRefundedSince(ctx, tx.Q, o.ID, r.RequestedAt); err != nil {
		return "", "", err
	} else if shop > 0 {
		return fmt.Sprintf("no refund was sent: the shop refunded %s %s on this order since the return was requested, "+
			"so refund from the return's page only what is still owed (%s %s due)", cur.Code, money.Format(shop, cur),
			cur.Code, money.Format(due.Amount, cur)), "", nil
	}
	words, err = issue(ctx, tx, actor, o, r, due.Amount, due, false)
	return words, cur.Code + " " + money.Format(due.Amount, cur), err
}

// shopRefundedSince is what the shop refunded on the order by itself, tied to
// no return, since the instant since (a refund made by hand in WooCommerce,
// a Shopify refund naming no return): it may be this return's refund.
func shopRefundedSince(ctx context.Context, q *store.Queries, orderID, since int64) (int64, error) {
	refunds, err := q.ListOrderRefunds(ctx, orderID)
	if err != nil {
		return 0, fmt.Errorf("refunds: %w", err)
	}
	var sum int64
	for _, f := range refunds {
		if f.Source == SourceChannel && !f.ReturnID.Valid && f.Status != RefundFailed && f.CreatedAt >= since {
			sum += f.Amount
		}
	}
	return sum, nil
}
