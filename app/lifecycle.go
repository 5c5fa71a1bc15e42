package app

import (
	"fmt"
	"slices"
	"strings"
)

// Status is an order's status, derived from its lines, fulfillments and flags.
type Status string

// The order statuses (DESIGN.md).
const (
	StatusReceived          Status = "received"
	StatusRouted            Status = "routed"
	StatusPartiallyRouted   Status = "partially_routed"
	StatusBackordered       Status = "backordered"
	StatusInFulfillment     Status = "in_fulfillment"
	StatusPartiallyShipped  Status = "partially_shipped"
	StatusShipped           Status = "shipped"
	StatusDelivered         Status = "delivered"
	StatusOnHold            Status = "on_hold"
	StatusCancelled         Status = "cancelled"
	StatusReturned          Status = "returned"
	StatusPartiallyReturned Status = "partially_returned"
)

// Statuses lists every order status in the order of the flow.
var Statuses = []Status{
	StatusReceived, StatusRouted, StatusPartiallyRouted, StatusBackordered, StatusInFulfillment,
	StatusPartiallyShipped, StatusShipped, StatusDelivered, StatusOnHold, StatusCancelled,
	StatusReturned, StatusPartiallyReturned,
}

// Label is the status in words.
func (s Status) Label() string { return strings.ReplaceAll(string(s), "_", " ") }

// Move is something done to an order.
type Move string

// The moves people and systems make on orders.
const (
	MoveHold          Move = "hold"
	MoveRelease       Move = "release"
	MoveCancel        Move = "cancel"
	MoveCancelLines   Move = "cancel lines of"
	MoveChangeAddress Move = "change the shipping address of"
	MoveAddNote       Move = "add a note to"
	MoveRoute         Move = "route"
)

// beforeShipment are the statuses in which nothing has left a location yet.
var beforeShipment = []Status{StatusReceived, StatusRouted, StatusPartiallyRouted, StatusBackordered, StatusInFulfillment}

// orderMoves is the order state machine: the statuses each move is allowed from.
var orderMoves = map[Move][]Status{
	MoveHold:          beforeShipment,
	MoveRelease:       {StatusOnHold},
	MoveCancel:        append(slices.Clone(beforeShipment), StatusOnHold),
	MoveCancelLines:   append(slices.Clone(beforeShipment), StatusOnHold, StatusPartiallyShipped),
	MoveChangeAddress: append(slices.Clone(beforeShipment), StatusOnHold),
	MoveAddNote:       Statuses,
	MoveRoute:         {StatusReceived, StatusRouted, StatusPartiallyRouted, StatusBackordered, StatusInFulfillment},
}

// moveRoles says which roles may make each move (API keys need orders:write).
var moveRoles = map[Move][]Role{
	MoveHold:          {RoleAdmin, RoleOps, RoleSupport},
	MoveRelease:       {RoleAdmin, RoleOps, RoleSupport},
	MoveCancel:        {RoleAdmin, RoleOps, RoleSupport},
	MoveCancelLines:   {RoleAdmin, RoleOps, RoleSupport},
	MoveChangeAddress: {RoleAdmin, RoleOps, RoleSupport},
	MoveAddNote:       {RoleAdmin, RoleOps, RoleSupport, RoleWarehouse},
	MoveRoute:         {RoleAdmin, RoleOps, RoleSupport},
}

// CanMove reports whether an order in status s allows move m.
func CanMove(s Status, m Move) bool { return slices.Contains(orderMoves[m], s) }

// checkMove refuses a move the state machine does not allow, naming both.
func checkMove(s Status, m Move) error {
	if CanMove(s, m) {
		return nil
	}
	return Conflict("cannot %s an order that is %s", m, s.Label())
}

// MayMove reports whether a user with role may make move m (the UI shows only those).
func MayMove(role Role, m Move) bool { return slices.Contains(moveRoles[m], role) }

// requireMove refuses actors whose role may not make move m.
func (a Actor) requireMove(m Move) error {
	if a.Kind != ActorUser || MayMove(a.Role, m) {
		return nil
	}
	return Forbidden("your role (%s) may not %s an order", a.Role, m)
}

// FulfillmentStatus is where the work of one location stands.
type FulfillmentStatus string

// The fulfillment statuses (DESIGN.md).
const (
	FulfillmentPending   FulfillmentStatus = "pending"
	FulfillmentAccepted  FulfillmentStatus = "accepted"
	FulfillmentShipped   FulfillmentStatus = "shipped"
	FulfillmentDelivered FulfillmentStatus = "delivered"
	FulfillmentRejected  FulfillmentStatus = "rejected"
	FulfillmentCancelled FulfillmentStatus = "cancelled"
)

