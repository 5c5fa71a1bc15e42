package inbound

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"switchyard/app"
	"switchyard/app/audit"
	store "switchyard/sql"
)

// NewInbound is a purchase order or a transfer as ops or the API asks for it.
type NewInbound struct {
	Kind       string      `json:"kind" form:"kind"`
	Supplier   string      `json:"supplier" form:"supplier"`       // purchases
	From       string      `json:"from" form:"from"`               // transfers: the origin's code
	To         string      `json:"to" form:"to"`                   // the destination's code
	ExpectedAt string      `json:"expected_at" form:"expected_at"` // 2026-12-20
	Draft      bool        `json:"draft" form:"draft"`             // purchases: not yet sent to the supplier
	Note       string      `json:"note" form:"note"`
	Lines      []LineInput `json:"lines" form:"-"`
	// Idempotency is set by the API for requests with an Idempotency-Key.
	Idempotency *app.IdempotencyIn `json:"-" form:"-"`
}

// LineInput is one SKU expected.
type LineInput struct {
	SKU        string `json:"sku"`
	Quantity   int64  `json:"quantity"`
	ExpectedAt string `json:"expected_at"` // empty: the inbound's date
}

// DateLayout is how expected dates are written.
const DateLayout = "2006-01-02"

// Create makes a purchase order or a transfer (ops managers, admins and API
// keys with inbound:write). A purchase starts sent (draft when asked); a
// transfer starts draft, its quantities reserved at the origin with the same
// conditional ledger rows as an order's reservations, and becomes sent when
// the origin ships it. Every refusal names its field and writes nothing.
// created is false when an Idempotency-Key replays a request already answered.
func (s *Service) Create(ctx context.Context, actor app.Actor, in NewInbound) (Inbound, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return Inbound{}, err
	}
	in.Kind, in.Supplier, in.From, in.To = strings.TrimSpace(in.Kind), strings.TrimSpace(in.Supplier),
		strings.TrimSpace(in.From), strings.TrimSpace(in.To)
	if err := checkNew(in).Err("the inbound is invalid: nothing was written"); err != nil {
		return Inbound{}, err
	}
	var number string
	err := s.core.Write(ctx, func(tx app.Tx) error {
		var err error
		number, err = CreateTx(ctx, tx, actor, in)
		return err
	})
	if err != nil {
		return Inbound{}, err
	}
	return s.Get(ctx, app.System, number)
}

// CreateTx makes the inbound inside tx (after checkNew) and answers its
// number. Another package may call it inside its own transaction (a reorder
// selection turned into a draft purchase order).
func CreateTx(ctx context.Context, tx app.Tx, actor app.Actor, in NewInbound) (string, error) {
	if err := checkNew(in).Err("the inbound is invalid: nothing was written"); err != nil {
		return "", err
	}
	f := app.FieldsError{}
	to := location(ctx, tx, f, "to", in.To)
	var from store.Location
	if in.Kind == KindTransfer {
		from = location(ctx, tx, f, "from", in.From)
	}
	skus := make([]store.Sku, len(in.Lines))
	for i, l := range in.Lines {
		sku, err := tx.Q.GetSKUByCode(ctx, strings.TrimSpace(l.SKU))
		if store.IsNoRows(err) {
			f.Add(fmt.Sprintf("lines[%d].sku", i), "unknown SKU "+app.Quote(l.SKU))
		} else if err != nil {
			return "", fmt.Errorf("get SKU: %w", err)
		} else if sku.IsKit == 1 {
			f.Add(fmt.Sprintf("lines[%d].sku", i), sku.Code+" is a kit, which holds no stock of its own: expect its components instead")
		}
		skus[i] = sku
	}
	if err := f.Err("the inbound is invalid: nothing was written"); err != nil {
		return "", err
	}
	status, sentAt, sentBy := StatusSent, app.NullInt(app.Millis(tx.Now)), actor.Label()
	if in.Draft || in.Kind == KindTransfer {
		status, sentAt, sentBy = StatusDraft, sql.NullInt64{}, ""
	}
	row, err := tx.Q.InsertInbound(ctx, store.InsertInboundParams{
		Kind: in.Kind, Status: string(status), Supplier: in.Supplier, FromLocationID: optID(from.ID), ToLocationID: to.ID,
		ExpectedOn: in.ExpectedAt, Note: in.Note, CreatedBy: actor.Label(), CreatedAt: app.Millis(tx.Now),
		SentAt: sentAt, SentBy: sentBy,
	})
	if err != nil {
		return "", fmt.Errorf("insert inbound: %w", err)
	}
	for i, l := range in.Lines {
		expected := cmp.Or(l.ExpectedAt, in.ExpectedAt)
		if err := tx.Q.InsertInboundLine(ctx, store.InsertInboundLineParams{InboundID: row.ID, LineNo: int64(i + 1),
			SkuID: skus[i].ID, Sku: skus[i].Code, Quantity: l.Quantity, ExpectedOn: expected}); err != nil {
			return "", fmt.Errorf("insert inbound line: %w", err)
		}
	}
	if in.Kind == KindTransfer {
		if err := reserveTransfer(ctx, tx, actor, row.Number, from, skus, in.Lines); err != nil {
			return "", err
		}
	}
	if err := audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.InboundCreated, ObjectKind: "inbound",
		ObjectRef: row.Number, Detail: createdDetail(in, status)}); err != nil {
		return "", err
	}
	if status == StatusSent {
		if err := announce(ctx, tx, row.ID); err != nil {
			return "", err
		}
		if err := incomingChanged(ctx, tx, row.ID, to.ID); err != nil { // pre-orders
			return "", err
		}
	}
	return row.Number, remember(ctx, tx, in.Idempotency, actionCreate, 201, row.ID)
}

