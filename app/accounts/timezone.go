package accounts

import (
	"context"
	"fmt"
	"strings"

	"switchyard/app"
	store "switchyard/sql"
)

// checkTimezone reports what is wrong with an IANA time zone name, or "" when
// it is one ("" itself is fine: it means "the browser's zone").
func (a *Service) checkTimezone(tz string) string {
	if _, ok := a.core.Zone(tz); tz != "" && !ok {
		return fmt.Sprintf("%q is not a time zone name (like Europe/Paris)", tz)
	}
	return ""
}

// SetOwnTimezone sets the signed-in user's own time zone for staff pages:
// an IANA name, or "" for the browser's.
func (a *Service) SetOwnTimezone(ctx context.Context, actor app.Actor, tz string) (User, error) {
	if actor.Kind != app.ActorUser || actor.ID == 0 {
		return User{}, app.Forbidden("only a signed-in user has a time zone")
	}
	tz = strings.TrimSpace(tz)
	if problem := a.checkTimezone(tz); problem != "" {
		return User{}, app.InvalidField("timezone", problem)
	}
	err := a.core.Write(ctx, func(tx app.Tx) error {
		if _, err := tx.Q.GetUser(ctx, actor.ID); store.IsNoRows(err) {
			return app.NotFound("no user with id %d", actor.ID)
		} else if err != nil {
			return fmt.Errorf("get user: %w", err)
		}
		err := tx.Q.SetUserTimezone(ctx, store.SetUserTimezoneParams{Timezone: tz, UpdatedAt: app.Millis(tx.Now), ID: actor.ID})
		if err != nil {
			return fmt.Errorf("set time zone: %w", err)
		}
		return nil
	})
	if err != nil {
		return User{}, err
	}
	return a.GetUser(ctx, actor.ID)
}
