package app

import (
	"context"
	"fmt"
	store "switchyard/sql"

	"slices"
	"strings"
)

// The roles, from the most to the least powerful.
const (
	RoleAdmin     Role = "admin"     // users, API keys, channel secrets, everything else
	RoleOps       Role = "ops"       // routing rules, network, stock, exceptions
	RoleWarehouse Role = "warehouse" // the queues of their own locations
	RoleSupport   Role = "support"   // orders, search, holds and notes
)

// The kinds of actor that appear in audit trails and timelines.
const (
	ActorUser    ActorKind = "user"
	ActorSystem  ActorKind = "system"
	ActorAPIKey  ActorKind = "api_key"
	ActorChannel ActorKind = "channel"
)

// Role is what a user may do.
type Role string

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleOps, RoleWarehouse, RoleSupport}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// LocationRef names a location.
type LocationRef struct {
	ID   int64
	Code string
	Name string
}

// ActorKind says what kind of party did something.
type ActorKind string

// Actor is who or what performs a use case.
type Actor struct {
	Kind    ActorKind
	ID      int64
	Name    string
	Role    Role   // for users
	Channel string // for API keys bound to a channel, and for channels
}

// System is the actor for automatic decisions and command-line work.
var System = Actor{Kind: ActorSystem, Name: "Switchyard"}

// RequireAdmin refuses actors that are neither the system nor an admin.
func (a Actor) RequireAdmin() error {
	if a.Kind == ActorSystem || (a.Kind == ActorUser && a.Role == RoleAdmin) {
		return nil
	}
	return Forbidden("only an admin may manage users and API keys")
}

// Require refuses users whose role is not one of roles. API keys are checked
// by scope at the door, and the system may do anything.
func (a Actor) Require(roles ...Role) error {
	if a.Kind != ActorUser || slices.Contains(roles, a.Role) {
		return nil
	}
	return Forbidden("your role (%s) may not do this", a.Role)
}

// Label names the actor in ledgers and timelines.
func (a Actor) Label() string {
	switch a.Kind {
	case ActorUser:
		return a.Name
	case ActorAPIKey:
		return "API key " + a.Name
	case ActorChannel:
		return "channel " + a.Name
	}
	if a.Name != "" {
		return a.Name // the system, or the customer on their own
	}
	return "Switchyard"
}

// CleanCodes trims codes and drops empty and repeated ones.
func CleanCodes(codes []string) []string {
	var out []string
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// BoolInt stores a bool as SQLite's 0 or 1.
func BoolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

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

// ChannelID is the row id of the reached channel for filters in SQL: 0 for
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
