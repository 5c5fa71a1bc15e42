// Package inbound owns the stock on its way in: purchase orders from a
// supplier and transfers from another location, expected at a destination
// by a date, received there line by line (over, short and damaged recorded)
// through the stock ledger, and the promise dates they give backordered
// order lines.
package inbound

import (
	"slices"

	"switchyard/app"
)

// Service is the inbound capability over the core app.
type Service struct {
	core *app.App
}

// New returns the inbound service over core.
func New(core *app.App) *Service { return &Service{core: core} }

// Status is where an inbound stands.
type Status string

// The inbound statuses (web/API.md).
const (
	StatusDraft             Status = "draft"
	StatusSent              Status = "sent"
	StatusPartiallyReceived Status = "partially_received"
	StatusReceived          Status = "received"
	StatusClosed            Status = "closed"
	StatusCancelled         Status = "cancelled"
)

// Statuses lists every status in the order of the flow.
var Statuses = []Status{StatusDraft, StatusSent, StatusPartiallyReceived, StatusReceived, StatusClosed, StatusCancelled}

// Label is the status in words.
func (s Status) Label() string {
	if s == StatusPartiallyReceived {
		return "partly received"
	}
	return string(s)
}

// Receivable reports whether goods may be counted in on an inbound in s.
func (s Status) Receivable() bool {
	return s == StatusSent || s == StatusPartiallyReceived || s == StatusReceived
}

// Open reports whether goods are still expected on an inbound in s.
func (s Status) Open() bool {
	return s == StatusDraft || s == StatusSent || s == StatusPartiallyReceived
}

// The kinds of inbound.
const (
	KindPurchase = "purchase" // from a supplier, received with reason receipt
	KindTransfer = "transfer" // from another location: transfer_out there, transfer_in here
)

// Kinds lists every kind.
var Kinds = []string{KindPurchase, KindTransfer}

// moves is the state machine: from -> the statuses it may go to. A receipt
// after "received" (more came) keeps it received.
var moves = map[Status][]Status{
	StatusDraft:             {StatusSent, StatusCancelled},
	StatusSent:              {StatusPartiallyReceived, StatusReceived, StatusClosed, StatusCancelled},
	StatusPartiallyReceived: {StatusPartiallyReceived, StatusReceived, StatusClosed},
	StatusReceived:          {StatusReceived, StatusClosed},
	StatusClosed:            {},
	StatusCancelled:         {},
}

// CanMove reports whether an inbound may go from one status to another.
func CanMove(from, to Status) bool { return slices.Contains(moves[from], to) }

// checkMove refuses an illegal move with a 409 naming both statuses.
func checkMove(number string, from, to Status) error {
	if CanMove(from, to) {
		return nil
	}
	return app.Conflict("inbound %s is %s: it cannot become %s", number, from.Label(), to.Label())
}

// MaxLines is how many lines one inbound may have.
const MaxLines = 500

// MaxQuantity is the most units one line, or one count, may hold.
const MaxQuantity = 1_000_000_000
