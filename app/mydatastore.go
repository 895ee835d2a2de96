package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// myStoreName is the IndexedDB database of the user's own sets, apart from
// the page's (autosave's) so that neither can disturb the other's keys.
const myStoreName = "cnnplay-mydata"

// myFormat is the version of the stored layout, kept in each set's meta: a
// page that finds a newer one leaves that set alone rather than misread it.
const myFormat = 1

// Keys of a set in the store: its meta (names and the order of the
// examples), and per example the file's bytes and a drawing's strokes.
// Every change writes the meta together with the files it names, in one
// atomic Write, so a crash never leaves a meta naming a missing file.
func myMetaKey(id string) string        { return "set/" + id + "/meta" }
func myFileKey(id, ex string) string    { return "set/" + id + "/file/" + ex }
func myStrokesKey(id, ex string) string { return "set/" + id + "/strokes/" + ex }
func mySetOfKey(key string) (id string, ok bool) {
	rest, ok := strings.CutPrefix(key, "set/")
	if !ok {
		return "", false
	}
	id, kind, ok := strings.Cut(rest, "/")
	return id, ok && kind == "meta"
}

// myMeta is a set's meta as stored.
type myMeta struct {
	Format  int           `json:"format"`
	Name    string        `json:"name"`
	Framing string        `json:"framing,omitempty"`
	Next    int           `json:"next"`
	Classes []myMetaClass `json:"classes"`
	Runs    []myRun       `json:"runs,omitempty"`
}

type myMetaClass struct {
	Name     string          `json:"name"`
	Examples []myMetaExample `json:"examples"`
}

type myMetaExample struct {
	ID      string `json:"id"`
	File    string `json:"file"`
	Strokes bool   `json:"strokes,omitempty"`
}

// metaChange returns the write of s's meta.
func (s *mySet) metaChange() browserstore.Change {
	m := myMeta{Format: myFormat, Name: s.Name, Framing: s.Framing.String(), Next: s.Next, Classes: make([]myMetaClass, len(s.Classes)), Runs: s.Runs}
	for i, c := range s.Classes {
		mc := myMetaClass{Name: c.Name, Examples: make([]myMetaExample, len(c.Examples))}
		for j, e := range c.Examples {
			mc.Examples[j] = myMetaExample{ID: e.ID, File: e.File, Strokes: len(e.Strokes) > 0}
		}
		m.Classes[i] = mc
	}
	b, _ := json.Marshal(m) // plain strings and numbers
	return browserstore.Change{Key: myMetaKey(s.ID), Value: b}
}

// exampleChanges returns the writes that store example e of s.
func (s *mySet) exampleChanges(e *myExample) []browserstore.Change {
	ch := []browserstore.Change{{Key: myFileKey(s.ID, e.ID), Value: e.Data}}
	if len(e.Strokes) > 0 {
		b, _ := json.Marshal(e.Strokes) // canvas coordinates and times are finite
		ch = append(ch, browserstore.Change{Key: myStrokesKey(s.ID, e.ID), Value: b})
	}
	return ch
}

// deleteChanges returns the writes that delete example e of s.
func (s *mySet) deleteChanges(e *myExample) []browserstore.Change {
	return []browserstore.Change{
		{Key: myFileKey(s.ID, e.ID), Delete: true},
		{Key: myStrokesKey(s.ID, e.ID), Delete: true},
	}
}

// loadMySets reads every set in st. A set or an example that cannot be
// read is left out, kept in the store as it is, and named in problems.
func loadMySets(st browserstore.Store) (*mySets, []string, error) {
	keys, err := st.Keys()
	if err != nil {
		return nil, nil, err
	}
	sets := &mySets{}
	var problems []string
	for _, k := range keys {
		id, ok := mySetOfKey(k)
		if !ok {
			continue
		}
		s, probs, err := loadMySet(st, id)
		problems = append(problems, probs...)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		sets.Sets = append(sets.Sets, s)
	}
	return sets, problems, nil
}

// loadMySet reads the set id; examples whose file is missing are left out
// and named.
func loadMySet(st browserstore.Store, id string) (*mySet, []string, error) {
	b, err := st.Get(myMetaKey(id))
	if err != nil {
		return nil, nil, fmt.Errorf("a kept set could not be read: %w", err)
	}
	var m myMeta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, nil, fmt.Errorf("a kept set is unreadable: %w", err)
	}
	if m.Format > myFormat {
		return nil, nil, fmt.Errorf("the set %q was kept by a newer cnnplay; it is left as it is", m.Name)
	}
	framing, err := dataset.ParseFraming(m.Framing)
	if err != nil {
		return nil, nil, fmt.Errorf("the set %q: %v", m.Name, err)
	}
	s := &mySet{ID: id, Name: m.Name, Framing: framing, Next: m.Next, Runs: m.Runs}
	var problems []string
	for _, mc := range m.Classes {
		c := &myClass{Name: mc.Name}
		for _, me := range mc.Examples {
			data, err := st.Get(myFileKey(id, me.ID))
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s/%s/%s could not be read: %v", m.Name, mc.Name, me.File, err))
				continue
			}
			e := &myExample{ID: me.ID, File: me.File, Data: data}
			if me.Strokes {
				if sb, err := st.Get(myStrokesKey(id, me.ID)); err == nil {
					if err := json.Unmarshal(sb, &e.Strokes); err != nil {
						problems = append(problems, fmt.Sprintf("the strokes of %s/%s/%s are unreadable: %v", m.Name, mc.Name, me.File, err))
					}
				}
			}
			c.Examples = append(c.Examples, e)
		}
		s.Classes = append(s.Classes, c)
	}
	return s, problems, nil
}

// myWriter applies the writes of the sets to the store one after the other,
// in the order they were asked for, in a goroutine of its own (the
// browser's store waits for the browser: see package browserstore). The UI
// goroutine changes the sets and queues the writes that keep them, so it
// never waits for storage; a failed write is reported through onError.
type myWriter struct {
	st      browserstore.Store
	onError func(error)

	mu      sync.Mutex
	queue   [][]browserstore.Change
	running bool
	idle    *sync.Cond
}

func newMyWriter(st browserstore.Store, onError func(error)) *myWriter {
	w := &myWriter{st: st, onError: onError}
	w.idle = sync.NewCond(&w.mu)
	return w
}

// write queues one atomic write.
func (w *myWriter) write(changes ...browserstore.Change) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.queue = append(w.queue, changes)
	if !w.running {
		w.running = true
		go w.run()
	}
}

func (w *myWriter) run() {
	for {
		w.mu.Lock()
		if len(w.queue) == 0 {
			w.running = false
			w.idle.Broadcast()
			w.mu.Unlock()
			return
		}
		next := w.queue[0]
		w.queue = w.queue[1:]
		w.mu.Unlock()
		if err := w.st.Write(next...); err != nil && w.onError != nil {
			w.onError(err)
		}
	}
}

// flush waits until every queued write is done.
func (w *myWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.running {
		w.idle.Wait()
	}
}

// storeError says in words for the user why a set could not be kept.
func storeError(err error) string {
	switch {
	case errors.Is(err, browserstore.ErrQuota):
		return "The browser's storage is full: the last change to your set is not kept. Export the set, or delete examples or sets."
	case errors.Is(err, browserstore.ErrRefused), errors.Is(err, browserstore.ErrUnavailable):
		return "The browser does not keep data for this page: your sets are lost when it closes. Export them to keep them."
	}
	return "Your set could not be kept: " + err.Error()
}
