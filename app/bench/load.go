package bench

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"switchyard/app/ops"
	"sync"
	"time"
)

// loadResult is what the HTTP load measured.
type loadResult struct {
	sent, created, duplicates, errors int64
	elapsed                           time.Duration
	latencies                         []time.Duration // of the answered 2xx requests, sorted
}

// rate is the orders taken in (2xx) per second.
func (r loadResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.created+r.duplicates) / r.elapsed.Seconds()
}

// percentile is the nearest-rank percentile of the latencies (p in 0..1).
func (r loadResult) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(r.latencies)))) - 1
	return r.latencies[min(max(i, 0), len(r.latencies)-1)]
}

// latencyLine is the report's line of latencies.
func (r loadResult) latencyLine() string {
	return fmt.Sprintf("  latency ms: p50 %.1f, p95 %.1f, p99 %.1f, max %.1f\n",
		msOf(r.percentile(0.50)), msOf(r.percentile(0.95)), msOf(r.percentile(0.99)), msOf(r.percentile(1)))
}

// measureLoad runs load under the CPU profile (when asked for), then stops
// the server; it returns what other processes used of the CPU meanwhile and,
// for an in-process server (busy not nil), what this process wrote to disk
// and how busy the one writer was.
func measureLoad(ctx context.Context, profile string, stop func() error, busy func() time.Duration, load func()) (string, error) {
	stopProfile, err := startProfile(profile)
	if err != nil {
		return "", err
	}
	cpu0, io0, busy0, t0 := sampleCPU(), sampleWritten(), sampleBusy(busy), time.Now()
	load()
	note := cpuNote(cpu0, sampleCPU())
	if busy != nil {
		note += writerNote(sampleBusy(busy)-busy0, time.Since(t0), io0, sampleWritten())
	}
	if err := stopProfile(); err != nil {
		return "", err
	}
	if err := stop(); err != nil {
		return "", err
	}
	return note, ctx.Err()
}

// msOf is d in milliseconds.
func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// maxShownErrors is how many failed answers are printed in full.
const maxShownErrors = 5

// reportInvariants checks, after the load, that the stock adds up on the
// intake's database: every level equals its ledger and is not negative, and
// reserved equals the open fulfillment lines at every level.
func reportInvariants(ctx context.Context, d Deps, dbPath string) error {
	a, err := d.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := ops.New(a).CheckInvariants(ctx)
	if err != nil {
		return err
	}
	verdict := "OK"
	if !r.OK() {
		verdict = "BROKEN"
	}
	fmt.Fprintf(d.Stdout, "  stock invariants over %d levels: %d ledger mismatches, %d reserved mismatches, %d chain breaks, %d kit mismatches: %s\n",
		r.Levels, r.LedgerMismatches, r.ReservedMismatches, r.ChainBreaks, r.KitMismatches+r.KitSplitMismatches, verdict)
	return nil
}

// startProfile starts a CPU profile into path ("" for none); the returned
// function stops it (once; later calls return the same error).
func startProfile(path string) (func() error, error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	var once sync.Once
	return func() error {
		once.Do(func() {
			pprof.StopCPUProfile()
			err = f.Close()
		})
		return err
	}, nil
}

// ceilingProfile is where the storage ceiling's CPU profile goes: beside the
// HTTP load's, with -ceiling before the extension.
func ceilingProfile(path string) string {
	if path == "" {
		return ""
	}
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-ceiling" + ext
}
