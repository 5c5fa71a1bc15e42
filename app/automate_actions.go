package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"switchyard/app/automation"
	"switchyard/app/routing"
	store "switchyard/sql"
)

// triggerWords says what fired a rule, for the timeline ("when the order was received").
func triggerWords(trigger string) string {
	switch trigger {
	case automation.OrderReceived:
		return "received"
	case automation.OrderRouted:
		return "routed"
	case automation.OrderBackordered:
		return "backordered"
	case automation.OrderHeld:
		return "put on hold"
	case automation.OrderShipped:
		return "shipped"
	case automation.OrderDelivered:
		return "delivered"
	case automation.OrderLate:
		return "late"
	case automation.OrderReturned:
		return "returned"
	case automation.FulfillmentRejected:
		return "rejected by a location"
	case automation.StockShort:
		return "short of stock"
	}
	return trigger
}

// automationActor is who automation rules act as on the timeline (the
// entry's words name the rule).
func automationActor(string) Actor { return Actor{Kind: ActorSystem, Name: "Automation"} }

// applyMatch does one matching rule's actions in order and explains them on
// the timeline: a hold or release in an entry of its own (which is also the
// order.held or order.released webhook), the rest in one entry.
func applyMatch(ctx context.Context, tx Tx, orderID int64, trigger string, m automation.Match) error {
	who := "Automation rule “" + m.Name + "”"
	var did []string
	data := map[string]any{"rule": m.Name, "trigger": trigger}
	for _, a := range m.Actions {
		words, err := applyAction(ctx, tx, orderID, trigger, m.Name, a)
		if err != nil {
			return fmt.Errorf("automation rule %q, %s: %w", m.Name, a.Action, err)
		}
		if words != "" {
			did = append(did, words)
		}
	}
	if len(did) == 0 {
		return nil
	}
	msg := who + " (the order was " + triggerWords(trigger) + ") " + andList(did) + "."
	return AppendEvent(ctx, tx, orderID, automationActor(m.Name), NewEvent{Kind: "automation", Message: msg, Data: data})
}

// applyAction does one action and says what it did ("" when it had nothing to
// do and said so elsewhere, or nothing to say).
func applyAction(ctx context.Context, tx Tx, orderID int64, trigger, rule string, a automation.Action) (string, error) {
	o, err := tx.Q.GetOrder(ctx, orderID)
	if err != nil {
		return "", fmt.Errorf("get order: %w", err)
	}
	switch a.Action {
	case automation.ActHold:
		return autoHold(ctx, tx, o, rule, a)
	case automation.ActRelease:
		return autoRelease(ctx, tx, o, rule)
	case automation.ActAddTag, automation.ActRemoveTag:
		return autoTag(ctx, tx, o, a)
	case automation.ActNote:
		return "noted: " + a.Text, nil
	case automation.ActPriority:
		if err := tx.Q.SetOrderPriority(ctx, store.SetOrderPriorityParams{Priority: int64(*a.Priority), UpdatedAt: Millis(tx.Now), ID: o.ID}); err != nil {
			return "", fmt.Errorf("set priority: %w", err)
		}
		if err := tx.Q.SetFulfillmentsPriority(ctx, store.SetFulfillmentsPriorityParams{Priority: int64(*a.Priority), OrderID: o.ID}); err != nil {
			return "", fmt.Errorf("set fulfillments' priority: %w", err)
		}
		return fmt.Sprintf("set its priority to %d (from %d)", *a.Priority, o.Priority), nil
	case automation.ActWebhook:
		return autoWebhook(ctx, tx, o, trigger, rule, a)
	case automation.ActReroute:
		return autoReroute(ctx, tx, o, rule, a)
	}
	return "", fmt.Errorf("unknown action %q", a.Action)
}

// autoHold holds the order unless it is held already or past holding.
func autoHold(ctx context.Context, tx Tx, o store.Order, rule string, a automation.Action) (string, error) {
	if o.OnHold == 1 {
		return "left the hold (" + HoldReasonLabel(o.HoldReason) + ") in place", nil
	}
	if !CanMove(Status(o.Status), MoveHold) {
		return "did not hold the order: it is " + Status(o.Status).Label(), nil
	}
	if err := setFlags(ctx, tx, o, 1, a.Reason, o.Cancelled); err != nil {
		return "", err
	}
	if err := refreshStatus(ctx, tx, o.ID); err != nil {
		return "", err
	}
	msg := "Automation rule “" + rule + "” held the order " + HoldWhy(a.Reason)
	if a.Note != "" {
		msg += ": " + a.Note
	}
	if err := AppendEvent(ctx, tx, o.ID, automationActor(rule), NewEvent{Kind: "held", Message: msg + ".",
		Data: map[string]any{"reason": a.Reason, "note": a.Note, "rule": rule}}); err != nil {
		return "", err
	}
	_, err := Automate(ctx, tx, o.ID, automation.OrderHeld)
	return "", err
}

