package search

import (
	"switchyard/app"

	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"switchyard/app/desk"
	"switchyard/app/tracking"
	store "switchyard/sql"
)

// SearchLimit is the most orders a search returns at once (a page of results).
const SearchLimit = 20

// searchWindow is how many orders a search ranks and pages through; when more
// match, the results say "more than" that and ask for more words (a variable for tests).
var searchWindow = 100

// SearchMinRunes is the shortest query that searches; shorter ones find nothing.
const SearchMinRunes = 2

// What a search hit matched on, in the words the results show.
const (
	MatchNumber    = "number"
	MatchTracking  = "tracking number"
	MatchChannelID = "channel order id"
	MatchEmail     = "email"
	MatchPhone     = "phone"
	MatchSKU       = "SKU"
	MatchName      = "name"
	MatchCity      = "city"
	MatchNote      = "note"
	MatchText      = "text" // the words are spread over several fields
)

// The tiers of hits, best first.
const (
	tierExact = iota // number, tracking number, channel order id, email, phone
	tierSKU
	tierText
)

// Search tuning.
const (
	searchMaxWords    = 8  // words past these are ignored
	searchPhoneDigits = 7  // phones are indexed and compared by at least this many trailing digits
	searchPhoneRows   = 50 // candidates read for a phone's trailing digits
	// searchSKULinesPerOrder bounds the lines of a SKU read per order wanted
	// (an order may hold the SKU on several lines).
	searchSKULinesPerOrder = 10
	// searchIndexedPrefix is the longest prefix order_search indexes (migrations/0006_search.sql).
	searchIndexedPrefix = 6
)

// searchRankMax is how many orders a word may match for text hits to be ranked
// by bm25 (a variable for tests).
var searchRankMax int64 = 2000

// SearchHit is an order a search found and the key it matched on.
type SearchHit struct {
	desk.OrderSummary
	MatchedOn string
}

// SearchResult is what a search found, best match first.
type SearchResult struct {
	Query  string
	Orders []SearchHit
	// Exact: one order, and only one, matched an exact key that names it (its
	// number, a tracking number, a channel order id or an email): open it.
	Exact bool
	// Count is how many orders match (at most searchWindow); Capped: more than that.
	Count  int
	Capped bool
	// After is the cursor this page continues from ("" for the first page), Next
	// the cursor of the next page ("" on the last).
	After, Next string
}

// Search finds orders by number (with or without "SY-" and zeros), channel order
// id, email, phone, tracking number, SKU, and the words of names, email, city
// and note: exact keys first, then SKUs, then words (by bm25 relevance when they
// are selective), newest first within each. Queries shorter than 2 characters
// find nothing.
func (a *Service) Search(ctx context.Context, actor app.Actor, q string, limit int) (SearchResult, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleSupport); err != nil {
		return SearchResult{}, err
	}
	q = strings.TrimSpace(strings.Map(controlToSpace, q))
	res := SearchResult{Query: q}
	if utf8.RuneCountInString(q) < SearchMinRunes {
		return res, nil
	}
	if _, err := a.IndexSearch(ctx); err != nil { // the orders of the last moment too
		return res, err
	}
	hits, err := a.searchHits(ctx, q, searchLimit(limit))
	if err != nil || len(hits.list) == 0 {
		return res, err
	}
	chans, err := desk.ChannelCodes(ctx, a.core.Read())
	if err != nil {
		return res, err
	}
	for _, h := range hits.sorted() {
		res.Orders = append(res.Orders, SearchHit{OrderSummary: summaryFromOrder(h.row, chans[h.row.ChannelID]), MatchedOn: h.on})
	}
	res.Exact = hits.exact()
	return res, nil
}

