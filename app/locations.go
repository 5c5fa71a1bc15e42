package app

import (
	"context"
	"fmt"
)

// LocationChoices lists the active locations, to pick from in forms.
func (a *App) LocationChoices(ctx context.Context) ([]LocationRef, error) {
	rows, err := a.read().ListLocationChoices(ctx)
	if err != nil {
		return nil, fmt.Errorf("list locations: %w", err)
	}
	var out []LocationRef
	for _, r := range rows {
		if r.Active == 1 {
			out = append(out, LocationRef{ID: r.ID, Code: r.Code, Name: r.Name})
		}
	}
	return out, nil
}
