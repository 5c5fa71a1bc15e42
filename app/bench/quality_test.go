package bench

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"switchyard/app/routing"
)

// smallSpec is a generator spec small enough for tests.
var smallSpec = genSpec{MinLocs: 5, MaxLocs: 30, MinLines: 1, MaxLines: 10, Catalogue: 60}

func TestGenInstancesAreDeterministic(t *testing.T) {
	a := genInstances(7, 6, smallSpec)
	b := genInstances(7, 6, smallSpec)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed generated different instances")
	}
	if longer := genInstances(7, 9, smallSpec); !reflect.DeepEqual(a, longer[:6]) {
		t.Fatal("a longer run does not start with the same instances")
	}
	if c := genInstances(8, 6, smallSpec); reflect.DeepEqual(a, c) {
		t.Fatal("another seed generated the same instances")
	}
	for i, inst := range a {
		n := len(inst.In.Candidates)
		if n < smallSpec.MinLocs || n > smallSpec.MaxLocs {
			t.Errorf("instance %d has %d locations, want %d-%d", i, n, smallSpec.MinLocs, smallSpec.MaxLocs)
		}
		if l := len(inst.In.Order.Lines); l < 1 || l > 10 {
			t.Errorf("instance %d has %d lines", i, l)
		}
		if len(inst.In.Rates) != n*len(qualityCountries) {
			t.Errorf("instance %d has %d zone rates for %d locations", i, len(inst.In.Rates), n)
		}
	}
}

func TestGenNetworkRatesRiseWithDistance(t *testing.T) {
	inst := genInstance(3, 0, genSpec{MinLocs: 40, MaxLocs: 40, MinLines: 1, MaxLines: 1, Catalogue: 10})
	home, far := 0.0, 0.0
	var nHome, nFar int
	for _, r := range inst.In.Rates {
		origin := inst.In.Candidates[0]
		for _, c := range inst.In.Candidates {
			if c.Code == r.Origin {
				origin = c
			}
		}
		switch {
		case r.Country == origin.Country:
			home += float64(r.Cost)
			nHome++
		case (origin.Country == "DE" && r.Country == "PT") || (origin.Country == "PT" && r.Country == "DE"):
			far += float64(r.Cost)
			nFar++
		}
	}
	if nHome == 0 || nFar == 0 || far/float64(nFar) <= home/float64(nHome) {
		t.Fatalf("domestic rates average %.0f over %d, DE-PT %.0f over %d: want far dearer", home/float64(max(nHome, 1)), nHome, far/float64(max(nFar, 1)), nFar)
	}
}

// exactLocation is a candidate for hand-built enumerator cases: active,
// shipping, serving the channel, with the given handling and stock.
func exactLocation(code string, perShip, perUnit int64, stock map[string]int64) routing.Candidate {
	st := map[string]routing.Stock{}
	for sku, n := range stock {
		st[sku] = routing.Stock{OnHand: n}
	}
	return routing.Candidate{Code: code, Kind: routing.KindWarehouse, Country: "FR", Active: true, Ships: true,
		Channels: []string{qualityChannel}, Stock: st, HandlingPerShipment: perShip, HandlingPerUnit: perUnit}
}

// exactInput is an order to FR of (sku, qty) pairs over cands, shipping at
// the given rate per location code, under the quality rules (penalty 4.00).
func exactInput(cands []routing.Candidate, rates map[string]int64, lines ...any) routing.Input {
	in := routing.Input{Candidates: cands, Rules: qualityRules(routing.AssignGreedy), Now: qualityNow(),
		Order: routing.Order{Number: "X", Channel: qualityChannel, Country: "FR", ValueExponent: 2, Currency: "EUR"}}
	for code, cost := range rates {
		in.Rates = append(in.Rates, routing.ZoneRate{Origin: code, Country: "FR", Cost: cost, TransitDays: 1})
	}
	for i := 0; i+1 < len(lines); i += 2 {
		in.Order.Lines = append(in.Order.Lines, routing.Line{ID: int64(i/2 + 1), SKU: lines[i].(string), Quantity: int64(lines[i+1].(int))})
	}
	return in
}