// SearchPage is one page of a search's results, continuing after the cursor
// after ("" for the first page): the same order as Search, with how many match
// (up to searchWindow) and the cursor of the next page. Only the first page may
// be Exact.
func (a *Service) SearchPage(ctx context.Context, actor app.Actor, q, after string, limit int) (SearchResult, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleSupport); err != nil {
		return SearchResult{}, err
	}
	from, err := parseHitKey(after)
	if err != nil {
		return SearchResult{}, err
	}
	q = strings.TrimSpace(strings.Map(controlToSpace, q))
	res := SearchResult{Query: q, After: after}
	if utf8.RuneCountInString(q) < SearchMinRunes {
		return res, nil
	}
	if _, err := a.IndexSearch(ctx); err != nil {
		return res, err
	}
	hits, err := a.searchHits(ctx, q, searchWindow+1)
	if err != nil || len(hits.list) == 0 {
		return res, err
	}
	chans, err := desk.ChannelCodes(ctx, a.core.Read())
	if err != nil {
		return res, err
	}
	window := hits.sorted()
	res.Capped = len(window) > searchWindow
	window = window[:min(len(window), searchWindow)]
	res.Count = len(window)
	start := 0
	if after != "" {
		start = sort.Search(len(window), func(i int) bool { return compareHits(window[i], from) > 0 })
	}
	end := min(len(window), start+searchLimit(limit))
	for _, h := range window[start:end] {
		res.Orders = append(res.Orders, SearchHit{OrderSummary: summaryFromOrder(h.row, chans[h.row.ChannelID]), MatchedOn: h.on})
	}
	if end < len(window) {
		res.Next = window[end-1].key()
	}
	res.Exact = after == "" && hits.exact()
	return res, nil
}

// key is the page cursor that continues after this hit: its tier, score, placing time and id.
func (h hit) key() string {
	return fmt.Sprintf("%d~%s~%d~%d", h.tier, strconv.FormatFloat(h.score, 'g', -1, 64), h.row.PlacedAt, h.row.ID)
}

// parseHitKey reads a page cursor made by key ("" is the start).
func parseHitKey(s string) (hit, error) {
	var h hit
	if s == "" {
		return h, nil
	}
	parts := strings.Split(s, "~")
	if len(parts) != 4 {
		return h, app.InvalidField("after", "is not a page cursor")
	}
	var errs [4]error
	h.tier, errs[0] = strconv.Atoi(parts[0])
	h.score, errs[1] = strconv.ParseFloat(parts[1], 64)
	h.row.PlacedAt, errs[2] = strconv.ParseInt(parts[2], 10, 64)
	h.row.ID, errs[3] = strconv.ParseInt(parts[3], 10, 64)
	for _, err := range errs {
		if err != nil {
			return h, app.InvalidField("after", "is not a page cursor")
		}
	}
	return h, nil
}

// searchLimit clamps a requested number of results to 1..SearchLimit (0: SearchLimit).
func searchLimit(n int) int {
	if n <= 0 || n > SearchLimit {
		return SearchLimit
	}
	return n
}

// controlToSpace turns control characters (NUL ends an FTS5 query early) into spaces.
func controlToSpace(r rune) rune {
	if unicode.IsControl(r) {
		return ' '
	}
	return r
}

// searchStep looks q up one way and adds what it finds to hits.
type searchStep func(ctx context.Context, db *store.Queries, q string, hits *hitSet) error

// searchSteps are the ways of looking a query up, best tier first.
var searchSteps = []searchStep{searchNumber, searchTracking, searchChannelRef, searchEmail, searchPhone, searchSKU, searchText}

// searchHits runs the steps until limit hits are found.
func (a *Service) searchHits(ctx context.Context, q string, limit int) (*hitSet, error) {
	hits := &hitSet{limit: limit, seen: map[int64]bool{}}
	for _, step := range searchSteps {
		if hits.full() {
			break
		}
		if err := step(ctx, a.core.Read(), q, hits); err != nil {
			return nil, fmt.Errorf("search %q: %w", q, err)
		}
	}
	return hits, nil
}

