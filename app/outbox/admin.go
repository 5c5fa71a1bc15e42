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

// ChannelOutbox is one channel's (or the generic webhooks') line of the outbox
// summary: its messages by kind and status, and whether it is paused.
type ChannelOutbox struct {
	ChannelID int64  // 0: the generic webhook endpoints
	Channel   string // the channel's code; "" for the webhooks
	Name      string
	Connected bool // false: nothing is written to the outbox for it
	Kinds     []KindCounts
	Paused    bool
	PausedAt  time.Time
	PausedBy  string
}

// KindCounts counts one kind of message by status.
type KindCounts struct {
	Kind                                 string
	Pending, Delivering, Delivered, Dead int64
}

// OutboxSummary counts the messages by channel and kind, every channel listed
// (a channel with none yet may be paused too), the generic webhooks last.
func (a *Service) OutboxSummary(ctx context.Context) ([]ChannelOutbox, error) {
	chans, err := a.core.Channels(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := a.core.Read().OutboxSummary(ctx)
	if err != nil {
		return nil, fmt.Errorf("outbox summary: %w", err)
	}
	pauses, err := a.core.Read().ListOutboxPauses(ctx)
	if err != nil {
		return nil, fmt.Errorf("outbox pauses: %w", err)
	}
	out := make([]ChannelOutbox, 0, len(chans)+1)
	at := map[int64]int{}
	for _, c := range chans {
		at[c.ID] = len(out)
		out = append(out, ChannelOutbox{ChannelID: c.ID, Channel: c.Code, Name: c.Name, Connected: c.Connected})
	}
	at[0] = len(out)
	out = append(out, ChannelOutbox{Name: "Webhook endpoints", Connected: true})
	for _, p := range pauses {
		if i, ok := at[p.ChannelID]; ok {
			out[i].Paused, out[i].PausedAt, out[i].PausedBy = true, app.FromMillis(p.PausedAt), p.PausedBy
		}
	}
	for _, r := range rows {
		i, ok := at[r.ChannelID]
		if !ok {
			continue
		}
		co := &out[i]
		if len(co.Kinds) == 0 || co.Kinds[len(co.Kinds)-1].Kind != r.Kind {
			co.Kinds = append(co.Kinds, KindCounts{Kind: r.Kind})
		}
		k := &co.Kinds[len(co.Kinds)-1]
		switch r.Status {
		case app.OutboxPending:
			k.Pending = r.N
		case app.OutboxDelivering:
			k.Delivering = r.N
		case app.OutboxDelivered:
			k.Delivered = r.N
		case app.OutboxDead:
			k.Dead = r.N
		}
	}
	return out, nil
}

// PauseChannel holds a channel's outbox messages: the dispatcher leaves them
// waiting, counting no attempt, until ResumeChannel. Admins only.
func (a *Service) PauseChannel(ctx context.Context, actor app.Actor, code string) error {
	return a.setPause(ctx, actor, code, true)
}

// ResumeChannel lets a paused channel's messages go again, due as they were.
func (a *Service) ResumeChannel(ctx context.Context, actor app.Actor, code string) error {
	err := a.setPause(ctx, actor, code, false)
	if err == nil {
		a.core.KickOutbox()
	}
	return err
}

// setPause pauses or resumes channel code's messages in one transaction.
func (a *Service) setPause(ctx context.Context, actor app.Actor, code string, pause bool) error {
	if err := actor.RequireAdmin(); err != nil {
		return err
	}
	return a.core.Write(ctx, func(tx app.Tx) error {
		ch, err := tx.Q.GetChannelByCode(ctx, code)
		if store.IsNoRows(err) {
			return app.NotFound("no channel %q", code)
		} else if err != nil {
			return fmt.Errorf("channel %s: %w", code, err)
		}
		if pause {
			_, err = tx.Q.PauseChannelOutbox(ctx, store.PauseChannelOutboxParams{ChannelID: ch.ID, PausedAt: app.Millis(tx.Now), PausedBy: actor.Label()})
		} else {
			_, err = tx.Q.ResumeChannelOutbox(ctx, ch.ID)
		}
		if err != nil {
			return fmt.Errorf("pause channel %s: %w", code, err)
		}
		return nil
	})
}
