//go:build js && wasm

package app

import (
	"errors"
	"syscall/js"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/internal/wire/jswire"
)

// trainWorker is the UI's end of the training Web Worker, through package
// jswire, the worker's own bridge. Its message handler only decodes and
// queues: onMessage must hand the message to the UI goroutine and never
// block.
type trainWorker struct {
	// conn decodes each weight snapshot into the memory of the last one of
	// its size (Reuse): a new 4.8 MB slice for each of the keras preset's
	// snapshots, twice a second, kept the page's allocator and garbage
	// collector busy. A snapshot's weights are thus valid until the next
	// one arrives; queued snapshots are applied in order, so the last
	// one's weights are what stays.
	conn      jswire.Conn
	onMsg     js.Func
	onFail    js.Func
	onMessage func(wire.Message)
	started   bool
	w         js.Value // the Web Worker, once started
}

// newTrainWorker returns the panel's worker, which starts with the first
// message posted to it: worker.wasm is a download of its own (about 1 MB
// compressed) that a page nobody trains on never needs. onMessage receives
// every message it posts, and a decoding failure as an error message.
func newTrainWorker(onMessage func(wire.Message)) *trainWorker {
	return &trainWorker{onMessage: onMessage}
}

// start starts the Web Worker, once.
func (tw *trainWorker) start() {
	if tw.started {
		return
	}
	tw.started = true
	onMessage := tw.onMessage
	w := js.Global().Get("Worker").New(webURL(workerScript))
	tw.w = w
	tw.conn = jswire.Conn{Target: w, Reuse: true}
	tw.onMsg = js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) == 0 {
			return nil
		}
		m, err := tw.conn.FromEvent(args[0])
		if err != nil {
			m = wire.ErrorMessage(err)
		}
		// The worker posts its next message of this size in the body's
		// buffer: a new 4.8 MB buffer for each keras weight snapshot cost
		// the leading worker a few milliseconds, while its helpers waited.
		tw.conn.GiveBack()
		onMessage(m)
		return nil
	})
	tw.onFail = js.FuncOf(func(this js.Value, args []js.Value) any {
		msg := "the training worker failed to load"
		if len(args) > 0 && args[0].Get("message").Truthy() {
			msg += ": " + args[0].Get("message").String()
		}
		onMessage(wire.ErrorMessage(errors.New(msg)))
		return nil
	})
	w.Set("onmessage", tw.onMsg)
	w.Set("onerror", tw.onFail)
}

// post sends m to the worker, starting it first if needed (worker.js keeps
// what arrives before the program listens).
func (tw *trainWorker) post(m wire.Message) error {
	tw.start()
	return tw.conn.Post(m)
}

// close terminates the Web Worker and frees its memory; the next post
// starts a new one.
func (tw *trainWorker) close() {
	if !tw.started {
		return
	}
	tw.w.Call("terminate")
	tw.onMsg.Release()
	tw.onFail.Release()
	tw.started, tw.w, tw.conn = false, js.Undefined(), jswire.Conn{}
}
