package demo

import (
	"context"
	"encoding/json"
	"fmt"

	"switchyard/app"
	"switchyard/app/automation"
	store "switchyard/sql"
)

// demoAutomation is the demo's automation rules: big first orders held for a
// fraud review, express orders tagged and put first on the floor, and orders
// to a PO box held for an address check.
const demoAutomation = `{"rules": [
 {"name": "Big first orders", "enabled": true, "trigger": "order.received",
  "conditions": [{"field": "currency", "op": "eq", "value": "EUR"}, {"field": "total", "op": "gt", "value": "1000.00"},
                 {"field": "first_order", "op": "eq", "value": true}],
  "actions": [{"action": "hold", "reason": "fraud_review", "note": "first order over EUR 1,000"},
              {"action": "add_tag", "tag": "fraud-check"}]},
 {"name": "Express shipping first", "enabled": true, "trigger": "order.received",
  "conditions": [{"field": "tags", "op": "in", "value": ["express", "next-day"]}],
  "actions": [{"action": "add_tag", "tag": "priority"}, {"action": "priority", "priority": 50}]},
 {"name": "PO box addresses", "enabled": true, "trigger": "order.received",
  "conditions": [{"field": "delivery", "op": "eq", "value": "ship"}, {"field": "po_box", "op": "eq", "value": true}],
  "actions": [{"action": "hold", "reason": "address_check", "note": "carriers do not deliver parcels to a PO box"},
              {"action": "note", "text": "Ask the customer for a street address, change it on the order, then release the hold."}]}]}`

// seedAutomation publishes the demo's automation rules as version 1, once the
// demo's history is in (they act on the orders that come in afterwards; the
// page's simulation shows what they would have done to the history).
func seedAutomation(ctx context.Context, tx app.Tx) error {
	var rs automation.RuleSet
	if err := json.Unmarshal([]byte(demoAutomation), &rs); err != nil {
		return fmt.Errorf("demo automation: %w", err)
	}
	known, err := app.AutomationKnown(ctx, tx.Q)
	if err != nil {
		return err
	}
	if _, err := automation.Compile(rs, known); err != nil {
		return fmt.Errorf("demo automation: %w", err)
	}
	body, err := json.Marshal(rs)
	if err != nil {
		return fmt.Errorf("demo automation: %w", err)
	}
	if err := tx.Q.SaveAutomationRulesDraft(ctx, store.SaveAutomationRulesDraftParams{Body: string(body), SavedAt: app.Millis(tx.Now),
		SavedBy: app.System.Label()}); err != nil {
		return fmt.Errorf("demo automation draft: %w", err)
	}
	if _, err := tx.Q.PublishAutomationRules(ctx, store.PublishAutomationRulesParams{Body: string(body), Note: "the demo's examples",
		SavedAt: app.Millis(tx.Now), SavedBy: app.System.Label()}); err != nil {
		return fmt.Errorf("publish demo automation: %w", err)
	}
	return nil
}
