package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// cpuSample is the CPU time the machine and this process have used so far,
// in clock ticks, read from /proc (Linux); ok is false elsewhere.
type cpuSample struct {
	busy, total, self float64
	ok                bool
}

// sampleCPU reads /proc/stat and /proc/self/stat.
func sampleCPU() cpuSample {
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuSample{}
	}
	line, _, _ := strings.Cut(string(stat), "\n")
	fields := strings.Fields(line)
	if len(fields) < 5 || fields[0] != "cpu" {
		return cpuSample{}
	}
	var s cpuSample
	for i, f := range fields[1:] {
		if i >= 8 { // guest time is already counted in user time
			break
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return cpuSample{}
		}
		s.total += v
		if i != 3 && i != 4 { // idle, iowait
			s.busy += v
		}
	}
	self, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return cpuSample{}
	}
	// The command name (field 2) may hold spaces: count fields after its ')'.
	i := strings.LastIndexByte(string(self), ')')
	if i < 0 {
		return cpuSample{}
	}
	rest := strings.Fields(string(self)[i+1:])
	if len(rest) < 13 {
		return cpuSample{}
	}
	for _, f := range rest[11:13] { // utime, stime
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return cpuSample{}
		}
		s.self += v
	}
	s.ok = true
	return s
}

// otherLoad is the share of the machine's CPU that other processes (and the
// hypervisor, as steal time) used between a and b: a busy machine makes the
// figures of a run unreliable.
func otherLoad(a, b cpuSample) (float64, bool) {
	if !a.ok || !b.ok || b.total <= a.total {
		return 0, false
	}
	other := (b.busy - a.busy) - (b.self - a.self)
	return max(0, other/(b.total-a.total)), true
}

// sampleWritten is how many bytes this process has caused to be written to
// storage so far (write_bytes of /proc/self/io, Linux); -1 elsewhere.
func sampleWritten() int64 {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "write_bytes:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return -1
			}
			return n
		}
	}
	return -1
}

// sampleBusy reads busy, or 0 when there is none.
func sampleBusy(busy func() time.Duration) time.Duration {
	if busy == nil {
		return 0
	}
	return busy()
}

// writerNote says how busy the writer was over a load that took elapsed, and
// what the process wrote to storage between the samples io0 and io1.
func writerNote(busy, elapsed time.Duration, io0, io1 int64) string {
	note := fmt.Sprintf("  the writer was busy %.0f%% of the load", 100*busy.Seconds()/max(elapsed.Seconds(), 1e-9))
	if io0 >= 0 && io1 >= io0 {
		note += fmt.Sprintf("; the process wrote %.2f GB to storage meanwhile", float64(io1-io0)/1e9)
	}
	return note + "\n"
}

// cpuNote says how much of the machine other processes used between a and b
// ("" where that cannot be read): figures taken on a busy machine are low.
func cpuNote(a, b cpuSample) string {
	other, ok := otherLoad(a, b)
	switch {
	case !ok:
		return ""
	case other >= 0.10:
		return fmt.Sprintf("  other processes used %.0f%% of the machine's CPU meanwhile: these figures are low, run again on a quiet machine\n", 100*other)
	}
	return fmt.Sprintf("  other processes used %.0f%% of the machine's CPU meanwhile\n", 100*other)
}
