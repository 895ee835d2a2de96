//go:build js && wasm

// Command convert is the page's model converter, compiled to
// web/convert.wasm and run in a Web Worker by web/convert.js:
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags=-s -o web/convert.wasm ./wasm/convert
//
// It writes and reads the formats of other frameworks (ONNX, TF.js) for
// the page, through package formats. The page starts it the
// first time it saves or reads such a file, so the protobuf code those
// formats need (3.9 MB of WebAssembly, 0.7 MB gzipped) is not in app.wasm,
// which every visit loads.
//
// The page posts {id, op, format, name, data: Uint8Array} (see
// formats.Convert); the worker answers {id, data: Uint8Array} or {id,
// error: string}.
package main

import (
	"syscall/js"

	"github.com/cnnplay/cnnplay/nn/model/formats"
)

func main() {
	onMessage := js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) > 0 {
			handle(args[0].Get("data"))
		}
		return nil
	})
	self := js.Global()
	self.Set("onmessage", onMessage)
	early := self.Get("cnnplayEarly") // what the page posted before main ran
	for i := range early.Length() {
		handle(early.Index(i).Get("data"))
	}
	self.Set("cnnplayEarly", js.Null())
	select {}
}

// handle converts one request and posts the answer.
func handle(req js.Value) {
	reply := js.Global().Get("Object").New()
	reply.Set("id", req.Get("id"))
	in := req.Get("data")
	if in.Type() != js.TypeObject || !in.InstanceOf(js.Global().Get("Uint8Array")) {
		reply.Set("error", "the request has no data")
		js.Global().Call("postMessage", reply)
		return
	}
	data := make([]byte, in.Get("byteLength").Int())
	js.CopyBytesToGo(data, in)
	out, err := formats.Convert(req.Get("op").String(), req.Get("format").String(), req.Get("name").String(), data)
	if err != nil {
		reply.Set("error", err.Error())
		js.Global().Call("postMessage", reply)
		return
	}
	u8 := js.Global().Get("Uint8Array").New(len(out))
	js.CopyBytesToJS(u8, out)
	reply.Set("data", u8)
	transfer := js.Global().Get("Array").New()
	transfer.Call("push", u8.Get("buffer"))
	js.Global().Call("postMessage", reply, transfer)
}