func TestExhaustiveOptimumHandBuilt(t *testing.T) {
	tests := []struct {
		name  string
		cands []routing.Candidate
		rates map[string]int64
		lines []any
		units int64
		cost  int64
		locs  []string
	}{{
		name: "the cheaper of two full locations, counting handling per unit",
		cands: []routing.Candidate{
			exactLocation("A", 100, 90, map[string]int64{"S1": 5}),
			exactLocation("B", 100, 10, map[string]int64{"S1": 5}),
		},
		rates: map[string]int64{"A": 300, "B": 500},
		lines: []any{"S1", 4},
		units: 4, cost: 500 + 100 + 40, locs: []string{"B"},
	}, {
		name: "a split when no location has everything, with the penalty",
		cands: []routing.Candidate{
			exactLocation("A", 100, 10, map[string]int64{"S1": 2}),
			exactLocation("B", 200, 20, map[string]int64{"S2": 1}),
		},
		rates: map[string]int64{"A": 300, "B": 400},
		lines: []any{"S1", 2, "S2", 1},
		units: 3, cost: (300 + 100 + 20) + (400 + 200 + 20) + 400, locs: []string{"A", "B"},
	}, {
		name: "one dear full location beats a cheap split once the penalty counts",
		cands: []routing.Candidate{
			exactLocation("A", 0, 0, map[string]int64{"S1": 1}),
			exactLocation("B", 0, 0, map[string]int64{"S2": 1}),
			exactLocation("C", 0, 0, map[string]int64{"S1": 1, "S2": 1}),
		},
		rates: map[string]int64{"A": 100, "B": 100, "C": 500},
		lines: []any{"S1", 1, "S2", 1},
		units: 2, cost: 500, locs: []string{"C"},
	}, {
		name: "most units first: three shipments at most, the cheapest three that cover the most",
		cands: []routing.Candidate{
			exactLocation("A", 0, 0, map[string]int64{"S1": 1}),
			exactLocation("B", 0, 0, map[string]int64{"S2": 1}),
			exactLocation("C", 0, 0, map[string]int64{"S3": 2}),
			exactLocation("D", 0, 0, map[string]int64{"S4": 1}),
		},
		rates: map[string]int64{"A": 100, "B": 900, "C": 100, "D": 200},
		lines: []any{"S1", 1, "S2", 1, "S3", 2, "S4", 1},
		units: 4, cost: 100 + 100 + 200 + 800, locs: []string{"A", "C", "D"},
	}, {
		name: "units of a SKU go to the member with the cheapest handling per unit",
		cands: []routing.Candidate{
			exactLocation("A", 0, 50, map[string]int64{"S1": 3, "S2": 1}),
			exactLocation("B", 0, 5, map[string]int64{"S1": 2}),
		},
		rates: map[string]int64{"A": 100, "B": 100},
		lines: []any{"S1", 4, "S2", 1},
		units: 5, cost: 200 + 2*5 + 3*50 + 400, locs: []string{"B", "A"},
	}, {
		name: "inactive, non-shipping, other-channel and unrated locations are not used",
		cands: []routing.Candidate{
			exactLocation("A", 0, 0, map[string]int64{"S1": 1}),
			func() routing.Candidate {
				c := exactLocation("B", 0, 0, map[string]int64{"S1": 1})
				c.Active = false
				return c
			}(),
			func() routing.Candidate {
				c := exactLocation("C", 0, 0, map[string]int64{"S1": 1})
				c.Ships = false
				return c
			}(),
			func() routing.Candidate {
				c := exactLocation("D", 0, 0, map[string]int64{"S1": 1})
				c.Channels = nil
				return c
			}(),
			exactLocation("E", 0, 0, map[string]int64{"S1": 1}),
		},
		rates: map[string]int64{"A": 900, "B": 1, "C": 1, "D": 1},
		lines: []any{"S1", 1},
		units: 1, cost: 900, locs: []string{"A"},
	}, {
		name: "reserved stock is not available; nothing in stock ships nothing",
		cands: []routing.Candidate{
			func() routing.Candidate {
				c := exactLocation("A", 0, 0, nil)
				c.Stock = map[string]routing.Stock{"S1": {OnHand: 2, Reserved: 2}}
				return c
			}(),
		},
		rates: map[string]int64{"A": 100},
		lines: []any{"S1", 1, "S9", -3},
		units: 0, cost: 0, locs: nil,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := exactInput(tc.cands, tc.rates, tc.lines...)
			got, ok := exhaustiveOptimum(&in, 1000)
			if !ok {
				t.Fatal("not enumerated")
			}
			if got.Units != tc.units || got.Cost != tc.cost || !reflect.DeepEqual(got.Locations, tc.locs) {
				t.Fatalf("got %d units at %d from %v, want %d units at %d from %v", got.Units, got.Cost, got.Locations, tc.units, tc.cost, tc.locs)
			}
		})
	}
}

func TestExhaustiveOptimumRefusesTooManySets(t *testing.T) {
	var cands []routing.Candidate
	rates := map[string]int64{}
	for _, code := range []string{"A", "B", "C", "D", "E", "F"} {
		cands = append(cands, exactLocation(code, 0, 0, map[string]int64{"S1": 1}))
		rates[code] = 100
	}
	in := exactInput(cands, rates, "S1", 1)
	if _, ok := exhaustiveOptimum(&in, 41); !ok { // 6 + 15 + 20 = 41 sets
		t.Fatal("41 sets refused at 41")
	}
	if _, ok := exhaustiveOptimum(&in, 40); ok {
		t.Fatal("41 sets enumerated under a limit of 40")
	}
}

