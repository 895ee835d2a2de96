//go:build js && wasm

package nn

import "syscall/js"

// cpuSeconds is the process's CPU time (user and system) so far, from
// node's process.cpuUsage, or 0 where there is none (a browser). On a
// shared, loaded machine it measures the work better than the wall clock.
func cpuSeconds() float64 {
	p := js.Global().Get("process")
	if p.Type() != js.TypeObject || p.Get("cpuUsage").Type() != js.TypeFunction {
		return 0
	}
	u := p.Call("cpuUsage")
	return (u.Get("user").Float() + u.Get("system").Float()) / 1e6
}
