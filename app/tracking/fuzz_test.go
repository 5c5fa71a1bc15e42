package tracking

import "testing"

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

func BenchmarkValidateUPS(b *testing.B) {
	loadRegistry() // the one-time build is not what is measured
	b.ReportAllocs()
	for b.Loop() {
		if c := Validate("ups", "1Z 5R8 939 0357 567127"); !c.Valid {
			b.Fatal(c.Warning)
		}
	}
}
