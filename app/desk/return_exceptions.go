package desk

import (
	"context"
	"fmt"
	"time"

	"switchyard/app"
	"switchyard/app/money"
	"switchyard/app/returns"
	store "switchyard/sql"
)

// ReturnExceptionsShown is how many of each kind of return exception the queue names.
const ReturnExceptionsShown = 100

// ReturnException is a return or a refund that needs a person, in words, with a link.
type ReturnException struct {
	Kind   string // "late_return" or "failed_refund"
	Text   string
	Order  string
	Return string // the return's number; "" for a refund made without one
	Link   string // where to put it right
	Since  time.Time
}

// ReturnExceptions are the returns not received ReceiveWithin after their
// approval and the refunds the channel refused, oldest first, with their counts.
type ReturnExceptions struct {
	Late        []ReturnException
	LateCount   int64
	Failed      []ReturnException
	FailedCount int64
}

// Total is how many return exceptions there are.
func (r ReturnExceptions) Total() int64 { return r.LateCount + r.FailedCount }

// ReturnExceptions lists the returns and refunds that need someone at the desk.
func (a *Service) ReturnExceptions(ctx context.Context) (ReturnExceptions, error) {
	now := a.core.Now()
	before := app.NullInt(app.Millis(now.Add(-returns.ReceiveWithin)))
	var out ReturnExceptions
	err := a.core.DB().Snapshot(ctx, func(qs *store.Queries) error {
		var err error
		if out.LateCount, err = qs.CountLateReturns(ctx, before); err != nil {
			return fmt.Errorf("count late returns: %w", err)
		}
		late, err := qs.LateReturns(ctx, store.LateReturnsParams{Before: before, Lim: ReturnExceptionsShown})
		if err != nil {
			return fmt.Errorf("late returns: %w", err)
		}
		for _, r := range late {
			out.Late = append(out.Late, lateReturn(r, now))
		}
		if out.FailedCount, err = qs.CountFailedRefunds(ctx); err != nil {
			return fmt.Errorf("count failed refunds: %w", err)
		}
		failed, err := qs.FailedRefunds(ctx, ReturnExceptionsShown)
		if err != nil {
			return fmt.Errorf("failed refunds: %w", err)
		}
		for _, f := range failed {
			out.Failed = append(out.Failed, failedRefund(f, now))
		}
		return nil
	})
	return out, err
}

// lateReturn says that a return's goods have not come back.
func lateReturn(r store.LateReturnsRow, now time.Time) ReturnException {
	approved := app.FromMillis(r.ApprovedAt.Int64)
	days := int(now.Sub(approved).Hours() / 24)
	what := "nothing has arrived"
	if returns.Status(r.Status) == returns.StatusPartiallyReceived {
		what = "only part of it has arrived"
	}
	text := fmt.Sprintf("Return %s (%s) was approved %d days ago, on %s, and %s at %s: ask the customer whether it was sent, or cancel it",
		r.Number, r.CustomerName, days, shortDay(approved, now), what, r.LocationName)
	return ReturnException{Kind: "late_return", Text: text, Order: r.OrderNumber, Return: r.Number,
		Link: "/returns/" + r.Number, Since: approved}
}

// failedRefund says that the channel refused a refund, and why.
func failedRefund(f store.FailedRefundsRow, now time.Time) ReturnException {
	cur, ok := money.LookupCurrency(f.Currency)
	if !ok {
		cur = money.Currency{Code: f.Currency, Exponent: 2}
	}
	text := fmt.Sprintf("The refund of %s %s to %s was refused by %s on %s", cur.Code, money.Format(f.Amount, cur),
		f.CustomerName, f.ChannelName, shortDay(app.FromMillis(f.UpdatedAt), now))
	if f.Failure != "" {
		text += ": " + f.Failure
	}
	text += ". Refund again, or make it in the channel and confirm it here"
	e := ReturnException{Kind: "failed_refund", Text: text, Order: f.OrderNumber, Return: f.ReturnNumber,
		Link: "/orders/" + f.OrderNumber, Since: app.FromMillis(f.UpdatedAt)}
	if f.ReturnNumber != "" {
		e.Link = "/returns/" + f.ReturnNumber
	}
	return e
}

// ReturnExceptionCount is how many returns are late and refunds failed, for
// the navigation's count.
func (a *Service) ReturnExceptionCount(ctx context.Context) (int64, error) {
	q := a.core.Read()
	late, err := q.CountLateReturns(ctx, app.NullInt(app.Millis(a.core.Now().Add(-returns.ReceiveWithin))))
	if err != nil {
		return 0, fmt.Errorf("count late returns: %w", err)
	}
	failed, err := q.CountFailedRefunds(ctx)
	if err != nil {
		return 0, fmt.Errorf("count failed refunds: %w", err)
	}
	return late + failed, nil
}
