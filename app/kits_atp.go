package app

import (
	"context"
	"fmt"

	store "switchyard/sql"
)

// kitATP is what channel ch may sell of the kits among codes, before the
// channel is checked active; plain SKUs are not in the map. One statement over
// the kept kit_levels (app/kit_levels.go): the sum of what each kit allows at
// the locations serving the channel, less its buffer, never below 0, and 0
// for a kit with an inactive component.
func kitATP(ctx context.Context, q *store.Queries, ch store.Channel, codes []string) (map[string]int64, error) {
	rows, err := q.KitAvailability(ctx, store.KitAvailabilityParams{Buffer: ch.Buffer, ChannelID: ch.ID, Codes: codes})
	if err != nil {
		return nil, fmt.Errorf("availability of kits: %w", err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Sku] = r.Available
	}
	return out, nil
}
