package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"switchyard/app/tracking"
	store "switchyard/sql"
)

// CorrectTrackingInput is a shipment's carrier and tracking number as they should have been.
type CorrectTrackingInput struct {
	Carrier        string `json:"carrier" form:"carrier"`
	TrackingNumber string `json:"tracking_number" form:"tracking_number"`
}

// ShipmentRef is a shipment as the correction form shows it.
type ShipmentRef struct {
	ID             int64
	FulfillmentID  int64
	OrderNumber    string
	Location       string
	LocationName   string
	Carrier        string
	TrackingNumber string
	Warning        string
}

// ShipmentFor reads a shipment the actor may correct: support, ops and
// admins any (within an API key's channel), warehouse users only those that
// left one of their locations (others are not found). Pickups have no
// tracking to correct.
func (a *App) ShipmentFor(ctx context.Context, actor Actor, id int64) (ShipmentRef, error) {
	var ref ShipmentRef
	err := a.db.Snapshot(ctx, func(q *store.Queries) error {
		s, err := shipmentFor(ctx, Tx{Q: q}, actor, id)
		ref = shipmentRefOf(s)
		return err
	})
	return ref, err
}

// shipmentFor is ShipmentFor on tx.
func shipmentFor(ctx context.Context, tx Tx, actor Actor, id int64) (store.GetShipmentRow, error) {
	if err := actor.Require(RoleAdmin, RoleOps, RoleSupport, RoleWarehouse); err != nil {
		return store.GetShipmentRow{}, err
	}
	s, err := tx.Q.GetShipment(ctx, id)
	if store.IsNoRows(err) {
		return s, NotFound("no shipment %d", id)
	} else if err != nil {
		return s, fmt.Errorf("get shipment: %w", err)
	}
	if err := actor.KnowsLocation(ctx, tx, s.Location); err != nil {
		return s, NotFound("no shipment %d", id)
	}
	if ok, err := actor.Reach().allowsOrderID(ctx, tx.Q, s.OrderID); err != nil {
		return s, err
	} else if !ok {
		return s, NotFound("no shipment %d", id)
	}
	if s.Carrier == CarrierPickup {
		return s, Conflict("shipment %d is a pickup at the counter: it has no tracking number to correct", id)
	}
	return s, nil
}

// shipmentRefOf is the form's view of a shipment row.
func shipmentRefOf(s store.GetShipmentRow) ShipmentRef {
	return ShipmentRef{ID: s.ID, FulfillmentID: s.FulfillmentID, OrderNumber: s.OrderNumber, Location: s.Location,
		LocationName: s.LocationName, Carrier: s.Carrier, TrackingNumber: s.TrackingNumber, Warning: s.TrackingWarning}
}

// CorrectTracking replaces a shipment's carrier and tracking number, in one
// transaction: the shipment, a timeline entry ("Tracking number corrected
// from X to Y by Z") and the messages that tell the channel again (Shopify's
// fulfillment tracking, a WooCommerce order note, the order.tracking_updated
// webhook). A number that does not look like the carrier's is a warning, as
// when shipping; an unknown carrier, a blank number, characters that are
// neither letters nor digits, or no change at all are refused.
func (a *App) CorrectTracking(ctx context.Context, actor Actor, shipmentID int64, in CorrectTrackingInput) (ShipResult, error) {
	check, err := checkCorrection(&in)
	if err != nil {
		return ShipResult{}, err
	}
	var orderID int64
	err = a.Write(ctx, func(tx Tx) error {
		s, err := shipmentFor(ctx, tx, actor, shipmentID)
		if err != nil {
			return err
		}
		orderID = s.OrderID
		return correctTrackingInTx(ctx, tx, actor, s, in.Carrier, check)
	})
	if err != nil {
		return ShipResult{}, err
	}
	o, err := a.OrderByID(ctx, orderID)
	return ShipResult{Order: o, Warning: check.Warning}, err
}

// checkCorrection checks the carrier and the number's characters; the format is the warning's.
func checkCorrection(in *CorrectTrackingInput) (tracking.Check, error) {
	f := FieldsError{}
	checkTextFields(f, "", in)
	in.Carrier = strings.TrimSpace(in.Carrier)
	if !slices.ContainsFunc(tracking.Carriers(), func(c tracking.Carrier) bool { return c.Code == in.Carrier }) {
		f.Add("carrier", "must be one of the carriers listed")
	}
	check := tracking.Validate(in.Carrier, in.TrackingNumber)
	switch {
	case check.Number == "":
		f.Add("tracking_number", "is required")
	case len(check.Number) > 40:
		f.Add("tracking_number", "must be 40 characters or fewer")
	case strings.IndexFunc(check.Number, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) >= 0:
		f.Add("tracking_number", "may hold only letters and digits (spaces and dashes are left out)")
	}
	return check, f.Err("tracking correction is invalid")
}

// correctTrackingInTx writes the correction, its timeline entry and its outbox messages.
func correctTrackingInTx(ctx context.Context, tx Tx, actor Actor, s store.GetShipmentRow, carrier string, check tracking.Check) error {
	if carrier == s.Carrier && check.Number == s.TrackingNumber {
		return Invalid("tracking correction is invalid", map[string]string{"tracking_number": "is already the shipment's tracking number"})
	}
	if err := tx.Q.CorrectShipmentTracking(ctx, store.CorrectShipmentTrackingParams{Carrier: carrier, TrackingNumber: check.Number,
		TrackingUrl: check.URL, TrackingWarning: check.Warning, ID: s.ID}); err != nil {
		return fmt.Errorf("correct shipment %d: %w", s.ID, err)
	}
	if err := AppendEvent(ctx, tx, s.OrderID, actor, correctedEvent(s, carrier, check, actor)); err != nil {
		return err
	}
	return enqueueTrackingUpdate(ctx, tx, s, carrier, check)
}

// correctedEvent says what the tracking was and is, and who corrected it.
func correctedEvent(s store.GetShipmentRow, carrier string, check tracking.Check, actor Actor) NewEvent {
	return NewEvent{Kind: "tracking_corrected", Message: CorrectedSentence(s.Carrier, s.TrackingNumber, carrier, check.Number, actor.Label()),
		Data: map[string]any{"shipment": s.ID, "carrier": carrier, "tracking_number": check.Number, "tracking_url": check.URL,
			"previous_carrier": s.Carrier, "previous_tracking_number": s.TrackingNumber, "warning": check.Warning}}
}

// CorrectedSentence is the timeline's words for a correction: the carrier is
// named only when it changed.
func CorrectedSentence(oldCarrier, oldNumber, carrier, number, by string) string {
	if oldCarrier == carrier {
		return fmt.Sprintf("Tracking number corrected from %s to %s by %s.", oldNumber, number, by)
	}
	return fmt.Sprintf("Tracking corrected from %s %s to %s %s by %s.", CarrierName(oldCarrier), oldNumber, CarrierName(carrier), number, by)
}
