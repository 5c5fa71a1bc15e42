// Package wootest is a fake WooCommerce store for tests: its REST API lists
// orders as WooCommerce does (GET /wp-json/wc/v3/orders with modified_after,
// dates_are_gmt, orderby=modified, pages and X-WP-TotalPages), behind
// consumer key:consumer secret credentials sent as HTTP Basic.
package wootest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// gmt is how WooCommerce writes its *_gmt times: UTC without an offset.
const gmt = "2006-01-02T15:04:05"

// Store is one fake store. Its fields may be changed between requests.
type Store struct {
	URL    string       // the store's base URL (https://, as a real store's must be)
	Client *http.Client // trusts the store's test certificate: give it to App.UseWooClient

	mu       sync.Mutex
	key      string
	secret   string
	pageCap  int                         // the most orders a page holds, whatever per_page asks
	failPage int                         // answer 500 for this page (0: never)
	orders   map[string][]byte           // by id: the order object as the REST API returns it
	queries  []url.Values                // every list request's query, in order
	refunds  map[string][]map[string]any // by order id: the refunds made (POST .../refunds)
	refuse   string                      // answer 400 with this message to new refunds ("": accept)
}

// New starts a store with credentials key and secret whose pages hold at
// most pageCap orders; it stops with the test.
func New(t testing.TB, key, secret string, pageCap int) *Store {
	s := &Store{key: key, secret: secret, pageCap: pageCap, orders: map[string][]byte{}, refunds: map[string][]map[string]any{}}
	srv := httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL, s.Client = srv.URL, srv.Client()
	return s
}

// Order makes an order object from fixture (a WooCommerce order, e.g. the
// REST v3 documentation's) with id, created and last changed at modified.
func Order(t testing.TB, fixture []byte, id int64, modified time.Time) []byte {
	t.Helper()
	var o map[string]any
	d := json.NewDecoder(bytes.NewReader(fixture))
	d.UseNumber()
	if err := d.Decode(&o); err != nil {
		t.Fatalf("order fixture: %v", err)
	}
	o["id"] = json.Number(strconv.FormatInt(id, 10))
	o["number"] = strconv.FormatInt(id, 10)
	o["date_created_gmt"] = modified.UTC().Format(gmt)
	o["date_modified_gmt"] = modified.UTC().Format(gmt)
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("order: %v", err)
	}
	return b
}

// Put adds or replaces an order (by its id).
func (s *Store) Put(t testing.TB, order []byte) {
	t.Helper()
	var o struct {
		ID json.Number `json:"id"`
	}
	if err := json.Unmarshal(order, &o); err != nil || o.ID == "" {
		t.Fatalf("order without id: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[o.ID.String()] = order
}

// FailPage makes the store answer 500 for page n (0: never).
func (s *Store) FailPage(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failPage = n
}

// Queries returns the query of every list request received so far.
func (s *Store) Queries() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.queries)
}

// Refunds returns the refunds made on order id, each as it was posted with its id.
func (s *Store) Refunds(id string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.refunds[id])
}

// RefuseRefunds makes the store refuse new refunds with a 400 and msg ("": accept them).
func (s *Store) RefuseRefunds(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = msg
}

// refundsPath matches an order's refunds endpoint.
var refundsPath = regexp.MustCompile(`^/wp-json/wc/v3/orders/(\d+)/refunds$`)

// orderPath and notesPath match an order and its notes.
var (
	orderPath = regexp.MustCompile(`^/wp-json/wc/v3/orders/\d+$`)
	notesPath = regexp.MustCompile(`^/wp-json/wc/v3/orders/\d+/notes$`)
)

