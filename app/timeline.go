package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	store "switchyard/sql"
)

// event is one timeline entry about to be written.
type NewEvent struct {
	Kind     string
	Message  string
	Data     map[string]any
	Customer bool // the customer may see it (tracking page)
}

// Event is one entry of an order's timeline.
type Event struct {
	ID              int64          `json:"id"`
	At              time.Time      `json:"at"`
	ActorKind       ActorKind      `json:"actor_kind"`
	ActorName       string         `json:"actor"`
	Kind            string         `json:"kind"`
	Message         string         `json:"message"`
	Data            map[string]any `json:"data,omitempty"`
	CustomerVisible bool           `json:"customer_visible"`
}

// AppendEvent writes one timeline entry for an order, inside tx.
func AppendEvent(ctx context.Context, tx Tx, orderID int64, actor Actor, e NewEvent) error {
	_, err := writeEvent(ctx, tx, orderID, actor, e)
	return err
}

// writeEvent is appendEvent, returning the entry as stored.
func writeEvent(ctx context.Context, tx Tx, orderID int64, actor Actor, e NewEvent) (store.OrderEvent, error) {
	data := "{}"
	if len(e.Data) > 0 {
		b, err := json.Marshal(e.Data)
		if err != nil {
			return store.OrderEvent{}, fmt.Errorf("event data: %w", err)
		}
		data = string(b)
	}
	var actorID sql.NullInt64
	if actor.ID != 0 {
		actorID = sql.NullInt64{Int64: actor.ID, Valid: true}
	}
	row := store.OrderEvent{
		OrderID: orderID, At: Millis(tx.Now), ActorKind: string(actor.Kind), ActorID: actorID, ActorName: actor.Label(),
		Kind: e.Kind, Message: e.Message, Data: data, CustomerVisible: BoolInt(e.Customer),
	}
	id, err := tx.Q.InsertOrderEvent(ctx, store.InsertOrderEventParams{
		OrderID: row.OrderID, At: row.At, ActorKind: row.ActorKind, ActorID: row.ActorID, ActorName: row.ActorName,
		Kind: row.Kind, Message: row.Message, Data: row.Data, CustomerVisible: row.CustomerVisible,
	})
	if err != nil {
		return store.OrderEvent{}, fmt.Errorf("append %s event: %w", e.Kind, err)
	}
	row.ID = id
	if err := enqueueTimelineWebhook(ctx, tx, orderID, e); err != nil {
		return store.OrderEvent{}, err
	}
	return row, nil
}

// eventFromRow maps a stored timeline entry.
func eventFromRow(r store.OrderEvent) Event {
	e := Event{
		ID: r.ID, At: FromMillis(r.At), ActorKind: ActorKind(r.ActorKind), ActorName: r.ActorName, Kind: r.Kind,
		Message: r.Message, CustomerVisible: r.CustomerVisible == 1,
	}
	if r.Data != "" && r.Data != "{}" {
		_ = json.Unmarshal([]byte(r.Data), &e.Data) // written by appendEvent: always valid JSON
	}
	return e
}

// AddNote adds an internal note by a person to an order's timeline.
func (a *App) AddNote(ctx context.Context, actor Actor, number, text string) (Order, error) {
	text = strings.TrimSpace(text)
	f := FieldsError{}
	requireText(f, "note", text, 2000)
	checkNoteText(f, "note", text)
	if err := f.Err("note is invalid"); err != nil {
		return Order{}, err
	}
	return a.changeOrder(ctx, actor, number, MoveAddNote, func(tx Tx, o store.Order) error {
		if err := actor.worksOnOrder(ctx, tx, o.ID); err != nil {
			return NotFound("no order %s", number) // not theirs: as if unknown, as for fulfillments
		}
		return AppendEvent(ctx, tx, o.ID, actor, NewEvent{Kind: "note", Message: text})
	})
}

// worksOnOrder refuses a warehouse user an order that has no fulfillment at
// one of their locations (any status: a rejected or shipped one still counts).
// Everyone else passes.
func (a Actor) worksOnOrder(ctx context.Context, tx Tx, orderID int64) error {
	if a.Kind != ActorUser || a.Role != RoleWarehouse {
		return nil
	}
	locs, err := tx.Q.ListUserLocations(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("user locations: %w", err)
	}
	fs, err := tx.Q.ListOrderFulfillments(ctx, orderID)
	if err != nil {
		return fmt.Errorf("order fulfillments: %w", err)
	}
	for _, f := range fs {
		for _, l := range locs {
			if l.Code == f.Location {
				return nil
			}
		}
	}
	return NotFound("no order with work at your locations")
}
