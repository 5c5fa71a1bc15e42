package app

import "testing"

func TestIsTextAndCleanText(t *testing.T) {
	cases := []struct {
		in        string
		multiline bool
		ok        bool
		clean     string
	}{
		{"Ana Lima", false, true, "Ana Lima"},
		{"café 🎁", false, true, "café 🎁"},
		{"caf\xe9", false, false, "caf"},
		{"a\x00b", false, false, "ab"},
		{"a\ab\x1bc\x7fd\u0085e", false, false, "abcde"},
		{"two\nlines\tand\r\n", true, true, "two\nlines\tand\r\n"},
		{"two\nlines", false, false, "twolines"},
		{"lost \uFFFD char", false, true, "lost  char"},
	}
	for _, c := range cases {
		if got := IsText(c.in, c.multiline); got != c.ok {
			t.Errorf("IsText(%q, %v) = %v, want %v", c.in, c.multiline, got, c.ok)
		}
		if got, _ := CleanText(c.in, c.multiline); got != c.clean {
			t.Errorf("CleanText(%q, %v) = %q, want %q", c.in, c.multiline, got, c.clean)
		}
		if got, _ := CleanText(c.in, c.multiline); !IsText(got, c.multiline) {
			t.Errorf("CleanText(%q) = %q is not text", c.in, got)
		}
	}
}

func TestCheckTextFieldsNamesPaths(t *testing.T) {
	in := NewOrder{Note: "ok\nok", Customer: CustomerInput{Name: "A\x00"}, Lines: []LineInput{{}, {Name: "x\x1b"}},
		ShippingAddress: &AddressInput{Line1: "caf\xe9"}}
	f := FieldsError{}
	checkTextFields(f, "", in)
	want := []string{"customer.name", "lines[1].name", "shipping_address.line1"}
	if len(f) != len(want) {
		t.Fatalf("fields = %v, want %v", f, want)
	}
	for _, w := range want {
		if f[w] != NotTextProblem {
			t.Errorf("field %s not named: %v", w, f)
		}
	}
	if got := fieldWords([]string{"customer.name", "lines[1].name"}); got != "customer name, line 2 name" {
		t.Errorf("fieldWords = %q", got)
	}
}
