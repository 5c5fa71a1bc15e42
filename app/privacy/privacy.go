// Package privacy erases customers' personal data from orders on request:
// a customer's (by email), a channel's list of orders (Shopify's
// customers/redact) or a whole channel's (shop/redact). It keeps what the
// business and the stock need: the country, money, lines, SKUs, stock and
// routing history, shipments' carriers and tracking numbers.
package privacy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"

	"switchyard/app"
	"switchyard/app/audit"
	store "switchyard/sql"
)

// batch is how many orders one write transaction erases.
const batch = 200

// atRequest is why an order is erased on a customer's or a channel's request.
const atRequest = "at the customer's request"

// Redacted is the text that replaces erased free text.
const Redacted = "[redacted]"

// Service erases personal data.
type Service struct{ core *app.App }

// New is the privacy service of core.
func New(core *app.App) *Service { return &Service{core: core} }

// CustomerRef names a customer in the audit log without their email: a
// SHA-256 prefix of the email, lower-cased.
func CustomerRef(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return "customer #" + hex.EncodeToString(sum[:6])
}

// CheckEmail is the email trimmed, or a field error when it is not one.
func CheckEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return "", app.InvalidField("email", "is not an email address")
	}
	return email, nil
}

// RedactCustomer erases the personal data of every order of email (any
// case) and returns how many orders it erased. Redacting again finds none.
func (s *Service) RedactCustomer(ctx context.Context, actor app.Actor, email string) (int, error) {
	email, err := CheckEmail(email)
	if err != nil {
		return 0, err
	}
	ref := CustomerRef(email)
	total := 0
	for {
		n := 0
		err := s.core.Write(ctx, func(tx app.Tx) error {
			ids, err := tx.Q.PrivacyOrdersByEmail(ctx, store.PrivacyOrdersByEmailParams{Email: email, Lim: batch})
			if err != nil {
				return fmt.Errorf("orders of %s: %w", ref, err)
			}
			n = len(ids)
			if err := eraseAll(ctx, tx, actor, ids); err != nil {
				return err
			}
			if n == batch {
				return nil // more to come: the last batch records the entry
			}
			return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.PrivacyRedacted,
				ObjectKind: "customer", ObjectRef: ref,
				Detail: fmt.Sprintf("erased the personal data of %d order%s of %s", total+n, app.Plural(int(total+n)), ref)})
		})
		if err != nil {
			return total, fmt.Errorf("redact %s: %w", ref, err)
		}
		total += n
		if n < batch {
			return total, nil
		}
	}
}

// eraseAll erases the orders ids in tx.
func eraseAll(ctx context.Context, tx app.Tx, actor app.Actor, ids []int64) error {
	for _, id := range ids {
		if _, err := eraseOrder(ctx, tx, actor, id, atRequest); err != nil {
			return err
		}
	}
	return nil
}
