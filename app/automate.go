package app

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"sync"

	"switchyard/app/automation"
	"switchyard/app/money"
	"switchyard/app/routing"
	store "switchyard/sql"
)

// EventAutomation is the webhook event an automation rule's webhook action sends.
const EventAutomation = "automation.rule_fired"

// maxAutomationDepth bounds triggers fired by actions of rules fired by
// triggers (a hold fires order.held, whose rule releases, which routes...):
// beyond it the actions still apply but fire no further rules.
const maxAutomationDepth = 3

// automationDepthKey carries how deep in a chain of triggers a run is.
type automationDepthKey struct{}

// automationDepth is the depth of the run ctx belongs to (0: a person's or
// channel's change).
func automationDepth(ctx context.Context) int {
	d, _ := ctx.Value(automationDepthKey{}).(int)
	return d
}

// AutomationKnown is what automation rules are checked against: the hold
// reasons and the published routing rules' names (and the default rule's).
func AutomationKnown(ctx context.Context, q *store.Queries) (automation.Known, error) {
	k := automation.Known{HoldReasons: HoldReasons, RoutingRules: []string{routing.DefaultRuleName}}
	rs, err := activeRules(ctx, q)
	if err != nil {
		return k, err
	}
	for _, r := range rs.Rules {
		k.RoutingRules = append(k.RoutingRules, r.Name)
	}
	return k, nil
}

// PublishedAutomation reads the automation rules in force (nil: none published).
func PublishedAutomation(ctx context.Context, q *store.Queries) (*automation.Program, error) {
	row, err := q.LatestAutomationRules(ctx)
	if store.IsNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("automation rules: %w", err)
	}
	return compileAutomation(row)
}

// publishedAutomation is PublishedAutomation through the transaction's
// cache: the row in force is read each time, and compiled only when its
// version differs from the cached one (a published version never changes).
func publishedAutomation(ctx context.Context, tx Tx) (*automation.Program, error) {
	if tx.cache == nil {
		return PublishedAutomation(ctx, tx.Q)
	}
	row, err := tx.Q.LatestAutomationRules(ctx)
	if store.IsNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("automation rules: %w", err)
	}
	c := &tx.cache.auto
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.prog != nil && c.version == row.Version {
		return c.prog, nil
	}
	p, err := compileAutomation(row)
	if err != nil {
		return nil, err
	}
	c.version, c.prog = row.Version, p
	return p, nil
}

// automationCache is the compiled rules of one published version, shared
// read-only by the transactions that read that version.
type automationCache struct {
	mu      sync.Mutex
	version int64
	prog    *automation.Program
}

// compileAutomation parses and compiles a published version's rules.
func compileAutomation(row store.AutomationRule) (*automation.Program, error) {
	var rs automation.RuleSet
	if err := json.Unmarshal([]byte(row.Body), &rs); err != nil {
		return nil, fmt.Errorf("automation rules v%d: %w", row.Version, err)
	}
	rs.Version = int(row.Version)
	// Checked when published; hold reasons only ever grow, and a routing rule
	// renamed or disabled since is a reroute that routes with the rules in
	// force (autoReroute says so on the timeline).
	p, err := automation.Compile(rs, automation.Known{HoldReasons: HoldReasons})
	if err != nil {
		return nil, fmt.Errorf("automation rules v%d: %w", row.Version, err)
	}
	return p, nil
}

// Automate runs the published automation rules on trigger for an order,
// inside the transaction of the change that fired it: at most once per order
// and trigger, the matching rules' actions in rule order, each firing
// explained on the timeline. It reports whether any rule matched.
func Automate(ctx context.Context, tx Tx, orderID int64, trigger string) (bool, error) {
	depth := automationDepth(ctx)
	if depth >= maxAutomationDepth {
		return false, nil
	}
	p, err := publishedAutomation(ctx, tx)
	if err != nil || p == nil {
		return false, err
	}
	return automateWith(ctx, tx, p, orderID, trigger)
}

