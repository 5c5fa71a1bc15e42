package inbound

import (
	"context"
	"fmt"
	"time"

	"switchyard/app"
	store "switchyard/sql"
)

// Inbound is one purchase order or transfer as pages and the API show it.
type Inbound struct {
	Number     string     `json:"number"`
	Kind       string     `json:"kind"`
	Status     Status     `json:"status"`
	Supplier   string     `json:"supplier,omitempty"`
	From       string     `json:"from,omitempty"` // transfers: the origin's code
	FromName   string     `json:"-"`
	To         string     `json:"to"`
	ToName     string     `json:"-"`
	ExpectedAt string     `json:"expected_at"` // a date, 2026-12-20
	InTransit  bool       `json:"in_transit"`  // a transfer shipped and not fully received
	Note       string     `json:"note,omitempty"`
	Lines      []Line     `json:"lines"`
	Receipts   []Receipt  `json:"receipts"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	SentAt     *time.Time `json:"sent_at,omitempty"`
	ReceivedAt *time.Time `json:"received_at,omitempty"`
	ClosedAt   *time.Time `json:"closed_at,omitempty"`
	ClosedBy   string     `json:"closed_by,omitempty"`

	id     int64
	fromID int64
	toID   int64
}

// Line is one SKU expected, and what was counted of it.
type Line struct {
	Line       int64  `json:"line"`
	SKU        string `json:"sku"`
	Quantity   int64  `json:"quantity"`    // expected
	ExpectedAt string `json:"expected_at"` // a date
	Received   int64  `json:"received"`    // counted into sellable stock (over included)
	Damaged    int64  `json:"damaged"`     // arrived damaged: not in sellable stock
	Over       int64  `json:"over"`        // counted beyond the quantity expected
	Short      int64  `json:"short"`       // not arrived, once the inbound is closed
	Remaining  int64  `json:"remaining"`   // still expected while it is open
	Counted    int64  `json:"-"`           // received + damaged: what a receiver saw

	id    int64
	skuID int64
}

// Receipt is one count at the destination.
type Receipt struct {
	Line     int64     `json:"line"`
	SKU      string    `json:"sku"`
	Received int64     `json:"received"`
	Damaged  int64     `json:"damaged"`
	Over     int64     `json:"over"`
	Note     string    `json:"note,omitempty"`
	Actor    string    `json:"actor"`
	At       time.Time `json:"at"`
}

// Units is the quantity expected over every line.
func (in Inbound) Units() int64 {
	var n int64
	for _, l := range in.Lines {
		n += l.Quantity
	}
	return n
}

// Transfer reports whether the inbound comes from another location.
func (in Inbound) Transfer() bool { return in.Kind == KindTransfer }

// Source names where the goods come from, in words.
func (in Inbound) Source() string {
	if in.Transfer() {
		return in.FromName
	}
	return in.Supplier
}

// Get reads the inbound number, as far as actor reaches: a lead of other
// locations gets NotFound, as for an unknown number.
func (s *Service) Get(ctx context.Context, actor app.Actor, number string) (Inbound, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleWarehouse, app.RoleSupport); err != nil {
		return Inbound{}, err
	}
	var in Inbound
	err := s.core.DB().Snapshot(ctx, func(q *store.Queries) error {
		row, err := getRow(ctx, q, number)
		if err != nil {
			return err
		}
		if err := seeable(ctx, q, actor, row); err != nil {
			return err
		}
		in, err = load(ctx, q, row)
		return err
	})
	return in, err
}

// getRow reads the inbound number; NotFound when there is none.
func getRow(ctx context.Context, q *store.Queries, number string) (store.GetInboundByNumberRow, error) {
	row, err := q.GetInboundByNumber(ctx, number)
	if store.IsNoRows(err) {
		return row, app.NotFound("no inbound %s", number)
	} else if err != nil {
		return row, fmt.Errorf("get inbound %s: %w", number, err)
	}
	return row, nil
}

// load reads an inbound's lines and receipts.
func load(ctx context.Context, q *store.Queries, row store.GetInboundByNumberRow) (Inbound, error) {
	in := Inbound{
		Number: row.Number, Kind: row.Kind, Status: Status(row.Status), Supplier: row.Supplier,
		From: row.FromCode, FromName: row.FromName, To: row.ToCode, ToName: row.ToName, ExpectedAt: row.ExpectedOn,
		Note: row.Note, CreatedBy: row.CreatedBy, CreatedAt: app.FromMillis(row.CreatedAt),
		SentAt: optTime(row.SentAt.Int64, row.SentAt.Valid), ReceivedAt: optTime(row.ReceivedAt.Int64, row.ReceivedAt.Valid),
		ClosedAt: optTime(row.ClosedAt.Int64, row.ClosedAt.Valid), ClosedBy: row.ClosedBy,
		id: row.ID, fromID: row.FromLocationID.Int64, toID: row.ToLocationID,
	}
	lines, err := q.ListInboundLines(ctx, row.ID)
	if err != nil {
		return in, fmt.Errorf("inbound lines: %w", err)
	}
	in.Lines = make([]Line, 0, len(lines))
	for _, l := range lines {
		in.Lines = append(in.Lines, newLine(l, in.Status))
	}
	receipts, err := q.ListInboundReceipts(ctx, row.ID)
	if err != nil {
		return in, fmt.Errorf("inbound receipts: %w", err)
	}
	in.Receipts = make([]Receipt, 0, len(receipts))
	for _, r := range receipts {
		in.Receipts = append(in.Receipts, Receipt{Line: r.LineNo, SKU: r.Sku, Received: r.Received, Damaged: r.Damaged,
			Over: r.Over, Note: r.Note, Actor: r.ActorName, At: app.FromMillis(r.At)})
	}
	in.InTransit = in.Transfer() && (in.Status == StatusSent || in.Status == StatusPartiallyReceived)
	return in, nil
}

// newLine computes a line's derived figures.
func newLine(l store.InboundLine, status Status) Line {
	counted := l.Received + l.Damaged
	line := Line{Line: l.LineNo, SKU: l.Sku, Quantity: l.Quantity, ExpectedAt: l.ExpectedOn, Received: l.Received,
		Damaged: l.Damaged, Over: max(0, counted-l.Quantity), Counted: counted, id: l.ID, skuID: l.SkuID}
	missing := max(0, l.Quantity-counted)
	if status == StatusClosed {
		line.Short = missing
	} else if status.Open() {
		line.Remaining = missing
	}
	return line
}

// optTime is a stored instant, or nil.
func optTime(ms int64, ok bool) *time.Time {
	if !ok {
		return nil
	}
	t := app.FromMillis(ms)
	return &t
}
