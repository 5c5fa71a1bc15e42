package app

import (
	"context"
	"fmt"
	"strings"

	"switchyard/migrations"
)

// Ready reports whether the database answers and its schema is current.
func (a *App) Ready(ctx context.Context) error {
	if err := a.db.Ping(ctx); err != nil {
		return fmt.Errorf("database does not answer: %w", err)
	}
	st, err := a.db.Migrations(ctx, migrations.FS)
	if err != nil {
		return err
	}
	if len(st.Pending) > 0 {
		return fmt.Errorf("migrations not applied: %s", strings.Join(st.Pending, ", "))
	}
	if len(st.Unknown) > 0 {
		return fmt.Errorf("database is newer than this binary: %s", strings.Join(st.Unknown, ", "))
	}
	return nil
}
