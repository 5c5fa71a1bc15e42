package inbound

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"switchyard/app"
	store "switchyard/sql"
)

// Receipt input: what a lead counted at the destination.
type ReceiveInput struct {
	Lines []ReceiveLine `json:"lines"`
	Note  string        `json:"note"`
	// Idempotency is set by the API for requests with an Idempotency-Key.
	Idempotency *app.IdempotencyIn `json:"-"`
}

// ReceiveLine is one SKU counted: good units and damaged ones. Seen, when
// given, is how many units of the line were already counted (received +
// damaged) when the receiver looked: if someone counted the line since, the
// receipt is refused (409) rather than counted twice. The pages always send
// it; API clients may.
type ReceiveLine struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
	Damaged  int64  `json:"damaged"`
	Seen     *int64 `json:"seen,omitempty"`
}

// Receive counts goods in at the inbound's destination (its leads, ops
// managers, admins and API keys). Good units go on hand through the ledger
// (reason receipt for a purchase, transfer_in for a transfer) and route the
// orders waiting for them by the restock path; damaged units are recorded and
// stay out of sellable stock. More than expected is taken and recorded as
// over. The inbound becomes partly received, or received once every line is
// counted in full. Every refusal names its field and writes nothing.
func (s *Service) Receive(ctx context.Context, actor app.Actor, number string, in ReceiveInput) (Inbound, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleWarehouse); err != nil {
		return Inbound{}, err
	}
	if err := checkReceive(in).Err("the receipt is invalid: nothing was counted"); err != nil {
		return Inbound{}, err
	}
	err := s.core.Write(ctx, func(tx app.Tx) error {
		row, err := inReach(ctx, tx, actor, number)
		if err != nil {
			return err
		}
		if err := mayAt(ctx, tx.Q, actor, row.ToLocationID, row.ToCode+" receive this inbound"); err != nil {
			return err
		}
		if err := receiveTx(ctx, tx, actor, row, in); err != nil {
			return err
		}
		return remember(ctx, tx, in.Idempotency, actionReceive, 200, row.ID)
	})
	if err != nil {
		return Inbound{}, err
	}
	return s.Get(ctx, app.System, number)
}

// receiveTx counts the lines of in on the inbound row inside tx.
func receiveTx(ctx context.Context, tx app.Tx, actor app.Actor, row store.GetInboundByNumberRow, in ReceiveInput) error {
	status := Status(row.Status)
	if !status.Receivable() {
		if row.Kind == KindTransfer && status == StatusDraft {
			return app.Conflict("transfer %s has not shipped from %s yet", row.Number, row.FromCode)
		}
		return app.Conflict("inbound %s is %s: nothing can be received on it", row.Number, status.Label())
	}
	lines, err := tx.Q.ListInboundLines(ctx, row.ID)
	if err != nil {
		return fmt.Errorf("inbound lines: %w", err)
	}
	f := app.FieldsError{}
	for i, rl := range in.Lines {
		idx := slices.IndexFunc(lines, func(l store.InboundLine) bool { return l.Sku == strings.TrimSpace(rl.SKU) })
		if idx < 0 {
			f.Add(fmt.Sprintf("lines[%d].sku", i), fmt.Sprintf("%s is not on %s", app.Quote(rl.SKU), row.Number))
			continue
		}
		if err := countLine(ctx, tx, actor, row, lines[idx], rl, in.Note); err != nil {
			if app.MergeFields(f, prefixed(err, fmt.Sprintf("lines[%d].", i))) {
				continue
			}
			return err
		}
	}
	if err := f.Err("the receipt is invalid: nothing was counted"); err != nil {
		return err
	}
	after, err := tx.Q.ListInboundLines(ctx, row.ID)
	if err != nil {
		return fmt.Errorf("inbound lines: %w", err)
	}
	next := StatusReceived
	for _, l := range after {
		if l.Received+l.Damaged < l.Quantity {
			next = StatusPartiallyReceived
		}
	}
	if err := move(ctx, tx, actor, row, next); err != nil {
		return err
	}
	return tx.Q.SetInboundReceived(ctx, store.SetInboundReceivedParams{ReceivedAt: app.NullInt(app.Millis(tx.Now)),
		UpdatedAt: app.Millis(tx.Now), ID: row.ID})
}

