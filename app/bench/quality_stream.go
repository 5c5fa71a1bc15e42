package bench

import (
	"fmt"
	"io"
	"math/rand/v2"
	"text/tabwriter"

	"switchyard/app/money"
	"switchyard/app/routing"
)

// streamConfig is a day of orders replayed against one stock state.
type streamConfig struct {
	Seed        uint64
	Orders      int
	Locations   int
	Catalogue   int
	AcceptAfter int   // orders after its arrival an order's fulfillments are accepted (then never moved)
	Every       int   // re-evaluate every K orders as well
	MinSaving   int64 // minor units a move must save, strictly
	Assign      string
}

// Kinds of day events.
const (
	evArrive = iota
	evCancel
	evReceipt
)

// dayEvent is one thing that happens during the day.
type dayEvent struct {
	kind  int
	order int    // evArrive, evCancel: the order's index
	loc   string // evReceipt
	sku   string
	qty   int64
}

// day is a generated day: the network with its opening stock, the orders and
// what happens in which order.
type day struct {
	cands  []routing.Candidate
	rates  []routing.ZoneRate
	orders []routing.Order
	events []dayEvent
}

// genDay draws the day of cfg: after each order, one in twenty times an
// earlier order (of the last 200) is cancelled and one in fifteen times a
// location receives 5-30 units of a SKU (popular ones more often).
func genDay(cfg streamConfig) day {
	r := rand.New(rand.NewPCG(cfg.Seed, 0x5752))
	var d day
	d.cands, d.rates = genNetwork(r, cfg.Locations)
	genStock(r, d.cands, cfg.Catalogue, true, 8)
	for i := range cfg.Orders {
		d.orders = append(d.orders, genQualityOrder(r, fmt.Sprintf("D-%d", i), cfg.Catalogue, 1, 10))
		d.events = append(d.events, dayEvent{kind: evArrive, order: i})
		if i > 0 && r.IntN(20) == 0 {
			d.events = append(d.events, dayEvent{kind: evCancel, order: max(0, i-r.IntN(200))})
		}
		if r.IntN(15) == 0 {
			loc := d.cands[r.IntN(len(d.cands))].Code
			d.events = append(d.events, dayEvent{kind: evReceipt, loc: loc, sku: skuName(skewed(r, cfg.Catalogue)), qty: int64(5 + r.IntN(26))})
		}
	}
	return d
}

// simOrder is an order of the replay and what it has now.
type simOrder struct {
	order     routing.Order
	arrived   int // orders arrived before it
	ships     []routing.Shipment
	cost      routing.Cost
	cancelled bool
}

// sim is the state of one replay: stock levels by location and SKU, and the
// orders so far.
type sim struct {
	cfg      streamConfig
	d        *day
	reeval   bool
	stock    map[string]map[string]routing.Stock
	orders   []simOrder
	arrived  int
	moves    int
	reconsid int
	oversold int // times a level was found reserved beyond on hand or below zero
}

// streamRun is what one replay ended with.
type streamRun struct {
	Cost, Units, Backorder                    int64
	Splits, Moves, Reconsiderations, Oversold int
}

// streamResult is both replays of a day.
type streamResult struct {
	Orders, Cancellations, Receipts int
	Without, With                   streamRun
}

// runStream replays the day without and with re-evaluation and prints both.
func runStream(w io.Writer, cfg streamConfig) (streamResult, error) {
	if cfg.Assign == "" {
		cfg.Assign = routing.AssignOptimalCost
	}
	d := genDay(cfg)
	res := streamResult{Orders: cfg.Orders}
	for _, ev := range d.events {
		switch ev.kind {
		case evCancel:
			res.Cancellations++
		case evReceipt:
			res.Receipts++
		}
	}
	res.Without = replay(cfg, &d, false)
	res.With = replay(cfg, &d, true)
	printStream(w, cfg, res)
	if res.Without.Oversold+res.With.Oversold > 0 {
		return res, fmt.Errorf("bench routing-quality: the replay oversold stock %d times", res.Without.Oversold+res.With.Oversold)
	}
	return res, nil
}

// replay runs the day once and sums up the orders that were not cancelled.
func replay(cfg streamConfig, d *day, reeval bool) streamRun {
	s := &sim{cfg: cfg, d: d, reeval: reeval, stock: openingStock(d.cands)}
	for _, ev := range d.events {
		s.apply(ev)
		s.check()
	}
	run := streamRun{Moves: s.moves, Reconsiderations: s.reconsid, Oversold: s.oversold}
	for i := range s.orders {
		o := &s.orders[i]
		if o.cancelled {
			continue
		}
		run.Cost += o.cost.Total
		units := shippedUnits(o.ships)
		run.Units += units
		run.Backorder += orderUnits(o.order) - units
		if len(o.ships) > 1 {
			run.Splits++
		}
	}
	return run
}

// openingStock copies the candidates' stock into the replay's state.
func openingStock(cands []routing.Candidate) map[string]map[string]routing.Stock {
	out := make(map[string]map[string]routing.Stock, len(cands))
	for _, c := range cands {
		m := make(map[string]routing.Stock, len(c.Stock))
		for sku, st := range c.Stock {
			m[sku] = st
		}
		out[c.Code] = m
	}
	return out
}

