package autosave

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/nn/model"
)

// DefaultEvery is the least time between two writes of the model being
// trained when Options.Every is 0: a keras model is 4.8 MB, and a reload
// loses at most this much training.
const DefaultEvery = 10 * time.Second

// Options configure a Saver.
type Options struct {
	// Every is the least time between two writes of the current model
	// (0: DefaultEvery). Forced snapshots do not wait for it.
	Every time.Duration
	// Now is the clock (nil: time.Now); tests set their own. The Saver's
	// goroutine calls it too.
	Now func() time.Time
	// OnStatus, if set, is called with the new status each time its State
	// or Model changes. It runs on the Saver's goroutine: a UI passes the
	// status on to its own (go-app: ctx.Dispatch) and returns.
	OnStatus func(Status)
}

// Snapshot is the state of a training, given to Save.
type Snapshot struct {
	// Current is the model being trained. It is taken only when the last
	// one taken is Every old, or when Force is set; otherwise it is
	// skipped (a later snapshot will do).
	Current *model.Model
	// Best is a new best model, if there is one; it is always taken.
	Best *model.Model
	// History is the training's history so far, if it changed; always
	// taken.
	History []byte
	// Force takes Current whatever the interval: set it at the end of an
	// epoch and when training pauses or stops, so the last state is kept.
	Force bool
}

// groups of keys written together; each group is one atomic Write.
const (
	groupRun      = iota // run/: the models, the history and their meta
	groupSettings        // settings
	groupDrawing         // drawing
	groups
)

// group is one group's pending changes: the newest change of each key not
// yet written.
type group struct {
	pending map[string]browserstore.Change
	// fresh says pending holds changes the writer has not tried. Changes
	// put back after a failed write are not fresh: they are tried again
	// with the group's next fresh change, not in a loop.
	fresh bool
	err   error // the group's last write failed with it
}

// Saver writes the page's state to a store in the background. Its methods
// are safe for concurrent use and never wait for the store, except Flush
// and Close.
type Saver struct {
	st    browserstore.Store
	every time.Duration
	now   func() time.Time

	onStatus func(Status)

	mu      sync.Mutex
	done    *sync.Cond // broadcast when the writer finishes a round
	g       [groups]group
	label   string
	taken   time.Time // when a current model was last taken
	saved   time.Time // when the run was last written
	busy    bool      // the writer is writing
	closed  bool
	status  Status // as last reported
	wake    chan struct{}
	stopped chan struct{}
}

// New starts a Saver writing to st. Close stops it.
func New(st browserstore.Store, opt Options) *Saver {
	s := &Saver{st: st, every: opt.Every, now: opt.Now, onStatus: opt.OnStatus,
		wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	if s.every <= 0 {
		s.every = DefaultEvery
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.done = sync.NewCond(&s.mu)
	for i := range s.g {
		s.g[i].pending = map[string]browserstore.Change{}
	}
	go s.write()
	return s
}

// StartRun begins a new training called label (the preset's name, shown
// in the restore offer): the previous run's models and history are
// deleted with the first write, and the first current model is taken
// Every from now.
func (s *Saver) StartRun(label string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.label = label
	s.taken = s.now()
	s.forgetRun()
}

// Discard deletes the saved run (models and history), as when the user
// declines to restore it; the settings and the drawing stay.
func (s *Saver) Discard() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forgetRun()
}

// forgetRun deletes the saved run with the next write (its record goes
// with it, see metaChange). s.mu is held.
func (s *Saver) forgetRun() {
	s.set(groupRun, browserstore.Change{Key: keyCurrent, Delete: true},
		browserstore.Change{Key: keyBest, Delete: true},
		browserstore.Change{Key: keyHistory, Delete: true})
}

// Save takes what the snapshot holds (see Snapshot for when) to be
// written in the background. The models taken are encoded before Save
// returns, so the caller may change them afterwards. It fails only when a
// model does not encode, and then takes nothing.
func (s *Saver) Save(snap Snapshot) error {
	s.mu.Lock()
	now := s.now()
	takeCurrent := snap.Current != nil && (snap.Force || s.taken.IsZero() || now.Sub(s.taken) >= s.every)
	s.mu.Unlock()

	var changes []browserstore.Change
	var current []byte
	if takeCurrent {
		b, err := encode(snap.Current)
		if err != nil {
			return err
		}
		current = b
		changes = append(changes, browserstore.Change{Key: keyCurrent, Value: b})
	}
	if snap.Best != nil {
		b := current // at an epoch's end the best is often the current model
		if snap.Best != snap.Current || b == nil {
			var err error
			if b, err = encode(snap.Best); err != nil {
				return err
			}
		}
		changes = append(changes, browserstore.Change{Key: keyBest, Value: b})
	}
	if snap.History != nil {
		changes = append(changes, browserstore.Change{Key: keyHistory, Value: slices.Clone(snap.History)})
	}
	if len(changes) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if takeCurrent {
		s.taken = now
	}
	s.set(groupRun, changes...)
	return nil
}

// encode returns m's model file.
func encode(m *model.Model) ([]byte, error) {
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		return nil, fmt.Errorf("autosave: %w", err)
	}
	return b.Bytes(), nil
}

