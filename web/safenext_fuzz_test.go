package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeNext checks that whatever next holds, the sign-in redirect stays on
// this site once a browser has read it: the answer is "/" or a path with one
// leading slash, with no control character or backslash, that resolves against
// the site's own address to the same host.
func FuzzSafeNext(f *testing.F) {
	for _, seed := range []string{
		"/", "/orders?status=open", "/orders/SO-1#x", "/admin/users", "/%2F%2Fevil.example",
		"/\t/evil.example", "/\r/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example",
		"\\\\evil.example", "https://evil.example", "javascript:alert(1)", "/\x00/evil", "/\x7f/evil",
		" /evil", "/ /evil", "/.//evil", "/..//evil", "http:/evil.example", "/@evil.example", "/orders?next=//evil",
	} {
		f.Add(seed)
	}
	base, err := url.Parse("https://switchyard.example/")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got == "/" {
			return
		}
		if got != next {
			t.Fatalf("safeNext(%q) = %q: it must return next as given or /", next, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") {
			t.Fatalf("safeNext(%q) = %q: not a path with a single leading slash", next, got)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f || r == '\\' {
				t.Fatalf("safeNext(%q) = %q: holds %q, which a browser drops or reads as /", next, got, r)
			}
		}
		ref, err := url.Parse(got)
		if err != nil {
			t.Fatalf("safeNext(%q) = %q, which does not parse: %v", next, got, err)
		}
		if to := base.ResolveReference(ref); to.Host != base.Host || to.Scheme != base.Scheme {
			t.Fatalf("safeNext(%q) = %q leads to %s, off the site", next, got, to)
		}
	})
}
