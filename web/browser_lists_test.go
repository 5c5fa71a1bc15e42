package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/web/browsertest"
)

// TestBrowserSearchPagesThroughEveryMatch searches in a real Chromium as a
// support agent: the results say how many orders match, and "Next page" walks
// through every one of them, newest first, until there is no next page; "First
// page" comes back.
func TestBrowserSearchPagesThroughEveryMatch(t *testing.T) {
	b := browsertest.New(t)
	env := ordEnv(t)
	var want []string
	for i := range 25 {
		o := ordPlace(t, env, "BL"+itoa(int64(i)), func(in *app.NewOrder) {
			placed := time.Date(2026, 11, 2, 8, i, 0, 0, time.UTC)
			in.PlacedAt = &placed
			in.Customer.Email = "b" + itoa(int64(i)) + "@example.com"
			in.ShippingAddress.City = "Lima"
		})
		want = append([]string{o.Number}, want...)
	}
	support, password := env.AddUser(app.RoleSupport)
	signIn(t, b, env.Server.URL, support.Email, password)

	b.Do("search the results page for Lima",
		chromedp.Navigate(env.Server.URL+"/search?q=Lima"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=search-results]`)),
	)
	if got := b.Text(`[data-testid=pager-count]`); got != "25 orders match" {
		t.Errorf("the results say %q, want %q", got, "25 orders match")
	}
	var seen []string
	for page := 1; ; page++ {
		seen = append(seen, ordAttrs(t, b, `[data-testid=search-results] [data-testid=search-hit]`, "data-number")...)
		if len(b.Texts(`[data-testid=next-page]`)) == 0 {
			break
		}
		if page == 5 {
			t.Fatalf("more than 5 pages for 25 orders")
		}
		if st := b.Follow("click Next page", chromedp.Click(browsertest.Find("a", "Next page"))); st != http.StatusOK {
			t.Fatalf("Next page answered %d on %s", st, b.URL())
		}
		if u := b.URL(); !strings.Contains(u, "q=Lima") || !strings.Contains(u, "after=") {
			t.Errorf("page %d is at %s, want the query and a cursor in the address", page+1, u)
		}
	}
	if !slices.Equal(seen, want) {
		t.Errorf("the pages showed %v, want every Lima order once, newest first: %v", seen, want)
	}
	if st := b.Follow("click First page", chromedp.Click(browsertest.Find("a", "First page"))); st != http.StatusOK || strings.Contains(b.URL(), "after=") {
		t.Fatalf("First page answered %d at %s, want the first page", st, b.URL())
	}
	if first := ordAttrs(t, b, `[data-testid=search-hit]`, "data-number"); len(first) != 20 || first[0] != want[0] {
		t.Errorf("back on the first page: %v, want the 20 newest from %s", first, want[0])
	}
}
