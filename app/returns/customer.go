package returns

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"switchyard/app"
	"switchyard/app/money"
	store "switchyard/sql"
)

// The customer's attempts to prove who they are, per tracking token and per
// client address, in a sliding window: enough for typing mistakes, too few
// to guess an email or a postal code.
const (
	CustomerAttemptWindow = time.Hour
	MaxAttemptsPerToken   = 10
	MaxAttemptsPerClient  = 30
)

// CustomerResolutions are what a customer may ask for on the tracking page:
// their money back or store credit (an exchange needs someone to choose the
// replacement, so it goes through support).
var CustomerResolutions = []string{ResolutionRefund, ResolutionStoreCredit}

// CustomerOrder is what a customer who proved who they are may return.
type CustomerOrder struct {
	Number       string
	Lines        []ReturnableLine
	Reasons      []string // the reason codes the channel's policy offers
	Resolutions  []string
	WindowCloses time.Time
	Open         bool   // the window is open and something can come back
	Closed       string // why nothing can be returned, in words, when not Open
}

// ReturnableLine is a line the customer may send back, and how many units.
type ReturnableLine struct {
	ID         int64
	No         int64
	SKU        string
	Name       string
	Returnable int64
	UnitPrice  string
}

// CustomerStarted is a return the customer started, with what happens next.
type CustomerStarted struct {
	Return
	NeedsApproval bool
	Address       []string // where to send the parcel: the location's name and address lines
	// Expect is the refund (or store credit) expected once the goods are
	// back, with the fee it keeps and the shipping it adds, in the order's
	// currency ("19.90"); empty for a resolution that pays nothing.
	Expect, Fee, Shipping string
	// Offer is, when the return was refused for its input (the proof was
	// right), what may be returned: to show the form again without another
	// attempt.
	Offer *CustomerOrder
}

// TrackingReturns is what the tracking page shows of an order's returns.
type TrackingReturns struct {
	Returns    []Return
	Returnable bool      // something can be returned now, within the window
	Until      time.Time // when the window closes, when Returnable
}

// ForTracking reads the returns of the order behind a tracking token and
// whether something may be returned now (no proof: the tracking page's own
// token shows no more than the page does).
func (s *Service) ForTracking(ctx context.Context, token string) (TrackingReturns, error) {
	o, err := s.core.Read().GetOrderByTrackingToken(ctx, token)
	if store.IsNoRows(err) {
		return TrackingReturns{}, app.NotFound("no such tracking page")
	} else if err != nil {
		return TrackingReturns{}, fmt.Errorf("order by token: %w", err)
	}
	rs, err := s.ForOrder(ctx, o.ID)
	if err != nil {
		return TrackingReturns{}, err
	}
	offer, err := s.offer(ctx, app.Tx{Q: s.core.Read(), Now: s.core.Now()}, o)
	if err != nil {
		return TrackingReturns{}, err
	}
	out := TrackingReturns{Returns: rs, Returnable: offer.Open}
	if offer.Open {
		out.Until = offer.WindowCloses
	}
	return out, nil
}

// CustomerLines checks the customer's proof (the order's email or shipping
// postal code) for the tracking token and answers what they may return.
// Attempts are limited per token and per client address; a wrong proof and
// an unknown token get the same answer.
func (s *Service) CustomerLines(ctx context.Context, token, proof, client string) (CustomerOrder, error) {
	o, err := s.proven(ctx, token, proof, client)
	if err != nil {
		return CustomerOrder{}, err
	}
	return s.offer(ctx, app.Tx{Q: s.core.Read(), Now: s.core.Now()}, o)
}

// CustomerStart starts a return for the customer who proved who they are,
// with origin customer, in one write transaction: only returnable lines,
// the reasons the policy offers, a refund or store credit, the location the
// return rules choose. It is approved at once when the policy needs no
// approval of customers' returns. A refusal of the input (not of the
// proof) answers the Offer with the error.
func (s *Service) CustomerStart(ctx context.Context, token, proof, client string, in NewReturn) (CustomerStarted, error) {
	o, err := s.proven(ctx, token, proof, client)
	if err != nil {
		return CustomerStarted{}, err
	}
	started, err := s.customerStart(ctx, token, in)
	if app.ErrorKind(err) == app.KindInvalid {
		offer, err2 := s.offer(ctx, app.Tx{Q: s.core.Read(), Now: s.core.Now()}, o)
		if err2 != nil {
			return CustomerStarted{}, err2
		}
		started.Offer = &offer
	}
	return started, err
}

