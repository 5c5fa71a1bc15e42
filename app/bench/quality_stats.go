package bench

import (
	"runtime"
	"slices"
	"time"

	"switchyard/app/routing"
)

// observation is one decision compared with the instance's optimum.
type observation struct {
	Took       time.Duration
	Units      int64 // shipped
	Backorder  int64 // ordered but not shipped
	Cost       routing.Cost
	Shipments  int
	Enumerated bool
	Opt        optimum
}

// observe decides in, timing the call, and keeps what the stats need.
func observe(in routing.Input, opt optimum, enumerated bool) observation {
	start := time.Now()
	d := routing.Decide(in)
	o := observation{Took: time.Since(start), Cost: d.Cost, Shipments: len(d.Shipments), Enumerated: enumerated, Opt: opt}
	for _, s := range d.Shipments {
		for _, a := range s.Lines {
			o.Units += a.Quantity
		}
	}
	for _, l := range in.Order.Lines {
		o.Backorder += max(l.Quantity, 0)
	}
	o.Backorder -= o.Units
	return o
}

// atOptimum says the decision ships the optimum's units at its cost.
func (o observation) atOptimum() bool {
	return o.Enumerated && o.Units == o.Opt.Units && o.Cost.Known && o.Cost.Total == o.Opt.Cost
}

// strategyStats sums up the decisions of one assign strategy.
type strategyStats struct {
	Decisions  int
	Compared   int     // enumerated, same units as the optimum, cost known, something shipped
	GapSum     float64 // percent
	GapMax     float64
	FewerUnits int // decisions shipping fewer units than the optimum
	MoreUnits  int // decisions shipping more units than the optimum (an enumerator bug)
	Splits     int
	Backorder  int64
	Exact      int // Cost.Exact, or at the exhaustive optimum
	Times      []time.Duration
}

// add counts one observation.
func (s *strategyStats) add(o observation) {
	s.Decisions++
	s.Times = append(s.Times, o.Took)
	s.Backorder += o.Backorder
	if o.Shipments > 1 {
		s.Splits++
	}
	if o.Cost.Exact || o.atOptimum() {
		s.Exact++
	}
	if !o.Enumerated {
		return
	}
	switch {
	case o.Units < o.Opt.Units:
		s.FewerUnits++
	case o.Units > o.Opt.Units:
		s.MoreUnits++
	case o.Units > 0 && o.Cost.Known && o.Opt.Cost > 0:
		gap := 100 * float64(o.Cost.Total-o.Opt.Cost) / float64(o.Opt.Cost)
		s.Compared++
		s.GapSum += gap
		s.GapMax = max(s.GapMax, gap)
	}
}

// MeanGap is the mean cost gap to the optimum, in percent.
func (s *strategyStats) MeanGap() float64 {
	if s.Compared == 0 {
		return 0
	}
	return s.GapSum / float64(s.Compared)
}

// share is n of total in percent (0 of nothing).
func share(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return 100 * float64(n) / float64(total)
}

// percentile is the p-th percentile (0-1) of ds, by nearest rank.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// timingRow is the decision time of one fixed size under both strategies.
type timingRow struct {
	Note             string // how busy the rest of the machine was meanwhile
	Lines, Locations int
	Target           time.Duration // of the p99
	Greedy, Optimal  []time.Duration
}

// measureTiming times decisions of 5 lines over 20 locations and of 50
// lines over 500 locations, each decided twice under each strategy, in
// alternating order.
func measureTiming(cfg qualityConfig) []timingRow {
	rows := []timingRow{
		{Lines: 5, Locations: 20, Target: time.Millisecond},
		{Lines: 50, Locations: 500, Target: 2 * time.Millisecond},
	}
	for k := range rows {
		r := &rows[k]
		n := cfg.Timing
		if r.Locations > 100 {
			n = (n + 3) / 4
		}
		spec := genSpec{MinLocs: r.Locations, MaxLocs: r.Locations, MinLines: r.Lines, MaxLines: r.Lines, Catalogue: cfg.Spec.Catalogue}
		cpu0 := sampleCPU()
		for i := range n {
			inst := genInstance(cfg.Seed+1000, i, spec)
			inst.In.Zones = routing.LoadZones(inst.In.Candidates)
			runtime.GC()            // the generator's garbage is not the decisions'
			routing.Decide(inst.In) // nor is a cold cache: one untimed decision first
			for rep := range 4 {
				if rep%2 == i%2 {
					r.Greedy = append(r.Greedy, observe(withAssign(inst.In, routing.AssignGreedy), optimum{}, false).Took)
				} else {
					r.Optimal = append(r.Optimal, observe(withAssign(inst.In, routing.AssignOptimalCost), optimum{}, false).Took)
				}
			}
		}
		r.Note = cpuNote(cpu0, sampleCPU())
	}
	return rows
}
