package bench

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"switchyard/app/routing"
)

// qualityUsage is the usage line of `switchyard bench routing-quality`.
const qualityUsage = "usage: switchyard bench routing-quality [--seed N] [--instances N] [--locations A-B] [--lines A-B] [--catalogue N] [--max-sets N] [--timing N] | --stream [--orders N] [--stream-locations N] [--accept-after M] [--every K] [--min-saving C]"

// qualityConfig is what one routing-quality run measures.
type qualityConfig struct {
	Seed      uint64
	Instances int
	Spec      genSpec
	MaxSets   int64 // largest number of location sets the enumerator tries
	Timing    int   // instances of each fixed size timed
	Stream    bool
	StreamCfg streamConfig
}

// cmdRoutingQuality runs `switchyard bench routing-quality`: routing
// decisions of both assign strategies against the exhaustive optimum on
// generated instances, or (--stream) a day of orders replayed with and
// without re-evaluation.
func cmdRoutingQuality(d Deps, args []string) error {
	cfg, err := parseQualityFlags(d, args)
	if err != nil {
		return err
	}
	if cfg.Stream {
		_, err := runStream(d.Stdout, cfg.StreamCfg)
		return err
	}
	rep := measureQuality(cfg)
	printQuality(d.Stdout, cfg, rep)
	return nil
}

// parseQualityFlags reads and checks the flags.
func parseQualityFlags(d Deps, args []string) (qualityConfig, error) {
	fs := newFlagSet(d, "bench routing-quality")
	cfg := qualityConfig{}
	fs.Uint64Var(&cfg.Seed, "seed", 1, "random seed of the instances (and of the stream)")
	fs.IntVar(&cfg.Instances, "instances", 400, "instances to generate")
	locs := fs.String("locations", "5-200", "locations per network, a range A-B or one number")
	lines := fs.String("lines", "1-10", "lines per order, a range A-B or one number")
	fs.IntVar(&cfg.Spec.Catalogue, "catalogue", 200, "SKUs in the catalogue")
	fs.Int64Var(&cfg.MaxSets, "max-sets", 3_000_000, "skip the exact optimum of instances with more location sets than this")
	fs.IntVar(&cfg.Timing, "timing", 200, "instances of 5 lines x 20 locations timed (a quarter as many of 50 x 500)")
	fs.BoolVar(&cfg.Stream, "stream", false, "replay a day of orders with and without re-evaluation instead")
	sc := &cfg.StreamCfg
	fs.IntVar(&sc.Orders, "orders", 2000, "--stream: orders in the day")
	fs.IntVar(&sc.Locations, "stream-locations", 40, "--stream: locations of the network")
	fs.IntVar(&sc.AcceptAfter, "accept-after", 30, "--stream: an order's fulfillments are accepted this many orders after it")
	fs.IntVar(&sc.Every, "every", 50, "--stream: re-evaluate every K orders, besides after each cancellation and receipt")
	fs.Int64Var(&sc.MinSaving, "min-saving", 50, "--stream: a move must save more than this, in minor units")
	if err := fs.Parse(args); err != nil {
		return cfg, fmt.Errorf("%w\n%s", err, qualityUsage)
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("bench routing-quality: unexpected argument %q\n%s", fs.Arg(0), qualityUsage)
	}
	var err error
	if cfg.Spec.MinLocs, cfg.Spec.MaxLocs, err = parseRange("locations", *locs, 1, 2000); err != nil {
		return cfg, err
	}
	if cfg.Spec.MinLines, cfg.Spec.MaxLines, err = parseRange("lines", *lines, 1, 200); err != nil {
		return cfg, err
	}
	sc.Seed, sc.Catalogue = cfg.Seed, cfg.Spec.Catalogue
	return cfg, checkQualityConfig(cfg)
}

// checkQualityConfig refuses sizes the run cannot work with.
func checkQualityConfig(cfg qualityConfig) error {
	sc := cfg.StreamCfg
	switch {
	case cfg.Instances < 1 || cfg.Instances > 1_000_000:
		return fmt.Errorf("bench routing-quality: --instances must be from 1 to 1000000")
	case cfg.Spec.Catalogue < 2 || cfg.Spec.Catalogue > 100_000:
		return fmt.Errorf("bench routing-quality: --catalogue must be from 2 to 100000")
	case cfg.Timing < 0:
		return fmt.Errorf("bench routing-quality: --timing must not be negative")
	case sc.Orders < 1 || sc.Locations < 1 || sc.AcceptAfter < 0 || sc.Every < 1 || sc.MinSaving < 0:
		return fmt.Errorf("bench routing-quality: --orders, --stream-locations and --every must be at least 1, --accept-after and --min-saving not negative")
	}
	return nil
}

// parseRange reads "A-B" or "N" within [lo, hi].
func parseRange(name, s string, lo, hi int) (int, int, error) {
	a, b, found := strings.Cut(s, "-")
	if !found {
		b = a
	}
	x, err1 := strconv.Atoi(strings.TrimSpace(a))
	y, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || x < lo || y > hi || x > y {
		return 0, 0, fmt.Errorf("bench routing-quality: --%s must be N or A-B with %d <= A <= B <= %d, not %q", name, lo, hi, s)
	}
	return x, y, nil
}

// qualityStrategies are the assign strategies compared, in table order.
var qualityStrategies = [2]string{routing.AssignGreedy, routing.AssignOptimalCost}

// qualityReport is what measureQuality found.
type qualityReport struct {
	Instances, Enumerated, TooBig int
	Greedy, Optimal               strategyStats // every instance
	BySparse, ByDense             [2]strategyStats
	Timing                        []timingRow
}

// measureQuality decides every instance under both strategies and compares
// each decision with the exhaustive optimum.
func measureQuality(cfg qualityConfig) qualityReport {
	rep := qualityReport{Instances: cfg.Instances}
	for i := range cfg.Instances {
		inst := genInstance(cfg.Seed, i, cfg.Spec)
		opt, ok := exhaustiveOptimum(&inst.In, cfg.MaxSets)
		runtime.GC()            // the generator's garbage is not the decisions'
		routing.Decide(inst.In) // nor is a cold cache: one untimed decision first

		if ok {
			rep.Enumerated++
		} else {
			rep.TooBig++
		}
		byDensity := &rep.BySparse
		if inst.Dense {
			byDensity = &rep.ByDense
		}
		for j := range 2 {
			k := (i + j) % 2 // alternate which strategy decides first (and on a cold cache)
			o := observe(withAssign(inst.In, qualityStrategies[k]), opt, ok)
			[]*strategyStats{&rep.Greedy, &rep.Optimal}[k].add(o)
			byDensity[k].add(o)
		}
	}
	rep.Timing = measureTiming(cfg)
	return rep
}
