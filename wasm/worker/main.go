//go:build js && wasm

// Command worker is cnnplay's training worker, compiled to web/worker.wasm
// and run in a Web Worker by web/worker.js:
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o web/worker.wasm ./wasm/worker
//
// It is only the JavaScript glue: it receives wire messages from the UI,
// fetches the dataset files (posting download progress), builds an
// internal/session.Session and runs it in chunks of a few tens of
// milliseconds, posting what each chunk returns. Between chunks it yields
// to the event loop through a MessageChannel (about 50 µs; time.Sleep would
// cost at least 4 ms), so a pause from the UI is handled within one chunk.
//
// With start.Config.Workers above 1 it leads: it starts Workers-1 more
// copies of itself as nested Web Workers (kept for the next start) and the
// session sends them join and job messages; a copy that gets a join is a
// helper (session.Helper) and answers each job that has examples with a
// gradient. While the leader waits for them inside a training step, its
// goroutine blocks on a channel and the event loop delivers their answers.
package main

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"syscall/js"
	"time"

	"github.com/cnnplay/cnnplay/internal/session"
	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/internal/wire/jswire"
)

// chunk is the time budget of one Session.Run between yields.
const chunk = 25 * time.Millisecond

// dataProgressInterval is the least time between download progress messages.
const dataProgressInterval = 100 * time.Millisecond

var self = js.Global()

func main() {
	w := &worker{inbox: newInbox(), files: map[string][4][]byte{}}
	var receive func(ev js.Value)
	receive = func(ev js.Value) {
		if adoptPort(ev, receive) || parent.Spare(ev) {
			return
		}
		m, err := parent.FromEvent(ev)
		if err != nil {
			post(wire.ErrorMessage(err))
			return
		}
		if len(m.Weights) > 0 && len(parent.Into) > 0 && &m.Weights[0] == &parent.Into[0] {
			parent.Into = nil // in use until the job is done
		}
		w.inbox.push(m)
	}
	self.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		receive(arg(args))
		return nil
	}))
	// worker.js keeps what the UI posted before this program listened.
	if early := self.Get("cnnplayEarly"); early.Type() == js.TypeObject {
		for i := range early.Length() {
			receive(early.Index(i))
		}
		self.Delete("cnnplayEarly")
	}
	y := newYielder()
	post(wire.Command(wire.KindReady))
	for {
		for _, m := range w.inbox.take() {
			w.handle(m)
		}
		if w.measure != nil && (w.sess == nil || w.sess.State() == wire.StateDone) {
			w.runMeasure()
			continue
		}
		if w.sess != nil && w.sess.Busy() {
			postAll(w.sess.Run(chunk))
			y.yield()
			continue
		}
		<-w.inbox.wake
	}
}

// worker holds the current session and the dataset files fetched so far;
// as a leader, its helpers, and as a helper, its side of the session.
type worker struct {
	inbox   *inbox
	sess    *session.Session
	files   map[string][4][]byte // each dataset's files, once read in full
	helpers []*helperWorker
	helper  *session.Helper // set once a join arrives
	// measure is the latest measure request not yet answered: it waits
	// while a session may still train, whose helpers it would take.
	measure *wire.Measure
}

