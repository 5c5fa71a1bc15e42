package returns

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"switchyard/app"
	"switchyard/app/money"
	store "switchyard/sql"
)

// Return is a return as people and the API see it.
type Return struct {
	ID            int64      `json:"-"`
	Number        string     `json:"number"`
	OrderID       int64      `json:"-"`
	Order         string     `json:"order"`
	Channel       string     `json:"channel"`
	ChannelName   string     `json:"channel_name"`
	Status        Status     `json:"status"`
	Resolution    string     `json:"resolution"`
	Location      string     `json:"location"`
	LocationName  string     `json:"location_name"`
	LocationWhy   string     `json:"location_reason"`
	StartedBy     string     `json:"started_by"`
	Actor         string     `json:"requested_by"`
	ExternalID    *string    `json:"external_id"`
	Override      string     `json:"policy_override,omitempty"`
	DeclineReason string     `json:"decline_reason,omitempty"`
	Note          string     `json:"note,omitempty"`
	Currency      string     `json:"currency"`
	Lines         []Line     `json:"lines"`
	Refund        *Summary   `json:"refund"`
	Refunds       []Refund   `json:"refunds"`
	ExchangeOrder *string    `json:"exchange_order"`
	ReturnLabel   *string    `json:"return_label"` // no label service yet: always null
	RequestedAt   time.Time  `json:"requested_at"`
	ApprovedAt    *time.Time `json:"approved_at"`
	ReceivedAt    *time.Time `json:"received_at"`
	ClosedAt      *time.Time `json:"closed_at"`
	DueBy         *time.Time `json:"due_by"` // ReceiveWithin after approval, while goods are expected

	cur money.Currency
}

// Line is one line of a return.
type Line struct {
	ID           int64         `json:"-"`
	OrderLineID  int64         `json:"line"`
	LineNo       int64         `json:"line_no"`
	SKU          string        `json:"sku"`
	Name         string        `json:"name"`
	Quantity     int64         `json:"quantity"`
	UnitPrice    string        `json:"unit_price"`
	Received     int64         `json:"received"` // arrived: restocked, quarantined or scrapped
	Missing      int64         `json:"missing"`
	Reason       string        `json:"reason"`
	Note         string        `json:"note,omitempty"`
	Dispositions []Disposition `json:"dispositions"`

	unitPrice                        int64
	restocked, quarantined, scrapped int64
}

// Left is how many units of the line are still to be counted.
func (l Line) Left() int64 { return l.Quantity - l.Received - l.Missing }

// Disposition is how many units of a line got one disposition.
type Disposition struct {
	Disposition string `json:"disposition"`
	Quantity    int64  `json:"quantity"`
}

// Summary is the refund the return gives, for the API's "refund" field:
// what was refunded so far, or what will be.
type Summary struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	Status   string `json:"status"`
}

