//go:build !js && !linux

package browsertest

import "syscall"

// serverProcAttr: only Linux can stop a child when its parent dies; Main
// stops the server when the tests end.
func serverProcAttr() *syscall.SysProcAttr { return nil }
