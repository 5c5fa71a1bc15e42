package rules

import (
	"switchyard/app"

	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"switchyard/app/routing"
)

// jsonLine finds the line a rules-file error points at.
var jsonLine = regexp.MustCompile(`\bline (\d+)`)

// FuzzRulesJSON imports any bytes as a rules file. A refusal is Invalid and
// points at a line the file has. A rule set that is read encodes to JSON that
// reads back to the same value, through the import and through the stored
// form, with the same validation; and encoding it again gives the same bytes.
func FuzzRulesJSON(f *testing.F) {
	def, err := json.Marshal(routing.RuleSet{Rules: []routing.Rule{routing.DefaultRule()}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(def)
	for _, s := range []string{
		`{"version": 4, "draft": false, "updated_at": "2026-01-01T00:00:00Z", "updated_by": "Omar", "published_by": null, "published_at": null, "rules": [
		  {"name": "EU closest", "enabled": true,
		   "when": {"channels": ["web-eu"], "countries": ["FR", "DE"], "order_tags": [], "sku_tags": [],
		            "min_value": null, "max_value": 500, "delivery": "ship"},
		   "filters": {"kinds": ["warehouse", "store"], "require_tags": [], "exclude_tags": [],
		               "same_country": false, "max_km": 12.5, "respect_capacity": true, "respect_safety_stock": true},
		   "rank": ["fewest_shipments", "closest", "rank"], "split": {"allow": true, "max_shipments": 2}, "missing_stock": "backorder"}]}`,
		`{"rules": [{"name": "x", "when": {"min_value": "1e3", "max_value": -0.5}, "filters": {"max_km": -0}}]}`,
		`{"rules": [{"name": "<b>&\u2028\ud800", "rank": ["nope"], "split": {"max_shipments": -1}}]}`,
		`{"rules": null}`, `{"rules": []} {}`, `{"rules": [`, "{\n\"rules\": [{\"name\": 5}]}", `{"rules": [{"nmae": 1}]}`,
		`[]`, ``, `{"rules": [{"when": {"min_value": true}}]}`, `{"rules": [{"filters": {"max_km": 1e400}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := decodeRulesJSON(data)
		if err != nil {
			checkRulesRefusal(t, data, err)
			return
		}
		enc, err := json.Marshal(rs)
		if err != nil {
			t.Fatalf("a rule set that was read does not encode: %v", err)
		}
		back, err := decodeRulesJSON(enc)
		if err != nil || !reflect.DeepEqual(back, rs) {
			t.Fatalf("re-importing %s: %v\n%#v\nwant %#v", enc, err, back, rs)
		}
		var stored routing.RuleSet
		if err := json.Unmarshal(enc, &stored); err != nil || !reflect.DeepEqual(stored, rs) {
			t.Fatalf("reading %s as stored: %v\n%#v", enc, err, stored)
		}
		if !reflect.DeepEqual(back.Validate(), rs.Validate()) {
			t.Fatalf("validation changed through JSON: %v vs %v", back.Validate(), rs.Validate())
		}
		if again, err := json.Marshal(back); err != nil || !bytes.Equal(again, enc) {
			t.Fatalf("encoding again gives %s, want %s (%v)", again, enc, err)
		}
	})
}

// checkRulesRefusal wants an Invalid error that says something and points, if
// it points, at a line the file has.
func checkRulesRefusal(t *testing.T, data []byte, err error) {
	t.Helper()
	if app.ErrorKind(err) != app.KindInvalid || err.Error() == "" {
		t.Fatalf("refusal %v is not Invalid", err)
	}
	if strings.Contains(err.Error(), "unknown field") {
		return // the message quotes the field's name, which may say anything
	}
	if m := jsonLine.FindStringSubmatch(err.Error()); m != nil {
		if n, _ := strconv.Atoi(m[1]); n < 1 || n > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("refusal %q points at line %s of a %d-line file", err, m[1], bytes.Count(data, []byte("\n"))+1)
		}
	}
}
