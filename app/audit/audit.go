// Package audit keeps the append-only audit log of what people and API keys
// did: sign-ins, users, sessions, API keys, rules, channel settings, CSV
// downloads, return policy overrides, re-evaluations of open assignments. A use case records its entry with
// Record inside the transaction that makes the change, so that the change
// and its entry commit together. Details are plain words and never hold a
// secret (a password, token, API key or webhook secret): only that it changed.
package audit

import (
	"context"
	"fmt"
	"strings"

	"switchyard/app"
	store "switchyard/sql"
)

// The actions recorded.
const (
	SignIn               = "signin.succeeded"
	SignInFailed         = "signin.failed"
	SignInThrottled      = "signin.throttled"
	SignedOut            = "signout"
	UserCreated          = "user.created"
	UserChanged          = "user.changed"
	UserDeactivated      = "user.deactivated"
	UserReactivated      = "user.reactivated"
	PasswordReset        = "user.password_reset"
	SessionEnded         = "session.ended"
	SessionsEnded        = "sessions.ended"
	APIKeyCreated        = "apikey.created"
	APIKeyRevoked        = "apikey.revoked"
	RulesPublished       = "rules.published"
	ChannelSettings      = "channel.settings_changed"
	CSVExported          = "csv.exported"
	PolicyOverridden     = "return.policy_overridden"
	ReturnPolicyChanged  = "return.policy_changed"
	RetentionChanged     = "audit.retention_changed"
	AuditPurged          = "audit.purged"
	ReturnRulesPublished = "return_rules.published"
	PrivacyRedacted      = "privacy.redacted"
	PrivacyDataRequested = "privacy.data_requested"
	PrivacyAgeChanged    = "privacy.anonymise_age_changed"
	RoutingReevaluated   = "routing.reevaluated"
	InboundCreated       = "inbound.created"
	InboundCancelled     = "inbound.cancelled"
	InboundClosed        = "inbound.closed"
	AutomationPublished  = "automation_rules.published"
)

// Actions lists every action, for the page's filter.
var Actions = []string{SignIn, SignInFailed, SignInThrottled, SignedOut, UserCreated, UserChanged, UserDeactivated,
	UserReactivated, PasswordReset, SessionEnded, SessionsEnded, APIKeyCreated, APIKeyRevoked, RulesPublished,
	ReturnRulesPublished, ChannelSettings, CSVExported, PolicyOverridden, ReturnPolicyChanged, RetentionChanged, AuditPurged,
	PrivacyRedacted, PrivacyDataRequested, PrivacyAgeChanged, RoutingReevaluated, InboundCreated, InboundCancelled, InboundClosed,
	AutomationPublished}

// ActorAnonymous is the actor of a sign-in that names no known user.
const ActorAnonymous app.ActorKind = "anonymous"

// Entry is one thing done, as the log keeps it.
type Entry struct {
	Actor      app.Actor // who: a user, an API key, the system
	IP         string    // from where; "" takes the request's (see WithIP)
	Action     string    // one of the actions above
	ObjectKind string    // what was acted on: user, api_key, channel, rules, export, return…
	ObjectRef  string    // which one: an id, a code, a number
	Detail     string    // plain words, never a secret
}

// ipKey is the context key of the client's IP.
type ipKey struct{}

// WithIP is ctx carrying the client's IP, which Record writes when the entry
// names none. The web layer sets it on every request.
func WithIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, ipKey{}, ip)
}

// IP is the client's IP that ctx carries, or "".
func IP(ctx context.Context) string {
	ip, _ := ctx.Value(ipKey{}).(string)
	return ip
}

// Record appends e to the log in tx, at tx's now: call it in the
// transaction that makes the change, so that both commit or neither does.
func Record(ctx context.Context, tx app.Tx, e Entry) error {
	if e.IP == "" {
		e.IP = IP(ctx)
	}
	err := tx.Q.InsertAudit(ctx, store.InsertAuditParams{
		At: app.Millis(tx.Now), ActorKind: string(e.Actor.Kind), ActorID: e.Actor.ID,
		ActorName: clip(actorName(e.Actor), 200), Ip: clip(e.IP, 64), Action: e.Action,
		ObjectKind: clip(e.ObjectKind, 64), ObjectRef: clip(e.ObjectRef, 200), Detail: clip(e.Detail, 1000),
	})
	if err != nil {
		return fmt.Errorf("record audit %s: %w", e.Action, err)
	}
	return nil
}

// Write records e in a transaction of its own: for what changes nothing else
// (a failed sign-in, a CSV download).
func Write(ctx context.Context, core *app.App, e Entry) error {
	return core.Write(ctx, func(tx app.Tx) error { return Record(ctx, tx, e) })
}

// actorName is how the log names the actor.
func actorName(a app.Actor) string {
	if a.Kind == app.ActorSystem && a.Name == "" {
		return "Switchyard"
	}
	return a.Name
}

// clip is app.Clip, control characters made spaces.
func clip(s string, n int) string { return app.Clip(s, n, ' ') }

// Fields names the changed fields in a detail: "changed name, role".
func Fields(verb string, names []string) string {
	if len(names) == 0 {
		return verb + " nothing"
	}
	return verb + " " + strings.Join(names, ", ")
}
