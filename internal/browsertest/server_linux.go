//go:build !js

package browsertest

import "syscall"

// serverProcAttr has the kernel stop the server when the test binary dies
// without reaching Main's cleanup (a test timeout's panic, a kill), so no
// server outlives it.
func serverProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
