package outbox

import (
	"switchyard/app"

	store "switchyard/sql"

	"context"
	"fmt"
	"math"
	"slices"
	"time"
)

// OutboxMessage is one message of the outbox, for the admin page.
type OutboxMessage struct {
	ID            int64
	Kind          string
	Status        string
	Order         string // the order number, when about an order
	Channel       string // the channel code, for channel messages
	Endpoint      string // the URL, for generic webhooks
	Attempts      int64
	LastStatus    int64
	LastError     string
	NextAttemptAt time.Time
	CreatedAt     time.Time
	DeliveredAt   time.Time
}

// OutboxMessages lists the latest messages with a status (pending, delivering, delivered, dead).
func (a *Service) OutboxMessages(ctx context.Context, status string, limit int) ([]OutboxMessage, error) {
	rows, err := a.core.Read().ListOutboxByStatus(ctx, store.ListOutboxByStatusParams{Status: status, Limit: int64(limit)})
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	out := make([]OutboxMessage, 0, len(rows))
	for _, r := range rows {
		out = append(out, outboxMessage(r))
	}
	return out, nil
}

// outboxMessage maps a row of the outbox.
func outboxMessage(r store.ListOutboxByStatusRow) OutboxMessage {
	m := OutboxMessage{ID: r.ID, Kind: r.Kind, Status: r.Status, Order: r.OrderNumber, Channel: r.ChannelCode, Endpoint: r.EndpointUrl,
		Attempts: r.Attempts, LastStatus: r.LastStatus, LastError: r.LastError, NextAttemptAt: app.FromMillis(r.NextAttemptAt), CreatedAt: app.FromMillis(r.CreatedAt)}
	if r.DeliveredAt.Valid {
		m.DeliveredAt = app.FromMillis(r.DeliveredAt.Int64)
	}
	return m
}

// OutboxList is a page of the messages with one status, newest first.
type OutboxList struct {
	Status   string
	Messages []OutboxMessage
	Before   int64 // the cursor this page continues before (0: the newest)
	Next     int64 // the cursor of the next page; 0 on the last
	Count    int64 // how many have the status; with Capped, more than that
	Capped   bool
}

// OutboxCountCap is how far the outbox page counts the messages of a status.
const OutboxCountCap = 10000

// OutboxPage lists limit messages with a status, newest first, before the id
// before (0: the newest), with how many have the status (up to OutboxCountCap).
func (a *Service) OutboxPage(ctx context.Context, status string, before int64, limit int) (OutboxList, error) {
	if !slices.Contains([]string{app.OutboxPending, app.OutboxDelivering, app.OutboxDelivered, app.OutboxDead}, status) {
		return OutboxList{}, app.InvalidField("status", "must be pending, delivering, delivered or dead")
	}
	out := OutboxList{Status: status, Before: before}
	if before <= 0 {
		before, out.Before = math.MaxInt64, 0
	}
	limit = app.ClampLimit(limit)
	rows, err := a.core.Read().ListOutboxPage(ctx, store.ListOutboxPageParams{Status: status, Before: before, Lim: int64(limit + 1)})
	if err != nil {
		return out, fmt.Errorf("list outbox: %w", err)
	}
	for i, r := range rows {
		if i == limit {
			out.Next = rows[limit-1].ID
			break
		}
		out.Messages = append(out.Messages, outboxMessage(store.ListOutboxByStatusRow(r)))
	}
	n, err := a.core.Read().CountOutboxStatus(ctx, store.CountOutboxStatusParams{Status: status, Cap: OutboxCountCap + 1})
	if err != nil {
		return out, fmt.Errorf("count outbox: %w", err)
	}
	out.Count, out.Capped = min(n, OutboxCountCap), n > OutboxCountCap
	return out, nil
}

// RetryOutbox puts a dead message back in the queue, due now, with its attempts reset.
func (a *Service) RetryOutbox(ctx context.Context, actor app.Actor, id int64) error {
	if err := actor.RequireAdmin(); err != nil {
		return err
	}
	err := a.core.Write(ctx, func(tx app.Tx) error {
		n, err := tx.Q.RetryDeadOutbox(ctx, store.RetryDeadOutboxParams{Now: app.Millis(tx.Now), ID: id})
		if err != nil {
			return fmt.Errorf("retry message: %w", err)
		}
		if n == 0 {
			return app.NotFound("there is no dead message %d", id)
		}
		return nil
	})
	if err == nil {
		a.core.KickOutbox()
	}
	return err
}
