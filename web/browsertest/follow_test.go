package browsertest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/web/browsertest"
)

// TestFollowAfterSameDocumentNavigation: a click that first changes the
// address in place (as htmx does when it pushes a filtered address) and then
// loads a new page still reports the new page's status, not 0.
func TestFollowAfterSameDocumentNavigation(t *testing.T) {
	b := browsertest.New(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>start</title>
<a id="go" href="/next">next</a>
<script>
document.getElementById("go").addEventListener("click", e => {
	e.preventDefault();
	history.pushState({}, "", "/start?status=approved");
	setTimeout(() => { location.href = "/next"; }, 50);
});
</script>`))
	})
	mux.HandleFunc("/next", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNonAuthoritativeInfo)
		_, _ = w.Write([]byte(`<!doctype html><title>next</title><h1>next</h1>`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	if st := b.Open(srv.URL + "/start"); st != http.StatusOK {
		t.Fatalf("GET /start answered %d", st)
	}
	st := b.Follow("click the link", chromedp.Click(chromedp.ID("go")))
	if st != http.StatusNonAuthoritativeInfo || b.Path() != "/next" {
		t.Fatalf("following the link ended with %d on %s, want 203 on /next", st, b.Path())
	}
	if got := b.Text(`h1`); got != "next" {
		t.Errorf("the new page says %q", got)
	}
}