// TestDecisionsNeverBeatTheOptimum checks the enumerator against the engine:
// no decision ships more units than the optimum, nor the same units for less.
func TestDecisionsNeverBeatTheOptimum(t *testing.T) {
	for i, inst := range genInstances(11, 80, smallSpec) {
		opt, ok := exhaustiveOptimum(&inst.In, 1_000_000)
		if !ok {
			t.Fatalf("instance %d not enumerated", i)
		}
		for _, assign := range []string{routing.AssignGreedy, routing.AssignOptimalCost} {
			o := observe(withAssign(inst.In, assign), opt, true)
			switch {
			case o.Units > opt.Units:
				t.Errorf("instance %d, %s: ships %d units, the optimum %d", i, assign, o.Units, opt.Units)
			case o.Units == opt.Units && o.Cost.Total < opt.Cost:
				t.Errorf("instance %d, %s: costs %d, under the optimum %d (%v)", i, assign, o.Cost.Total, opt.Cost, opt.Locations)
			}
		}
	}
}

// summaryRE is the format of the last line of a routing-quality run.
var summaryRE = regexp.MustCompile(`^routing-quality: instances (\d+), greedy mean gap \d+\.\d\d%, max \d+\.\d\d%; optimal mean gap \d+\.\d\d%, max \d+\.\d\d%, exact share \d+\.\d%$`)

func TestRoutingQualityEndsWithTheSummaryLine(t *testing.T) {
	var out bytes.Buffer
	d := Deps{Getenv: func(string) string { return "" }, Stdout: &out, Stderr: io.Discard}
	err := Run(context.Background(), d, []string{"routing-quality", "--instances", "24", "--locations", "5-40", "--lines", "1-6", "--timing", "2", "--seed", "5"})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	last := lines[len(lines)-1]
	m := summaryRE.FindStringSubmatch(last)
	if m == nil || m[1] != "24" {
		t.Fatalf("last line %q does not match %s\n%s", last, summaryRE, out.String())
	}
	for _, want := range []string{"greedy", "optimal_cost", "5 lines x 20 locations", "50 lines x 500 locations", "exact optimum by enumeration: 24 instances"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRoutingQualityRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--locations", "0-5"}, {"--locations", "10-5"}, {"--locations", "abc"}, {"--lines", "1-"},
		{"--instances", "0"}, {"--catalogue", "1"}, {"--every", "0"}, {"extra"}, {"--nope"},
	} {
		d := Deps{Getenv: func(string) string { return "" }, Stdout: io.Discard, Stderr: io.Discard}
		if err := Run(context.Background(), d, append([]string{"routing-quality"}, args...)); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// streamRE is the format of the last line of a stream run.
var streamRE = regexp.MustCompile(`^routing-quality stream: orders 500, cost without EUR \d+\.\d\d, with EUR \d+\.\d\d \(saved -?\d+\.\d\d%\), splits without \d+, with \d+$`)

func TestStreamReplayNeverOversells(t *testing.T) {
	var out bytes.Buffer
	cfg := streamConfig{Seed: 3, Orders: 500, Locations: 12, Catalogue: 40, AcceptAfter: 20, Every: 25, MinSaving: 0}
	res, err := runStream(&out, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Without.Oversold != 0 || res.With.Oversold != 0 {
		t.Fatalf("oversold: %+v", res)
	}
	if res.Cancellations == 0 || res.Receipts == 0 || res.With.Reconsiderations == 0 || res.Without.Reconsiderations != 0 {
		t.Fatalf("the day was not replayed as meant: %+v", res)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if last := lines[len(lines)-1]; !streamRE.MatchString(last) {
		t.Fatalf("last line %q does not match %s", last, streamRE)
	}
	again, _ := runStream(io.Discard, cfg)
	if !reflect.DeepEqual(res, again) {
		t.Fatalf("the same seed replayed differently: %+v, then %+v", res, again)
	}
}

func TestStreamCheckCountsOverselling(t *testing.T) {
	cfg := streamConfig{Seed: 1, Orders: 1, Locations: 2, Catalogue: 5, Every: 1}
	d := genDay(cfg)
	s := &sim{cfg: cfg, d: &d, stock: openingStock(d.cands)}
	code := d.cands[0].Code
	s.stock[code]["SKU-0000"] = routing.Stock{OnHand: 1}
	s.reserve([]routing.Shipment{{Location: code, Lines: []routing.Allocation{{SKU: "SKU-0000", Quantity: 2}}}}, 1)
	s.check()
	if s.oversold != 1 {
		t.Fatalf("oversold %d, want 1", s.oversold)
	}
}
