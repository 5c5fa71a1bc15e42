package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"switchyard/app"
	store "switchyard/sql"
)

// minSecret is the shortest value scrubbed from timeline text: shorter ones
// (a two-letter region) would cut unrelated words.
const minSecret = 4

// eraseOrder erases the personal data of order id: its customer and
// shipping fields (the country stays), its note, its timeline's notes and
// the personal data the timeline repeats, its returns' notes. It appends
// one timeline entry the first time; it reports whether it was the first.
func eraseOrder(ctx context.Context, tx app.Tx, actor app.Actor, id int64, why string) (bool, error) {
	pii, err := tx.Q.PrivacyOrderPII(ctx, id)
	if err != nil {
		return false, fmt.Errorf("read order %d: %w", id, err)
	}
	if err := tx.Q.PrivacyEraseOrder(ctx, store.PrivacyEraseOrderParams{UpdatedAt: app.Millis(tx.Now), ID: id}); err != nil {
		return false, fmt.Errorf("erase order %d: %w", id, err)
	}
	secrets := secretsOf(pii)
	if err := scrubTimeline(ctx, tx, id, secrets); err != nil {
		return false, err
	}
	if err := scrubOutbox(ctx, tx, id, secrets); err != nil {
		return false, err
	}
	if err := tx.Q.PrivacyEraseReturnNotes(ctx, id); err != nil {
		return false, fmt.Errorf("erase return notes of order %d: %w", id, err)
	}
	if err := tx.Q.PrivacyEraseReturnLineNotes(ctx, id); err != nil {
		return false, fmt.Errorf("erase return line notes of order %d: %w", id, err)
	}
	n, err := tx.Q.PrivacyMarkRedacted(ctx, store.PrivacyMarkRedactedParams{OrderID: id, At: app.Millis(tx.Now)})
	if err != nil {
		return false, fmt.Errorf("mark order %d redacted: %w", id, err)
	}
	if n == 0 {
		return false, nil
	}
	return true, app.AppendEvent(ctx, tx, id, actor, app.NewEvent{Kind: "redacted", Message: "Personal data erased " + why + "."})
}

// secretsOf is the personal data of an order worth looking for in its
// timeline, as a case-insensitive pattern, or nil when there is none.
func secretsOf(p store.PrivacyOrderPIIRow) *regexp.Regexp {
	var alts []string
	for _, s := range []string{p.CustomerEmail, p.CustomerName, p.CustomerPhone, p.ShipName, p.ShipLine1,
		p.ShipLine2, p.ShipCity, p.ShipRegion, p.ShipPostalCode, p.ShipPhone, p.Note} {
		if s = strings.TrimSpace(s); len(s) >= minSecret && s != Redacted {
			alts = append(alts, regexp.QuoteMeta(s))
		}
	}
	if len(alts) == 0 {
		return nil
	}
	return regexp.MustCompile("(?i)" + strings.Join(alts, "|"))
}

// scrubTimeline rewrites the entries of order id that hold personal data.
func scrubTimeline(ctx context.Context, tx app.Tx, id int64, secrets *regexp.Regexp) error {
	events, err := tx.Q.PrivacyOrderEvents(ctx, id)
	if err != nil {
		return fmt.Errorf("timeline of order %d: %w", id, err)
	}
	for _, e := range events {
		msg, data := scrubEvent(e.Kind, e.Message, e.Data, secrets)
		if msg == e.Message && data == e.Data {
			continue
		}
		if err := tx.Q.PrivacySetEvent(ctx, store.PrivacySetEventParams{Message: msg, Data: data, ID: e.ID}); err != nil {
			return fmt.Errorf("scrub event %d: %w", e.ID, err)
		}
	}
	return nil
}

// scrubEvent is an entry's message and data without personal data: a
// note's text goes whole, an address change's old address too (the order
// no longer holds it), anything else loses the order's personal data and
// any "note" of its data.
func scrubEvent(kind, msg, data string, secrets *regexp.Regexp) (string, string) {
	switch kind {
	case "note":
		return Redacted, "{}"
	case "address_changed":
		return "Shipping address changed.", "{}"
	}
	return scrubText(withoutNote(msg, noteOf(data)), secrets), scrubData(data, secrets)
}

