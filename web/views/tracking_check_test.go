package views

import (
	"testing"

	"switchyard/app/tracking"
)

// TestTrackingCheckWords: the check of a typed number -> what the form says.
func TestTrackingCheckWords(t *testing.T) {
	for _, tc := range []struct{ carrier, number, want string }{
		{"ups", "", ""},
		{"", "1Z5R89390357567127", "Choose a carrier to check the number."},
		{"ups", "hello-123", "HELLO123 does not match any UPS format. Check it before saving; it can still be saved."},
		{"gls", "12345", "No format to check GLS numbers against."},
		{"royal-mail", "RB123456785GB", "Looks like a Royal Mail number (Letter Post Registered)."},
	} {
		c := tracking.Validate(tc.carrier, tc.number)
		if tc.carrier == "" {
			c.Carrier = ""
		}
		if got := TrackingCheckWords(c); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.carrier, tc.number, got, tc.want)
		}
	}
}
