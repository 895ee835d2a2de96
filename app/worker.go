package app

import (
	"errors"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// workerScript is the training Web Worker's bootstrap (not app-worker.js,
// which is go-app's service worker).
const workerScript = "/web/worker.js"

// trainWorker is the UI's end of the training Web Worker. It speaks the
// same {head, body} format as package jswire, through go-app's app.Value so
// that this package still compiles natively for the server. Its message
// handler only decodes and queues: onMessage must hand the message to the
// UI goroutine (ctx.Dispatch) and never block.
type trainWorker struct {
	w      app.Value
	onMsg  app.Func
	onFail app.Func
	// weights is the memory the last weight snapshot was decoded into,
	// reused for the next one of its size: a new 4.8 MB slice for each of
	// the keras preset's snapshots, twice a second, kept the page's
	// allocator and garbage collector busy. A snapshot's weights are thus
	// valid until the next one arrives; queued snapshots are applied in
	// order, so the last one's weights are what stays.
	weights []float32
}

// newTrainWorker starts the worker; onMessage receives every message it
// posts, and a decoding failure as an error message.
func newTrainWorker(onMessage func(wire.Message)) *trainWorker {
	tw := &trainWorker{}
	tw.w = app.Window().Get("Worker").New(webURL(workerScript))
	tw.onMsg = app.FuncOf(func(this app.Value, args []app.Value) any {
		if len(args) == 0 {
			return nil
		}
		m, err := decodeEvent(args[0], tw.weights)
		if len(m.Weights) > 0 {
			tw.weights = m.Weights
		}
		if err != nil {
			m = wire.ErrorMessage(err)
		}
		tw.giveBack(args[0])
		onMessage(m)
		return nil
	})
	tw.onFail = app.FuncOf(func(this app.Value, args []app.Value) any {
		msg := "the training worker failed to load"
		if len(args) > 0 && args[0].Get("message").Truthy() {
			msg += ": " + args[0].Get("message").String()
		}
		onMessage(wire.ErrorMessage(errors.New(msg)))
		return nil
	})
	tw.w.Set("onmessage", tw.onMsg)
	tw.w.Set("onerror", tw.onFail)
	return tw
}

// giveBack transfers the body of the worker's message event ev, once
// decoded, back to the worker, which posts its next message of that size
// in it (jswire.Conn.Spare): a new 4.8 MB buffer for each keras weight
// snapshot cost the leading worker a few milliseconds, while its helpers
// waited.
func (tw *trainWorker) giveBack(ev app.Value) {
	data := ev.Get("data")
	if data.Type() != app.TypeObject {
		return
	}
	b := data.Get("body")
	if b.Type() != app.TypeObject {
		return
	}
	obj := app.Window().Get("Object").New()
	obj.Set(wire.SpareKey, b)
	// A JavaScript array: go-app v9.8.0 does not unwrap app.Values inside a
	// slice argument.
	tw.w.Call("postMessage", obj, app.Window().Get("Array").Call("of", b.Get("buffer")))
}

// post sends m to the worker. Weights, if any, are copied by the browser
// (only start carries them, once).
func (tw *trainWorker) post(m wire.Message) error {
	head, body, err := wire.Encode(m)
	if err != nil {
		return err
	}
	obj := app.Window().Get("Object").New()
	obj.Set("head", string(head))
	if body != nil {
		u8 := app.Window().Get("Uint8Array").New(len(body))
		app.CopyBytesToJS(u8, body)
		obj.Set("body", u8)
	}
	tw.w.Call("postMessage", obj)
	return nil
}

// cores is the browser's navigator.hardwareConcurrency, 0 where unknown
// (and on the server).
func cores() int {
	if !app.IsClient {
		return 0
	}
	n := app.Window().Get("navigator").Get("hardwareConcurrency")
	if n.Type() != app.TypeNumber {
		return 0
	}
	return n.Int()
}

// decodeEvent decodes the wire message of a MessageEvent, its weights into
// into if they have its length.
func decodeEvent(ev app.Value, into []float32) (wire.Message, error) {
	data := ev.Get("data")
	if data.Type() != app.TypeObject {
		return wire.Message{}, errors.New("worker message data is not an object")
	}
	head := data.Get("head")
	if head.Type() != app.TypeString {
		return wire.Message{}, errors.New("worker message has no head")
	}
	// The body's bytes go straight into the float32 values, as jswire
	// decodes them: a weight snapshot (4.8 MB for the keras preset, twice a
	// second while training) took the page 10 ms through a byte buffer and
	// a conversion loop.
	var weights []float32
	if b := data.Get("body"); b.Type() == app.TypeObject {
		n := b.Get("byteLength").Int()
		if n%4 != 0 {
			return wire.Message{}, errors.New("worker message body is not a whole number of float32 values")
		}
		weights = into
		if len(weights) != n/4 {
			weights = make([]float32, n/4)
		}
		app.CopyBytesToGo(wire.FloatBytes(weights), b)
	}
	return wire.DecodeHead([]byte(head.String()), weights)
}
