package app

import (
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

// requireAdmin refuses actors that are neither the system nor an admin.
func (a Actor) RequireAdmin() error {
	if a.Kind == ActorSystem || (a.Kind == ActorUser && a.Role == RoleAdmin) {
		return nil
	}
	return Forbidden("only an admin may manage users and API keys")
}

// require refuses users whose role is not one of roles. API keys are checked
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
	return "Switchyard"
}

// cleanCodes trims codes and drops empty and repeated ones.
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

// boolInt stores a bool as SQLite's 0 or 1.
func BoolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
