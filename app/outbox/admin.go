package outbox

import (
	"switchyard/app"

	store "switchyard/sql"

	"context"
	"fmt"
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
		m := OutboxMessage{ID: r.ID, Kind: r.Kind, Status: r.Status, Order: r.OrderNumber, Channel: r.ChannelCode, Endpoint: r.EndpointUrl,
			Attempts: r.Attempts, LastStatus: r.LastStatus, LastError: r.LastError, NextAttemptAt: app.FromMillis(r.NextAttemptAt), CreatedAt: app.FromMillis(r.CreatedAt)}
		if r.DeliveredAt.Valid {
			m.DeliveredAt = app.FromMillis(r.DeliveredAt.Int64)
		}
		out = append(out, m)
	}
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
