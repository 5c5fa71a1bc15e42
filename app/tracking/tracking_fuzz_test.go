package tracking

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzValidate checks that no input makes Validate panic, for any carrier,
// and that its result is consistent. It is seeded with every test number of
// the embedded data, skipped entries included.
func FuzzValidate(f *testing.F) {
	for _, file := range embeddedFiles {
		cf, err := readCourierFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, spec := range cf.TrackingNumbers {
			for _, n := range append(spec.TestNumbers.Valid, spec.TestNumbers.Invalid...) {
				f.Add(n)
			}
		}
	}
	for _, n := range []string{"", " ", "-", "1Z999AA10123456785", "rb-123-456-785-gb", "\xff", "((?<x>", "\u00a0\u2013"} {
		f.Add(n)
	}
	codes := Carriers()
	f.Fuzz(func(t *testing.T, number string) {
		for _, c := range codes {
			checkInvariants(t, c.Code, number)
		}
	})
}

// FuzzNormalize checks that Normalize is idempotent, strips every separator
// it promises to strip, keeps no lower-case ASCII, and that Validate's answer
// depends only on the normalised number and the carrier code, whatever its case.
func FuzzNormalize(f *testing.F) {
	for _, n := range []string{"1z 5r8 939 0357 567127", "RB-123-456-785-GB", "rb\u200b123456785gb", "\u00ad1Z", "\ufeff123",
		"\xff\xfe", "ß", "ﬁ", "ǅ", "\u2013\u2014", "\t\n\v\f\r\u0085\u00a0", "ı", "ſ", "K"} {
		f.Add(n, "ups")
	}
	f.Add("RB123456785GB", "Royal-Mail")
	f.Add("12345", " other ")
	f.Fuzz(func(t *testing.T, number, carrier string) {
		n := Normalize(number)
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize(%q) = %q, but Normalize of that = %q", number, n, again)
		}
		for _, r := range n {
			if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || unicode.Is(unicode.Cf, r) || (r >= 'a' && r <= 'z') {
				t.Fatalf("Normalize(%q) = %q keeps %U", number, n, r)
			}
		}
		c := Validate(carrier, number)
		if byNorm := Validate(carrier, n); byNorm != c {
			t.Fatalf("Validate(%q, %q) = %+v, but on the normalised %q = %+v", carrier, number, c, n, byNorm)
		}
		ascii := !strings.ContainsFunc(carrier, func(r rune) bool { return r > unicode.MaxASCII })
		if upper := Validate(strings.ToUpper(carrier), number); ascii && upper != c {
			t.Fatalf("Validate depends on the carrier's case: %+v vs %+v", c, upper)
		}
		checkInvariants(t, carrier, number)
	})
}

func BenchmarkValidateUPS(b *testing.B) {
	loadRegistry() // the one-time build is not what is measured
	b.ReportAllocs()
	for b.Loop() {
		if c := Validate("ups", "1Z 5R8 939 0357 567127"); !c.Valid {
			b.Fatal(c.Warning)
		}
	}
}
