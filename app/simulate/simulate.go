package simulate

import (
	"switchyard/app"

	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"switchyard/app/money"
	"switchyard/app/routing"
	"switchyard/app/rules"
	store "switchyard/sql"
)

// Simulation limits: the default window, the largest one, and how many
// changed orders a report lists.
const (
	DefaultSimulationWindow = 1_000
	MaxSimulationWindow     = 20_000
	MaxSimulationChanges    = 200
)

// SimulationWindows are the windows the simulation page offers.
var SimulationWindows = []int{100, 1_000, 10_000}

// Which rules a simulation replays, besides a version number.
const (
	SimulateDraft     = "draft"
	SimulatePublished = "published"
)

// simWorkers is how many goroutines decode and replay decisions: one per
// core (another goroutine reads the database). Each job writes its own slot
// of the result, so the order does not depend on how many there are.
func simWorkers() int {
	return max(1, runtime.GOMAXPROCS(0))
}

// simPage is how many decisions one read of the database returns.
const simPage = 500

// SimulationQuery picks the rules to replay and the window of past orders.
type SimulationQuery struct {
	// Rules is "draft" (also when empty), "published" (the active rules: the
	// newest published version, or none, which means the default rule,
	// before the first publication) or a version number.
	Rules string
	// Window is how many of the newest orders to replay, 1 to MaxSimulationWindow.
	Window int
}

// SimulationReport compares the recorded routing of past orders with what
// the chosen rules decide on exactly the same inputs.
type SimulationReport struct {
	Rules      string // the rules replayed, as asked: "draft", "published" or a version number
	RulesLabel string // the same for people: "the draft", "version 3"…
	Window     int
	Orders     int // orders replayed: fewer than Window when fewer were routed
	Changed    int // orders whose set of shipment locations changes
	// ChangedOrders lists the first MaxSimulationChanges changed orders, newest first.
	ChangedOrders []SimulationChange
	Before        SimulationFigures // as recorded
	After         SimulationFigures // as replayed
	Costs         []SimulationCost  // estimated shipping cost per currency, by code
	Locations     []SimulationShare // by share after, largest first
	// Oldest and Newest are when the oldest and newest replayed orders were placed.
	Oldest, Newest time.Time
}

// SimulationFigures sum up one side of a simulation: recorded or replayed.
type SimulationFigures struct {
	Split       int // orders with more than one shipment
	Held        int // orders held for review
	Backordered int // orders with a backorder
	// SplitRate, HeldRate and BackorderRate are the same as shares of the orders, 0 to 1.
	SplitRate, HeldRate, BackorderRate float64
	Shipments                          int
	// ParcelsPerOrder is Shipments over the orders, to 0.01.
	ParcelsPerOrder float64
	// AvgDistanceKm is the mean distance, to 0.1 km, of the DistanceShipments
	// shipments whose distance is known.
	AvgDistanceKm     float64
	DistanceShipments int
	// AvgPromiseDays is the mean of deliver-by less the routing time, in days
	// to 0.1, over the PromiseOrders orders that got a promise.
	AvgPromiseDays float64
	PromiseOrders  int
}

// SimulationCost is the estimated shipping cost of one currency's orders:
// the sums of the known zone-rate costs, in minor units.
type SimulationCost struct {
	Currency      string
	Exponent      int
	Orders        int
	Before, After int64
	// UnknownBefore and UnknownAfter count shipments without a known cost (left out of the sums).
	UnknownBefore, UnknownAfter int
	// FullBefore and FullAfter are the full cost under the cost model of the
	// replayed rules (shipping, handling and split penalty), both sides
	// priced with the rule that decides the replay, so they compare.
	FullBefore, FullAfter SimulationFullCost
}

// SimulationFullCost is one side's cost under the cost model, in minor units.
type SimulationFullCost struct {
	Shipping, Handling, SplitPenalty, Total int64
}

// add counts one order's cost.
func (f *SimulationFullCost) add(c routing.Cost) {
	f.Shipping += c.Shipping
	f.Handling += c.Handling
	f.SplitPenalty += c.SplitPenalty
	f.Total += c.Total
}

// Text formats an amount of this currency, "12.90".
func (c SimulationCost) Text(minor int64) string {
	return money.Format(minor, money.Currency{Code: c.Currency, Exponent: c.Exponent})
}

// SimulationShare is how many replayed orders ship, at least in part, from one location.
type SimulationShare struct {
	Location, Name string
	Before, After  int
	// BeforeShare and AfterShare are shares of the orders, 0 to 1; a split
	// order counts at each of its locations, so shares may sum above 1.
	BeforeShare, AfterShare float64
}