// autoRelease takes the order off hold and routes it, as a person's release does.
func autoRelease(ctx context.Context, tx Tx, o store.Order, rule string) (string, error) {
	if o.OnHold == 0 || !CanMove(Status(o.Status), MoveRelease) {
		return "found the order not on hold: nothing to release", nil
	}
	if err := setFlags(ctx, tx, o, 0, "", o.Cancelled); err != nil {
		return "", err
	}
	if err := AppendEvent(ctx, tx, o.ID, automationActor(rule), NewEvent{Kind: "released",
		Message: "Automation rule “" + rule + "” released the hold (" + HoldReasonLabel(o.HoldReason) + "): the order goes ahead.",
		Data:    map[string]any{"rule": rule}}); err != nil {
		return "", err
	}
	return "", routeInTx(ctx, tx, o.ID, TriggerRelease, System, nil)
}

// autoTag adds or removes one order tag (order.tags and the tag index).
func autoTag(ctx context.Context, tx Tx, o store.Order, a automation.Action) (string, error) {
	tag := strings.ToLower(strings.TrimSpace(a.Tag))
	tags := SplitTags(o.Tags)
	has := slices.Contains(tags, tag)
	if a.Action == automation.ActAddTag {
		if has {
			return "found the tag “" + tag + "” there already", nil
		}
		tags = normTags(append(tags, tag))
		if err := tx.Q.InsertOrderTag(ctx, store.InsertOrderTagParams{Tag: tag, PlacedAt: o.PlacedAt, OrderID: o.ID}); err != nil {
			return "", fmt.Errorf("add tag: %w", err)
		}
	} else {
		if !has {
			return "", nil
		}
		tags = slices.DeleteFunc(tags, func(t string) bool { return t == tag })
		if err := tx.Q.DeleteOrderTag(ctx, store.DeleteOrderTagParams{Tag: tag, PlacedAt: o.PlacedAt, OrderID: o.ID}); err != nil {
			return "", fmt.Errorf("remove tag: %w", err)
		}
	}
	if err := tx.Q.SetOrderTags(ctx, store.SetOrderTagsParams{Tags: joinTags(tags), UpdatedAt: Millis(tx.Now), ID: o.ID}); err != nil {
		return "", fmt.Errorf("store tags: %w", err)
	}
	if a.Action == automation.ActAddTag {
		return "tagged the order “" + tag + "”", nil
	}
	return "removed the tag “" + tag + "”", nil
}

// AutomationEventData is the data of an automation.rule_fired webhook event.
type AutomationEventData struct {
	Channel string        `json:"channel"`
	Order   EventOrderRef `json:"order"`
	Rule    string        `json:"rule"`
	Trigger string        `json:"trigger"`
	Event   string        `json:"event,omitempty"` // the name the rule gave it
}

// autoWebhook sends a Standard Webhooks event to the endpoints subscribed to automation.rule_fired.
func autoWebhook(ctx context.Context, tx Tx, o store.Order, trigger, rule string, a automation.Action) (string, error) {
	err := enqueueWebhooksOf(ctx, tx, o.ID, EventAutomation, func() (any, error) {
		f, err := tx.Q.OrderOutboxFacts(ctx, o.ID)
		if err != nil {
			return nil, fmt.Errorf("order facts: %w", err)
		}
		return AutomationEventData{Channel: f.ChannelCode, Order: EventOrderRef{Number: f.Number, ExternalID: f.ExternalID},
			Rule: rule, Trigger: trigger, Event: a.Event}, nil
	})
	if err != nil {
		return "", err
	}
	if a.Event != "" {
		return "sent the webhook event “" + a.Event + "”", nil
	}
	return "sent a webhook event", nil
}

// autoReroute routes what is open of the order again with the routing rule
// the action names, forced whatever its conditions say. When that rule is no
// longer an enabled rule of the published routing rules, the rules in force
// choose instead, and the timeline says so (the change that fired the rule
// still goes through).
func autoReroute(ctx context.Context, tx Tx, o store.Order, rule string, a automation.Action) (string, error) {
	if !CanMove(Status(o.Status), MoveRoute) || o.OnHold == 1 {
		return "did not route the order again: it is " + Status(o.Status).Label(), nil
	}
	view, err := tx.network(ctx)
	if err != nil {
		return "", err
	}
	rs, err := view.activeRules(ctx)
	if err != nil {
		return "", err
	}
	force := forceRequest{rule: a.Rule, note: "Routed again with the rule “" + a.Rule + "”, as automation rule “" + rule + "” asked."}
	words := "routed the order again with the routing rule “" + a.Rule + "”"
	if _, _, ok := routing.ForcedRule(rs, a.Rule); !ok {
		force = forceRequest{note: "Automation rule “" + rule + "” asked to route again with the rule “" + a.Rule +
			"”, which is no longer an enabled published routing rule: routed again with the rules in force."}
		words = "routed the order again with the rules in force (the routing rule “" + a.Rule + "” is no longer published and enabled)"
	}
	if err := giveBackOpen(ctx, tx, o.ID, false); err != nil {
		return "", err
	}
	if err := routeForced(ctx, tx, o.ID, TriggerAutomation, System, force); err != nil {
		return "", err
	}
	return words, nil
}
