//go:build js && wasm

// Package jswire moves wire messages across postMessage, for both ends: the
// UI program posts to a Worker object and reads its message events; the
// worker program posts to self and reads the UI's.
//
// A message crosses as {head: string, body: Uint8Array} (body only with
// weights); the body's ArrayBuffer is transferred, so it is not copied
// again by the browser.
package jswire

import (
	"errors"
	"syscall/js"

	"github.com/cnnplay/cnnplay/internal/wire"
)

// Post encodes m and posts it with target.postMessage, where target is a
// Worker (from the UI) or the worker's global scope (from the worker).
func Post(target js.Value, m wire.Message) error {
	head, body, err := wire.Encode(m)
	if err != nil {
		return err
	}
	obj := js.Global().Get("Object").New()
	obj.Set("head", string(head))
	if body == nil {
		target.Call("postMessage", obj)
		return nil
	}
	u8 := js.Global().Get("Uint8Array").New(len(body))
	js.CopyBytesToJS(u8, body)
	obj.Set("body", u8)
	target.Call("postMessage", obj, []any{u8.Get("buffer")})
	return nil
}

// FromEvent decodes the message carried by a MessageEvent, as a
// worker.onmessage or self.onmessage handler receives it.
func FromEvent(ev js.Value) (wire.Message, error) {
	data := ev.Get("data")
	if data.Type() != js.TypeObject {
		return wire.Message{}, errors.New("jswire: message data is not an object")
	}
	head := data.Get("head")
	if head.Type() != js.TypeString {
		return wire.Message{}, errors.New("jswire: message has no head string")
	}
	var body []byte
	if b := data.Get("body"); b.Type() == js.TypeObject {
		if !b.InstanceOf(js.Global().Get("Uint8Array")) {
			return wire.Message{}, errors.New("jswire: message body is not a Uint8Array")
		}
		body = make([]byte, b.Get("byteLength").Int())
		js.CopyBytesToGo(body, b)
	}
	return wire.Decode([]byte(head.String()), body)
}
