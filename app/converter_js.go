//go:build js && wasm

package app

import (
	"errors"
	"sync"
	"syscall/js"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// modelConverter is the page's one converter worker and the requests it
// has not answered yet.
type modelConverter struct {
	mu      sync.Mutex
	worker  js.Value
	next    int
	pending map[int]func([]byte, error)
	onMsg   js.Func
	onFail  js.Func
}

var converter modelConverter

// convertModel asks the converter worker (started on first use) to do op
// (convertEncode or convertDecode, see formats.Convert) on data, and calls
// done with its answer on the UI goroutine.
func convertModel(ctx app.Context, op, format, name string, data []byte, done func(out []byte, err error)) {
	c := &converter
	c.mu.Lock()
	if c.pending == nil {
		c.start()
	}
	c.next++
	id := c.next
	c.pending[id] = func(out []byte, err error) { ctx.Dispatch(func(app.Context) { done(out, err) }) }
	worker := c.worker
	c.mu.Unlock()

	u8 := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u8, data)
	req := js.Global().Get("Object").New()
	req.Set("id", id)
	req.Set("op", op)
	req.Set("format", format)
	req.Set("name", name)
	req.Set("data", u8)
	transfer := js.Global().Get("Array").New()
	transfer.Call("push", u8.Get("buffer"))
	worker.Call("postMessage", req, transfer)
}

// start creates the worker; c.mu is held.
func (c *modelConverter) start() {
	c.pending = map[int]func([]byte, error){}
	c.worker = js.Global().Get("Worker").New(webURL(convertScript))
	c.onMsg = js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) == 0 {
			return nil
		}
		c.answer(args[0].Get("data"))
		return nil
	})
	c.onFail = js.FuncOf(func(this js.Value, args []js.Value) any {
		msg := "the model converter failed to load"
		if len(args) > 0 && args[0].Get("message").Truthy() {
			msg += ": " + args[0].Get("message").String()
		}
		c.failAll(errors.New(msg))
		return nil
	})
	c.worker.Set("onmessage", c.onMsg)
	c.worker.Set("onerror", c.onFail)
}

// answer passes one of the worker's answers to its request's callback.
func (c *modelConverter) answer(a js.Value) {
	if a.Type() != js.TypeObject {
		return
	}
	c.mu.Lock()
	id := a.Get("id").Int()
	done := c.pending[id]
	delete(c.pending, id)
	c.mu.Unlock()
	if done == nil {
		return
	}
	if e := a.Get("error"); e.Truthy() {
		done(nil, errors.New(e.String()))
		return
	}
	u8 := a.Get("data")
	out := make([]byte, u8.Get("byteLength").Int())
	js.CopyBytesToGo(out, u8)
	done(out, nil)
}

// failAll answers every waiting request with err and drops the worker, so
// the next request starts a new one.
func (c *modelConverter) failAll(err error) {
	c.mu.Lock()
	pending := c.pending
	c.pending = nil
	c.worker.Call("terminate")
	c.onMsg.Release()
	c.onFail.Release()
	c.mu.Unlock()
	for _, done := range pending {
		done(nil, err)
	}
}
