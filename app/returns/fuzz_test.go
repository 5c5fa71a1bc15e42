package returns

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"switchyard/app"
)

// returnFields are the field paths a refused return may name.
var returnFields = regexp.MustCompile(`^(?:order|resolution|location|note|external_id|lines|exchange_lines|` +
	`lines\[\d+\]\.(?:line|quantity|reason|note)|exchange_lines\[\d+\]\.(?:sku|quantity))$`)

// FuzzReturnJSON decodes any body as the API's new return and starts it on a
// delivered order of two units. A refusal is a field error naming known fields
// (or a 409) and writes nothing; an accepted return never takes more units
// than shipped, across every return made so far.
func FuzzReturnJSON(f *testing.F) {
	f.Add([]byte(`{"lines": [{"line": 1, "quantity": 1, "reason": "too_small", "note": "needs M"}], "resolution": "refund", "approve": true}`))
	f.Add([]byte(`{"lines": [{"line": 1, "quantity": 2, "reason": "late"}, {"line": 1, "quantity": 1, "reason": "late"}], "resolution": "exchange",
 "exchange_lines": [{"sku": "TEE", "quantity": 1}], "location": "PAR", "external_id": "gid://shopify/Return/1"}`))
	f.Add([]byte(`{"lines": [{"line": 9, "quantity": -1, "reason": "\u0000"}], "resolution": "cash", "note": "\ud800", "location": "NOPE"}`))
	f.Add([]byte(`{"lines": [], "resolution": "none", "exchange_lines": [{"sku": "", "quantity": 0}], "override": true}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in NewReturn
		if err := json.Unmarshal(body, &in); err != nil {
			return // the API answers 400 before the service sees it
		}
		a, _ := network(t)
		s, ctx := svc(a), context.Background()
		o := delivered(t, a, "F1", 2)
		for i := range in.Lines {
			if in.Lines[i].Line == 1 {
				in.Lines[i].Line = o.Lines[0].ID
			}
		}
		for round := range 2 {
			_, _, err := s.Create(ctx, ops, o.Number, in)
			if err != nil {
				ae, ok := app.AsError(err)
				if !ok || (ae.Kind != app.KindInvalid && ae.Kind != app.KindConflict) {
					t.Fatalf("round %d: unexpected error %v", round, err)
				}
				for field := range ae.Fields {
					if !returnFields.MatchString(field) {
						t.Fatalf("round %d: unknown field %q in %v", round, field, ae.Fields)
					}
				}
			}
			after, err := a.OrderByNumber(ctx, o.Number)
			if err != nil {
				t.Fatal(err)
			}
			rs, err := s.ForOrder(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			var open int64
			for _, r := range rs {
				if r.Status.Open() {
					for _, l := range r.Lines {
						open += l.Quantity - l.Received - l.Missing
					}
				}
			}
			l := after.Lines[0]
			if l.ReturnOpen != open || l.ReturnOpen+l.Returned > l.Shipped {
				t.Fatalf("round %d: line %+v, open on returns %d", round, l, open)
			}
			if strings.Contains(string(body), "external_id") && len(rs) > 1 && in.ExternalID != "" {
				t.Fatalf("round %d: the same external id made %d returns", round, len(rs))
			}
		}
	})
}