// Settings takes the training settings to be written.
func (s *Saver) Settings(b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set(groupSettings, browserstore.Change{Key: keySettings, Value: slices.Clone(b)})
}

// Drawing takes the drawing to be written.
func (s *Saver) Drawing(b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set(groupDrawing, browserstore.Change{Key: keyDrawing, Value: slices.Clone(b)})
}

// set makes the changes pending in group i, replacing older pending
// changes of the same keys, and wakes the writer. s.mu is held.
func (s *Saver) set(i int, changes ...browserstore.Change) {
	if s.closed {
		return
	}
	for _, c := range changes {
		s.g[i].pending[c.Key] = c
	}
	s.g[i].fresh = true
	select {
	case s.wake <- struct{}{}:
	default: // the writer is already woken
	}
}

// Status returns the current status.
func (s *Saver) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Flush waits until everything taken so far has been written, or has
// failed, and returns the status's error. In a browser, call it from a
// goroutine, never from an event handler (see package browserstore).
func (s *Saver) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.busy || s.anyFresh() {
		s.done.Wait()
	}
	return s.status.Err
}

// Close writes what is pending, as Flush, and stops the Saver; what it is
// given afterwards is dropped.
func (s *Saver) Close() error {
	err := s.Flush()
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.wake)
	}
	s.mu.Unlock()
	<-s.stopped
	return err
}

func (s *Saver) anyFresh() bool {
	for _, g := range s.g {
		if g.fresh {
			return true
		}
	}
	return false
}

// write is the Saver's goroutine: each time it is woken, it writes every
// group with fresh changes, one atomic Write per group.
func (s *Saver) write() {
	defer close(s.stopped)
	for range s.wake {
		s.mu.Lock()
		var todo [groups][]browserstore.Change
		for i := range s.g {
			if !s.g[i].fresh {
				continue
			}
			todo[i] = slices.Collect(maps.Values(s.g[i].pending))
			// In key order, so that writes are the same from run to run.
			slices.SortFunc(todo[i], func(a, b browserstore.Change) int { return strings.Compare(a.Key, b.Key) })
			s.g[i].pending, s.g[i].fresh = map[string]browserstore.Change{}, false
		}
		label := s.label
		s.busy = true
		s.mu.Unlock()

		var errs [groups]error
		var wrote time.Time
		for i, changes := range todo {
			if changes == nil {
				continue
			}
			if i == groupRun {
				now := s.now()
				changes = append(changes, metaChange(changes, label, now))
				wrote = now
			}
			errs[i] = s.st.Write(changes...)
		}

		s.mu.Lock()
		for i, changes := range todo {
			if changes == nil {
				continue
			}
			g := &s.g[i]
			g.err = errs[i]
			if errs[i] == nil {
				if i == groupRun {
					s.saved = wrote
				}
				continue
			}
			for _, c := range changes {
				if _, newer := g.pending[c.Key]; !newer && c.Key != keyMeta {
					g.pending[c.Key] = c // tried again with the group's next change
				}
			}
		}
		s.busy = false
		old, now := s.status, s.current()
		s.status = now
		s.done.Broadcast()
		s.mu.Unlock()
		if s.onStatus != nil && (old.State != now.State || old.Model != now.Model) {
			s.onStatus(now)
		}
	}
}

// current is the status from the groups' last writes: the run's failure
// first, since it is the one that loses the most. s.mu is held.
func (s *Saver) current() Status {
	for _, i := range []int{groupRun, groupSettings, groupDrawing} {
		if err := s.g[i].err; err != nil {
			st := StatusFor(err)
			st.Model = i == groupRun
			st.Saved = s.saved
			return st
		}
	}
	return Status{Saved: s.saved}
}

// metaChange is the run/meta change that goes with a write of the run's
// changes: the record of the run, or its deletion when the run is deleted.
func metaChange(changes []browserstore.Change, label string, now time.Time) browserstore.Change {
	if !slices.ContainsFunc(changes, func(c browserstore.Change) bool { return !c.Delete }) {
		return browserstore.Change{Key: keyMeta, Delete: true}
	}
	b, _ := json.Marshal(meta{Format: format, Label: label, Saved: now.UTC()}) // ints, a string and a time always encode
	return browserstore.Change{Key: keyMeta, Value: b}
}
