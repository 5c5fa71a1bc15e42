package web

import "testing"

func TestRawStringIsText(t *testing.T) {
	cases := map[string]bool{
		`"plain"`:            true,
		`: "caf\u00e9"`:      true,
		`"\ud83c\udf81"`:     true,
		`"\ud800"`:           false,
		`"\udc00"`:           false,
		`"\ud800\u0041"`:     false,
		`"\ud800x"`:          false,
		`"\ud800\n"`:         false,
		"\"caf\xe9\"":        false,
		`"a\"b\\"`:           true,
		`"NUL \u0000 is ok"`: true, // control characters are the app's to refuse
	}
	for raw, want := range cases {
		if got := rawStringIsText([]byte(raw)); got != want {
			t.Errorf("rawStringIsText(%s) = %v, want %v", raw, got, want)
		}
	}
}
