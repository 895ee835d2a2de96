//go:build js && wasm

package webfetch

import (
	"errors"
	"io"
	"strconv"
	"syscall/js"
)

// Get fetches url, relative to the page, with the page's cnnplayFetch
// (web/loader.js) or else the browser's fetch, and returns once the
// headers arrived; the body streams as it is read.
func Get(url string) (*Response, error) {
	global := js.Global()
	fetch := global.Get("cnnplayFetch")
	if fetch.Type() != js.TypeFunction {
		fetch = global.Get("fetch")
	}
	res, err := Await(fetch.Invoke(url))
	if err != nil {
		return nil, errors.New("could not download " + url + ": " + err.Error())
	}
	if !res.Get("ok").Bool() {
		return nil, &StatusError{URL: url, Status: res.Get("status").Int(), Text: res.Get("statusText").String()}
	}
	n := int64(-1)
	h := res.Get("headers")
	if l := h.Call("get", "Content-Length"); l.Type() == js.TypeString && !h.Call("get", "Content-Encoding").Truthy() {
		if v, err := strconv.ParseInt(l.String(), 10, 64); err == nil {
			n = v
		}
	}
	return &Response{Body: &body{url: url, reader: res.Get("body").Call("getReader")}, ContentLength: n}, nil
}

// body reads a response's ReadableStream piece by piece.
type body struct {
	url    string
	reader js.Value
	piece  []byte // what is left of the last piece
	err    error
}

func (b *body) Read(p []byte) (int, error) {
	for len(b.piece) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		res, err := Await(b.reader.Call("read"))
		switch {
		case err != nil:
			b.err = errors.New("could not download " + b.url + ": " + err.Error())
		case res.Get("done").Bool():
			b.err = io.EOF
		default:
			v := res.Get("value")
			b.piece = make([]byte, v.Get("byteLength").Int())
			js.CopyBytesToGo(b.piece, v)
		}
	}
	n := copy(p, b.piece)
	b.piece = b.piece[n:]
	return n, nil
}

// Close cancels what is left of the download.
func (b *body) Close() error {
	if b.err == nil {
		b.err = errors.New("webfetch: read after Close")
		b.reader.Call("cancel")
	}
	return nil
}

// Await blocks until the promise p settles and returns its value, or its
// rejection as an error with the reason's message. While it waits the event
// loop runs: other goroutines and the program's callbacks go on.
func Await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	ok := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: arg(args)}
		return nil
	})
	fail := js.FuncOf(func(_ js.Value, args []js.Value) any {
		v := arg(args)
		msg := "failed"
		if v.Type() == js.TypeObject && v.Get("message").Type() == js.TypeString {
			msg = v.Get("message").String()
		} else if v.Type() != js.TypeUndefined {
			msg = v.Call("toString").String()
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	p.Call("then", ok, fail)
	r := <-ch
	return r.v, r.err
}

func arg(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}
