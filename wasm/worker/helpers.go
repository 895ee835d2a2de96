//go:build js && wasm

package main

import (
	"errors"
	"sync"
	"syscall/js"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/internal/wire/jswire"
)

// helperWorker is a helper Web Worker started by this (leading) worker: a
// nested Worker running this same program, which becomes a helper when its
// first join arrives. It is the leader's session.Port to it: messages go
// between the two workers directly, never through the page.
type helperWorker struct {
	w      js.Value
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
		m, err := jswire.FromEvent(arg(args))
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
	h.w.Set("onmessage", h.onMsg)
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
func (h *helperWorker) Post(m wire.Message) error { return jswire.Post(h.w, m) }

// Receive waits for the helper's next message; while it waits, the event
// loop runs and delivers it.
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
		h.mu.Unlock()
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
	h.w.Call("terminate")
	h.onMsg.Release()
	h.onFail.Release()
}
