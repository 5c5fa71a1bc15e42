package automation

import (
	"encoding/json"
	"strconv"
)

// Triggers: the changes of an order (or its fulfillments and stock) a rule may run on.
const (
	OrderReceived       = "order.received"
	OrderRouted         = "order.routed"
	OrderBackordered    = "order.backordered"
	OrderHeld           = "order.held"
	OrderShipped        = "order.shipped"
	OrderDelivered      = "order.delivered"
	OrderLate           = "order.late"
	OrderReturned       = "order.returned"
	FulfillmentRejected = "fulfillment.rejected"
	StockShort          = "stock.short"
)

// Triggers lists every trigger a rule may name.
var Triggers = []string{OrderReceived, OrderRouted, OrderBackordered, OrderHeld, OrderShipped, OrderDelivered,
	OrderLate, OrderReturned, FulfillmentRejected, StockShort}

// Operators.
const (
	OpEq       = "eq"
	OpNe       = "ne"
	OpGt       = "gt"
	OpGte      = "gte"
	OpLt       = "lt"
	OpLte      = "lte"
	OpIn       = "in"
	OpContains = "contains"
)

// Actions.
const (
	ActHold      = "hold"
	ActRelease   = "release"
	ActAddTag    = "add_tag"
	ActRemoveTag = "remove_tag"
	ActNote      = "note"
	ActPriority  = "priority"
	ActWebhook   = "webhook"
	ActReroute   = "reroute"
)

// ActionNames lists every action a rule may take.
var ActionNames = []string{ActHold, ActRelease, ActAddTag, ActRemoveTag, ActNote, ActPriority, ActWebhook, ActReroute}

// Limits of a document.
const (
	MaxRules      = 100
	MaxConditions = 20
	MaxActions    = 10
	MaxNameLen    = 100
	MaxTextLen    = 500
	MaxTagLen     = 40
	MaxPriority   = 100
	MaxInValues   = 100
	MaxDays       = 3650
)

// RuleSet is a version of the automation rules (0: the draft), in the order they run.
type RuleSet struct {
	Version int    `json:"version"`
	Rules   []Rule `json:"rules"`
}

// Rule is one automation rule: when (trigger), if (all conditions hold), do (actions).
type Rule struct {
	Name       string      `json:"name"`
	Enabled    bool        `json:"enabled"`
	Trigger    string      `json:"trigger"`
	Conditions []Condition `json:"conditions"`
	Actions    []Action    `json:"actions"`
}

// Condition compares one fact of the order with a value. Days is the window
// of orders_in_days.
type Condition struct {
	Field string          `json:"field"`
	Op    string          `json:"op"`
	Value json.RawMessage `json:"value"`
	Days  int             `json:"days,omitempty"`
}

// Action is one thing a rule does; which fields count depends on Action.
type Action struct {
	Action   string `json:"action"`
	Reason   string `json:"reason,omitempty"`   // hold
	Note     string `json:"note,omitempty"`     // hold: words for people
	Tag      string `json:"tag,omitempty"`      // add_tag, remove_tag
	Text     string `json:"text,omitempty"`     // note
	Priority *int   `json:"priority,omitempty"` // priority
	Event    string `json:"event,omitempty"`    // webhook: a name for the receiver
	Rule     string `json:"rule,omitempty"`     // reroute: a routing rule's name
}

// Words says what an action does, for a simulation or a list of rules.
func (a Action) Words() string {
	switch a.Action {
	case ActHold:
		return "hold (" + a.Reason + ")"
	case ActRelease:
		return "release the hold"
	case ActAddTag:
		return "add the tag “" + a.Tag + "”"
	case ActRemoveTag:
		return "remove the tag “" + a.Tag + "”"
	case ActNote:
		return "note: " + a.Text
	case ActPriority:
		if a.Priority != nil {
			return "set the priority to " + strconv.Itoa(*a.Priority)
		}
	case ActWebhook:
		if a.Event != "" {
			return "send the webhook event “" + a.Event + "”"
		}
		return "send a webhook event"
	case ActReroute:
		return "route again (" + a.Rule + ")"
	}
	return a.Action
}