// searchNumber finds the order whose number q is: SY-000123, sy123 or 123.
func searchNumber(ctx context.Context, db *store.Queries, q string, hits *hitSet) error {
	number, ok := orderNumberOf(q)
	if !ok {
		return nil
	}
	rows, err := db.SearchOrdersByNumber(ctx, number)
	hits.addAll(rows, tierExact, MatchNumber)
	return err
}

// orderNumberOf reads an order number with or without its "SY-" prefix and leading zeros.
func orderNumberOf(q string) (string, bool) {
	s := strings.ToUpper(q)
	if rest, ok := strings.CutPrefix(s, "SY"); ok {
		s = strings.TrimPrefix(rest, "-")
	}
	if s == "" || len(s) > 18 || strings.Trim(s, "0123456789") != "" {
		return "", false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return "", false
	}
	return fmt.Sprintf("SY-%06d", n), true
}

// searchTracking finds the orders of a shipment whose tracking number is q, however typed.
func searchTracking(ctx context.Context, db *store.Queries, q string, hits *hitSet) error {
	number := tracking.Normalize(q)
	if len(number) < SearchMinRunes {
		return nil
	}
	rows, err := db.SearchOrdersByTracking(ctx, store.SearchOrdersByTrackingParams{Tracking: number, Lim: int64(hits.limit)})
	hits.addAll(rows, tierExact, MatchTracking)
	return err
}

// searchChannelRef finds orders by the channel's id or name for them, with or without "#".
func searchChannelRef(ctx context.Context, db *store.Queries, q string, hits *hitSet) error {
	alt := "#" + q
	if strings.HasPrefix(q, "#") {
		alt = strings.TrimPrefix(q, "#")
	}
	rows, err := db.SearchOrdersByChannelRef(ctx, store.SearchOrdersByChannelRefParams{Ref: q, HashRef: alt, Lim: int64(hits.limit)})
	hits.addAll(rows, tierExact, MatchChannelID)
	return err
}

// searchEmail finds orders by the customer's email, in any case.
func searchEmail(ctx context.Context, db *store.Queries, q string, hits *hitSet) error {
	if !strings.Contains(q, "@") {
		return nil
	}
	rows, err := db.SearchOrdersByEmail(ctx, store.SearchOrdersByEmailParams{Email: q, Lim: int64(hits.limit)})
	hits.addAll(rows, tierExact, MatchEmail)
	return err
}

// searchPhone finds orders whose customer or shipping phone is q, written any
// way: by the trailing digits, so that "06 12 34 56 78" finds "+33 6 12 34 56 78".
func searchPhone(ctx context.Context, db *store.Queries, q string, hits *hitSet) error {
	digits, ok := phoneDigits(q)
	if !ok {
		return nil
	}
	rows, err := db.SearchOrdersByPhone(ctx, store.SearchOrdersByPhoneParams{Key: digits[len(digits)-searchPhoneDigits:], Lim: searchPhoneRows})
	for _, r := range rows {
		if samePhone(r.CustomerPhone, digits) || samePhone(r.ShipPhone, digits) {
			hits.add(r, tierExact, MatchPhone, 0)
		}
	}
	return err
}

// phoneDigits is q's digits when q is written like a phone number with enough of them.
func phoneDigits(q string) (string, bool) {
	if strings.Trim(q, "0123456789 +-./()") != "" {
		return "", false
	}
	d := digitsOf(q)
	return d, len(d) >= searchPhoneDigits
}

// digitsOf keeps the ASCII digits of s.
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// samePhone reports whether stored and the digits searched name the same number:
// without leading zeros, one ends with the other and they share enough digits
// (a country code or a trunk 0 may be on either side).
func samePhone(stored, digits string) bool {
	a, b := strings.TrimLeft(digitsOf(stored), "0"), strings.TrimLeft(digits, "0")
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= searchPhoneDigits && strings.HasSuffix(b, a)
}

// searchSKU finds the newest orders with a line of SKU q.
func searchSKU(ctx context.Context, db *store.Queries, q string, hits *hitSet) error {
	if !app.ValidCode(q) {
		return nil
	}
	rows, err := db.SearchOrdersBySKU(ctx, store.SearchOrdersBySKUParams{Sku: q, Scan: int64(hits.limit * searchSKULinesPerOrder), Lim: int64(hits.limit)})
	hits.addAll(rows, tierSKU, MatchSKU)
	return err
}

