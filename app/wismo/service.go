// Package wismo answers "where is my order?" for assistants (a chat vendor's
// bot, a phone system): POST /api/v1/wismo with the order's name and the
// customer's email or postal code answers what the customer may know, in
// the words support and the tracking page use (desk.Sentence), and nothing
// else. A wrong proof answers as an unknown order; attempts are counted per
// key and per order name in the transaction that checks them; every answer
// given is on the order's timeline.
package wismo

import (
	"time"

	"switchyard/app"
	"switchyard/app/desk"
	"switchyard/app/returns"
)

// Limits are the attempts allowed in a sliding window, per API key (a chat
// vendor's key answers many customers) and per order name (enough for
// typing mistakes, too few to guess an email or a postal code).
type Limits struct {
	Window   time.Duration
	PerKey   int64
	PerOrder int64
}

// DefaultLimits are the limits serve runs with.
func DefaultLimits() Limits { return Limits{Window: time.Hour, PerKey: 3000, PerOrder: 10} }

// Service answers assistants' questions over the core, the tracking page's
// view (desk) and the returns.
type Service struct {
	core    *app.App
	desk    *desk.Service
	returns *returns.Service
	limits  Limits
}

// New returns the service with limits.
func New(core *app.App, d *desk.Service, r *returns.Service, limits Limits) *Service {
	return &Service{core: core, desk: d, returns: r, limits: limits}
}

// Question is what an assistant asks: the order's name as the customer
// gives it ("#1042", "1042" or "SY-000123") and one proof that the order is
// theirs, its email address or the postal code it ships to.
type Question struct {
	Order      string  `json:"order"`
	Email      *string `json:"email"`
	PostalCode *string `json:"postal_code"`
}

// Answer is everything the customer may be told, and nothing else: no name,
// address, lines, prices or other orders.
type Answer struct {
	Order           string     `json:"order"` // the name the customer knows it by: the channel's, else Switchyard's number
	Status          app.Status `json:"status"`
	Sentence        string     `json:"sentence"`
	Parcels         []Parcel   `json:"parcels"`
	ExpectedBy      *string    `json:"expected_by"` // the delivery promise, a date in the customer's zone; null once delivered or when none
	Returnable      bool       `json:"returnable"`
	ReturnableUntil *string    `json:"returnable_until"` // the last day to start a return, when Returnable
	ReturnURL       *string    `json:"return_url"`       // where the customer starts it, when Returnable (a path; the API makes it absolute)
}

// Parcel is one shipment as the customer follows it.
type Parcel struct {
	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"tracking_number"`
	TrackingURL    string `json:"tracking_url"`
}
