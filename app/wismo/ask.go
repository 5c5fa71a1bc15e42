package wismo

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"switchyard/app"
	"switchyard/app/desk"
	store "switchyard/sql"
)

// notFound is the one answer for an unknown order, a wrong proof and an
// order of another channel: the same words, whichever it was.
func notFound() error {
	return app.NotFound("no order matches this name with this email address or postal code")
}

// Ask answers q for the API key actor: it counts the attempt against the
// limits, finds the order and checks the proof in one write transaction, and
// notes the answer on the order's timeline there; then it reads the answer
// as the tracking page shows it.
func (s *Service) Ask(ctx context.Context, actor app.Actor, q Question) (Answer, error) {
	in, err := clean(q)
	if err != nil {
		return Answer{}, err
	}
	var found store.Order
	var ok bool
	err = s.core.Write(ctx, func(tx app.Tx) error {
		found, ok = store.Order{}, false
		if err := s.count(ctx, tx, actor, in); err != nil {
			return err
		}
		o, match, err := find(ctx, tx, actor.Channel, in)
		if err != nil || !match {
			return err
		}
		found, ok = o, true
		return app.AppendEvent(ctx, tx, o.ID, actor, app.NewEvent{Kind: "status_given",
			Message: "Status given to the customer through " + app.Clip(actor.Name, 100, ' ') + "."})
	})
	if err != nil {
		return Answer{}, err
	}
	if !ok {
		return Answer{}, notFound()
	}
	return s.answer(ctx, found)
}

// answer reads what the customer may know of order o: the tracking page's
// view, its returns and the return window.
func (s *Service) answer(ctx context.Context, o store.Order) (Answer, error) {
	v, err := s.desk.TrackOrder(ctx, o.TrackingToken)
	if err != nil {
		return Answer{}, fmt.Errorf("tracking view of %s: %w", o.Number, err)
	}
	tr, err := s.returns.ForTracking(ctx, o.TrackingToken)
	if err != nil {
		return Answer{}, fmt.Errorf("returns of %s: %w", o.Number, err)
	}
	f := v.Facts()
	a := Answer{Order: v.ChannelRef, Status: v.Status, Sentence: desk.Sentence(f, tr.Returns), Parcels: []Parcel{}, Returnable: tr.Returnable}
	if a.Order == "" {
		a.Order = v.Number
	}
	for _, sh := range v.Shipments {
		a.Parcels = append(a.Parcels, Parcel{Carrier: sh.CarrierName, TrackingNumber: sh.TrackingNumber, TrackingURL: sh.TrackingURL})
	}
	if v.PromisedBy != nil && stillComing(v.Status) {
		a.ExpectedBy = date(v.PromisedBy.In(v.Zone).Format("2006-01-02"))
	}
	if tr.Returnable {
		a.ReturnableUntil = date(tr.Until.In(v.Zone).Format("2006-01-02"))
		a.ReturnURL = date("/t/" + url.PathEscape(o.TrackingToken) + "/return")
	}
	return a, nil
}

// stillComing reports whether a delivery promise still means something to
// the customer in status st.
func stillComing(st app.Status) bool {
	switch st {
	case app.StatusDelivered, app.StatusCancelled, app.StatusReturned, app.StatusPartiallyReturned:
		return false
	}
	return true
}

// date is a pointer to s.
func date(s string) *string { return &s }

// question is a Question checked and trimmed.
type question struct {
	name  string // the order's name, trimmed
	proof string // normalProof of the email or postal code
	email bool   // the proof is an email address (else a postal code)
}

// clean checks q: an order name, and exactly one of email and postal_code,
// each text of a sensible length.
func clean(q Question) (question, error) {
	f := app.FieldsError{}
	in := question{name: strings.TrimSpace(q.Order)}
	switch {
	case in.name == "":
		f.Add("order", "is required: the order's name as the customer gives it (#1042) or its number (SY-000123)")
	case len(in.name) > 64 || !app.IsText(in.name, false):
		f.Add("order", "is not an order's name: at most 64 characters of text")
	}
	email, postal := given(q.Email), given(q.PostalCode)
	switch {
	case email && postal:
		f.Add("email", "give the email address or the postal code, not both")
		f.Add("postal_code", "give the postal code or the email address, not both")
	case !email && !postal:
		f.Add("email", "give the customer's email address, or their postal_code")
		f.Add("postal_code", "give the customer's postal code, or their email")
	case email:
		in.email, in.proof = true, normalProof(*q.Email)
		if len(*q.Email) > 254 || !app.IsText(*q.Email, false) {
			f.Add("email", "is not an email address: at most 254 characters of text")
		}
	default:
		in.proof = normalProof(*q.PostalCode)
		if len(*q.PostalCode) > 32 || !app.IsText(*q.PostalCode, false) {
			f.Add("postal_code", "is not a postal code: at most 32 characters of text")
		}
	}
	if err := f.Err("the question cannot be answered as asked"); err != nil {
		return question{}, err
	}
	return in, nil
}

// given reports whether an optional field holds something.
func given(s *string) bool { return s != nil && strings.TrimSpace(*s) != "" }

// normalProof is an email or postal code as compared: trimmed, lower case,
// without inner spaces ("SW1A 1AA" is "sw1a1aa").
func normalProof(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}