// searchText finds orders by the words of their names, email, city and note,
// the last word as a prefix: by bm25 relevance when every word is selective,
// else newest first (see searchRankMax).
func searchText(ctx context.Context, db *store.Queries, q string, hits *hitSet) error {
	t, err := textQueryOf(ctx, db, q)
	if err != nil || len(t.words) == 0 {
		return err
	}
	order, err := textOrder(ctx, db, t)
	switch {
	case err != nil || order == textNone:
		return err
	case order == textNewest:
		rows, err := db.SearchOrdersTextNewest(ctx, store.SearchOrdersTextNewestParams{Match: t.match(), Lim: int64(hits.limit)})
		for _, r := range rows {
			hits.add(r, tierText, textMatch(r, t.words), 0)
		}
		return err
	}
	rows, err := db.SearchOrdersTextRanked(ctx, store.SearchOrdersTextRankedParams{Match: t.match(), Lim: int64(hits.limit)})
	for _, r := range rows {
		hits.add(r.Order, tierText, textMatch(r.Order, t.words), r.Score)
	}
	return err
}

// textQuery is what the text search asks FTS5: every word, the last one as a
// prefix when prefix is set.
type textQuery struct {
	words  []string
	prefix bool
}

// textQueryOf reads the words of q. The last one is a prefix (people search as
// they type), unless its last token is longer than the prefixes order_search
// indexes and common as a whole word (more than searchRankMax orders): FTS5
// would then merge the lists of all the words it starts before giving the first
// row (130 ms for a word in every one of a million orders).
func textQueryOf(ctx context.Context, db *store.Queries, q string) (textQuery, error) {
	t := textQuery{words: searchWords(q), prefix: true}
	if len(t.words) == 0 {
		return t, nil
	}
	last := tokens(t.words[len(t.words)-1])
	if utf8.RuneCountInString(last[len(last)-1]) <= searchIndexedPrefix {
		return t, nil
	}
	n, err := db.CountTextMatches(ctx, store.CountTextMatchesParams{Match: ftsPhrase(t.words[len(t.words)-1], false), Cap: searchRankMax + 1})
	t.prefix = n <= searchRankMax
	return t, err
}

// match is the FTS5 query for all the words.
func (t textQuery) match() string {
	parts := make([]string, len(t.words))
	for i := range t.words {
		parts[i] = t.phrase(i)
	}
	return strings.Join(parts, " ")
}

// phrase is the FTS5 query for word i alone.
func (t textQuery) phrase(i int) string {
	return ftsPhrase(t.words[i], t.prefix && i == len(t.words)-1)
}

// How text hits are ordered.
const (
	textNone   = iota // a word matches nothing: no text hits
	textRanked        // by bm25
	textNewest        // newest first: a word is too common to rank by
)

// textOrder counts the orders each word matches (up to searchRankMax + 1) to
// choose how to order the hits. bm25 counts every order each word matches (for
// its weight), so a common word would make ranking read much of the index.
func textOrder(ctx context.Context, db *store.Queries, t textQuery) (int, error) {
	order := textRanked
	for i := range t.words {
		n, err := db.CountTextMatches(ctx, store.CountTextMatchesParams{Match: t.phrase(i), Cap: searchRankMax + 1})
		switch {
		case err != nil || n == 0:
			return textNone, err
		case n > searchRankMax:
			order = textNewest
		}
	}
	return order, nil
}

// searchWords are the words of q worth searching: at least 2 characters with a
// letter or digit, at most searchMaxWords of them.
func searchWords(q string) []string {
	var out []string
	for _, w := range strings.Fields(q) {
		if utf8.RuneCountInString(w) >= SearchMinRunes && strings.IndexFunc(w, isWordRune) >= 0 {
			out = append(out, w)
		}
	}
	return out[:min(len(out), searchMaxWords)]
}