// customerStart is CustomerStart once the proof is checked.
func (s *Service) customerStart(ctx context.Context, token string, in NewReturn) (CustomerStarted, error) {
	if !slices.Contains(CustomerResolutions, in.Resolution) {
		return CustomerStarted{}, app.InvalidField("resolution", "choose a refund or store credit")
	}
	in = NewReturn{Lines: in.Lines, Resolution: in.Resolution, Note: in.Note} // nothing else is the customer's to set
	var id int64
	err := s.core.Write(ctx, func(tx app.Tx) error {
		o, err := tx.Q.GetOrderByTrackingToken(ctx, token)
		if err != nil {
			return fmt.Errorf("order by token: %w", err)
		}
		offer, err := s.offer(ctx, tx, o)
		if err != nil {
			return err
		}
		if !offer.Open {
			return app.Conflict("%s", offer.Closed)
		}
		row, _, err := CreateTx(ctx, tx, app.Customer, OriginCustomer, o, in)
		id = row.ID
		return err
	})
	if err != nil {
		return CustomerStarted{}, err
	}
	r, err := s.byID(ctx, id)
	if err != nil {
		return CustomerStarted{}, err
	}
	loc, err := s.core.Read().GetLocationByCode(ctx, r.Location)
	if err != nil {
		return CustomerStarted{}, fmt.Errorf("return's location: %w", err)
	}
	out := CustomerStarted{Return: r, NeedsApproval: r.Status == StatusRequested, Address: addressLines(loc)}
	if err := s.expect(ctx, &out); err != nil {
		return CustomerStarted{}, err
	}
	return out, nil
}

// expect fills in the refund a customer's return should bring, by the
// channel's policy, as things stand now.
func (s *Service) expect(ctx context.Context, c *CustomerStarted) error {
	if c.Resolution != ResolutionRefund && c.Resolution != ResolutionStoreCredit {
		return nil
	}
	q := s.core.Read()
	row, err := q.GetReturn(ctx, c.ID)
	if err != nil {
		return fmt.Errorf("get return: %w", err)
	}
	o, err := q.GetOrder(ctx, row.OrderID)
	if err != nil {
		return fmt.Errorf("return's order: %w", err)
	}
	due, err := dueOf(ctx, q, o, row)
	if err != nil {
		return err
	}
	c.Expect, c.Fee, c.Shipping = c.Money(due.Amount), c.Money(due.Fee), c.Money(due.Shipping)
	if due.Fee == 0 {
		c.Fee = ""
	}
	if due.Shipping == 0 {
		c.Shipping = ""
	}
	return nil
}

