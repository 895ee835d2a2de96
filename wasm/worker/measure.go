//go:build js && wasm

package main

import (
	"github.com/cnnplay/cnnplay/internal/session"
	"github.com/cnnplay/cnnplay/internal/wire"
)

// runMeasure answers the pending measure request: it times the network on
// the workers a start of the same settings would train on (the helpers
// are kept for that start), and posts measured, with the error in words
// if the network cannot train.
func (w *worker) runMeasure() {
	m := *w.measure
	w.measure = nil
	if w.sess != nil {
		w.sess.Close() // a done session's helpers may still be a batch ahead
	}
	ports := w.startHelpers(session.Workers(m.Start) - 1)
	m.Start.Config.Workers, m.Start.AutoWorkers = len(ports)+1, 0
	if len(ports) == 0 {
		ports = nil
	}
	res, err := session.Measure(m, ports)
	if err != nil {
		res = wire.Measured{Key: m.Key, Error: err.Error()}
	}
	post(wire.Message{Kind: wire.KindMeasured, Measured: &res})
}