func (w *worker) handle(m wire.Message) {
	switch m.Kind {
	case wire.KindJoin:
		if w.helper == nil {
			w.helper = &session.Helper{}
			w.sess = nil
		}
		// A failed join answers the jobs that follow (see session.Helper).
		var d *download
		w.helper.Join(*m.Join, func() (session.Data, error) {
			var err error
			d, err = w.dataset(m.Join.Start.DataFiles(), false)
			return d.data(), err
		})
		w.keep(d)
		return
	case wire.KindMeasure:
		w.measure = m.Measure
		return
	case wire.KindJob, wire.KindTestJob:
		if w.helper == nil {
			post(wire.ErrorMessage(errors.New("a job before any join")))
			return
		}
		if a, ok := w.helper.Handle(m); ok {
			post(a)
			if m.Kind == wire.KindJob {
				w.helper.Ahead()
			}
		}
		// The next job's weights or gradient are decoded into this one's
		// memory, unless another came meanwhile.
		parent.Into = m.Weights
		return
	}
	if m.Kind != wire.KindStart {
		if w.sess == nil {
			post(wire.ErrorMessage(fmt.Errorf("no training session yet: send start before %s", m.Kind)))
			return
		}
		postAll(w.sess.Handle(m))
		return
	}
	// Free the old session's network and sets before loading new ones:
	// WebAssembly memory never shrinks, so peaks count. Its helpers finish
	// what they started first.
	if w.sess != nil {
		w.sess.Close()
	}
	w.sess = nil
	runtime.GC()
	start := *m.Start
	// Goroutines do not run in parallel in Go's WebAssembly: the other
	// workers are Web Workers.
	ports := w.startHelpers(session.Workers(start) - 1)
	start.Config.Workers, start.AutoWorkers = len(ports)+1, 0
	t0 := time.Now()
	var d *download // none for one's own set alone, which came with the start
	var err error
	if start.Own == nil || start.Own.Plus != "" {
		if d, err = w.dataset(start.DataFiles(), true); err != nil {
			post(wire.ErrorMessage(err))
			return
		}
	}
	var s *session.Session
	if len(ports) > 0 {
		s, err = session.NewWithHelpers(start, d.data(), m.Weights, ports)
	} else {
		s, err = session.New(start, d.data(), m.Weights)
	}
	w.keep(d)
	if err != nil {
		post(wire.ErrorMessage(err))
		return
	}
	w.sess = s
	started := s.Started()
	total := time.Since(t0)
	var waited time.Duration
	if d != nil {
		waited = d.waited
	}
	started.Started.DownloadSeconds, started.Started.PrepareSeconds = waited.Seconds(), (total - waited).Seconds()
	postAll([]wire.Message{started, s.Status()})
}

// startHelpers makes n helper workers ready (starting those missing,
// stopping those not needed or dead) and returns them as ports. Where
// workers cannot start workers, it returns none.
func (w *worker) startHelpers(n int) []session.Port {
	kept := w.helpers[:0]
	for _, h := range w.helpers {
		if h.Dead() || len(kept) >= n {
			h.stop()
			continue
		}
		h.drop()
		kept = append(kept, h)
	}
	w.helpers = kept
	for len(w.helpers) < n {
		h, err := startHelper()
		if err != nil {
			self.Get("console").Call("warn", "cnnplay: training on one worker: "+err.Error())
			break
		}
		w.helpers = append(w.helpers, h)
	}
	ports := make([]session.Port, len(w.helpers))
	for i, h := range w.helpers {
		ports[i] = h
	}
	return ports
}

func arg(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}

func post(m wire.Message) {
	if err := parent.Post(withMemory(m)); err != nil {
		// Only a message that cannot be encoded gets here (a bug): say so
		// rather than go silent.
		jswire.Post(self, wire.ErrorMessage(fmt.Errorf("worker: %w", err)))
	}
}

func postAll(ms []wire.Message) {
	for _, m := range ms {
		post(m)
	}
}

// inbox queues the UI's messages from the onmessage callback, which must
// not block, for the main loop.
type inbox struct {
	mu   sync.Mutex
	msgs []wire.Message
	wake chan struct{}
}

func newInbox() *inbox { return &inbox{wake: make(chan struct{}, 1)} }

func (in *inbox) push(m wire.Message) {
	in.mu.Lock()
	in.msgs = append(in.msgs, m)
	in.mu.Unlock()
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

func (in *inbox) take() []wire.Message {
	in.mu.Lock()
	defer in.mu.Unlock()
	ms := in.msgs
	in.msgs = nil
	return ms
}

// yielder gives the event loop a turn: a message posted to a MessageChannel
// is delivered as a task after those already queued (the UI's messages
// among them), and costs far less than a timer.
type yielder struct {
	port js.Value
	ch   chan struct{}
}

func newYielder() *yielder {
	mc := js.Global().Get("MessageChannel").New()
	y := &yielder{port: mc.Get("port2"), ch: make(chan struct{}, 1)}
	mc.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any {
		y.ch <- struct{}{}
		return nil
	}))
	return y
}

func (y *yielder) yield() {
	y.port.Call("postMessage", nil)
	<-y.ch
}