// apply plays one event, then re-evaluates when the replay does and the
// event calls for it.
func (s *sim) apply(ev dayEvent) {
	switch ev.kind {
	case evArrive:
		s.arrive(ev.order)
		if s.reeval && s.arrived%s.cfg.Every == 0 {
			s.reevaluate()
		}
	case evCancel:
		if ev.order < len(s.orders) && !s.orders[ev.order].cancelled {
			o := &s.orders[ev.order]
			s.reserve(o.ships, -1)
			o.cancelled = true
			if s.reeval {
				s.reevaluate()
			}
		}
	case evReceipt:
		lv := s.stock[ev.loc]
		st := lv[ev.sku]
		st.OnHand += ev.qty
		lv[ev.sku] = st
		if s.reeval {
			s.reevaluate()
		}
	}
}

// arrive routes a new order on the current stock and reserves what ships.
func (s *sim) arrive(i int) {
	o := simOrder{order: s.d.orders[i], arrived: s.arrived}
	s.arrived++
	dec := routing.Decide(s.input(&o, false))
	o.ships, o.cost = dec.Shipments, dec.Cost
	s.reserve(o.ships, 1)
	s.orders = append(s.orders, o)
}

// reevaluate reconsiders every open order whose fulfillments are not yet
// accepted, counting its own reservations as available, and moves it when
// the fresh decision is better.
func (s *sim) reevaluate() {
	for i := range s.orders {
		o := &s.orders[i]
		if o.cancelled || s.arrived-o.arrived > s.cfg.AcceptAfter {
			continue
		}
		s.reconsid++
		rc := routing.Reconsider(s.input(o, true), o.ships, s.cfg.MinSaving)
		if !rc.Better {
			continue
		}
		s.reserve(o.ships, -1)
		o.ships, o.cost = rc.Decision.Shipments, rc.Decision.Cost
		s.reserve(o.ships, 1)
		s.moves++
	}
}

// input is the routing input of o on the current stock, with only the
// order's SKUs; own counts o's reservations as available.
func (s *sim) input(o *simOrder, own bool) routing.Input {
	mine := map[[2]string]int64{}
	if own {
		for _, sh := range o.ships {
			for _, a := range sh.Lines {
				mine[[2]string{sh.Location, a.SKU}] += a.Quantity
			}
		}
	}
	cands := make([]routing.Candidate, len(s.d.cands))
	for k, c := range s.d.cands {
		c.Stock = make(map[string]routing.Stock, len(o.order.Lines))
		for _, l := range o.order.Lines {
			if st, ok := s.stock[c.Code][l.SKU]; ok {
				st.Reserved -= mine[[2]string{c.Code, l.SKU}]
				c.Stock[l.SKU] = st
			}
		}
		cands[k] = c
	}
	return routing.Input{Order: o.order, Candidates: cands, Rates: s.d.rates, Rules: qualityRules(s.cfg.Assign), Now: qualityNow()}
}

// reserve adds (sign 1) or releases (sign -1) the shipments' units.
func (s *sim) reserve(ships []routing.Shipment, sign int64) {
	for _, sh := range ships {
		lv := s.stock[sh.Location]
		for _, a := range sh.Lines {
			st := lv[a.SKU]
			st.Reserved += sign * a.Quantity
			lv[a.SKU] = st
		}
	}
}

// check counts the stock levels reserved beyond what is on hand, or below zero.
func (s *sim) check() {
	for _, lv := range s.stock {
		for _, st := range lv {
			if st.Reserved < 0 || st.Reserved > st.OnHand || st.OnHand < 0 {
				s.oversold++
			}
		}
	}
}

// shippedUnits counts the units of shipments.
func shippedUnits(ships []routing.Shipment) int64 {
	var n int64
	for _, sh := range ships {
		for _, a := range sh.Lines {
			n += a.Quantity
		}
	}
	return n
}

// orderUnits counts an order's units.
func orderUnits(o routing.Order) int64 {
	var n int64
	for _, l := range o.Lines {
		n += max(l.Quantity, 0)
	}
	return n
}

// printStream prints both replays and ends with the stream's summary line.
func printStream(w io.Writer, cfg streamConfig, res streamResult) {
	fmt.Fprintf(w, "routing-quality stream: seed %d, %d orders over %d locations (assign %s), %d cancellations, %d stock receipts\n",
		cfg.Seed, res.Orders, cfg.Locations, cfg.Assign, res.Cancellations, res.Receipts)
	fmt.Fprintf(w, "  re-evaluation: after each cancellation and receipt and every %d orders, orders not yet accepted (accepted %d orders after arrival), moved when saving over %s\n",
		cfg.Every, cfg.AcceptAfter, eur(cfg.MinSaving))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "replay\tcost\tsplit orders\tunits shipped\tunits backordered\treconsidered\tmoved\toversold\t")
	for _, x := range []struct {
		name string
		run  streamRun
	}{{"without re-evaluation", res.Without}, {"with re-evaluation", res.With}} {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", x.name, eur(x.run.Cost), x.run.Splits, x.run.Units,
			x.run.Backorder, x.run.Reconsiderations, x.run.Moves, x.run.Oversold)
	}
	tw.Flush()
	fmt.Fprintln(w, streamLine(res))
}

// streamLine is the last line of a stream run.
func streamLine(res streamResult) string {
	saved := 0.0
	if res.Without.Cost > 0 {
		saved = 100 * float64(res.Without.Cost-res.With.Cost) / float64(res.Without.Cost)
	}
	return fmt.Sprintf("routing-quality stream: orders %d, cost without %s, with %s (saved %.2f%%), splits without %d, with %d",
		res.Orders, eur(res.Without.Cost), eur(res.With.Cost), saved, res.Without.Splits, res.With.Splits)
}

// eur formats minor units of euros as the timeline does, e.g. "EUR 1234.50".
func eur(minor int64) string {
	c, _ := money.LookupCurrency("EUR")
	return "EUR " + money.Format(minor, c)
}
