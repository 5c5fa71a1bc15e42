package demo

import "testing"

func TestEmailNamesKeepTheirLetters(t *testing.T) {
	for name, want := range map[string]string{
		"Müller": "muller", "Łukasz": "lukasz", "Weiß": "weiss", "Ørsted": "orsted", "José": "jose",
		"Nguyễn": "nguyen", "O'Brien": "obrien", "Anne-Marie": "annemarie",
	} {
		if got := lower(name); got != want {
			t.Errorf("lower(%q) = %q, want %q", name, got, want)
		}
	}
}
