package accounts

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"

	"switchyard/app"
	"switchyard/app/audit"
	store "switchyard/sql"
)

// recordUser appends an audit entry about user id in tx.
func recordUser(ctx context.Context, tx app.Tx, actor app.Actor, action string, id int64, detail string) error {
	return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: action, ObjectKind: "user",
		ObjectRef: strconv.FormatInt(id, 10), Detail: detail})
}

// userChanges says in words what an edit changed of cur: names and values of
// the role and locations (never a password).
func userChanges(ctx context.Context, tx app.Tx, cur store.User, in UserChanges) (string, error) {
	var parts []string
	if cur.Name != in.Name {
		parts = append(parts, "name")
	}
	if cur.Role != in.Role {
		parts = append(parts, fmt.Sprintf("role %s → %s", cur.Role, in.Role))
	}
	locs, err := tx.Q.ListUserLocations(ctx, cur.ID)
	if err != nil {
		return "", fmt.Errorf("list user locations: %w", err)
	}
	var before []string
	for _, l := range locs {
		before = append(before, l.Code)
	}
	after := app.CleanCodes(in.Locations)
	if in.Role != string(app.RoleWarehouse) {
		after = nil
	}
	slices.Sort(before)
	slices.Sort(after)
	if !slices.Equal(before, after) {
		parts = append(parts, fmt.Sprintf("locations [%s] → [%s]", strings.Join(before, " "), strings.Join(after, " ")))
	}
	if len(parts) == 0 {
		return "saved without changes", nil
	}
	return "changed " + strings.Join(parts, "; "), nil
}

// typedEmail is what the log keeps of the email typed at a failed sign-in:
// the address when it is one, else only that it was not (a password typed
// into the email field must not land in the log).
func typedEmail(email string) string {
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Name != "" || addr.Address != email || strings.ContainsAny(email, " \t") {
		return "(not an email address)"
	}
	return clip(email, 100)
}

// recordSignIn writes a sign-in's outcome in its own transaction: a failure
// or a throttle is recorded although the sign-in fails. The email is the one
// typed, clipped; the password never appears.
func (a *Service) recordSignIn(ctx context.Context, action, email string, from Client, detail string) {
	email = typedEmail(email)
	e := audit.Entry{Actor: app.Actor{Kind: audit.ActorAnonymous, Name: email}, IP: from.IP,
		Action: action, ObjectKind: "user", ObjectRef: email, Detail: detail}
	if err := audit.Write(ctx, a.core, e); err != nil {
		a.core.Log().Error("audit sign-in", "action", action, "err", err)
	}
}

// apiKeyDetail names a new key, its scopes and channel (never the key).
func apiKeyDetail(in NewAPIKey) string {
	d := fmt.Sprintf("created %q with scopes %s", in.Name, strings.Join(in.Scopes, " "))
	if in.Channel != "" {
		d += ", bound to channel " + in.Channel
	}
	return d
}