// automateWith is Automate with the published rules already read.
func automateWith(ctx context.Context, tx Tx, p *automation.Program, orderID int64, trigger string) (bool, error) {
	depth := automationDepth(ctx)
	if depth >= maxAutomationDepth || !p.Has(trigger) {
		return false, nil
	}
	n, err := tx.Q.MarkAutomationFired(ctx, store.MarkAutomationFiredParams{OrderID: orderID, Trigger: trigger,
		Version: int64(p.Set.Version), FiredAt: Millis(tx.Now)})
	if err != nil {
		return false, fmt.Errorf("mark automation fired: %w", err)
	}
	if n == 0 {
		return false, nil // this trigger's rules already ran for the order
	}
	o, err := tx.Q.GetOrder(ctx, orderID)
	if err != nil {
		return false, fmt.Errorf("get order: %w", err)
	}
	facts, err := AutomationFacts(ctx, tx, o, p.Needs(trigger))
	if err != nil {
		return false, err
	}
	matches := p.Evaluate(trigger, facts)
	if len(matches) == 0 {
		return false, nil
	}
	names := make([]string, len(matches))
	for i, m := range matches {
		names[i] = m.Name
	}
	if err := tx.Q.SetAutomationFiredRules(ctx, store.SetAutomationFiredRulesParams{Rules: strings.Join(names, "\n"),
		OrderID: orderID, Trigger: trigger}); err != nil {
		return false, fmt.Errorf("automation fired rules: %w", err)
	}
	inner := context.WithValue(ctx, automationDepthKey{}, depth+1)
	for _, m := range matches {
		if err := applyMatch(inner, tx, orderID, trigger, m); err != nil {
			return false, err
		}
	}
	return true, refreshStatus(ctx, tx, orderID)
}

// automateAll runs Automate for each trigger in turn, reporting whether any rule matched.
func automateAll(ctx context.Context, tx Tx, orderID int64, triggers ...string) (bool, error) {
	matched := false
	for _, t := range triggers {
		fired, err := Automate(ctx, tx, orderID, t)
		if err != nil {
			return false, err
		}
		matched = matched || fired
	}
	return matched, nil
}

// AutomationFacts gathers what the rules read of an order, the costly facts
// only when needs says a rule reads them.
func AutomationFacts(ctx context.Context, tx Tx, o store.Order, needs automation.Needs) (automation.Facts, error) {
	f := automation.Facts{Country: o.ShipCountry, Currency: o.Currency, EmailDomain: automation.EmailDomain(o.CustomerEmail),
		Delivery: o.Delivery, Tags: SplitTags(o.Tags), OrdersInDays: map[int]int64{}}
	ch, err := tx.Q.GetChannel(ctx, o.ChannelID)
	if err != nil {
		return f, fmt.Errorf("order channel: %w", err)
	}
	f.Channel = ch.Code
	f.Total = majorUnits(o.Total, o.Currency)
	lines, err := tx.Q.ListOrderLines(ctx, o.ID)
	if err != nil {
		return f, fmt.Errorf("order lines: %w", err)
	}
	for _, l := range lines {
		f.SKUs = append(f.SKUs, l.Sku)
		f.Quantity += l.Quantity
	}
	if o.Delivery == "ship" {
		f.POBox = automation.LooksLikePOBox(o.ShipLine1, o.ShipLine2)
		f.AddressCheckFailed = automation.AddressIncomplete(o.ShipLine1, o.ShipCity, o.ShipCountry)
	}
	if needs.SKUTags {
		tags, err := tx.Q.SKUTagsOfOrder(ctx, o.ID)
		if err != nil {
			return f, fmt.Errorf("SKU tags: %w", err)
		}
		for _, t := range tags {
			f.SKUTags = append(f.SKUTags, SplitTags(t)...)
		}
	}
	if err := customerFacts(ctx, tx, o, needs, &f); err != nil {
		return f, err
	}
	if needs.Promise && o.PromisedDeliveryBy.Valid {
		d := (o.PromisedDeliveryBy.Int64 - Millis(tx.Now)) / (24 * 3600 * 1000)
		f.PromiseDays = &d
	}
	return f, nil
}

