package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// printQuality prints the table of a routing-quality run and ends with its
// summary line.
func printQuality(w io.Writer, cfg qualityConfig, rep qualityReport) {
	s := cfg.Spec
	fmt.Fprintf(w, "routing quality: %d instances (seed %d), %d-%d locations, %d-%d lines, %d SKUs, split up to 3 shipments, penalty %s per extra shipment\n",
		rep.Instances, cfg.Seed, s.MinLocs, s.MaxLocs, s.MinLines, s.MaxLines, s.Catalogue, qualityPenalty)
	fmt.Fprintf(w, "  exact optimum by enumeration: %d instances; %d too big to enumerate (over %d location sets)\n",
		rep.Enumerated, rep.TooBig, cfg.MaxSets)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "strategy\tstock\tdecisions\tcompared\tmean gap\tmax gap\tfewer units\tsplit rate\tbackordered\tp50\tp99\tat optimum\t")
	names := []string{"greedy", "optimal_cost"}
	for k, name := range names {
		printStatsRow(tw, name, "sparse", &rep.BySparse[k])
		printStatsRow(tw, name, "dense", &rep.ByDense[k])
		printStatsRow(tw, name, "all", []*strategyStats{&rep.Greedy, &rep.Optimal}[k])
	}
	tw.Flush()
	fmt.Fprintln(w, "  gap: (cost - optimum) / optimum over the decisions shipping as many units as the optimum (compared);")
	fmt.Fprintln(w, "  fewer units: decisions shipping fewer units than the optimum (backordering more); at optimum: Cost.Exact or the optimum's cost")
	printTiming(w, rep.Timing)
	g, o := &rep.Greedy, &rep.Optimal
	if g.MoreUnits+o.MoreUnits > 0 {
		fmt.Fprintf(w, "  WARNING: %d decisions shipped more units than the enumerated optimum\n", g.MoreUnits+o.MoreUnits)
	}
	fmt.Fprintln(w, summaryLine(rep))
}

// summaryLine is the last line of a routing-quality run.
func summaryLine(rep qualityReport) string {
	g, o := &rep.Greedy, &rep.Optimal
	return fmt.Sprintf("routing-quality: instances %d, greedy mean gap %.2f%%, max %.2f%%; optimal mean gap %.2f%%, max %.2f%%, exact share %.1f%%",
		rep.Instances, g.MeanGap(), g.GapMax, o.MeanGap(), o.GapMax, share(o.Exact, o.Decisions))
}

// printStatsRow prints one strategy's row of the table.
func printStatsRow(w io.Writer, name, stock string, s *strategyStats) {
	fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%.2f%%\t%.2f%%\t%d\t%.1f%%\t%d\t%s\t%s\t%.1f%%\t\n",
		name, stock, s.Decisions, s.Compared, s.MeanGap(), s.GapMax, s.FewerUnits,
		share(s.Splits, s.Decisions), s.Backorder, ms(percentile(s.Times, 0.5)), ms(percentile(s.Times, 0.99)), share(s.Exact, s.Decisions))
}

// printTiming prints the decision times of the fixed sizes.
func printTiming(w io.Writer, rows []timingRow) {
	if len(rows) == 0 || len(rows[0].Greedy) == 0 {
		return
	}
	fmt.Fprintln(w, "decision time (zones preloaded):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "size\tdecisions\tgreedy p50\tgreedy p99\toptimal_cost p50\toptimal_cost p99\tp99 target\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d lines x %d locations\t%d\t%s\t%s\t%s\t%s\t< %s\t\n", r.Lines, r.Locations, len(r.Greedy),
			ms(percentile(r.Greedy, 0.5)), ms(percentile(r.Greedy, 0.99)),
			ms(percentile(r.Optimal, 0.5)), ms(percentile(r.Optimal, 0.99)), ms(r.Target))
	}
	tw.Flush()
	for _, r := range rows {
		if r.Note != "" {
			fmt.Fprintf(w, "  %d lines x %d locations: %s\n", r.Lines, r.Locations, strings.TrimSpace(r.Note))
		}
	}
}

// ms formats a duration in milliseconds.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond))
}
