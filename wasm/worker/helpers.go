//go:build js && wasm

package main

import (
	"errors"
	"sync"
	"syscall/js"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/internal/wire/jswire"
)

// parent is this worker's conversation with the page or, for a helper, with
// the leading worker through the MessagePort it sent (see adoptPort): a
// job's buffer carries its gradient back.
var parent = &jswire.Conn{Target: self}

// portKey names the MessagePort in the leader's first message to a helper.
const portKey = "cnnplayPort"

// adoptPort handles the leader's first message to a helper, which carries
// the MessagePort to talk on: from then on this worker posts to the port,
// and what arrives on it goes to receive. It reports whether ev was that
// message.
func adoptPort(ev js.Value, receive func(js.Value)) bool {
	data := ev.Get("data")
	if data.Type() != js.TypeObject {
		return false
	}
	port := data.Get(portKey)
	if port.Type() != js.TypeObject {
		return false
	}
	parent = &jswire.Conn{Target: port}
	port.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		receive(arg(args))
		return nil
	}))
	return true
}

// helperWorker is a helper Web Worker started by this (leading) worker: a
// nested Worker running this same program, which becomes a helper when its
// first join arrives. It is the leader's session.Port to it. The two talk
// through a MessageChannel whose second port the leader transfers to the
// helper first: in Chromium, messages between a worker and its nested
// worker's Worker object hop through the page's main thread (measured: a
// fifth of a core at 180 steps a second), a channel's ports do not.
type helperWorker struct {
	w      js.Value
	port   js.Value     // the leader's end of the channel to w
	conn   *jswire.Conn // on port: a gradient's buffer carries the next job
	onMsg  js.Func
	onFail js.Func

	mu    sync.Mutex
	queue []wire.Message
	wake  chan struct{}
	dead  bool // the worker failed to load or crashed
}

// startHelper starts a helper worker, or says why it cannot (no nested
// workers in this browser).
func startHelper() (*helperWorker, error) {
	ctor := js.Global().Get("Worker")
	if ctor.Type() != js.TypeFunction {
		return nil, errors.New("this browser cannot start Web Workers from a worker")
	}
	h := &helperWorker{wake: make(chan struct{}, 1)}
	// The callbacks only queue: they must not block.
	h.onMsg = js.FuncOf(func(_ js.Value, args []js.Value) any {
		m, err := h.conn.FromEvent(arg(args))
		if err != nil {
			m = wire.ErrorMessage(err)
		}
		h.push(m)
		return nil
	})
	h.onFail = js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "a training worker failed"
		if e := arg(args); e.Type() == js.TypeObject && e.Get("message").Truthy() {
			msg += ": " + e.Get("message").String()
		}
		h.mu.Lock()
		h.dead = true
		h.mu.Unlock()
		h.push(wire.ErrorMessage(errors.New(msg)))
		return nil
	})
	h.w = ctor.New(self.Get("location").Get("href"))
	mc := js.Global().Get("MessageChannel").New()
	h.port = mc.Get("port1")
	first := js.Global().Get("Object").New()
	first.Set(portKey, mc.Get("port2"))
	h.w.Call("postMessage", first, []any{mc.Get("port2")})
	h.conn = &jswire.Conn{Target: h.port, Reuse: true}
	h.port.Set("onmessage", h.onMsg)
	h.w.Set("onerror", h.onFail)
	return h, nil
}

func (h *helperWorker) push(m wire.Message) {
	h.mu.Lock()
	h.queue = append(h.queue, m)
	h.mu.Unlock()
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// Post sends m to the helper (the weights are copied before it returns).
func (h *helperWorker) Post(m wire.Message) error { return h.conn.Post(m) }

// Receive waits for the helper's next message; while it waits, the event
// loop runs and delivers it. Once the helper is gone and its messages are
// read, it returns an error at once.
func (h *helperWorker) Receive() (wire.Message, error) {
	for {
		h.mu.Lock()
		if len(h.queue) > 0 {
			m := h.queue[0]
			h.queue[0] = wire.Message{}
			h.queue = h.queue[1:]
			h.mu.Unlock()
			return m, nil
		}
		dead := h.dead
		h.mu.Unlock()
		if dead {
			return wire.Message{}, errors.New("the training worker is gone")
		}
		<-h.wake
	}
}

// Dead reports whether the helper failed.
func (h *helperWorker) Dead() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.dead
}

// drop forgets the messages received so far (a new session starts).
func (h *helperWorker) drop() {
	h.mu.Lock()
	h.queue = nil
	h.mu.Unlock()
}

// stop terminates the helper.
func (h *helperWorker) stop() {
	h.port.Call("close")
	h.w.Call("terminate")
	h.onMsg.Release()
	h.onFail.Release()
}
