package app

import (
	"context"
	"fmt"

	store "switchyard/sql"
)

// Reach is which channels' orders, fulfillments and settings a caller may see
// and act on. An API key bound to a channel reaches that channel only: another
// channel's order, fulfillment or channel answers NotFound, exactly as an
// unknown one does, so that a key learns nothing of other channels. Staff,
// the system and unbound keys reach everything. SKUs, locations, stock and
// the routing rules are shared by every channel and are not limited by Reach.
// (The name avoids "scope", which the API already uses for a key's permissions.)
type Reach struct {
	Channel string // the one channel reached, or "" for every channel
}

// Everywhere is the reach of staff, the system and unbound API keys.
var Everywhere = Reach{}

// Limited reports whether the reach is one channel only.
func (r Reach) Limited() bool { return r.Channel != "" }

// Allows reports whether the reach covers the channel code.
func (r Reach) Allows(channel string) bool { return r.Channel == "" || r.Channel == channel }

// Reach is what the actor reaches: an API key bound to a channel that channel
// only, everyone else everything.
func (a Actor) Reach() Reach {
	if a.Kind == ActorAPIKey {
		return Reach{Channel: a.Channel}
	}
	return Everywhere
}

// allowsChannelID reports whether the reach covers the channel with row id.
func (r Reach) allowsChannelID(ctx context.Context, q *store.Queries, id int64) (bool, error) {
	if !r.Limited() {
		return true, nil
	}
	ch, err := q.GetChannel(ctx, id)
	if err != nil {
		return false, fmt.Errorf("get channel %d: %w", id, err)
	}
	return ch.Code == r.Channel, nil
}

// allowsOrderID reports whether the reach covers the order with row id.
func (r Reach) allowsOrderID(ctx context.Context, q *store.Queries, id int64) (bool, error) {
	if !r.Limited() {
		return true, nil
	}
	o, err := q.GetOrder(ctx, id)
	if err != nil {
		return false, fmt.Errorf("get order %d: %w", id, err)
	}
	return r.allowsChannelID(ctx, q, o.ChannelID)
}

// channelID is the row id of the reached channel for filters in SQL: 0 for
// every channel, -1 (no row) when the bound channel no longer exists.
func (r Reach) ChannelID(ctx context.Context, q *store.Queries) (int64, error) {
	if !r.Limited() {
		return 0, nil
	}
	ch, err := q.GetChannelByCode(ctx, r.Channel)
	if store.IsNoRows(err) {
		return -1, nil
	}
	if err != nil {
		return 0, fmt.Errorf("get channel %s: %w", r.Channel, err)
	}
	return ch.ID, nil
}
