package desk

import (
	"switchyard/app"

	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"switchyard/app/money"
	store "switchyard/sql"
)

// OrderQuery is what the order list is asked for.
type OrderQuery struct {
	Status  string    `query:"status"`
	Channel string    `query:"channel"`
	From    time.Time // placed on or after (zero: any)
	To      time.Time // placed before (zero: any)
	OnHold  bool      `query:"on_hold"`
	Tag     string    `query:"tag"`
	Sort    string    `query:"sort"`  // "newest" (default) or "oldest"
	After   string    `query:"after"` // the cursor of the page to continue from
	Limit   int       `query:"limit"`
}

// OrderSummary is one row of the order list.
type OrderSummary struct {
	Number     string
	Channel    string
	ExternalID string
	ChannelRef string
	PlacedAt   time.Time
	Customer   string
	Email      string
	Country    string
	Total      string // formatted in the currency
	Currency   string
	Status     app.Status
	OnHold     bool
	HoldReason string
	Test       bool
}

// OrderList is a page of the order list with the counts per status.
type OrderList struct {
	Orders []OrderSummary
	Next   string // cursor of the next page, "" at the end
	Counts map[app.Status]int64
	Total  int64
	// Count is how many orders the filters select (every page); Capped: more
	// than Count, where counting them all would be slow.
	Count  int64
	Capped bool
}

// orderCountCap is how far the list counts the orders of filters that have no
// count table (dates, tag, on hold); past it the list says "more than" (a variable for tests).
var orderCountCap int64 = 1000

// Orders lists orders, filtered, newest (or oldest) first, a page at a time.
func (a *Service) Orders(ctx context.Context, q OrderQuery) (OrderList, error) {
	f, err := a.orderFilter(ctx, q)
	if err != nil {
		return OrderList{}, err
	}
	rows, err := a.core.DB().ListOrders(ctx, f)
	if err != nil {
		return OrderList{}, err
	}
	chans, err := ChannelCodes(ctx, a.core.Read())
	if err != nil {
		return OrderList{}, err
	}
	out := OrderList{Counts: map[app.Status]int64{}}
	limit := int(f.Limit) - 1
	for i, r := range rows {
		if i == limit {
			last := rows[limit-1]
			out.Next = fmt.Sprintf("%d.%d", last.PlacedAt, last.ID)
			break
		}
		out.Orders = append(out.Orders, SummaryFromRow(r, chans[r.ChannelID]))
	}
	counts, err := a.core.Read().OrderCounts(ctx, f.ChannelID)
	if err != nil {
		return OrderList{}, fmt.Errorf("order counts: %w", err)
	}
	for _, c := range counts {
		out.Counts[app.Status(c.Status)] = c.N
		out.Total += c.N
	}
	out.Count, out.Capped, err = a.countOrders(ctx, f, out)
	return out, err
}

// countOrders is how many orders f selects: from the counts per status when
// only the status and the channel filter, else counted up to orderCountCap.
func (a *Service) countOrders(ctx context.Context, f store.OrderFilter, l OrderList) (int64, bool, error) {
	switch {
	case f.Tag == "" && !f.OnHold && f.From == 0 && f.To == 0 && f.Status == "":
		return l.Total, false, nil
	case f.Tag == "" && !f.OnHold && f.From == 0 && f.To == 0:
		return l.Counts[app.Status(f.Status)], false, nil
	}
	n, err := a.core.DB().CountOrders(ctx, f, orderCountCap)
	if err != nil {
		return 0, false, err
	}
	return min(n, orderCountCap), n > orderCountCap, nil
}

// orderFilter checks a query and turns it into the store's filter.
func (a *Service) orderFilter(ctx context.Context, q OrderQuery) (store.OrderFilter, error) {
	f := store.OrderFilter{Status: q.Status, OnHold: q.OnHold, Tag: strings.ToLower(strings.TrimSpace(q.Tag)), Limit: int64(app.ClampLimit(q.Limit) + 1)}
	fields := app.FieldsError{}
	if q.Status != "" && !slices.Contains(app.Statuses, app.Status(q.Status)) {
		fields.Add("status", "is not an order status")
	}
	switch q.Sort {
	case "", "newest":
	case "oldest":
		f.Oldest = true
	default:
		fields.Add("sort", "must be newest or oldest")
	}
	if !q.From.IsZero() {
		f.From = app.Millis(q.From)
	}
	if !q.To.IsZero() {
		f.To = app.Millis(q.To)
	}
	if q.After != "" {
		var ok bool
		if f.AfterPlaced, f.AfterID, ok = app.ParseCursor(q.After); !ok {
			fields.Add("after", "is not a page cursor")
		}
	}
	if q.Channel != "" {
		ch, err := a.core.Read().GetChannelByCode(ctx, q.Channel)
		if store.IsNoRows(err) {
			fields.Add("channel", "unknown channel "+app.Quote(q.Channel))
		} else if err != nil {
			return f, fmt.Errorf("get channel: %w", err)
		}
		f.ChannelID = ch.ID
	}
	return f, fields.Err("order list query is invalid")
}

// ChannelCodes maps channel ids to codes.
func ChannelCodes(ctx context.Context, q *store.Queries) (map[int64]string, error) {
	rows, err := q.ListChannels(ctx)
	if err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Code
	}
	return out, nil
}

// SummaryFromRow maps a list row.
func SummaryFromRow(r store.OrderListRow, channel string) OrderSummary {
	cur, ok := money.LookupCurrency(r.Currency)
	if !ok {
		cur = money.Currency{Code: r.Currency, Exponent: 2}
	}
	return OrderSummary{
		Number: r.Number, Channel: channel, ExternalID: r.ExternalID, ChannelRef: r.ChannelRef, PlacedAt: app.FromMillis(r.PlacedAt),
		Customer: r.CustomerName, Email: r.CustomerEmail, Country: r.ShipCountry, Total: money.Format(r.Total, cur),
		Currency: r.Currency, Status: app.Status(r.Status), OnHold: r.OnHold == 1, HoldReason: r.HoldReason, Test: r.Test == 1,
	}
}
