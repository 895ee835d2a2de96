package app

import (
	"sync"
	"time"

	"github.com/cnnplay/cnnplay/internal/wire"
)

// uiInterval is the least time between two applications of the worker's
// messages to the page: progress arrives four times a second and a weight
// snapshot twice, and each application re-renders the live parts of the
// panel and re-classifies the drawing, so more would only cost frames.
const uiInterval = 250 * time.Millisecond

// trainInbox queues the worker's messages between the worker's message
// callback, which must not block, and the UI goroutine, which applies them
// together at most every uiInterval. It is safe for concurrent use.
type trainInbox struct {
	mu       sync.Mutex
	msgs     []wire.Message // not yet applied
	flushing bool           // a flush is scheduled
	last     time.Time      // the last flush
	// progressed says a progress message of the current session came: the
	// first is applied at once, so the charts start with the first step
	// rather than a flush interval later.
	progressed bool
}

// push queues m, arrived at now, and says whether the caller must schedule
// a flush, and when: after wait, or at once if wait is 0 (the last flush
// was uiInterval ago, or m is the session's first progress). While a flush
// is scheduled, push only queues.
func (in *trainInbox) push(m wire.Message, now time.Time) (schedule bool, wait time.Duration) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.msgs = append(in.msgs, m)
	switch m.Kind {
	case wire.KindStarted:
		in.progressed = false
	case wire.KindProgress:
		if !in.progressed {
			in.progressed = true
			wait = -1
		}
	}
	if in.flushing {
		return false, 0
	}
	in.flushing = true
	if wait < 0 {
		return true, 0
	}
	return true, max(uiInterval-now.Sub(in.last), 0)
}

// take returns the queued messages, in order, for a flush at now.
func (in *trainInbox) take(now time.Time) []wire.Message {
	in.mu.Lock()
	defer in.mu.Unlock()
	ms := in.msgs
	in.msgs, in.flushing, in.last = nil, false, now
	return ms
}
