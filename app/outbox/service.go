// Package outbox owns delivery: the dispatcher that sends what the core wrote
// to the outbox table (in the same transaction as the change it announces),
// retries with backoff and keeps dead letters; availability messages; and
// Standard Webhooks endpoints with their signatures. What a sales channel's
// own API needs (Shopify, WooCommerce) comes from a ChannelSender, given to New.
package outbox

import (
	"context"
	"errors"
	"net/http"

	"switchyard/app"
	store "switchyard/sql"
)

// ChannelSender delivers the messages meant for a sales channel's own API.
type ChannelSender interface {
	// Deliver sends message m (a shipment or a cancellation for a channel).
	Deliver(ctx context.Context, client *http.Client, m store.OutboxMessage) Result
	// Stock sets one SKU's available quantity in channel ch; ok is false when
	// ch is not a kind of channel it serves (the generic JSON post is used then).
	Stock(ctx context.Context, client *http.Client, m store.OutboxMessage, ch store.Channel, sku string, available int64) (r Result, ok bool)
}

// Answerer is a ChannelSender that records what a channel's answer means
// once a message is done, in the transaction that marks it delivered (ok) or
// dead (not ok, with why): a refund the channel made or refused.
type Answerer interface {
	Answer(ctx context.Context, tx app.Tx, m store.OutboxMessage, ok bool, ref, why string) error
}

// Service is the outbox use cases over the core app.
type Service struct {
	core     *app.App
	channels ChannelSender
}

// New returns the outbox service over core; channels delivers to the sales
// channels' own APIs (nil: none, so such messages fail and are retried).
func New(core *app.App, channels ChannelSender) *Service {
	if channels == nil {
		channels = noChannelSender{}
	}
	return &Service{core: core, channels: channels}
}

// noChannelSender is the ChannelSender of an outbox built without one.
type noChannelSender struct{}

// Deliver fails: nothing can deliver to a channel's own API.
func (noChannelSender) Deliver(context.Context, *http.Client, store.OutboxMessage) Result {
	return Result{Err: errors.New("no sender for the channels' own APIs is wired")}
}

// Stock leaves availability to the generic JSON post.
func (noChannelSender) Stock(context.Context, *http.Client, store.OutboxMessage, store.Channel, string, int64) (Result, bool) {
	return Result{}, false
}
