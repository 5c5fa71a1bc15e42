package reorder

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"switchyard/app"
	"switchyard/app/imports"
	store "switchyard/sql"
)

// Query selects a page of reorder lines. Zero values mean "any" (and page 1).
type Query struct {
	Location  string // location code
	OnlyOrder bool   // only the lines with a suggestion
	Page      int    // 1-based
	Limit     int    // PageSize when 0
}

// Line is one SKU at one location.
type Line struct {
	SKU, SKUName, Location string
	Available              int64
	Velocity               float64 // units a day over the window
	CoverDays              float64 // +Inf when nothing sold
	LeadTimeDays           int64
	TargetCoverDays        int64
	Min, Max               *int64
	Custom                 bool // a setting is stored; the defaults otherwise
	Suggested              int64
}

// Page is one page of lines, by days of cover, and whether more follow.
type Page struct {
	Lines      []Line
	WindowDays int
	More       bool
}

// List returns one page of reorder lines at the app's now: ops managers and admins only.
func (s *Service) List(ctx context.Context, actor app.Actor, q Query) (Page, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return Page{}, err
	}
	f, err := s.filter(ctx, q)
	if err != nil {
		return Page{}, err
	}
	rows, err := s.core.DB().ListReorder(ctx, f)
	if err != nil {
		return Page{}, err
	}
	p := Page{WindowDays: DefaultWindowDays, Lines: make([]Line, 0, len(rows))}
	for i, r := range rows {
		if int64(i) == f.Limit-1 {
			p.More = true
			break
		}
		p.Lines = append(p.Lines, lineOf(r))
	}
	return p, nil
}

// filter turns q into the store's filter at the app's now (one read of the clock).
func (s *Service) filter(ctx context.Context, q Query) (store.ReorderFilter, error) {
	f := store.ReorderFilter{OnlyOrder: q.OnlyOrder, WindowDays: DefaultWindowDays,
		LeadDefault: DefaultLeadDays, CoverDefault: DefaultCoverDays}
	f.Since = app.Millis(s.core.Now().Add(-DefaultWindowDays * 24 * time.Hour))
	if q.Location != "" {
		loc, err := s.core.Read().GetLocationByCode(ctx, q.Location)
		if store.IsNoRows(err) {
			return f, app.InvalidField("location", "no such location")
		} else if err != nil {
			return f, fmt.Errorf("get location %q: %w", q.Location, err)
		}
		f.LocationID = loc.ID
	}
	limit := q.Limit
	if limit <= 0 || limit > 1000 {
		limit = PageSize
	}
	page := max(q.Page, 1)
	f.Limit, f.Offset = int64(limit)+1, int64((page-1)*limit)
	return f, nil
}

// lineOf turns a stored row into a line.
func lineOf(r store.ReorderRow) Line {
	l := Line{SKU: r.SKUCode, SKUName: r.SKUName, Location: r.LocationCode, Available: r.Available,
		Velocity: float64(r.Units) / DefaultWindowDays, LeadTimeDays: r.LeadTimeDays, TargetCoverDays: r.CoverDays,
		Custom: r.Custom, Suggested: r.Suggested, CoverDays: math.Inf(1)}
	if r.Units > 0 {
		l.CoverDays = float64(max(r.Available, 0)) / l.Velocity
	}
	if r.MinQty.Valid {
		lo, hi := r.MinQty.Int64, r.MaxQty.Int64
		l.Min, l.Max = &lo, &hi
	}
	return l
}

// CoverText is the days of cover in words for a page or a file: "∞" when nothing sells.
func (l Line) CoverText() string {
	if math.IsInf(l.CoverDays, 1) {
		return "∞"
	}
	return strconv.FormatFloat(l.CoverDays, 'f', 1, 64)
}

// VelocityText is the units a day, to two decimals.
func (l Line) VelocityText() string { return strconv.FormatFloat(l.Velocity, 'f', 2, 64) }

// csvHeader is the first row of the export.
var csvHeader = []string{"sku", "name", "location", "available", "velocity_per_day", "days_of_cover",
	"lead_time_days", "cover_days", "min", "max", "suggested"}

// Export writes every line q selects as CSV, formulas neutralised, page by page.
func (s *Service) Export(ctx context.Context, actor app.Actor, q Query, w io.Writer) error {
	cw := imports.NewSafeCSVWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("write reorder CSV: %w", err)
	}
	q.Limit = 1000
	for q.Page = 1; ; q.Page++ {
		p, err := s.List(ctx, actor, q)
		if err != nil {
			return err
		}
		for _, l := range p.Lines {
			if err := cw.Write(l.record()); err != nil {
				return fmt.Errorf("write reorder CSV: %w", err)
			}
		}
		if !p.More {
			break
		}
	}
	return cw.Flush()
}

// record is the line as a CSV row.
func (l Line) record() []string {
	opt := func(v *int64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatInt(*v, 10)
	}
	return []string{l.SKU, l.SKUName, l.Location, strconv.FormatInt(l.Available, 10), l.VelocityText(), l.CoverText(),
		strconv.FormatInt(l.LeadTimeDays, 10), strconv.FormatInt(l.TargetCoverDays, 10), opt(l.Min), opt(l.Max),
		strconv.FormatInt(l.Suggested, 10)}
}