// Refund is one refund row.
type Refund struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	Amount     string    `json:"amount"`
	Shipping   string    `json:"shipping"`
	Fee        string    `json:"restocking_fee"`
	Currency   string    `json:"currency"`
	Status     string    `json:"status"`
	Source     string    `json:"source"`
	ExternalID *string   `json:"external_id"`
	Failure    string    `json:"failure,omitempty"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Return     string    `json:"return,omitempty"`

	amount int64
}

// Money formats minor units in the return's currency ("19.90").
func (r Return) Money(minor int64) string { return money.Format(minor, r.cur) }

// Get reads one return by number, within reach (a key bound to another
// channel gets NotFound, as for an unknown number).
func (s *Service) Get(ctx context.Context, reach app.Reach, number string) (Return, error) {
	row, err := s.core.Read().GetReturnByNumber(ctx, number)
	if store.IsNoRows(err) {
		return Return{}, app.NotFound("no return %s", number)
	} else if err != nil {
		return Return{}, fmt.Errorf("get return %s: %w", number, err)
	}
	r, err := load(ctx, s.core.Read(), row)
	if err != nil {
		return Return{}, err
	}
	if !reach.Allows(r.Channel) {
		return Return{}, app.NotFound("no return %s", number)
	}
	return r, nil
}

// ForOrder lists an order's returns, oldest first.
func (s *Service) ForOrder(ctx context.Context, orderID int64) ([]Return, error) {
	ids, err := s.core.Read().ListOrderReturnIDs(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("order returns: %w", err)
	}
	return loadAll(ctx, s.core.Read(), ids)
}

// OfExchange lists the returns whose exchange is the order orderID.
func (s *Service) OfExchange(ctx context.Context, orderID int64) ([]Return, error) {
	ids, err := s.core.Read().ReturnsOfExchange(ctx, app.NullInt(orderID))
	if err != nil {
		return nil, fmt.Errorf("returns of exchange: %w", err)
	}
	return loadAll(ctx, s.core.Read(), ids)
}

// loadAll loads the returns with these ids.
func loadAll(ctx context.Context, q *store.Queries, ids []int64) ([]Return, error) {
	out := make([]Return, 0, len(ids))
	for _, id := range ids {
		row, err := q.GetReturn(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("get return: %w", err)
		}
		r, err := load(ctx, q, row)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// load completes a return row with its order, location, lines and refunds.
func load(ctx context.Context, q *store.Queries, row store.Return) (Return, error) {
	o, err := q.GetOrder(ctx, row.OrderID)
	if err != nil {
		return Return{}, fmt.Errorf("return's order: %w", err)
	}
	ch, err := q.GetChannel(ctx, row.ChannelID)
	if err != nil {
		return Return{}, fmt.Errorf("return's channel: %w", err)
	}
	loc, err := q.GetLocation(ctx, row.LocationID)
	if err != nil {
		return Return{}, fmt.Errorf("return's location: %w", err)
	}
	cur := currency(o.Currency)
	r := Return{ID: row.ID, Number: row.Number, OrderID: o.ID, Order: o.Number, Channel: ch.Code, ChannelName: ch.Name,
		Status: Status(row.Status), Resolution: row.Resolution, Location: loc.Code, LocationName: loc.Name,
		LocationWhy: row.LocationWhy, StartedBy: row.StartedBy, Actor: row.ActorName, Override: row.Override,
		DeclineReason: row.DeclineReason, Note: row.Note, Currency: cur.Code, RequestedAt: app.FromMillis(row.RequestedAt),
		ApprovedAt: optTime(row.ApprovedAt), ReceivedAt: optTime(row.ReceivedAt), ClosedAt: optTime(row.ClosedAt), cur: cur}
	if row.ExternalID.Valid {
		r.ExternalID = &row.ExternalID.String
	}
	if r.ApprovedAt != nil && r.Status.Open() {
		due := r.ApprovedAt.Add(ReceiveWithin)
		r.DueBy = &due
	}
	if row.ExchangeOrderID.Valid {
		x, err := q.GetOrder(ctx, row.ExchangeOrderID.Int64)
		if err != nil {
			return Return{}, fmt.Errorf("exchange order: %w", err)
		}
		r.ExchangeOrder = &x.Number
	}
	if r.Lines, err = loadLines(ctx, q, row.ID, cur); err != nil {
		return Return{}, err
	}
	if r.Refunds, err = loadRefunds(ctx, q, o, row.ID); err != nil {
		return Return{}, err
	}
	r.Refund = summary(r)
	return r, nil
}

// loadLines reads a return's lines with their dispositions.
func loadLines(ctx context.Context, q *store.Queries, returnID int64, cur money.Currency) ([]Line, error) {
	rows, err := q.ListReturnLines(ctx, returnID)
	if err != nil {
		return nil, fmt.Errorf("return lines: %w", err)
	}
	lines := make([]Line, 0, len(rows))
	for _, l := range rows {
		line := Line{ID: l.ID, OrderLineID: l.OrderLineID, LineNo: l.LineNo, SKU: l.Sku, Name: l.Name, Quantity: l.Quantity,
			UnitPrice: money.Format(l.UnitPrice, cur), Received: l.Restocked + l.Quarantined + l.Scrapped, Missing: l.Missing,
			Reason: l.Reason, Note: l.Note, Dispositions: []Disposition{}, unitPrice: l.UnitPrice,
			restocked: l.Restocked, quarantined: l.Quarantined, scrapped: l.Scrapped}
		for _, d := range []Disposition{{DispositionRestock, l.Restocked}, {DispositionQuarantine, l.Quarantined},
			{DispositionScrap, l.Scrapped}, {DispositionMissing, l.Missing}} {
			if d.Quantity > 0 {
				line.Dispositions = append(line.Dispositions, d)
			}
		}
		lines = append(lines, line)
	}
	return lines, nil
}

// loadRefunds reads the refunds of a return.
func loadRefunds(ctx context.Context, q *store.Queries, o store.Order, returnID int64) ([]Refund, error) {
	rows, err := q.ListRefundsOfReturn(ctx, app.NullInt(returnID))
	if err != nil {
		return nil, fmt.Errorf("refunds: %w", err)
	}
	cur := currency(o.Currency)
	out := make([]Refund, 0, len(rows))
	for _, f := range rows {
		out = append(out, refundFromRow(f, cur))
	}
	return out, nil
}

// refundFromRow maps a refund row.
func refundFromRow(f store.Refund, cur money.Currency) Refund {
	r := Refund{ID: f.ID, Kind: f.Kind, Amount: money.Format(f.Amount, cur), Shipping: money.Format(f.Shipping, cur),
		Fee: money.Format(f.Fee, cur), Currency: cur.Code, Status: f.Status, Source: f.Source, Failure: f.Failure,
		CreatedBy: f.CreatedBy, CreatedAt: app.FromMillis(f.CreatedAt), UpdatedAt: app.FromMillis(f.UpdatedAt), amount: f.Amount}
	if f.ExternalID.Valid {
		r.ExternalID = &f.ExternalID.String
	}
	return r
}

// summary is the return's refund for the API: the refunds made (their
// total and the latest's status), or the amount due, pending; nil when the
// return gives no money back.
func summary(r Return) *Summary {
	if r.Resolution != ResolutionRefund && r.Resolution != ResolutionStoreCredit {
		return nil
	}
	if len(r.Refunds) > 0 {
		var total int64
		for _, f := range r.Refunds {
			if f.Status != RefundFailed {
				total += f.amount
			}
		}
		last := r.Refunds[len(r.Refunds)-1]
		return &Summary{Amount: r.Money(total), Currency: r.Currency, Status: last.Status}
	}
	if r.Status == StatusDeclined || r.Status == StatusCancelled {
		return nil
	}
	return &Summary{Amount: r.Money(linesValue(r.Lines)), Currency: r.Currency, Status: RefundPending}
}

// linesValue is what the lines' units are worth, less the missing ones.
func linesValue(lines []Line) int64 {
	var v int64
	for _, l := range lines {
		v += l.unitPrice * (l.Quantity - l.Missing)
	}
	return v
}

// currency looks a currency up, defaulting to two decimals.
func currency(code string) money.Currency {
	cur, ok := money.LookupCurrency(code)
	if !ok {
		cur = money.Currency{Code: code, Exponent: 2}
	}
	return cur
}

// optTime maps a nullable millisecond time.
func optTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := app.FromMillis(v.Int64)
	return &t
}

// LocationPage is one page of a location's returns, newest first.
type LocationPage struct {
	Returns []Return `json:"returns"`
	Next    *string  `json:"next"` // pass back as ?after= for the following page
}

// AtLocation lists the returns coming back to the location code, of one
// status (or all), newest first, a page at a time after the cursor (the
// returns list's, see List). Within reach: a key bound to a channel sees its
// channel's returns only. A warehouse user sees their own locations only
// (NotFound otherwise).
func (s *Service) AtLocation(ctx context.Context, actor app.Actor, code, status, after string, limit int) (LocationPage, error) {
	if status != "" && !slices.Contains(Statuses, Status(status)) {
		return LocationPage{}, app.InvalidField("status", "must be one of "+statusList())
	}
	q := s.core.Read()
	if err := actor.KnowsLocation(ctx, app.Tx{Q: q}, code); err != nil {
		return LocationPage{}, err
	}
	if _, err := q.GetLocationByCode(ctx, code); store.IsNoRows(err) {
		return LocationPage{}, app.NotFound("no location %q", code)
	} else if err != nil {
		return LocationPage{}, fmt.Errorf("get location: %w", err)
	}
	if limit <= 0 {
		limit = 100
	}
	p, err := s.listParams(ctx, ListQuery{Status: status, Location: code, Channel: actor.Reach().Channel, After: after, Limit: limit})
	if err != nil {
		return LocationPage{}, err
	}
	rows, err := q.ListReturnsPage(ctx, p)
	if err != nil {
		return LocationPage{}, fmt.Errorf("location returns: %w", err)
	}
	page := LocationPage{Returns: make([]Return, 0, len(rows))}
	for i, row := range rows {
		if i == int(p.Lim)-1 {
			last := rows[i-1]
			next := fmt.Sprintf("%d.%d", last.RequestedAt, last.ID)
			page.Next = &next
			break
		}
		ret, err := q.GetReturn(ctx, row.ID)
		if err != nil {
			return LocationPage{}, fmt.Errorf("get return: %w", err)
		}
		r, err := load(ctx, q, ret)
		if err != nil {
			return LocationPage{}, err
		}
		page.Returns = append(page.Returns, r)
	}
	return page, nil
}

// statusList names every return status, for messages.
func statusList() string {
	var names []string
	for _, s := range Statuses {
		names = append(names, string(s))
	}
	return strings.Join(names, ", ")
}