// FulfillmentStatuses lists every fulfillment status.
var FulfillmentStatuses = []FulfillmentStatus{
	FulfillmentPending, FulfillmentAccepted, FulfillmentShipped, FulfillmentDelivered, FulfillmentRejected, FulfillmentCancelled,
}

// fulfillmentMoves is the fulfillment state machine: from -> the statuses it may go to.
var fulfillmentMoves = map[FulfillmentStatus][]FulfillmentStatus{
	FulfillmentPending:   {FulfillmentAccepted, FulfillmentRejected, FulfillmentCancelled, FulfillmentShipped},
	FulfillmentAccepted:  {FulfillmentShipped, FulfillmentRejected, FulfillmentCancelled},
	FulfillmentShipped:   {FulfillmentDelivered},
	FulfillmentDelivered: {},
	FulfillmentRejected:  {},
	FulfillmentCancelled: {},
}

// CanMoveFulfillment reports whether a fulfillment may go from one status to another.
func CanMoveFulfillment(from, to FulfillmentStatus) bool {
	return slices.Contains(fulfillmentMoves[from], to)
}

// checkFulfillmentMove refuses an illegal fulfillment move, naming both states.
func checkFulfillmentMove(from, to FulfillmentStatus) error {
	if CanMoveFulfillment(from, to) {
		return nil
	}
	return Conflict("a fulfillment that is %s cannot become %s", from, to)
}

// lineFacts are the quantities of one order line.
type lineFacts struct {
	quantity, reserved, shipped, cancelled, backordered int64
	returned                                            int64 // came back on a return
}

// orderFacts is everything the status of an order is derived from.
type orderFacts struct {
	cancelled    bool
	onHold       bool
	lines        []lineFacts
	fulfillments []FulfillmentStatus
}

// deriveStatus is the one function that computes an order's status.
func deriveStatus(f orderFacts) Status {
	var open, reserved, shipped, backordered, returned int64
	for _, l := range f.lines {
		open += l.quantity - l.cancelled
		reserved += l.reserved
		shipped += l.shipped
		backordered += l.backordered
		returned += l.returned
	}
	switch {
	case f.cancelled || open == 0:
		return StatusCancelled
	case returned > 0 && returned == open:
		return StatusReturned
	case returned > 0 && shipped == open:
		return StatusPartiallyReturned
	case f.onHold && shipped == 0:
		return StatusOnHold
	case shipped == open:
		if len(f.fulfillments) > 0 && allDelivered(f.fulfillments) {
			return StatusDelivered
		}
		return StatusShipped
	case shipped > 0:
		return StatusPartiallyShipped
	case f.onHold:
		return StatusOnHold
	case reserved == open && anyIn(f.fulfillments, FulfillmentAccepted):
		return StatusInFulfillment
	case reserved == open:
		return StatusRouted
	case reserved > 0:
		return StatusPartiallyRouted
	case backordered > 0:
		return StatusBackordered
	}
	return StatusReceived
}

// allDelivered reports whether every shipped fulfillment has been delivered.
func allDelivered(fs []FulfillmentStatus) bool {
	for _, s := range fs {
		if s == FulfillmentShipped || s == FulfillmentPending || s == FulfillmentAccepted {
			return false
		}
	}
	return anyIn(fs, FulfillmentDelivered)
}

// anyIn reports whether any of fs is s.
func anyIn(fs []FulfillmentStatus, s FulfillmentStatus) bool { return slices.Contains(fs, s) }

// HoldReasons are why an order may be held.
var HoldReasons = []string{"fraud_review", "address_check", "customer_request", "payment", "other"}

// HoldReasonLabel names a hold reason in a word or two, for lists and
// brackets ("held (customer's request)").
func HoldReasonLabel(r string) string {
	switch r {
	case "fraud_review":
		return "fraud review"
	case "address_check":
		return "address check"
	case "customer_request":
		return "customer's request"
	case "payment":
		return "payment"
	case HoldStockReview:
		return "missing stock"
	}
	return fmt.Sprint(strings.ReplaceAll(r, "_", " "))
}

// HoldWhy says why an order is held, to follow "On hold": "for a fraud
// review", "at the customer's request", "because no location has every
// line in stock".
func HoldWhy(r string) string {
	switch r {
	case "fraud_review":
		return "for a fraud review"
	case "address_check":
		return "for an address check"
	case "customer_request":
		return "at the customer's request"
	case "payment":
		return "until the payment is confirmed"
	case HoldStockReview:
		return "because no location has every line in stock"
	case "other", "":
		return "for another reason"
	}
	return "for " + strings.ReplaceAll(r, "_", " ")
}
