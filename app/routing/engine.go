package routing

import (
	"time"

	"switchyard/app/geo"
)

// engine holds the working state of one Decide call.
type engine struct {
	in       *Input
	o        orderView
	rule     Rule
	ruleIdx  int
	ruleRef  string
	rankers  []ranker
	byCode   map[string]int // first candidate index per location code
	kindWhy  string         // the kind filter's reason, built once
	cands    []cand
	ranked   []*cand // routable candidates (stock aside), best first
	eligible []*cand // ranked candidates with some of the order's stock
}

// orderView is the order reduced to what routing computes with.
type orderView struct {
	lines     []lineView
	skus      []string // distinct SKUs, in order of first appearance
	demand    []int64  // units needed per SKU
	units     int64
	dest      geo.Point
	destKnown bool
	delivery  string
	channel   string // the channel's name for people
}

// lineView is an order line with something left to route.
type lineView struct {
	id  int64
	sku string
	s   int // index into orderView.skus
	qty int64
	// parts are a kit's parts when the order gives them (Line.Parts).
	parts []KitPart
}

// cand is one candidate with its figures and verdict.
type cand struct {
	src      *Candidate
	idx      int
	loc      *time.Location
	fig      Figures
	avail    []int64 // available per order SKU, under the rule's safety setting
	full     bool    // has every line in full
	some     bool    // has some of the order's stock
	reasons  []string
	routable bool // passes base eligibility and the rule's filters
	eligible bool // routable and has some stock
	chosen   bool
	position int
}

// name is the candidate's name for people, its code when unnamed.
func (c *cand) name() string {
	if c.src.Name != "" {
		return c.src.Name
	}
	return c.src.Code
}

// newEngine selects the rule and measures every candidate.
func newEngine(in *Input) *engine {
	rule, idx := selectRule(in.Rules, &in.Order)
	e := &engine{in: in, rule: rule, ruleIdx: idx, rankers: parseRankers(rule.Rank)}
	e.ruleRef = quoted(rule.Name, idx)
	e.o = buildOrder(&in.Order)
	e.measure()
	return e
}

// buildOrder keeps the lines with a positive quantity and pools them by SKU.
func buildOrder(o *Order) orderView {
	v := orderView{delivery: deliveryOf(o), channel: o.ChannelName, dest: o.Dest, destKnown: o.DestKnown}
	if v.channel == "" {
		v.channel = o.Channel
	}
	if !v.destKnown || !v.dest.Valid() {
		v.dest, v.destKnown = geo.Centroid(o.Country)
	}
	v.lines = make([]lineView, 0, len(o.Lines))
	for _, l := range o.Lines {
		if l.Quantity <= 0 {
			continue
		}
		s := indexOf(v.skus, l.SKU)
		if s < 0 {
			s = len(v.skus)
			v.skus = append(v.skus, l.SKU)
			v.demand = append(v.demand, 0)
		}
		v.demand[s] = addSat(v.demand[s], l.Quantity)
		v.units = addSat(v.units, l.Quantity)
		v.lines = append(v.lines, lineView{id: l.ID, sku: l.SKU, s: s, qty: l.Quantity, parts: l.Parts})
	}
	return v
}

// indexOf returns the index of s in list, or -1. Orders have few distinct
// SKUs, so a scan beats building a map.
func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// addSat adds non-negative numbers, saturating instead of overflowing.
func addSat(a, b int64) int64 {
	if s := a + b; s >= a {
		return s
	}
	return 1<<63 - 1
}
