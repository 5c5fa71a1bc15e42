package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// timelineWebhooks are the timeline entries that are also webhook events:
// an endpoint subscribed to the event gets the entry, in the same
// transaction that wrote it.
var timelineWebhooks = map[string]string{
	"received":             EventOrderCreated,
	"routed":               EventOrderRouted,
	"rerouted":             EventOrderRouted,
	"routing_held":         EventOrderHeld,
	"held":                 EventOrderHeld,
	"released":             EventOrderReleased,
	"fulfillment_accepted": EventFulfillmentAccepted,
	"fulfillment_rejected": EventFulfillmentRejected,
	"stock_short":          EventStockShort,
}

// TimelineEventData is the data of a webhook event told by the timeline: the
// order, and the entry in plain words with its details.
type TimelineEventData struct {
	Channel string         `json:"channel"`
	Order   EventOrderRef  `json:"order"`
	Kind    string         `json:"kind"`    // the timeline entry's kind
	Message string         `json:"message"` // what happened, in plain words
	At      time.Time      `json:"at"`
	Details map[string]any `json:"details"` // the entry's facts (rule, decision, reason, location, sku, ...)
}

// EventOrderRef names the order an event is about.
type EventOrderRef struct {
	Number     string `json:"number"`
	ExternalID string `json:"external_id"`
}

// enqueueTimelineWebhook tells the endpoints subscribed to the event that
// the timeline entry e of the order is, if it is one.
func enqueueTimelineWebhook(ctx context.Context, tx Tx, orderID int64, e NewEvent) error {
	event, ok := timelineWebhooks[e.Kind]
	if !ok {
		return nil
	}
	return enqueueWebhooksOf(ctx, tx, orderID, event, func() (any, error) {
		o, err := tx.Q.OrderOutboxFacts(ctx, orderID)
		if err != nil {
			return nil, fmt.Errorf("order facts for %s: %w", event, err)
		}
		details := map[string]any{}
		if len(e.Data) > 0 { // a copy through JSON: the event owns its own
			b, err := json.Marshal(e.Data)
			if err != nil {
				return nil, fmt.Errorf("details of %s: %w", event, err)
			}
			if err := json.Unmarshal(b, &details); err != nil {
				return nil, fmt.Errorf("details of %s: %w", event, err)
			}
		}
		return TimelineEventData{Channel: o.ChannelCode, Order: EventOrderRef{Number: o.Number, ExternalID: o.ExternalID},
			Kind: e.Kind, Message: e.Message, At: tx.Now, Details: details}, nil
	})
}
