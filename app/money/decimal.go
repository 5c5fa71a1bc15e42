package money

import (
	"bytes"
	"encoding/json"
	"reflect"
)

// Decimal is a money amount as sent: a JSON string ("19.90") or a JSON number
// (19.9), kept as its literal text so that it is never rounded through float64.
type Decimal string

// UnmarshalJSON keeps the literal text of a string or number; null is empty.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*d = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = Decimal(s)
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		*d = Decimal(b)
	default:
		return &json.UnmarshalTypeError{Value: "money", Type: reflect.TypeFor[Decimal]()}
	}
	return nil
}