// SimulationChange is an order whose shipment locations change.
type SimulationChange struct {
	Number        string
	Before, After SimulationRoute
}

// SimulationRoute is where an order ships, recorded or replayed, and why.
type SimulationRoute struct {
	Locations   []string // the shipment locations, by code
	Explanation string
}

// Simulate replays the intake decisions of the newest orders with other
// rules (everything else as recorded, including the time) and compares.
func (a *Service) Simulate(ctx context.Context, actor app.Actor, q SimulationQuery) (SimulationReport, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return SimulationReport{}, err
	}
	q, err := q.normalized()
	if err != nil {
		return SimulationReport{}, err
	}
	info, err := a.rules.RulesVersion(ctx, q.Rules)
	if err != nil {
		return SimulationReport{}, err
	}
	orders, err := a.replay(ctx, info.Rules, q.Window)
	if err != nil {
		return SimulationReport{}, fmt.Errorf("simulate %s: %w", q.Rules, err)
	}
	return buildReport(q, info, orders), nil
}

// normalized checks the query, the draft standing in for empty rules.
func (q SimulationQuery) normalized() (SimulationQuery, error) {
	q.Rules = strings.TrimSpace(q.Rules)
	if q.Rules == "" {
		q.Rules = SimulateDraft
	}
	fields := map[string]string{}
	if q.Rules != SimulateDraft && q.Rules != SimulatePublished {
		if v, err := strconv.Atoi(q.Rules); err != nil || v < 1 {
			fields["rules"] = `must be "draft", "published" or a version number`
		}
	}
	if q.Window < 1 || q.Window > MaxSimulationWindow {
		fields["window"] = "must be between 1 and 20,000 orders"
	}
	if len(fields) > 0 {
		return q, app.Invalid("the simulation cannot run", fields)
	}
	return q, nil
}

// simOrder is one replayed order, reduced to what the report needs.
type simOrder struct {
	number        string
	currency      string
	exponent      int
	at            time.Time
	before, after simRoute
}

// simRoute is one decision reduced to what the report needs.
type simRoute struct {
	locs        []simLoc // distinct, by code
	shipments   int
	distKm      float64 // summed over the distN shipments with a known distance
	distN       int
	cost        int64 // summed known costs
	costUnknown int
	held        bool
	backordered bool
	promiseDays float64 // when promised
	promised    bool
	explanation string
	full        routing.Cost // under the cost model of the replayed rules
}

// simLoc is a shipment location.
type simLoc struct{ code, name string }

// simJob is one decision to replay and its place in the window.
type simJob struct {
	i   int
	row store.SimulationDecisionsRow
}

// replay reads the window's decisions and replays them with rules on
// simWorkers() goroutines; the result keeps the read order, newest first.
func (a *Service) replay(ctx context.Context, rules routing.RuleSet, window int) ([]simOrder, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan simJob, simPage)
	out := make([]simOrder, window)
	errs := make([]error, simWorkers())
	inputs := app.NewInputReader(a.core.Read())
	var wg sync.WaitGroup
	for w := range len(errs) {
		wg.Go(func() {
			if errs[w] = replayJobs(ctx, jobs, rules, inputs, out); errs[w] != nil {
				cancel()
			}
		})
	}
	n, readErr := a.feedDecisions(ctx, window, jobs)
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if readErr != nil {
		return nil, readErr
	}
	return out[:n], nil
}

