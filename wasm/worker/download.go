//go:build js && wasm

package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"syscall/js"
	"time"

	"github.com/cnnplay/cnnplay/internal/session"
	"github.com/cnnplay/cnnplay/internal/webfetch"
	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// A download is a dataset's four files for one session: from memory, when
// an earlier start read them in full, or arriving from the server. The
// session reads the files as they arrive, so that the training images are
// unzipped and parsed while the rest downloads, rather than after.
type download struct {
	name   string
	files  [4][]byte // from memory
	bodies [4]*body  // or arriving
	report bool      // post progress (the leader, for the UI)
	loaded int64
	total  int64 // bytes announced, 0 if unknown
	last   time.Time
	// waited is the time spent waiting for bytes: the rest of the time
	// to the first step is the worker's own.
	waited time.Duration
}

// dataset returns the named dataset's files, fetching them if no earlier
// start read them in full; report posts the download's progress.
func (w *worker) dataset(name string, report bool) (*download, error) {
	e, err := dataset.Lookup(name)
	if err != nil {
		return nil, err
	}
	if files, ok := w.files[name]; ok {
		if report {
			post(wire.Message{Kind: wire.KindData, Data: &wire.Data{Parsing: true}})
		}
		return &download{name: name, files: files}, nil
	}
	d, err := fetchAll(e.Files, report)
	if err != nil {
		if e.Install != "" {
			err = fmt.Errorf("%w (is %s installed on the server? %s, then make)", err, e.Title, e.Install)
		}
		return nil, err
	}
	d.name = name
	return d, nil
}

// keep remembers d's files once all four were read to the end (a training
// limit leaves the training images unread past the images it keeps), so
// that the next start needs no download.
func (w *worker) keep(d *download) {
	if d == nil || d.bodies[0] == nil {
		return
	}
	var files [4][]byte
	for i, b := range d.bodies {
		if !b.done {
			return
		}
		files[i] = b.buf
	}
	w.files[d.name] = files
}

// data is the session's view of d.
func (d *download) data() session.Data {
	switch {
	case d == nil:
		return session.Data{}
	case d.bodies[0] == nil:
		return session.BytesData(d.files)
	}
	return session.Data{Open: func(i int) io.Reader { return d.bodies[i] }}
}

// fetchAll starts fetching the files from data/ beside this worker's
// script and waits for their headers. All four requests start at once, so
// that the total is known from their Content-Length headers.
func fetchAll(names [4]string, report bool) (*download, error) {
	d := &download{report: report}
	base := self.Get("location").Get("href")
	var promises [4]js.Value
	for i, n := range names {
		url := js.Global().Get("URL").New("data/"+n, base).Call("toString")
		promises[i] = self.Call("fetch", url)
	}
	known := true
	t := time.Now()
	for i, p := range promises {
		r, err := webfetch.Await(p)
		if err != nil {
			return nil, fmt.Errorf("could not download %s: %w", names[i], err)
		}
		if !r.Get("ok").Bool() {
			return nil, fmt.Errorf("could not download %s: HTTP %d %s", names[i], r.Get("status").Int(), r.Get("statusText").String())
		}
		n, err := strconv.ParseInt(r.Get("headers").Call("get", "Content-Length").String(), 10, 64)
		if err != nil || r.Get("headers").Call("get", "Content-Encoding").Truthy() {
			known, n = false, 0 // absent, or the size of a compressed transfer
		}
		d.total += n
		d.bodies[i] = &body{d: d, name: names[i], resp: r}
		if n > 0 && n <= 1<<26 {
			d.bodies[i].buf = make([]byte, 0, n)
		}
	}
	d.waited = time.Since(t)
	if !known {
		d.total = 0
	}
	d.progress(true)
	return d, nil
}

// progress posts the bytes loaded, at most every dataProgressInterval
// unless forced, and says when all have arrived.
func (d *download) progress(force bool) {
	if !d.report {
		return
	}
	if now := time.Now(); force || now.Sub(d.last) >= dataProgressInterval {
		d.last = now
		m := &wire.Data{Loaded: d.loaded, Total: max(d.total, d.loaded)}
		if d.total == 0 {
			m.Total = 0
		}
		m.Parsing = true
		for _, b := range d.bodies {
			m.Parsing = m.Parsing && b.done
		}
		post(wire.Message{Kind: wire.KindData, Data: m})
	}
}

// body reads one response's bytes as they arrive, keeping them all.
type body struct {
	d    *download
	name string
	resp js.Value
	// reader reads the body's stream, once reading started.
	reader js.Value
	buf    []byte // the bytes that arrived
	off    int    // how many of them Read returned
	done   bool
	err    error
}

func (b *body) Read(p []byte) (int, error) {
	for b.off == len(b.buf) {
		switch {
		case b.done:
			return 0, io.EOF
		case b.err != nil:
			return 0, b.err
		}
		b.fill()
	}
	n := copy(p, b.buf[b.off:])
	b.off += n
	return n, nil
}

// fill waits for the next piece of the body.
func (b *body) fill() {
	t := time.Now()
	if !b.reader.Truthy() {
		b.reader = b.resp.Get("body").Call("getReader")
	}
	res, err := webfetch.Await(b.reader.Call("read"))
	b.d.waited += time.Since(t)
	switch {
	case err != nil:
		b.err = fmt.Errorf("could not download %s: %w", b.name, err)
	case res.Get("done").Bool():
		b.done = true
		b.d.progress(true)
	default:
		piece := res.Get("value")
		n := piece.Get("byteLength").Int()
		b.buf = slices.Grow(b.buf, n)[:len(b.buf)+n]
		js.CopyBytesToGo(b.buf[len(b.buf)-n:], piece)
		b.d.loaded += int64(n)
		b.d.progress(false)
	}
}