// customerFacts counts the orders of the order's email: ever (up to this
// one), and in each window a rule names.
func customerFacts(ctx context.Context, tx Tx, o store.Order, needs automation.Needs, f *automation.Facts) error {
	if o.CustomerEmail == "" {
		return nil
	}
	if needs.CustomerCount {
		n, err := tx.Q.CountOrdersOfEmail(ctx, store.CountOrdersOfEmailParams{Email: o.CustomerEmail, Until: o.PlacedAt})
		if err != nil {
			return fmt.Errorf("orders of the customer: %w", err)
		}
		f.CustomerOrderCount = n
	}
	for _, days := range needs.Days {
		n, err := tx.Q.CountOrdersOfEmailSince(ctx, store.CountOrdersOfEmailSinceParams{Email: o.CustomerEmail,
			Since: Millis(tx.Now) - int64(days)*24*3600*1000, Until: max(Millis(tx.Now), o.PlacedAt)})
		if err != nil {
			return fmt.Errorf("recent orders of the customer: %w", err)
		}
		f.OrdersInDays[days] = n
	}
	return nil
}

// majorUnits is an amount in minor units as an exact number of major units.
func majorUnits(minor int64, currency string) *big.Rat {
	cur, ok := money.LookupCurrency(currency)
	exp := 2
	if ok {
		exp = cur.Exponent
	}
	return new(big.Rat).SetFrac(big.NewInt(minor), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil))
}

// stateTriggers are the triggers an order's state after a change fires:
// routed when it has a fulfillment, backordered when a line waits for
// stock, held when it is on hold.
func stateTriggers(ctx context.Context, tx Tx, orderID int64) ([]string, error) {
	o, err := tx.Q.GetOrder(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("get order: %w", err)
	}
	var out []string
	fs, err := tx.Q.ListOrderFulfillments(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("order fulfillments: %w", err)
	}
	if len(fs) > 0 {
		out = append(out, automation.OrderRouted)
	}
	lines, err := tx.Q.ListOrderLines(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("order lines: %w", err)
	}
	for _, l := range lines {
		if l.Backordered > 0 {
			out = append(out, automation.OrderBackordered)
			break
		}
	}
	if o.OnHold == 1 {
		out = append(out, automation.OrderHeld)
	}
	return out, nil
}

// automateIntake runs the rules of a new order: order.received, then what its
// state after intake (and those rules) fires.
func automateIntake(ctx context.Context, tx Tx, orderID int64) (bool, error) {
	p, err := publishedAutomation(ctx, tx)
	if err != nil || p == nil {
		return false, err // no rules in force: one read of one row per intake
	}
	fired, err := automateWith(ctx, tx, p, orderID, automation.OrderReceived)
	if err != nil {
		return false, err
	}
	if !p.Has(automation.OrderRouted) && !p.Has(automation.OrderBackordered) && !p.Has(automation.OrderHeld) {
		return fired, nil
	}
	ts, err := stateTriggers(ctx, tx, orderID)
	if err != nil {
		return false, err
	}
	for _, t := range ts {
		more, err := Automate(ctx, tx, orderID, t) // read again: a rule above may have acted
		if err != nil {
			return false, err
		}
		fired = fired || more
	}
	return fired, nil
}

// decisionTriggers are the triggers a routing decision fires.
func decisionTriggers(d routing.Decision) []string {
	var out []string
	if len(d.Shipments) > 0 {
		out = append(out, automation.OrderRouted)
	}
	if len(d.Backorders) > 0 {
		out = append(out, automation.OrderBackordered)
	}
	if d.Hold {
		out = append(out, automation.OrderHeld)
	}
	return out
}