// feedDecisions sends the window's decisions to jobs, latest placed orders first, reading
// them page by page in one snapshot; it returns how many it sent.
func (a *Service) feedDecisions(ctx context.Context, window int, jobs chan<- simJob) (int, error) {
	n := 0
	err := a.core.DB().Snapshot(ctx, func(q *store.Queries) error {
		placed, order := int64(math.MaxInt64), int64(math.MaxInt64)
		for n < window {
			size := min(simPage, window-n)
			rows, err := q.SimulationDecisions(ctx, store.SimulationDecisionsParams{BeforePlaced: placed, BeforeOrder: order, PageSize: int64(size)})
			if err != nil {
				return fmt.Errorf("read decisions: %w", err)
			}
			for _, r := range rows {
				select {
				case jobs <- simJob{i: n, row: r}:
					n++
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			if len(rows) < size {
				return nil
			}
			placed, order = rows[len(rows)-1].PlacedAt, rows[len(rows)-1].OrderID
		}
		return nil
	})
	return n, err
}

// replayJobs replays jobs until there are none, or one fails.
func replayJobs(ctx context.Context, jobs <-chan simJob, rules routing.RuleSet, inputs *app.InputReader, out []simOrder) error {
	zones := map[string]*time.Location{}
	for j := range jobs {
		o, err := replayOne(ctx, j.row, rules, inputs, zones)
		if err != nil {
			return err
		}
		out[j.i] = o
	}
	return nil
}

// replayOne decodes a recorded decision, decides again with rules and
// reduces both decisions for the report. Decoding is most of the work: the
// JSON v2 decoder (the future encoding/json/v2) does it in half the time of
// encoding/json, and reads what encoding/json wrote exactly as it would.
func replayOne(ctx context.Context, row store.SimulationDecisionsRow, rules routing.RuleSet, inputs *app.InputReader, zones map[string]*time.Location) (simOrder, error) {
	in, err := inputs.Decode(ctx, row.Input)
	if err != nil {
		return simOrder{}, fmt.Errorf("decision %d: input: %w", row.ID, err)
	}
	var before routing.Decision
	if err := jsonv2.Unmarshal(row.Decision, &before); err != nil {
		return simOrder{}, fmt.Errorf("decision %d: %w", row.ID, err)
	}
	in.Rules = rules
	in.Zones = knownZones(zones, in.Candidates)
	after := routing.Decide(in)
	o := simOrder{number: row.Number, currency: in.Order.Currency, exponent: in.Order.ValueExponent, at: app.FromMillis(row.PlacedAt)}
	o.before = routeOf(&before, in.Now, after.Candidates)
	o.after = routeOf(&after, in.Now, after.Candidates)
	rule := replayedRule(rules, after.RuleIndex)
	o.before.full = routing.CostOf(&in, rule, before.Shipments)
	o.after.full = routing.CostOf(&in, rule, after.Shipments)
	return o, nil
}

// replayedRule is the rule of rules at index, the default rule for -1 (or
// an index out of range).
func replayedRule(rules routing.RuleSet, index int) routing.Rule {
	if index >= 0 && index < len(rules.Rules) {
		return rules.Rules[index]
	}
	return routing.DefaultRule()
}

// knownZones returns a worker's time zones, first loading those of cands it lacks.
func knownZones(zones map[string]*time.Location, cands []routing.Candidate) map[string]*time.Location {
	for i := range cands {
		if _, ok := zones[cands[i].Timezone]; !ok {
			maps.Copy(zones, routing.LoadZones(cands))
			break
		}
	}
	return zones
}

// routeOf reduces a decision taken at now; cands, from the replay, say
// whose distance is known (distances do not depend on the rules).
func routeOf(d *routing.Decision, now time.Time, cands []routing.CandidateReport) simRoute {
	r := simRoute{shipments: len(d.Shipments), held: d.Hold, backordered: len(d.Backorders) > 0, explanation: d.Explanation}
	for i := range d.Shipments {
		s := &d.Shipments[i]
		r.addLoc(s.Location, s.LocationName)
		if distanceKnown(cands, s.Location) {
			r.distKm += s.DistanceKm
			r.distN++
		}
		if s.CostKnown {
			r.cost += s.Cost
		} else {
			r.costUnknown++
		}
	}
	if !d.PromiseDeliverBy.IsZero() {
		r.promiseDays, r.promised = d.PromiseDeliverBy.Sub(now).Hours()/24, true
	}
	return r
}

// addLoc adds a shipment location once, keeping them by code.
func (r *simRoute) addLoc(code, name string) {
	i, found := slices.BinarySearchFunc(r.locs, code, func(l simLoc, c string) int { return strings.Compare(l.code, c) })
	if !found {
		r.locs = slices.Insert(r.locs, i, simLoc{code: code, name: name})
	}
}

// distanceKnown reports whether the candidate report of code has a known distance.
func distanceKnown(cands []routing.CandidateReport, code string) bool {
	for i := range cands {
		if cands[i].Location == code {
			return cands[i].Figures.DistanceKnown
		}
	}
	return false
}

// changed reports whether the set of shipment locations differs.
func (o *simOrder) changed() bool {
	return !slices.EqualFunc(o.before.locs, o.after.locs, func(a, b simLoc) bool { return a.code == b.code })
}

// buildReport sums the replayed orders up.
func buildReport(q SimulationQuery, info rules.RuleSetInfo, orders []simOrder) SimulationReport {
	r := SimulationReport{Rules: q.Rules, RulesLabel: rulesLabel(q.Rules, info), Window: q.Window, Orders: len(orders)}
	var before, after simTally
	for i := range orders {
		o := &orders[i]
		before.add(&o.before)
		after.add(&o.after)
		r.noteChange(o)
	}
	r.Before, r.After = before.figures(len(orders)), after.figures(len(orders))
	r.Costs = costsOf(orders)
	r.Locations = sharesOf(orders)
	for i, o := range orders {
		if i == 0 || o.at.Before(r.Oldest) {
			r.Oldest = o.at
		}
		if i == 0 || o.at.After(r.Newest) {
			r.Newest = o.at
		}
	}
	return r
}

// noteChange counts an order whose locations change, listing the first ones.
func (r *SimulationReport) noteChange(o *simOrder) {
	if !o.changed() {
		return
	}
	r.Changed++
	if len(r.ChangedOrders) < MaxSimulationChanges {
		r.ChangedOrders = append(r.ChangedOrders, SimulationChange{Number: o.number, Before: o.before.public(), After: o.after.public()})
	}
}

// public is the route as a report shows it.
func (r *simRoute) public() SimulationRoute {
	codes := make([]string, len(r.locs))
	for i, l := range r.locs {
		codes[i] = l.code
	}
	return SimulationRoute{Locations: codes, Explanation: r.explanation}
}

// rulesLabel names the replayed rules for people.
func rulesLabel(which string, info rules.RuleSetInfo) string {
	switch {
	case which == SimulateDraft:
		return "the draft"
	case which != SimulatePublished:
		return "version " + which
	case info.Rules.Version == 0:
		return "the published rules (none yet: the default rule)"
	}
	return fmt.Sprintf("the published rules (version %d)", info.Rules.Version)
}

// simTally adds up one side of a simulation.
type simTally struct {
	split, held, back, ships, distN, promN int
	dist, prom                             float64
}

// add counts one order's route.
func (t *simTally) add(r *simRoute) {
	t.split += simCount(r.shipments > 1)
	t.held += simCount(r.held)
	t.back += simCount(r.backordered)
	t.ships += r.shipments
	t.dist += r.distKm
	t.distN += r.distN
	if r.promised {
		t.prom += r.promiseDays
		t.promN++
	}
}

// figures turns the tally of orders into rates and averages.
func (t *simTally) figures(orders int) SimulationFigures {
	return SimulationFigures{
		Split: t.split, Held: t.held, Backordered: t.back,
		SplitRate: simShare(t.split, orders), HeldRate: simShare(t.held, orders), BackorderRate: simShare(t.back, orders),
		Shipments: t.ships, ParcelsPerOrder: math.Round(simShare(t.ships, orders)*100) / 100, AvgDistanceKm: simRound1(simMean(t.dist, t.distN)), DistanceShipments: t.distN,
		AvgPromiseDays: simRound1(simMean(t.prom, t.promN)), PromiseOrders: t.promN,
	}
}

// costsOf sums the known shipping costs per currency, by currency code.
func costsOf(orders []simOrder) []SimulationCost {
	by := map[string]*SimulationCost{}
	for i := range orders {
		o := &orders[i]
		c := by[o.currency]
		if c == nil {
			c = &SimulationCost{Currency: o.currency, Exponent: o.exponent}
			by[o.currency] = c
		}
		c.Orders++
		c.Before += o.before.cost
		c.After += o.after.cost
		c.UnknownBefore += o.before.costUnknown
		c.UnknownAfter += o.after.costUnknown
		c.FullBefore.add(o.before.full)
		c.FullAfter.add(o.after.full)
	}
	out := make([]SimulationCost, 0, len(by))
	for _, c := range by {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b SimulationCost) int { return strings.Compare(a.Currency, b.Currency) })
	return out
}

// sharesOf counts the orders each location ships, sorted by share after,
// then share before, then code.
func sharesOf(orders []simOrder) []SimulationShare {
	by := map[string]*SimulationShare{}
	count := func(r *simRoute, after bool) {
		for _, l := range r.locs {
			s := by[l.code]
			if s == nil {
				s = &SimulationShare{Location: l.code, Name: l.name}
				by[l.code] = s
			}
			if after {
				s.After++
			} else {
				s.Before++
			}
		}
	}
	for i := range orders {
		count(&orders[i].before, false)
		count(&orders[i].after, true)
	}
	out := make([]SimulationShare, 0, len(by))
	for _, s := range by {
		s.BeforeShare, s.AfterShare = simShare(s.Before, len(orders)), simShare(s.After, len(orders))
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b SimulationShare) int {
		return cmp.Or(cmp.Compare(b.After, a.After), cmp.Compare(b.Before, a.Before), strings.Compare(a.Location, b.Location))
	})
	return out
}

// simShare is n of total as a fraction, 0 when total is 0.
func simShare(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(n) / float64(total)
}

// simMean is sum over n, 0 when n is 0.
func simMean(sum float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// simRound1 rounds to one decimal.
func simRound1(x float64) float64 { return math.Round(x*10) / 10 }

// simCount counts a true as 1.
func simCount(b bool) int {
	if b {
		return 1
	}
	return 0
}
