//go:build !linux

package routing

import "time"

// threadCPU is unavailable off Linux; timings fall back to wall time.
func threadCPU() (time.Duration, bool) { return 0, false }
