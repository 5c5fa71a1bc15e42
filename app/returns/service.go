// Package returns owns the order's life after delivery: returns and their
// status machine, the channels' return policies, the return rules that say
// where goods come back, receiving with dispositions, refunds asked of the
// channels through the outbox, and exchanges placed as new orders.
package returns

import (
	"slices"
	"time"

	"switchyard/app"
)

// Service is the returns capability over the core app.
type Service struct {
	core *app.App
}

// New returns the returns service over core.
func New(core *app.App) *Service { return &Service{core: core} }

// Status is where a return stands.
type Status string

// The return statuses (API.md).
const (
	StatusRequested         Status = "requested"
	StatusApproved          Status = "approved"
	StatusPartiallyReceived Status = "partially_received"
	StatusReceived          Status = "received"
	StatusClosed            Status = "closed"
	StatusDeclined          Status = "declined"
	StatusCancelled         Status = "cancelled"
)

// Statuses lists every return status in the order of the flow.
var Statuses = []Status{StatusRequested, StatusApproved, StatusPartiallyReceived, StatusReceived, StatusClosed,
	StatusDeclined, StatusCancelled}

// Label is the status in words.
func (s Status) Label() string {
	if s == StatusPartiallyReceived {
		return "partly received"
	}
	return string(s)
}

// Open reports whether goods are still expected (or may be) on a return in s.
func (s Status) Open() bool {
	return s == StatusRequested || s == StatusApproved || s == StatusPartiallyReceived
}

// moves is the return state machine: from -> the statuses it may go to.
var moves = map[Status][]Status{
	StatusRequested:         {StatusApproved, StatusDeclined, StatusCancelled},
	StatusApproved:          {StatusPartiallyReceived, StatusReceived, StatusCancelled},
	StatusPartiallyReceived: {StatusPartiallyReceived, StatusReceived},
	StatusReceived:          {StatusClosed},
	StatusClosed:            {},
	StatusDeclined:          {},
	StatusCancelled:         {},
}

// CanMove reports whether a return may go from one status to another.
func CanMove(from, to Status) bool { return slices.Contains(moves[from], to) }

// checkMove refuses an illegal move with a 409 naming both statuses.
func checkMove(number string, from, to Status) error {
	if CanMove(from, to) {
		return nil
	}
	return app.Conflict("return %s is %s: it cannot become %s", number, from.Label(), to.Label())
}

// The resolutions: what the customer gets for the goods.
const (
	ResolutionRefund      = "refund"
	ResolutionStoreCredit = "store_credit"
	ResolutionExchange    = "exchange"
	ResolutionNone        = "none"
)

// Resolutions lists every resolution.
var Resolutions = []string{ResolutionRefund, ResolutionStoreCredit, ResolutionExchange, ResolutionNone}

// Reasons lists the reason codes a return line may give.
var Reasons = []string{"too_small", "too_large", "not_as_described", "damaged", "defective", "wrong_item",
	"changed_mind", "late", "other"}

// ReasonLabel names a reason code in words.
func ReasonLabel(r string) string {
	switch r {
	case "too_small":
		return "too small"
	case "too_large":
		return "too large"
	case "not_as_described":
		return "not as described"
	case "wrong_item":
		return "wrong item sent"
	case "changed_mind":
		return "changed their mind"
	case "late":
		return "arrived late"
	}
	return r
}

// The dispositions of a unit that came back (or did not).
const (
	DispositionRestock    = "restock"
	DispositionQuarantine = "quarantine"
	DispositionScrap      = "scrap"
	DispositionMissing    = "missing"
)

// Dispositions lists every disposition.
var Dispositions = []string{DispositionRestock, DispositionQuarantine, DispositionScrap, DispositionMissing}

// The origins of a return: who started it.
const (
	OriginSupport  = "support"
	OriginCustomer = "customer"
	OriginChannel  = "channel"
	OriginAPI      = "api"
)

// ReceiveWithin is how long after approval a return may take to arrive
// before it shows in the exceptions.
const ReceiveWithin = 21 * 24 * time.Hour

// FinalSaleTag marks SKUs that cannot be returned.
const FinalSaleTag = "final-sale"
