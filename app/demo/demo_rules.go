package demo

import (
	"switchyard/app"

	"context"
	"encoding/json"
	"fmt"

	"switchyard/app/routing"
	store "switchyard/sql"
)

// euCountries are where the demo's EU warehouses and stores ship.
var euCountries = []string{"FR", "DE", "NL", "ES", "BE", "IT", "AT", "PT", "LU"}

// demoRules route the demo network: US orders from the 3PL, oversize pieces
// only from warehouses and the furniture dropshipper, EU orders from the
// closest warehouse with everything, stores only when no warehouse can.
// Oversize orders go by cost: the cheapest combination under the cost model,
// with 5.00 for each extra parcel.
func demoRules() routing.RuleSet {
	split := routing.Split{Allow: true, MaxShipments: 2}
	penalty := routing.Decimal("5.00")
	byCost := routing.Split{Allow: true, MaxShipments: 2, Penalty: &penalty}
	return routing.RuleSet{Rules: []routing.Rule{
		{Name: "US from the 3PL", Enabled: true, When: routing.When{Countries: []string{"US"}},
			Filters: routing.Filters{Kinds: []string{"3pl"}, RespectCapacity: true, RespectSafetyStock: true},
			Rank:    []string{"fewest_shipments", "closest"}, Split: split, MissingStock: "backorder"},
		{Name: "Oversize from warehouses", Enabled: true, When: routing.When{SKUTags: []string{"oversize"}},
			Filters: routing.Filters{Kinds: []string{"warehouse", "dropship"}, RespectCapacity: true, RespectSafetyStock: true},
			Rank:    []string{"fewest_shipments", "lowest_cost", "closest"}, Split: byCost, MissingStock: "hold",
			Assign: routing.AssignOptimalCost},
		{Name: "EU warehouses first", Enabled: true, When: routing.When{Countries: euCountries},
			Filters: routing.Filters{Kinds: []string{"warehouse", "store"}, RespectCapacity: true, RespectSafetyStock: true},
			Rank:    []string{"fewest_shipments", "rank", "closest"}, Split: split, MissingStock: "backorder"},
	}}
}

// seedRules publishes the demo rules as version 1.
func seedRules(ctx context.Context, tx app.Tx) error {
	body, err := json.Marshal(demoRules())
	if err != nil {
		return err
	}
	if err := tx.Q.PutDraftRules(ctx, store.PutDraftRulesParams{Rules: string(body), UpdatedBy: app.System.Label(), UpdatedAt: app.Millis(tx.Now)}); err != nil {
		return fmt.Errorf("demo rules: %w", err)
	}
	if _, err := tx.Q.PublishRules(ctx, store.PublishRulesParams{PublishedBy: app.System.Label(), PublishedAt: app.NullInt(app.Millis(tx.Now))}); err != nil {
		return fmt.Errorf("publish demo rules: %w", err)
	}
	return nil
}
