//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/cnnplay/cnnplay/internal/wire"
)

// memoryBytes returns the size of this worker's WebAssembly memory, from
// the function web/worker.js publishes as self.cnnplayMemoryBytes (Go has
// no view of its own memory's buffer), or 0 where it is missing.
// WebAssembly memory grows and never shrinks, so this is the peak so far.
func memoryBytes() int64 {
	f := self.Get("cnnplayMemoryBytes")
	if f.Type() != js.TypeFunction {
		return 0
	}
	return int64(f.Invoke().Float())
}

// withMemory returns m with the worker's memory size filled in if it is a
// progress message, and m unchanged otherwise. Only the leader posts
// progress, so with helpers it reports the leader's memory alone.
func withMemory(m wire.Message) wire.Message {
	if m.Kind != wire.KindProgress || m.Progress == nil {
		return m
	}
	p := *m.Progress // the session's message stays as it made it
	p.MemoryBytes = memoryBytes()
	m.Progress = &p
	return m
}
