package returns

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

// ListQuery is what the returns list is asked for; empty fields select everything.
type ListQuery struct {
	Status   string
	Location string    // location code
	Reason   string    // reason code on any line
	Channel  string    // channel code
	From     time.Time // requested on or after (zero: any)
	To       time.Time // requested before (zero: any)
	After    string    // the cursor of the page to continue from
	Limit    int
}

// ListItem is one row of the returns list.
type ListItem struct {
	Number        string
	Order         string
	Channel       string
	Status        Status
	Resolution    string
	Location      string
	LocationName  string
	StartedBy     string
	Actor         string
	Reasons       []string
	Units         int64
	Received      int64
	Refunded      string // formatted in the order's currency, "" when nothing
	RefundStatus  string // the latest refund's status, "" when none
	Currency      string
	ExchangeOrder string
	Override      string
	Note          string
	RequestedAt   time.Time
	ApprovedAt    *time.Time
	ReceivedAt    *time.Time
}

// List is a page of returns, newest first, with the counts per status under
// the other filters.
type List struct {
	Returns []ListItem
	Next    string // cursor of the next page, "" at the end
	Counts  map[Status]int64
	Total   int64 // every status, under the other filters
}

// List lists returns, filtered, newest first, a page at a time. Unknown
// filters answer Invalid naming the field.
func (s *Service) List(ctx context.Context, q ListQuery) (List, error) {
	p, err := s.listParams(ctx, q)
	if err != nil {
		return List{}, err
	}
	rows, err := s.core.Read().ListReturnsPage(ctx, p)
	if err != nil {
		return List{}, fmt.Errorf("list returns: %w", err)
	}
	out := List{Returns: make([]ListItem, 0, len(rows)), Counts: map[Status]int64{}}
	limit := int(p.Lim) - 1
	for i, r := range rows {
		if i == limit {
			last := rows[limit-1]
			out.Next = fmt.Sprintf("%d.%d", last.RequestedAt, last.ID)
			break
		}
		out.Returns = append(out.Returns, itemOf(r))
	}
	counts, err := s.core.Read().ReturnStatusCounts(ctx, store.ReturnStatusCountsParams{FromAt: p.FromAt, ToAt: p.ToAt,
		LocationID: p.LocationID, ChannelID: p.ChannelID, Reason: p.Reason})
	if err != nil {
		return List{}, fmt.Errorf("return counts: %w", err)
	}
	for _, c := range counts {
		out.Counts[Status(c.Status)] = c.N
		out.Total += c.N
	}
	return out, nil
}

// listParams checks a query and turns it into the store's parameters (one
// more row than the page, to know whether another follows).
func (s *Service) listParams(ctx context.Context, q ListQuery) (store.ListReturnsPageParams, error) {
	p := store.ListReturnsPageParams{AfterAt: math.MaxInt64, AfterID: math.MaxInt64, ToAt: math.MaxInt64,
		Status: q.Status, Reason: q.Reason, Lim: int64(app.ClampLimit(q.Limit) + 1)}
	f := app.FieldsError{}
	if q.Status != "" && !slices.Contains(Statuses, Status(q.Status)) {
		f.Add("status", "is not a return status")
	}
	if q.Reason != "" && !slices.Contains(Reasons, q.Reason) {
		f.Add("reason", "is not a return reason")
	}
	if !q.From.IsZero() {
		p.FromAt = app.Millis(q.From)
	}
	if !q.To.IsZero() {
		p.ToAt = app.Millis(q.To)
	}
	if q.After != "" {
		var ok bool
		if p.AfterAt, p.AfterID, ok = app.ParseCursor(q.After); !ok {
			f.Add("after", "is not a page cursor")
		}
	}
	if q.Channel != "" {
		ch, err := s.core.Read().GetChannelByCode(ctx, q.Channel)
		if store.IsNoRows(err) {
			f.Add("channel", "unknown channel "+app.Quote(q.Channel))
		} else if err != nil {
			return p, fmt.Errorf("get channel: %w", err)
		}
		p.ChannelID = ch.ID
	}
	if q.Location != "" {
		loc, err := s.core.Read().GetLocationByCode(ctx, q.Location)
		if store.IsNoRows(err) {
			f.Add("location", "unknown location "+app.Quote(q.Location))
		} else if err != nil {
			return p, fmt.Errorf("get location: %w", err)
		}
		p.LocationID = loc.ID
	}
	return p, f.Err("returns list query is invalid")
}

// itemOf maps a list row.
func itemOf(r store.ListReturnsPageRow) ListItem {
	cur := currency(r.Currency)
	it := ListItem{Number: r.Number, Order: r.OrderNumber, Channel: r.ChannelCode, Status: Status(r.Status),
		Resolution: r.Resolution, Location: r.LocationCode, LocationName: r.LocationName, StartedBy: r.StartedBy,
		Actor: r.ActorName, Reasons: strings.Fields(r.Reasons), Units: r.Units, Received: r.Received,
		RefundStatus: r.RefundStatus, Currency: cur.Code, ExchangeOrder: r.ExchangeNumber.String, Override: r.Override,
		Note: r.Note, RequestedAt: app.FromMillis(r.RequestedAt), ApprovedAt: optTime(r.ApprovedAt), ReceivedAt: optTime(r.ReceivedAt)}
	if r.Refunded > 0 {
		it.Refunded = formatMoney(r.Refunded, cur.Code)
	}
	return it
}

// formatMoney formats minor units in the currency code.
func formatMoney(minor int64, code string) string { return Return{cur: currency(code)}.Money(minor) }

// exportHeader is the first row of the returns CSV.
var exportHeader = []string{"number", "order", "channel", "status", "resolution", "location", "started_by", "requested_by",
	"reasons", "units", "received", "refunded", "currency", "refund_status", "exchange_order", "policy_override",
	"requested_at", "approved_at", "received_at", "note"}

// Export writes the returns the filters select (every page, newest first) as
// CSV to w, each cell protected against spreadsheet formulas. q.After and
// q.Limit are ignored.
func (s *Service) Export(ctx context.Context, q ListQuery, w io.Writer) error {
	q.After, q.Limit = "", 500
	p, err := s.listParams(ctx, q)
	if err != nil {
		return err
	}
	cw := imports.NewSafeCSVWriter(w)
	if err := cw.Write(exportHeader); err != nil {
		return fmt.Errorf("write returns CSV: %w", err)
	}
	for {
		rows, err := s.core.Read().ListReturnsPage(ctx, p)
		if err != nil {
			return fmt.Errorf("list returns: %w", err)
		}
		for _, r := range rows {
			if err := cw.Write(exportRecord(itemOf(r))); err != nil {
				return fmt.Errorf("write returns CSV: %w", err)
			}
		}
		if int64(len(rows)) < p.Lim {
			break
		}
		last := rows[len(rows)-1]
		p.AfterAt, p.AfterID = last.RequestedAt, last.ID
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("write returns CSV: %w", err)
	}
	return nil
}

// exportRecord is one return's CSV row.
func exportRecord(it ListItem) []string {
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	return []string{it.Number, it.Order, it.Channel, string(it.Status), it.Resolution, it.Location, it.StartedBy, it.Actor,
		strings.Join(it.Reasons, " "), strconv.FormatInt(it.Units, 10), strconv.FormatInt(it.Received, 10), it.Refunded,
		it.Currency, it.RefundStatus, it.ExchangeOrder, it.Override, stamp(&it.RequestedAt), stamp(it.ApprovedAt),
		stamp(it.ReceivedAt), it.Note}
}
