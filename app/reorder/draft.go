package reorder

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"switchyard/app"
	"switchyard/app/inbound"
	store "switchyard/sql"
)

// MaxSelected is how many suggestions one draft request may turn into lines.
const MaxSelected = inbound.MaxLines

// DraftForm is what the reorder page posts to turn a selection of
// suggestions into draft purchase orders: the supplier, and the selected
// lines, each written "SKU@LOCATION" (a checkbox's value).
type DraftForm struct {
	Supplier string   `form:"supplier"`
	Lines    []string `form:"line"`
}

// Drafted is one draft purchase order made from the selection.
type Drafted struct {
	Number     string
	Supplier   string
	Location   string
	ExpectedAt string // 2026-12-20
	Lines      int
	Units      int64
}

// pick is one selected suggestion, read again when the draft is made.
type pick struct {
	sku, location string
	line          Line
}

// DraftPurchaseOrders turns the selected suggestions into draft purchase
// orders (ops managers and admins): one per supplier and destination
// location, each line the suggested quantity, expected after the line's lead
// time. The suggestions are read again first: nothing selected, a line
// written wrong, twice, unknown, inactive, or with nothing to order any more
// is refused naming it, and nothing is written. Each draft is in the audit log.
func (s *Service) DraftPurchaseOrders(ctx context.Context, actor app.Actor, f DraftForm) ([]Drafted, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return nil, err
	}
	f.Supplier = strings.TrimSpace(f.Supplier)
	picks, err := s.picks(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []Drafted
	err = s.core.Write(ctx, func(tx app.Tx) error {
		out = out[:0]
		for _, in := range drafts(tx.Now, f.Supplier, actor, picks) {
			number, err := inbound.CreateTx(ctx, tx, actor, in)
			if err != nil {
				return draftProblem(err)
			}
			out = append(out, draftedOf(number, in))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// picks checks the form and reads each selected suggestion again.
func (s *Service) picks(ctx context.Context, f DraftForm) ([]pick, error) {
	fields := app.FieldsError{}
	if f.Supplier == "" {
		fields.Add("supplier", "Supplier: name who the purchase order goes to")
	} else if len([]rune(f.Supplier)) > 200 || !app.IsText(f.Supplier, false) {
		fields.Add("supplier", "Supplier: at most 200 characters of plain text")
	}
	switch {
	case len(f.Lines) == 0:
		fields.Add("line", "Select at least one suggestion")
	case len(f.Lines) > MaxSelected:
		fields.Add("line", fmt.Sprintf("Select at most %d suggestions at once", MaxSelected))
	}
	if err := fields.Err("nothing was drafted"); err != nil {
		return nil, err
	}
	var picks []pick
	var seen []string
	for _, v := range f.Lines {
		sku, loc, ok := strings.Cut(strings.TrimSpace(v), "@")
		switch {
		case !ok || !app.ValidCode(sku) || !app.ValidCode(loc):
			fields.Add("line", "A selected line is not a suggestion: "+app.Quote(v))
			continue
		case slices.Contains(seen, v):
			fields.Add("line", fmt.Sprintf("%s at %s is selected twice", sku, loc))
			continue
		}
		seen = append(seen, v)
		l, problem, err := s.suggestion(ctx, sku, loc)
		if err != nil {
			return nil, err
		}
		if problem != "" {
			fields.Add("line", problem)
			continue
		}
		picks = append(picks, pick{sku: sku, location: loc, line: l})
	}
	return picks, fields.Err("nothing was drafted")
}

// suggestion reads the suggestion of sku at loc now; problem says in words
// why it cannot be ordered (it no longer exists, or suggests nothing).
func (s *Service) suggestion(ctx context.Context, sku, loc string) (Line, string, error) {
	gone := fmt.Sprintf("%s at %s is no longer a suggestion: reload the page", sku, loc)
	l, err := s.core.Read().GetLocationByCode(ctx, loc)
	if store.IsNoRows(err) || (err == nil && l.Active == 0) {
		return Line{}, gone, nil
	} else if err != nil {
		return Line{}, "", fmt.Errorf("get location %q: %w", loc, err)
	}
	k, err := s.core.Read().GetSKUByCode(ctx, sku)
	if store.IsNoRows(err) || (err == nil && k.Active == 0) {
		return Line{}, gone, nil
	} else if err != nil {
		return Line{}, "", fmt.Errorf("get SKU %q: %w", sku, err)
	}
	f, err := s.filter(ctx, Query{Limit: 1})
	if err != nil {
		return Line{}, "", err
	}
	f.LocationID, f.SKUID = l.ID, k.ID
	rows, err := s.core.DB().ListReorder(ctx, f)
	if err != nil {
		return Line{}, "", err
	}
	if len(rows) == 0 {
		return Line{}, gone, nil
	}
	line := lineOf(rows[0])
	if line.Suggested <= 0 {
		return Line{}, fmt.Sprintf("%s at %s has nothing to order any more: reload the page", sku, loc), nil
	}
	if line.Suggested > inbound.MaxQuantity {
		return Line{}, fmt.Sprintf("%s at %s suggests %d units, more than one purchase order line may hold (%d): lower its cover target or maximum, or order it in parts",
			sku, loc, line.Suggested, inbound.MaxQuantity), nil
	}
	return line, "", nil
}

// drafts groups the picks by destination (one supplier for the selection)
// into purchase orders, in the order the locations were first selected.
func drafts(now time.Time, supplier string, actor app.Actor, picks []pick) []inbound.NewInbound {
	var out []inbound.NewInbound
	at := map[string]int{}
	for _, p := range picks {
		i, ok := at[p.location]
		if !ok {
			i = len(out)
			at[p.location] = i
			out = append(out, inbound.NewInbound{Kind: inbound.KindPurchase, Supplier: supplier, To: p.location, Draft: true,
				Note: "Drafted from the reorder suggestions by " + actor.Label() + "."})
		}
		expected := now.UTC().AddDate(0, 0, int(p.line.LeadTimeDays)).Format(inbound.DateLayout)
		out[i].Lines = append(out[i].Lines, inbound.LineInput{SKU: p.sku, Quantity: p.line.Suggested, ExpectedAt: expected})
		// The order is expected when its last line is.
		out[i].ExpectedAt = max(out[i].ExpectedAt, expected)
	}
	for i := range out {
		slices.SortStableFunc(out[i].Lines, func(a, b inbound.LineInput) int { return cmp.Compare(a.SKU, b.SKU) })
	}
	return out
}

// draftedOf sums up one draft made.
func draftedOf(number string, in inbound.NewInbound) Drafted {
	d := Drafted{Number: number, Supplier: in.Supplier, Location: in.To, ExpectedAt: in.ExpectedAt, Lines: len(in.Lines)}
	for _, l := range in.Lines {
		d.Units += l.Quantity
	}
	return d
}

// draftProblem names a refusal of the inbound check (a SKU or location
// that went away between the read and the write) on the selection's field.
func draftProblem(err error) error {
	ae, ok := app.AsError(err)
	if !ok || ae.Kind != app.KindInvalid || len(ae.Fields) == 0 {
		return err
	}
	var words []string
	for _, k := range slices.Sorted(maps.Keys(ae.Fields)) {
		words = append(words, ae.Fields[k])
	}
	return app.InvalidField("line", "The selection changed meanwhile ("+strings.Join(words, "; ")+"): reload the page")
}
