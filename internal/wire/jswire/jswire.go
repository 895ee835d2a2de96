//go:build js && wasm

// Package jswire moves wire messages across postMessage, for both ends: the
// UI program posts to a Worker object and reads its message events; the
// worker program posts to self (or to a helper Worker) and reads the
// messages it gets.
//
// A message crosses as {head: string, body: Uint8Array} (body only with
// weights); the body's ArrayBuffer is transferred, so it is not copied
// again by the browser. WebAssembly is little-endian, so the weights are
// copied straight between Go's memory and the Uint8Array, with no encoding
// pass: the bytes are those of wire.EncodeFloats.
package jswire

import (
	"errors"
	"syscall/js"

	"github.com/cnnplay/cnnplay/internal/wire"
)

// Post encodes m and posts it with target.postMessage, where target is a
// Worker (from the UI or the leading worker) or the worker's global scope.
// m.Weights is copied before Post returns.
func Post(target js.Value, m wire.Message) error {
	return post(target, m, js.Undefined())
}

// Conn is one end of a conversation whose bodies are large: the buffer of
// the last body received is kept and carries the next body posted, if it
// has the right size. So between the leading worker and a helper a job's
// buffer comes back with the gradient, and the next job goes in it; the
// page gives each weight snapshot's buffer back for the next (GiveBack, and
// Spare at the worker's end).
// In steady state no ArrayBuffer is allocated: a new one of 4.8 MB costs
// 2.5 ms in V8, and the garbage collector's time later.
type Conn struct {
	Target js.Value // where Post posts
	spare  js.Value // the last body received, a Uint8Array, or undefined
	// Into, when a body has exactly its length, is the Go memory the body
	// is decoded into, instead of a new slice; the message's weights are
	// then Into itself. A helper hands each job's memory back for the next
	// job's gradient once it is done with it.
	Into []float32
	// Reuse sets Into to each body received, so that the weights of a
	// message are valid only until the next FromEvent: for a link with one
	// large message in flight at a time (the leader's from a helper: one
	// gradient per job), where allocating 4.8 MB a step would only feed
	// the garbage collector.
	Reuse bool
}

// Spare keeps the buffer of a message event that only gives one back
// ({wire.SpareKey: Uint8Array}, from the page) for the next Post, and
// reports whether ev was such a message.
func (c *Conn) Spare(ev js.Value) bool {
	data := ev.Get("data")
	if data.Type() != js.TypeObject {
		return false
	}
	b := data.Get(wire.SpareKey)
	if b.Type() != js.TypeObject {
		return false
	}
	c.spare = b
	return true
}

// GiveBack transfers the last body received (FromEvent has decoded it into
// Go memory) back to c.Target, which keeps it (Spare) to post its next
// message of that size in: the page gives each weight snapshot's buffer
// back to the worker, which would otherwise allocate a new one for every
// snapshot. It does nothing when no body came since the last GiveBack.
func (c *Conn) GiveBack() {
	b := c.spare
	if b.Type() != js.TypeObject {
		return
	}
	c.spare = js.Undefined() // transferred
	obj := js.Global().Get("Object").New()
	obj.Set(wire.SpareKey, b)
	c.Target.Call("postMessage", obj, []any{b.Get("buffer")})
}

// Post posts m to c.Target, in the spare buffer if it fits.
func (c *Conn) Post(m wire.Message) error {
	if len(m.Weights) == 0 {
		return post(c.Target, m, js.Undefined()) // the spare waits for a body
	}
	buf := c.spare
	c.spare = js.Undefined() // transferred, or not the right size
	return post(c.Target, m, buf)
}

// FromEvent decodes the message of ev, as the package's FromEvent, and
// keeps its body's buffer for the next Post.
func (c *Conn) FromEvent(ev js.Value) (wire.Message, error) {
	m, err := fromEvent(ev, c.Into)
	if c.Reuse && len(m.Weights) > 0 {
		c.Into = m.Weights
	}
	if err == nil {
		if b := ev.Get("data").Get("body"); b.Type() == js.TypeObject {
			c.spare = b
		}
	}
	return m, err
}

func post(target js.Value, m wire.Message, buf js.Value) error {
	head, err := wire.EncodeHead(m)
	if err != nil {
		return err
	}
	obj := js.Global().Get("Object").New()
	obj.Set("head", string(head))
	if len(m.Weights) == 0 {
		target.Call("postMessage", obj)
		return nil
	}
	n := 4 * len(m.Weights)
	u8 := buf
	if u8.Type() != js.TypeObject || u8.Get("byteLength").Int() != n || u8.Get("byteOffset").Int() != 0 || u8.Get("buffer").Get("byteLength").Int() != n {
		u8 = js.Global().Get("Uint8Array").New(n)
	}
	js.CopyBytesToJS(u8, wire.FloatBytes(m.Weights))
	obj.Set("body", u8)
	target.Call("postMessage", obj, []any{u8.Get("buffer")})
	return nil
}

// FromEvent decodes the message carried by a MessageEvent, as a
// worker.onmessage or self.onmessage handler receives it.
func FromEvent(ev js.Value) (wire.Message, error) { return fromEvent(ev, nil) }

// fromEvent is FromEvent decoding the body into into when it has the
// body's size.
func fromEvent(ev js.Value, into []float32) (wire.Message, error) {
	data := ev.Get("data")
	if data.Type() != js.TypeObject {
		return wire.Message{}, errors.New("jswire: message data is not an object")
	}
	head := data.Get("head")
	if head.Type() != js.TypeString {
		return wire.Message{}, errors.New("jswire: message has no head string")
	}
	var weights []float32
	if b := data.Get("body"); b.Type() == js.TypeObject {
		if !b.InstanceOf(js.Global().Get("Uint8Array")) {
			return wire.Message{}, errors.New("jswire: message body is not a Uint8Array")
		}
		n := b.Get("byteLength").Int()
		if n%4 != 0 {
			return wire.Message{}, errors.New("jswire: message body is not a whole number of float32 values")
		}
		weights = into
		if len(weights) != n/4 {
			weights = make([]float32, n/4)
		}
		js.CopyBytesToGo(wire.FloatBytes(weights), b)
	}
	return wire.DecodeHead([]byte(head.String()), weights)
}