// reserveTransfer reserves every line's quantity at the origin; a line the
// origin cannot cover is a field error (and the transaction writes nothing).
func reserveTransfer(ctx context.Context, tx app.Tx, actor app.Actor, number string, from store.Location, skus []store.Sku, lines []LineInput) error {
	f := app.FieldsError{}
	for i, l := range lines {
		key, err := app.ResolveLevel(ctx, tx, from.Code, skus[i].Code, "from", fmt.Sprintf("lines[%d].sku", i))
		if err != nil {
			return err
		}
		ok, err := app.ReserveTransfer(ctx, tx, key, l.Quantity, number, actor.Label())
		if err != nil {
			return err
		}
		if !ok {
			free, err := freeAt(ctx, tx, key)
			if err != nil {
				return err
			}
			f.Add(fmt.Sprintf("lines[%d].quantity", i), fmt.Sprintf("only %d of %s free at %s", free, skus[i].Code, from.Code))
		}
	}
	return f.Err("the origin lacks the stock: nothing was written")
}

// freeAt is the stock on hand and not reserved at a level.
func freeAt(ctx context.Context, tx app.Tx, key app.LevelKey) (int64, error) {
	lvl, err := tx.Q.GetStockLevel(ctx, store.GetStockLevelParams{SkuID: key.SKU, LocationID: key.Location})
	if err != nil {
		return 0, fmt.Errorf("read stock level: %w", err)
	}
	return max(0, lvl.OnHand-lvl.Reserved), nil
}

// location reads an active location by code, noting a field error when unknown.
func location(ctx context.Context, tx app.Tx, f app.FieldsError, field, code string) store.Location {
	loc, err := tx.Q.GetLocationByCode(ctx, code)
	if err != nil || loc.Active == 0 {
		f.Add(field, "unknown or inactive location "+app.Quote(code))
		return store.Location{}
	}
	return loc
}

// Check answers, as Create would, the problems of in that need no database
// (nil when none), so that a form can show them beside the lines it could
// not read.
func Check(in NewInbound) error {
	in.Kind, in.Supplier, in.From, in.To = strings.TrimSpace(in.Kind), strings.TrimSpace(in.Supplier),
		strings.TrimSpace(in.From), strings.TrimSpace(in.To)
	return checkNew(in).Err("the inbound is invalid: nothing was written")
}

// checkNew checks what needs no database: kind, parties, dates, lines.
func checkNew(in NewInbound) app.FieldsError {
	f := app.FieldsError{}
	switch in.Kind {
	case KindPurchase:
		if in.Supplier == "" {
			f.Add("supplier", "name the supplier")
		}
		if in.From != "" {
			f.Add("from", "a purchase comes from a supplier, not a location: leave it empty")
		}
	case KindTransfer:
		if in.From == "" {
			f.Add("from", "name the location the transfer comes from")
		} else if in.From == in.To {
			f.Add("from", "must differ from the destination")
		}
		if in.Draft {
			f.Add("draft", "a transfer is sent when its origin ships it")
		}
	default:
		f.Add("kind", "must be one of "+strings.Join(Kinds, ", "))
	}
	checkText(f, "supplier", in.Supplier, 200, false)
	checkText(f, "note", in.Note, 1000, true)
	if in.To == "" {
		f.Add("to", "name the location that receives it")
	}
	checkDate(f, "expected_at", in.ExpectedAt, true)
	checkLines(f, in.Lines)
	return f
}

// checkLines checks each line's SKU, quantity and date, and refuses a SKU twice.
func checkLines(f app.FieldsError, lines []LineInput) {
	if len(lines) == 0 {
		f.Add("lines", "add at least one line")
	} else if len(lines) > MaxLines {
		f.Add("lines", fmt.Sprintf("at most %d lines", MaxLines))
		return
	}
	var seen []string
	for i, l := range lines {
		p := fmt.Sprintf("lines[%d].", i)
		sku := strings.TrimSpace(l.SKU)
		switch {
		case sku == "":
			f.Add(p+"sku", "name the SKU")
		case slices.Contains(seen, sku):
			f.Add(p+"sku", "SKU "+sku+" is on another line already")
		default:
			checkText(f, p+"sku", sku, 100, false)
		}
		seen = append(seen, sku)
		if l.Quantity < 1 || l.Quantity > MaxQuantity {
			f.Add(p+"quantity", fmt.Sprintf("must be between 1 and %d", MaxQuantity))
		}
		checkDate(f, p+"expected_at", l.ExpectedAt, false)
	}
}

// checkDate checks a date written 2026-12-20 (empty allowed unless required).
func checkDate(f app.FieldsError, field, s string, required bool) {
	if s == "" {
		if required {
			f.Add(field, "give the date expected, as 2026-12-20")
		}
		return
	}
	d, err := time.Parse(DateLayout, s)
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		f.Add(field, "must be a date written as 2026-12-20")
	}
}

// checkText checks a text's length and characters.
func checkText(f app.FieldsError, field, s string, limit int, multiline bool) {
	if utf8.RuneCountInString(s) > limit {
		f.Add(field, fmt.Sprintf("must be at most %d characters", limit))
	} else if !app.IsText(s, multiline) {
		f.Add(field, app.NotTextProblem)
	}
}

// createdDetail says in words what was created, for the audit log.
func createdDetail(in NewInbound, status Status) string {
	var units int64
	for _, l := range in.Lines {
		units += l.Quantity
	}
	from := "supplier " + in.Supplier
	if in.Kind == KindTransfer {
		from = in.From
	}
	return fmt.Sprintf("%s of %d units in %d lines from %s to %s, expected %s (%s)", in.Kind, units, len(in.Lines), from, in.To,
		in.ExpectedAt, status.Label())
}

// optID stores 0 as NULL.
func optID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }
