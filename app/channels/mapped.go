package channels

// The mapping of what sales channels send to Switchyard (Shopify and
// WooCommerce order webhooks) into app.NewOrder values, and their signatures.
// It is pure: no database, no clock, no network.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"switchyard/app"
	"switchyard/app/geo"
)

// Mapped is one order as a channel sent it, in Switchyard's terms.
type Mapped struct {
	Order        app.NewOrder `json:"order"`
	Cancelled    bool         `json:"cancelled"`         // the channel already shows it cancelled
	CancelReason string       `json:"cancel_reason"`     // words for the timeline when Cancelled
	Problems     []string     `json:"problems"`          // lines kept without a SKU, a missing address: why it is held
	Modified     string       `json:"modified"`          // when the channel last changed it, as sent (for dedupe)
	Refunds      []Refund     `json:"refunds,omitempty"` // refunds the channel shows on the order (WooCommerce)
}

// Refund is a refund a channel shows on an order: its id, its reason, and
// its amount as a positive decimal.
type Refund struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Amount string `json:"amount"`
}

// ChannelOrder is the mapped order as app takes it in, with the time the
// channel last changed it (zero when it was not sent or not readable).
func (m Mapped) ChannelOrder() *ChannelOrder {
	return &ChannelOrder{Order: m.Order, Cancelled: m.Cancelled, CancelReason: m.CancelReason,
		Modified: modifiedTime(m.Modified), Refunds: m.Refunds}
}

// modifiedTime reads a channel's modification time: RFC 3339 (Shopify), or
// UTC without an offset (WooCommerce's *_gmt fields).
func modifiedTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	if t, err := time.ParseInLocation(wooGMT, s, time.UTC); err == nil {
		return t
	}
	return time.Time{}
}

// ErrNotOrder is returned for a JSON body that is not an order (a fulfillment,
// a product...): the caller acknowledges and ignores it.
var ErrNotOrder = errors.New("the body is not an order")

// Sign returns base64(HMAC-SHA256(body, secret)), the signature Shopify and
// WooCommerce send.
func Sign(body []byte, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is the signature of body under any of
// secrets, comparing in constant time. An empty signature or no secret fails.
func Verify(body []byte, signature string, secrets []string) bool {
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(signature))
	if err != nil || len(got) != sha256.Size {
		return false
	}
	ok := false
	for _, s := range secrets {
		if s == "" {
			continue
		}
		m := hmac.New(sha256.New, []byte(s))
		m.Write(body)
		if hmac.Equal(got, m.Sum(nil)) {
			ok = true // no early return: every secret is tried
		}
	}
	return ok
}

// id is a channel's numeric id, decoded without float64 (Shopify's exceed 2^53).
type id string

// UnmarshalJSON accepts a JSON integer or a string of digits; null is empty.
func (i *id) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*i = ""
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	if s == "" {
		*i = ""
		return nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("id %.40q is not a whole number", s)
	}
	*i = id(strconv.FormatUint(n, 10))
	return nil
}

// quantity is a whole number of units, from a JSON integer or string.
type quantity int64

// UnmarshalJSON accepts a JSON integer or a string of digits.
func (q *quantity) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	if s == "null" {
		*q = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("quantity %.40q is not a whole number", s)
	}
	*q = quantity(n)
	return nil
}

// str is a JSON string that may be null.
type str = *string

// val reads an optional string.
func val(s str) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

// lineProblem names a line kept without a usable SKU.
func lineProblem(no int, name, ref, why string) string {
	what := name
	if ref != "" {
		what += ", " + ref
	}
	return fmt.Sprintf("line %d (%s) %s", no, clip(what, 120), why)
}

// hold turns the problems found into the intake hold, nil when there are none.
func hold(reason string, problems []string) *app.HoldInput {
	if len(problems) == 0 {
		return nil
	}
	return &app.HoldInput{Reason: reason, Note: clip(strings.Join(problems, "; "), 1000)}
}

// clip shortens s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// splitTags reads a comma-separated tag list into tags Switchyard accepts.
func splitTags(s string) []string {
	out := []string{}
	for t := range strings.SplitSeq(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, clip(t, 40))
		}
	}
	return out
}

// placeholderAddress stands for an address the channel did not send, so that
// the order is taken in (held for an address check) rather than lost.
func placeholderAddress(country string) *app.AddressInput {
	return &app.AddressInput{Line1: NoAddressLine, City: "(unknown)", Country: country}
}

// countryFromCurrency guesses a country from a currency (USD → US), for an
// order sent without any address; empty when the guess is not a country.
func countryFromCurrency(cur string) string {
	if len(cur) != 3 {
		return ""
	}
	c := strings.ToUpper(cur[:2])
	if !geo.ValidCountry(c) {
		return ""
	}
	return c
}

// decode reads body as one JSON object into v, with a clear error.
func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("the body is not valid JSON (at byte %d): %w", se.Offset, err)
		}
		return fmt.Errorf("the body is not an order as expected: %w", err)
	}
	return nil
}