// noteOf is the "note" of an entry's JSON data, or "".
func noteOf(data string) string {
	var d struct {
		Note string `json:"note"`
	}
	if json.Unmarshal([]byte(data), &d) != nil {
		return ""
	}
	return d.Note
}

// withoutNote is msg with the note's text (a hold's message repeats it) erased.
func withoutNote(msg, note string) string {
	if strings.TrimSpace(note) == "" || note == Redacted {
		return msg
	}
	return strings.ReplaceAll(msg, note, Redacted)
}

// scrubText is s with every secret replaced.
func scrubText(s string, secrets *regexp.Regexp) string {
	if secrets == nil {
		return s
	}
	return secrets.ReplaceAllLiteralString(s, Redacted)
}

// scrubData is the JSON data with secrets replaced in its strings and its
// "note" values erased; unparsable data is scrubbed as text.
func scrubData(data string, secrets *regexp.Regexp) string {
	var v any
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		return scrubText(data, secrets)
	}
	before, _ := json.Marshal(v)
	after, err := json.Marshal(scrubValue(v, secrets))
	if err != nil || string(before) == string(after) {
		return data
	}
	return string(after)
}

// scrubValue is v with its strings scrubbed and its "note" values erased.
func scrubValue(v any, secrets *regexp.Regexp) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "note" && s != "" {
				x[k] = Redacted
				continue
			}
			x[k] = scrubValue(e, secrets)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = scrubValue(e, secrets)
		}
		return x
	case string:
		return scrubText(x, secrets)
	}
	return v
}

// scrubOutbox rewrites the order's outbox messages that hold personal data:
// a webhook repeats a timeline entry (kind, message, details).
func scrubOutbox(ctx context.Context, tx app.Tx, id int64, secrets *regexp.Regexp) error {
	msgs, err := tx.Q.PrivacyOrderOutbox(ctx, sql.NullInt64{Int64: id, Valid: true})
	if err != nil {
		return fmt.Errorf("outbox of order %d: %w", id, err)
	}
	for _, m := range msgs {
		payload := scrubPayload(m.Payload, secrets)
		if payload == m.Payload {
			continue
		}
		if err := tx.Q.PrivacySetOutboxPayload(ctx, store.PrivacySetOutboxPayloadParams{Payload: payload, ID: m.ID}); err != nil {
			return fmt.Errorf("scrub outbox message %d: %w", m.ID, err)
		}
	}
	return nil
}

// scrubPayload is an outbox payload without personal data.
func scrubPayload(payload string, secrets *regexp.Regexp) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		return scrubData(payload, secrets)
	}
	scrubEntry(m, secrets)
	if d, ok := m["data"].(map[string]any); ok { // a webhook: {"type", "timestamp", "data": the entry}
		scrubEntry(d, secrets)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	out := scrubData(string(b), secrets)
	if out == canonical(payload) {
		return payload // nothing to erase
	}
	return out
}

// scrubEntry erases, in a timeline entry as a webhook tells it (kind,
// message, details), the note its message repeats and a note's or an
// address change's text.
func scrubEntry(m map[string]any, secrets *regexp.Regexp) {
	msg, ok := m["message"].(string)
	if !ok {
		return
	}
	if d, ok := m["details"].(map[string]any); ok {
		note, _ := d["note"].(string)
		m["message"] = withoutNote(msg, note)
	}
	if kind, _ := m["kind"].(string); kind == "note" || kind == "address_changed" {
		m["message"], _ = scrubEvent(kind, msg, "{}", secrets)
		m["details"] = map[string]any{}
	}
}

// canonical is JSON text as Go writes it (keys sorted), or s when it is not JSON.
func canonical(s string) string {
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return s
	}
	return string(b)
}
