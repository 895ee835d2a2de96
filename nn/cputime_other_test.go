//go:build !(js && wasm)

package nn

import "syscall"

// cpuSeconds is the process's CPU time (user and system) so far. On a
// shared, loaded machine it measures the work better than the wall clock.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
