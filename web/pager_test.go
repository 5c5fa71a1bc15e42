package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"switchyard/web/webtest"
)

var (
	nextPageLink  = regexp.MustCompile(`href="([^"]+)" rel="next" data-testid="next-page"`)
	firstPageLink = regexp.MustCompile(`href="([^"]+)" data-testid="first-page"`)
	pagerCount    = regexp.MustCompile(`data-testid="pager-count">([^<]*)<`)
)

// pages is what following a list's Next links showed: each page's rows and count sentence, and the addresses followed.
type pages struct {
	rows   []string // every row of every page, in order
	counts []string // the count sentence of each page
	urls   []string // the address of each page
	firsts []string // the "First page" link of each page ("" on none)
}

// followPages opens start and follows "Next page" to the end, collecting the
// rows that row finds (its first group), failing on any page that is not 200,
// on a row seen twice and on more than 100 pages.
func followPages(t *testing.T, c *webtest.Client, start string, row *regexp.Regexp) pages {
	t.Helper()
	var p pages
	seen := map[string]string{}
	for u := start; u != ""; {
		if len(p.urls) == 100 {
			t.Fatalf("more than 100 pages from %s", start)
		}
		res := c.Get(u)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d: %.300s", u, res.StatusCode, res.Body)
		}
		p.urls = append(p.urls, u)
		for _, m := range row.FindAllStringSubmatch(res.Body, -1) {
			if prev, ok := seen[m[1]]; ok {
				t.Errorf("row %s on %s again (first on %s)", m[1], u, prev)
			}
			seen[m[1]] = u
			p.rows = append(p.rows, m[1])
		}
		if m := pagerCount.FindStringSubmatch(res.Body); m != nil {
			p.counts = append(p.counts, html.UnescapeString(m[1]))
		} else {
			t.Errorf("GET %s: no pager count", u)
			p.counts = append(p.counts, "")
		}
		first := ""
		if m := firstPageLink.FindStringSubmatch(res.Body); m != nil {
			first = html.UnescapeString(m[1])
		}
		p.firsts = append(p.firsts, first)
		u = ""
		if m := nextPageLink.FindStringSubmatch(res.Body); m != nil {
			u = html.UnescapeString(m[1])
		}
	}
	return p
}

// checkPages asserts every page said count, the later pages link back to first,
// and every address after the first keeps each of the filters (query pairs) in keep.
func checkPages(t *testing.T, p pages, count, first string, keep ...string) {
	t.Helper()
	for i, c := range p.counts {
		if c != count {
			t.Errorf("page %d (%s) says %q, want %q", i+1, p.urls[i], c, count)
		}
		if want := ""; i == 0 && p.firsts[i] != want {
			t.Errorf("the first page links to a first page %q", p.firsts[i])
		}
		if i > 0 && p.firsts[i] != first {
			t.Errorf("page %d links to first page %q, want %q", i+1, p.firsts[i], first)
		}
	}
	for _, u := range p.urls[1:] {
		for _, k := range keep {
			if !strings.Contains(u, k) {
				t.Errorf("page address %s lost the filter %s", u, k)
			}
		}
	}
}
