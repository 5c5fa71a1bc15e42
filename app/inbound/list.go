package inbound

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchyard/app"
	"switchyard/app/imports"
	store "switchyard/sql"
)

// ListQuery is what the inbound list is asked for; empty fields select everything.
type ListQuery struct {
	Status   string
	Kind     string
	Location string // a location code: inbound to it or from it
	After    string // the cursor of the page to continue from
	Limit    int
}

// ListItem is one row of the inbound list.
type ListItem struct {
	Number     string    `json:"number"`
	Kind       string    `json:"kind"`
	Status     Status    `json:"status"`
	Supplier   string    `json:"supplier,omitempty"`
	From       string    `json:"from,omitempty"`
	To         string    `json:"to"`
	ExpectedAt string    `json:"expected_at"`
	Lines      int64     `json:"lines"`
	Units      int64     `json:"units"`   // expected
	Counted    int64     `json:"counted"` // received and damaged so far
	CreatedAt  time.Time `json:"created_at"`
}

// List is a page of inbound, newest first.
type List struct {
	Inbound []ListItem `json:"inbound"`
	Next    string     `json:"next,omitempty"` // the cursor of the next page, "" at the end
	Total   int64      `json:"total"`          // on every page
}

// List lists the inbound actor reaches (a lead: to or from their locations),
// filtered, newest first, a page at a time. Unknown filters answer Invalid
// naming the field.
func (s *Service) List(ctx context.Context, actor app.Actor, q ListQuery) (List, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleWarehouse, app.RoleSupport); err != nil {
		return List{}, err
	}
	p, err := listParams(actor, q)
	if err != nil {
		return List{}, err
	}
	if err := s.knownLocation(ctx, q.Location); err != nil {
		return List{}, err
	}
	rows, err := s.core.Read().ListInbound(ctx, p)
	if err != nil {
		return List{}, fmt.Errorf("list inbound: %w", err)
	}
	total, err := s.core.Read().CountInbound(ctx, store.CountInboundParams{Status: p.Status, Kind: p.Kind, Location: p.Location, UserID: p.UserID})
	if err != nil {
		return List{}, fmt.Errorf("count inbound: %w", err)
	}
	out := List{Inbound: make([]ListItem, 0, len(rows)), Total: total}
	limit := int(p.Lim) - 1
	for i, r := range rows {
		if i == limit {
			out.Next = strconv.FormatInt(rows[limit-1].ID, 10)
			break
		}
		out.Inbound = append(out.Inbound, ListItem{Number: r.Number, Kind: r.Kind, Status: Status(r.Status), Supplier: r.Supplier,
			From: r.FromCode, To: r.ToCode, ExpectedAt: r.ExpectedOn, Lines: r.LineCount, Units: r.Units, Counted: r.Counted,
			CreatedAt: app.FromMillis(r.CreatedAt)})
	}
	return out, nil
}

// listParams checks the filters and turns them into the query's.
func listParams(actor app.Actor, q ListQuery) (store.ListInboundParams, error) {
	f := app.FieldsError{}
	if q.Status != "" && !slices.Contains(Statuses, Status(q.Status)) {
		f.Add("status", "must be one of "+strings.Join(statusNames(), ", "))
	}
	if q.Kind != "" && !slices.Contains(Kinds, q.Kind) {
		f.Add("kind", "must be one of "+strings.Join(Kinds, ", "))
	}
	before := int64(math.MaxInt64)
	if q.After != "" {
		id, err := strconv.ParseInt(q.After, 10, 64)
		if err != nil || id < 1 {
			f.Add("after", "is not a cursor this list gave")
		}
		before = id
	}
	if err := f.Err("the filters are invalid"); err != nil {
		return store.ListInboundParams{}, err
	}
	p := store.ListInboundParams{Before: before, Status: q.Status, Kind: q.Kind, Location: q.Location,
		Lim: int64(app.ClampLimit(q.Limit)) + 1}
	if lead(actor) {
		p.UserID = actor.ID
	}
	return p, nil
}

// knownLocation refuses a location filter that names no location (422).
func (s *Service) knownLocation(ctx context.Context, code string) error {
	if code == "" {
		return nil
	}
	_, err := s.core.Read().GetLocationByCode(ctx, code)
	if store.IsNoRows(err) {
		return app.InvalidField("location", "unknown location "+app.Quote(code))
	} else if err != nil {
		return fmt.Errorf("get location %s: %w", code, err)
	}
	return nil
}

// statusNames lists the statuses as strings.
func statusNames() []string {
	names := make([]string, len(Statuses))
	for i, st := range Statuses {
		names[i] = string(st)
	}
	return names
}

// ExportHeader is the first row of the inbound CSV: one row per line.
var ExportHeader = []string{"number", "kind", "status", "supplier", "from", "to", "expected_at", "line", "sku",
	"quantity", "line_expected_at", "received", "damaged", "over", "short"}

// exportPage is how many rows the export reads at once.
const exportPage = 1000

// Export writes the lines of every inbound the filters select (the cursor
// and limit aside) as CSV, newest inbound first, each cell protected from
// spreadsheet formulas.
func (s *Service) Export(ctx context.Context, actor app.Actor, q ListQuery, w io.Writer) error {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleWarehouse, app.RoleSupport); err != nil {
		return err
	}
	q.After = ""
	p, err := listParams(actor, q)
	if err != nil {
		return err
	}
	if err := s.knownLocation(ctx, q.Location); err != nil {
		return err
	}
	cw := imports.NewSafeCSVWriter(w)
	if err := cw.Write(ExportHeader); err != nil {
		return err
	}
	params := store.ExportInboundLinesParams{Before: p.Before, Status: p.Status, Kind: p.Kind, Location: p.Location,
		UserID: p.UserID, Lim: exportPage}
	for {
		rows, err := s.core.Read().ExportInboundLines(ctx, params)
		if err != nil {
			return fmt.Errorf("export inbound: %w", err)
		}
		for _, r := range rows {
			if err := cw.Write(exportRecord(r)); err != nil {
				return err
			}
		}
		if len(rows) < exportPage {
			break
		}
		last := rows[len(rows)-1]
		params.Before, params.AfterLine = last.ID, last.LineNo
	}
	return cw.Flush()
}

// exportRecord is one line of the CSV.
func exportRecord(r store.ExportInboundLinesRow) []string {
	l := newLine(store.InboundLine{LineNo: r.LineNo, Sku: r.Sku, Quantity: r.Quantity, ExpectedOn: r.ExpectedOn,
		Received: r.Received, Damaged: r.Damaged}, Status(r.Status))
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	return []string{r.Number, r.Kind, r.Status, r.Supplier, r.FromCode, r.ToCode, r.InboundExpectedOn, n(l.Line), l.SKU,
		n(l.Quantity), l.ExpectedAt, n(l.Received), n(l.Damaged), n(l.Over), n(l.Short)}
}