// serveRefunds answers GET (list) and POST (create) on an order's refunds.
func (s *Store) serveRefunds(w http.ResponseWriter, r *http.Request, order string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	if r.Method == http.MethodGet {
		list := s.refunds[order]
		if list == nil {
			list = []map[string]any{}
		}
		_ = json.NewEncoder(w).Encode(list)
		return
	}
	if s.refuse != "" {
		wooError(w, http.StatusBadRequest, "woocommerce_rest_cannot_create_order_refund", s.refuse)
		return
	}
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		wooError(w, http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.")
		return
	}
	in["id"] = 700 + len(s.refunds[order])
	s.refunds[order] = append(s.refunds[order], in)
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(in)
}

// serve answers GET /wp-json/wc/v3/orders, an order's refunds, and accepts
// order updates and notes.
func (s *Store) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	refunds := refundsPath.FindStringSubmatch(r.URL.Path)
	update := r.Method == http.MethodPut && orderPath.MatchString(r.URL.Path) || r.Method == http.MethodPost && notesPath.MatchString(r.URL.Path)
	if refunds != nil && (r.Method == http.MethodGet || r.Method == http.MethodPost) || update {
		if k, sec, ok := r.BasicAuth(); !ok || k != s.key || sec != s.secret {
			wooError(w, http.StatusUnauthorized, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.")
			return
		}
		if update { // an order's status or a note: accepted, not kept
			w.Header().Set("Content-Type", "application/json; charset=UTF-8")
			_, _ = w.Write([]byte(`{}`))
			return
		}
		s.serveRefunds(w, r, refunds[1])
		return
	}
	if r.Method != http.MethodGet || r.URL.Path != "/wp-json/wc/v3/orders" {
		wooError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
		return
	}
	if k, sec, ok := r.BasicAuth(); !ok || k != s.key || sec != s.secret {
		wooError(w, http.StatusUnauthorized, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
		return
	}
	q := r.URL.Query()
	s.queries = append(s.queries, q)
	page, perPage := atoi(q.Get("page"), 1), min(atoi(q.Get("per_page"), 10), s.pageCap)
	if page == s.failPage {
		wooError(w, http.StatusInternalServerError, "internal_server_error", "There has been a critical error on this website.")
		return
	}
	list, err := s.changedAfter(q.Get("modified_after"))
	if err != nil {
		wooError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): modified_after")
		return
	}
	pages := (len(list) + perPage - 1) / perPage
	w.Header().Set("X-WP-Total", strconv.Itoa(len(list)))
	w.Header().Set("X-WP-TotalPages", strconv.Itoa(pages))
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	from, to := min((page-1)*perPage, len(list)), min(page*perPage, len(list))
	w.Write(append(append([]byte("["), bytes.Join(list[from:to], []byte(","))...), ']'))
}

// changedAfter lists the orders changed after since (RFC 3339; all when
// empty), oldest change first.
func (s *Store) changedAfter(since string) ([][]byte, error) {
	after := time.Time{}
	if since != "" {
		t, err := time.Parse(time.RFC3339, since)
		if err != nil {
			return nil, err
		}
		after = t
	}
	type listed struct {
		id       string
		modified time.Time
		body     []byte
	}
	var all []listed
	for id, body := range s.orders {
		var o struct {
			Modified string `json:"date_modified_gmt"`
		}
		json.Unmarshal(body, &o)
		m, _ := time.ParseInLocation(gmt, o.Modified, time.UTC)
		if m.After(after) {
			all = append(all, listed{id, m, body})
		}
	}
	slices.SortFunc(all, func(a, b listed) int {
		if c := a.modified.Compare(b.modified); c != 0 {
			return c
		}
		ai, _ := strconv.ParseInt(a.id, 10, 64)
		bi, _ := strconv.ParseInt(b.id, 10, 64)
		return cmp.Compare(ai, bi)
	})
	out := make([][]byte, len(all))
	for i, l := range all {
		out[i] = l.body
	}
	return out, nil
}

// atoi reads a positive number, def when absent or bad.
func atoi(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return def
	}
	return n
}

// wooError answers as WooCommerce's REST API does when it refuses.
func wooError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"code":%q,"message":%q,"data":{"status":%d}}`, code, msg, status)
}