// addressLines writes a location's postal address, one line each.
func addressLines(l store.Location) []string {
	out := []string{l.Name}
	for _, s := range []string{l.Line1, l.Line2, strings.TrimSpace(l.PostalCode + " " + l.City), l.Region, l.Country} {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// proven counts the attempt against the limits, then checks the proof in
// constant time; it answers the order behind the token.
func (s *Service) proven(ctx context.Context, token, proof, client string) (store.Order, error) {
	if err := s.countAttempt(ctx, token, client); err != nil {
		return store.Order{}, err
	}
	o, err := s.core.Read().GetOrderByTrackingToken(ctx, token)
	found := err == nil
	if err != nil && !store.IsNoRows(err) {
		return store.Order{}, fmt.Errorf("order by token: %w", err)
	}
	if !proves(o, found, proof) {
		return store.Order{}, app.InvalidField("proof", "this does not match the order's email address or postal code")
	}
	return o, nil
}

// proves reports, in constant time, whether proof is the order's email or
// shipping postal code. An order not found is compared too, and matches
// nothing, so that the time tells nothing.
func proves(o store.Order, found bool, proof string) bool {
	email, postal := "\x00no order", "\x00no order"
	if found {
		email, postal = o.CustomerEmail, o.ShipPostalCode
	}
	p := normalProof(proof)
	okEmail := subtle.ConstantTimeCompare([]byte(p), []byte(normalProof(email)))
	okPostal := subtle.ConstantTimeCompare([]byte(p), []byte(normalProof(postal)))
	return p != "" && okEmail|okPostal == 1 && found
}

// normalProof is an email or postal code as compared: trimmed, lower case,
// without inner spaces ("SW1A 1AA" is "sw1a1aa").
func normalProof(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// countAttempt records one attempt for the token and the client unless
// either has used its allowance in the window, in one write transaction: the
// writer runs one at a time, so parallel attempts cannot all slip through.
func (s *Service) countAttempt(ctx context.Context, token, client string) error {
	keys := []struct {
		key string
		max int64
	}{{"token:" + digest(token), MaxAttemptsPerToken}, {"client:" + digest(client), MaxAttemptsPerClient}}
	return s.core.Write(ctx, func(tx app.Tx) error {
		since := app.Millis(tx.Now.Add(-CustomerAttemptWindow))
		if err := tx.Q.PruneReturnAttempts(ctx, since); err != nil {
			return fmt.Errorf("prune return attempts: %w", err)
		}
		for _, k := range keys {
			st, err := tx.Q.CountReturnAttempts(ctx, store.CountReturnAttemptsParams{Key: k.key, At: since})
			if err != nil {
				return fmt.Errorf("count return attempts: %w", err)
			}
			if st.Attempts >= k.max {
				wait := max(app.FromMillis(st.Oldest).Add(CustomerAttemptWindow).Sub(tx.Now), time.Second)
				return &app.Error{Kind: app.KindTooMany, RetryAfter: wait,
					Message: fmt.Sprintf("too many attempts: try again in %d minutes", max(int(wait.Round(time.Minute)/time.Minute), 1))}
			}
		}
		for _, k := range keys {
			if err := tx.Q.RecordReturnAttempt(ctx, store.RecordReturnAttemptParams{Key: k.key, At: app.Millis(tx.Now)}); err != nil {
				return fmt.Errorf("record return attempt: %w", err)
			}
		}
		return nil
	})
}

// digest keys the attempts without keeping tokens or addresses.
func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}

// offer is what of order o a customer may return now, inside tx.
func (s *Service) offer(ctx context.Context, tx app.Tx, o store.Order) (CustomerOrder, error) {
	policy, err := policyOf(ctx, tx.Q, o.ChannelID)
	if err != nil {
		return CustomerOrder{}, err
	}
	out := CustomerOrder{Number: o.Number, Reasons: policy.Offered(), Resolutions: CustomerResolutions}
	start, err := tx.Q.ReturnWindowStart(ctx, o.ID)
	if err != nil {
		return CustomerOrder{}, fmt.Errorf("return window: %w", err)
	}
	if start == 0 {
		out.Closed = "nothing of this order has been sent yet: returns open once it is delivered"
		return out, nil
	}
	out.WindowCloses = app.FromMillis(start).Add(time.Duration(policy.WindowDays) * 24 * time.Hour)
	if tx.Now.After(out.WindowCloses) {
		out.Closed = fmt.Sprintf("the %d days to return this order ended on %s: please contact the shop", policy.WindowDays,
			out.WindowCloses.Format("2 Jan 2006"))
		return out, nil
	}
	lines, err := tx.Q.ListOrderLines(ctx, o.ID)
	if err != nil {
		return CustomerOrder{}, fmt.Errorf("order lines: %w", err)
	}
	cur := currency(o.Currency)
	for _, l := range lines {
		left := l.Shipped - l.ReturnOpen - l.Returned
		if left <= 0 {
			continue
		}
		if l.SkuID.Valid {
			sku, err := tx.Q.GetSKUByID(ctx, l.SkuID.Int64)
			if err != nil {
				return CustomerOrder{}, fmt.Errorf("get SKU: %w", err)
			}
			if slices.Contains(app.SplitTags(sku.Tags), FinalSaleTag) {
				continue
			}
		}
		name := strings.TrimSpace(l.Name)
		if name == "" {
			name = l.Sku
		}
		out.Lines = append(out.Lines, ReturnableLine{ID: l.ID, No: l.LineNo, SKU: l.Sku, Name: name, Returnable: left,
			UnitPrice: money.Format(l.UnitPrice, cur)})
	}
	out.Open = len(out.Lines) > 0
	if !out.Open {
		out.Closed = "nothing more of this order can be returned here: please contact the shop"
	}
	return out, nil
}