// isWordRune reports whether r is part of a word for the FTS5 tokenizer.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// ftsPhrase quotes a word for FTS5 so that nothing in it reads as FTS5 syntax
// (quotes doubled), as a prefix when asked.
func ftsPhrase(word string, prefix bool) string {
	p := `"` + strings.ReplaceAll(word, `"`, `""`) + `"`
	if prefix {
		p += "*"
	}
	return p
}

// textMatch names the field of o that holds every searched word, MatchText when they are spread.
func textMatch(o store.Order, words []string) string {
	for _, f := range []struct{ on, text string }{
		{MatchName, o.CustomerName + " " + o.ShipName},
		{MatchEmail, o.CustomerEmail},
		{MatchCity, o.ShipCity},
		{MatchNote, o.Note},
	} {
		if hasWords(f.text, words) {
			return f.on
		}
	}
	return MatchText
}

// hasWords reports whether every token of words starts a token of text, ignoring case.
func hasWords(text string, words []string) bool {
	have := tokens(text)
	for _, w := range words {
		for _, t := range tokens(w) {
			if !slices.ContainsFunc(have, func(h string) bool { return strings.HasPrefix(h, t) }) {
				return false
			}
		}
	}
	return true
}

// tokens splits s into lower-case runs of letters and digits.
func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWordRune(r) })
}

// hitSet gathers the hits of a search, each order once with its best match.
type hitSet struct {
	limit int
	seen  map[int64]bool
	list  []hit
}

// hit is an order found, its tier, what it matched on and its bm25 score (text hits).
type hit struct {
	row   store.Order
	tier  int
	on    string
	score float64
}

// add keeps row unless an earlier, better step found it already.
func (s *hitSet) add(row store.Order, tier int, on string, score float64) {
	if s.seen[row.ID] {
		return
	}
	s.seen[row.ID] = true
	s.list = append(s.list, hit{row: row, tier: tier, on: on, score: score})
}

// addAll adds rows found by one key.
func (s *hitSet) addAll(rows []store.Order, tier int, on string) {
	for _, r := range rows {
		s.add(r, tier, on, 0)
	}
}

// full reports whether enough hits were found that lower tiers cannot place.
func (s *hitSet) full() bool { return len(s.list) >= s.limit }

// sorted is the best limit hits: by tier, then score, then newest (where the
// ranking does not decide).
func (s *hitSet) sorted() []hit {
	slices.SortStableFunc(s.list, compareHits)
	return s.list[:min(len(s.list), s.limit)]
}

// compareHits orders hits: by tier, then score (bm25, lower is better), then newest placed, then newest in.
func compareHits(a, b hit) int {
	return cmp.Or(cmp.Compare(a.tier, b.tier), cmp.Compare(a.score, b.score),
		cmp.Compare(b.row.PlacedAt, a.row.PlacedAt), cmp.Compare(b.row.ID, a.row.ID))
}

// exact reports whether one order alone matched an exact key that names it.
func (s *hitSet) exact() bool {
	n, naming := 0, false
	for _, h := range s.list {
		if h.tier == tierExact {
			n++
			naming = h.on != MatchPhone
		}
	}
	return n == 1 && naming
}

// summaryFromOrder maps a full order row to a row of a list.
func summaryFromOrder(o store.Order, channel string) desk.OrderSummary {
	return desk.SummaryFromRow(store.OrderListRow{
		ID: o.ID, Number: o.Number, ChannelID: o.ChannelID, ExternalID: o.ExternalID, ChannelRef: o.ChannelRef,
		PlacedAt: o.PlacedAt, Currency: o.Currency, CustomerName: o.CustomerName, CustomerEmail: o.CustomerEmail,
		ShipCountry: o.ShipCountry, Total: o.Total, Status: o.Status, OnHold: o.OnHold, HoldReason: o.HoldReason, Test: o.Test,
	}, channel)
}
