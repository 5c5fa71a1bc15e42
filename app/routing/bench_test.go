package routing

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"switchyard/app/geo"
)

// benchInput builds a deterministic network of n locations in three time
// zones, each stocking most of a catalogue, and an order of lines lines,
// under a three-rule set whose last rule matches.
func benchInput(lines, n int) Input {
	r := rand.New(rand.NewPCG(42, uint64(n)))
	zones := []string{"Europe/Paris", "Europe/Berlin", "Europe/Madrid"}
	catalogue := make([]string, lines*2)
	for i := range catalogue {
		catalogue[i] = fmt.Sprintf("SKU-%04d", i)
	}
	in := Input{Now: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	for i := range n {
		c := Candidate{
			Code: fmt.Sprintf("LOC-%04d", i), Name: fmt.Sprintf("Location %d", i), Kind: propKinds[i%len(propKinds)],
			Country: propCountry[i%3], Point: geo.Point{Lat: 38 + r.Float64()*14, Lon: -5 + r.Float64()*20},
			Active: i%17 != 0, Ships: true, Channels: []string{"web-eu", "pos"}, Rank: int64(i % 5),
			DailyCapacity: 500, UsedToday: int64(r.IntN(400)), Timezone: zones[i%3], Cutoff: "15:00", HandlingDays: 1,
			Stock: make(map[string]Stock, len(catalogue)),
		}
		for _, sku := range catalogue {
			if r.IntN(10) < 7 {
				c.Stock[sku] = Stock{OnHand: int64(r.IntN(6)), Reserved: int64(r.IntN(2)), Safety: int64(r.IntN(2))}
			}
		}
		in.Candidates = append(in.Candidates, c)
		in.Rates = append(in.Rates, ZoneRate{Origin: c.Code, Country: "FR", Cost: int64(400 + r.IntN(900)), TransitDays: 1 + r.IntN(3)})
	}
	in.Order = Order{Number: "SY-B", Channel: "web-eu", ChannelName: "Web EU", Country: "FR", Dest: lyon, DestKnown: true,
		Value: 12000, ValueExponent: 2, Currency: "EUR", Delivery: DeliveryShip}
	for i := range lines {
		in.Order.Lines = append(in.Order.Lines, Line{ID: int64(i + 1), SKU: catalogue[r.IntN(len(catalogue))], Quantity: int64(1 + r.IntN(3))})
	}
	pos := rule("POS", RankerClosest)
	pos.When.Channels = []string{"pos"}
	vip := rule("VIP", RankerEarliestPromise)
	vip.When.OrderTags = []string{"vip"}
	eu := rule("EU closest", RankerFewestShipments, RankerClosest, RankerLowestCost, RankerRank)
	eu.Filters.Kinds = []string{KindWarehouse, KindStore, Kind3PL}
	eu.Filters.ExcludeTags = []string{"walk-in"}
	in.Rules = ruleSet(pos, vip, eu)
	return in
}

// benchDecide runs Decide on in, with zones preloaded or not.
func benchDecide(b *testing.B, in Input, preload bool) {
	if preload {
		in.Zones = LoadZones(in.Candidates)
	}
	d := Decide(in)
	b.ReportMetric(float64(len(d.Shipments)), "shipments")
	b.ReportAllocs()
	for b.Loop() {
		Decide(in)
	}
}

func BenchmarkDecide5Lines20Locations(b *testing.B) {
	in := benchInput(5, 20)
	b.Run("zones=preloaded", func(b *testing.B) { benchDecide(b, in, true) })
	b.Run("zones=loaded-per-call", func(b *testing.B) { benchDecide(b, in, false) })
}

func BenchmarkDecide50Lines500Locations(b *testing.B) {
	in := benchInput(50, 500)
	b.Run("zones=preloaded", func(b *testing.B) { benchDecide(b, in, true) })
	b.Run("zones=loaded-per-call", func(b *testing.B) { benchDecide(b, in, false) })
}

// optimalBenchInput is benchInput decided by the optimal_cost strategy,
// with handling costs and a split penalty.
func optimalBenchInput(lines, n int) Input {
	in := benchInput(lines, n)
	r := rand.New(rand.NewPCG(7, uint64(n)))
	for i := range in.Candidates {
		in.Candidates[i].HandlingPerShipment = int64(100 + r.IntN(300))
		in.Candidates[i].HandlingPerUnit = int64(20 + r.IntN(80))
	}
	penalty := Decimal("2.50")
	in.Rules.Rules[2].Assign = AssignOptimalCost
	in.Rules.Rules[2].Split.Penalty = &penalty
	in.Zones = LoadZones(in.Candidates)
	return in
}

// benchOptimal runs Decide on in and reports the cost and whether it was exact.
func benchOptimal(b *testing.B, in Input) {
	d := Decide(in)
	b.ReportAllocs()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var cpu []time.Duration
	for b.Loop() {
		c0, ok := threadCPU()
		Decide(in)
		if c1, ok1 := threadCPU(); ok && ok1 {
			cpu = append(cpu, c1-c0)
		}
	}
	reportPercentiles(b, cpu, "cpu")
	exact := 0.0
	if d.Cost.Exact {
		exact = 1
	}
	b.ReportMetric(float64(len(d.Shipments)), "shipments")
	b.ReportMetric(float64(d.Cost.Total), "cost")
	b.ReportMetric(exact, "exact")
}

func BenchmarkOptimalCost5Lines20Locations(b *testing.B) {
	benchOptimal(b, optimalBenchInput(5, 20))
}

// BenchmarkOptimalCost50Lines500Locations measures the default budget and,
// for comparison, a search stopped at once (the greedy seed alone): the
// difference is the time the search takes.
func BenchmarkOptimalCost50Lines500Locations(b *testing.B) {
	in := optimalBenchInput(50, 500)
	b.Run("budget=default", func(b *testing.B) { benchOptimal(b, in) })
	in.OptimiseBudget = 1
	b.Run("budget=none", func(b *testing.B) { benchOptimal(b, in) })
}

// BenchmarkOptimalCost5Lines20LocationsSpread decides 200 different 5x20
// networks (stock, rates and handling re-drawn) and reports the median and
// 99th percentile of one decision's time.
func BenchmarkOptimalCost5Lines20LocationsSpread(b *testing.B) {
	ins := make([]Input, 200)
	for k := range ins {
		ins[k] = optimalBenchInput(5, 20)
		r := rand.New(rand.NewPCG(uint64(k), 99))
		for i := range ins[k].Candidates {
			c := &ins[k].Candidates[i]
			c.HandlingPerShipment, c.HandlingPerUnit = int64(r.IntN(500)), int64(r.IntN(120))
			stock := make(map[string]Stock, len(c.Stock))
			for sku := range c.Stock {
				stock[sku] = Stock{OnHand: int64(r.IntN(6))}
			}
			for _, l := range ins[k].Order.Lines {
				if r.IntN(2) == 0 {
					stock[l.SKU] = Stock{OnHand: int64(r.IntN(4))}
				}
			}
			c.Stock = stock
			ins[k].Rates[i].Cost = int64(300 + r.IntN(1200))
		}
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	wall, cpu := make([]time.Duration, 0, 1024), make([]time.Duration, 0, 1024)
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		c0, ok := threadCPU()
		Decide(ins[i%len(ins)])
		if c1, ok1 := threadCPU(); ok && ok1 {
			cpu = append(cpu, c1-c0)
		}
		wall = append(wall, time.Since(t0))
	}
	reportPercentiles(b, wall, "wall")
	reportPercentiles(b, cpu, "cpu")
}

// reportPercentiles reports the median and 99th percentile of ds, if any.
func reportPercentiles(b *testing.B, ds []time.Duration, what string) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Nanoseconds()), what+"-p50-ns")
	b.ReportMetric(float64(ds[len(ds)*99/100].Nanoseconds()), what+"-p99-ns")
}