// countLine adds one count to a line, only if nobody counted it since the
// receiver looked (Seen) and since this transaction read it (the conditional
// update), records the receipt, and puts the good units on hand.
func countLine(ctx context.Context, tx app.Tx, actor app.Actor, row store.GetInboundByNumberRow, l store.InboundLine,
	rl ReceiveLine, note string) error {
	counted := l.Received + l.Damaged
	if rl.Seen != nil && *rl.Seen != counted {
		return app.Conflict("line %d (%s) of %s was counted meanwhile: %d counted now, %d when you looked; reload and count again",
			l.LineNo, l.Sku, row.Number, counted, *rl.Seen)
	}
	n, err := tx.Q.CountInboundLine(ctx, store.CountInboundLineParams{Received: rl.Quantity, Damaged: rl.Damaged, ID: l.ID,
		SeenReceived: l.Received, SeenDamaged: l.Damaged})
	if err != nil {
		return fmt.Errorf("count inbound line: %w", err)
	}
	if n == 0 {
		return app.Conflict("line %d (%s) of %s was counted meanwhile: reload and count again", l.LineNo, l.Sku, row.Number)
	}
	over := max(0, counted+rl.Quantity+rl.Damaged-l.Quantity) - max(0, counted-l.Quantity)
	if err := tx.Q.InsertInboundReceipt(ctx, store.InsertInboundReceiptParams{InboundID: row.ID, LineID: l.ID,
		Received: rl.Quantity, Damaged: rl.Damaged, Over: over, Note: note, ActorName: actor.Label(), At: app.Millis(tx.Now)}); err != nil {
		return fmt.Errorf("record receipt: %w", err)
	}
	if rl.Quantity == 0 {
		return nil
	}
	reason := app.ReasonReceipt
	if row.Kind == KindTransfer {
		reason = app.ReasonTransferIn
	}
	key := app.LevelKey{SKU: l.SkuID, Location: row.ToLocationID}
	return app.ReceiveInbound(ctx, tx, key, rl.Quantity, reason, row.Number, actor.Label())
}

// CheckReceive answers, as Receive would, the problems of in that need no
// database (nil when none).
func CheckReceive(in ReceiveInput) error {
	return checkReceive(in).Err("the receipt is invalid: nothing was counted")
}

// checkReceive checks the counts: at least one line, each SKU once, counts
// not negative and not all zero.
func checkReceive(in ReceiveInput) app.FieldsError {
	f := app.FieldsError{}
	checkText(f, "note", in.Note, 1000, true)
	if len(in.Lines) == 0 {
		f.Add("lines", "count at least one line")
	} else if len(in.Lines) > MaxLines {
		f.Add("lines", fmt.Sprintf("at most %d lines", MaxLines))
		return f
	}
	var seen []string
	for i, l := range in.Lines {
		p := fmt.Sprintf("lines[%d].", i)
		sku := strings.TrimSpace(l.SKU)
		if sku == "" {
			f.Add(p+"sku", "name the SKU")
		} else if slices.Contains(seen, sku) {
			f.Add(p+"sku", "SKU "+sku+" is on another line already")
		}
		seen = append(seen, sku)
		switch {
		case l.Quantity < 0 || l.Quantity > MaxQuantity:
			f.Add(p+"quantity", fmt.Sprintf("must be between 0 and %d", MaxQuantity))
		case l.Damaged < 0 || l.Damaged > MaxQuantity:
			f.Add(p+"damaged", fmt.Sprintf("must be between 0 and %d", MaxQuantity))
		case l.Quantity+l.Damaged == 0:
			f.Add(p+"quantity", "count at least one unit, good or damaged")
		}
		if l.Seen != nil && *l.Seen < 0 {
			f.Add(p+"seen", "must be 0 or more")
		}
	}
	return f
}

// prefixed puts prefix in front of the field names of an Invalid error.
func prefixed(err error, prefix string) error {
	ae, ok := app.AsError(err)
	if !ok || ae.Kind != app.KindInvalid {
		return err
	}
	fields := make(map[string]string, len(ae.Fields))
	for k, v := range ae.Fields {
		fields[prefix+k] = v
	}
	return app.Invalid(ae.Message, fields)
}
