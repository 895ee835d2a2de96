//go:build js && wasm

package browserstore

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"syscall/js"
)

// objectStore is the one object store of the database: values are
// Uint8Array, keys are out-of-line strings.
const objectStore = "kv"

// IndexedDB is a Store in one IndexedDB database of the page's origin. It
// is safe for concurrent use by goroutines; every method blocks its
// goroutine until the browser answers (see the package documentation).
type IndexedDB struct {
	name string

	mu sync.Mutex // held while (re)opening; never taken in a callback
	db js.Value   // the open connection

	// closed is set by the browser's callbacks when the connection goes
	// away under us (site data cleared, a newer version opened in another
	// tab); the next operation opens it again.
	closed  atomic.Bool
	onClose js.Func
}

// Open opens (creating it the first time) the database called name. It
// fails with ErrUnavailable when the page has no IndexedDB and ErrRefused
// when the browser will not open it (private browsing, blocked site data,
// a sandboxed frame).
func Open(name string) (*IndexedDB, error) {
	s := &IndexedDB{name: name}
	s.onClose = js.FuncOf(func(this js.Value, args []js.Value) any {
		s.closed.Store(true)
		this.Call("close") // a versionchange waits for this; after close it is a no-op
		return nil
	})
	db, err := s.open()
	if err != nil {
		s.onClose.Release()
		return nil, err
	}
	s.db = db
	return s, nil
}

// open opens the database and returns the connection.
func (s *IndexedDB) open() (db js.Value, err error) {
	defer catch(&err, ErrRefused)
	// Through Reflect.get because reading indexedDB throws a SecurityError
	// in some sandboxed frames, and only calls turn exceptions into panics
	// that catch can recover: an exception from a property read would stop
	// the Go program.
	idb := js.Global().Get("Reflect").Call("get", js.Global(), "indexedDB")
	if !idb.Truthy() {
		return js.Value{}, fmt.Errorf("browserstore: opening %q: %w", s.name, ErrUnavailable)
	}
	req := idb.Call("open", s.name, 1)
	upgrade := js.FuncOf(func(this js.Value, args []js.Value) any {
		this.Get("result").Call("createObjectStore", objectStore)
		return nil
	})
	defer upgrade.Release()
	req.Set("onupgradeneeded", upgrade)
	ev, _ := await(req, "success", "error")
	if ev != "success" {
		return js.Value{}, fmt.Errorf("browserstore: opening %q: %w", s.name, domError(req.Get("error"), ErrRefused))
	}
	db = req.Get("result")
	db.Set("onversionchange", s.onClose)
	db.Set("onclose", s.onClose)
	return db, nil
}

// conn returns the open connection, opening it again if it was closed.
func (s *IndexedDB) conn() (js.Value, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		db, err := s.open()
		if err != nil {
			return js.Value{}, err
		}
		s.db = db
		s.closed.Store(false)
	}
	return s.db, nil
}

// Close closes the connection. The IndexedDB must not be used after it.
func (s *IndexedDB) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed.Swap(true) {
		s.db.Call("close")
	}
	s.onClose.Release()
}

// store returns the object store of a new transaction in the given mode
// ("readonly" or "readwrite").
func (s *IndexedDB) store(mode string) (tx, store js.Value, err error) {
	db, err := s.conn()
	if err != nil {
		return js.Value{}, js.Value{}, err
	}
	defer catch(&err, nil)
	tx = db.Call("transaction", objectStore, mode)
	return tx, tx.Call("objectStore", objectStore), nil
}

// Get implements Store.
func (s *IndexedDB) Get(key string) (value []byte, err error) {
	_, st, err := s.store("readonly")
	if err != nil {
		return nil, err
	}
	defer catch(&err, nil)
	req := st.Call("get", key)
	if ev, _ := await(req, "success", "error"); ev != "success" {
		return nil, fmt.Errorf("browserstore: reading %q: %w", key, domError(req.Get("error"), nil))
	}
	v := req.Get("result")
	if v.IsUndefined() {
		return nil, fmt.Errorf("browserstore: %q: %w", key, ErrNotFound)
	}
	if !v.InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, fmt.Errorf("browserstore: %q holds a %s, not bytes", key, v.Type())
	}
	value = make([]byte, v.Length())
	js.CopyBytesToGo(value, v)
	return value, nil
}

// Keys implements Store.
func (s *IndexedDB) Keys() (keys []string, err error) {
	_, st, err := s.store("readonly")
	if err != nil {
		return nil, err
	}
	defer catch(&err, nil)
	req := st.Call("getAllKeys")
	if ev, _ := await(req, "success", "error"); ev != "success" {
		return nil, fmt.Errorf("browserstore: listing keys: %w", domError(req.Get("error"), nil))
	}
	all := req.Get("result")
	for i := range all.Length() {
		if k := all.Index(i); k.Type() == js.TypeString {
			keys = append(keys, k.String())
		}
	}
	slices.Sort(keys)
	return keys, nil
}

// Write implements Store, in one readwrite transaction: the browser
// applies all of it or, when a change fails or the transaction does not
// fit the quota, none of it.
func (s *IndexedDB) Write(changes ...Change) (err error) {
	tx, st, err := s.store("readwrite")
	if err != nil {
		return err
	}
	if err := queue(st, changes); err != nil {
		// The changes queued before the one that threw would otherwise
		// commit on their own.
		var ignored error
		func() { defer catch(&ignored, nil); tx.Call("abort") }()
		return err
	}
	if ev, _ := await(tx, "complete", "abort"); ev != "complete" {
		return fmt.Errorf("browserstore: writing %d change(s): %w", len(changes), domError(tx.Get("error"), nil))
	}
	return nil
}

// queue issues the requests of the changes on the object store st.
func queue(st js.Value, changes []Change) (err error) {
	defer catch(&err, nil)
	u8 := js.Global().Get("Uint8Array")
	for _, c := range changes {
		if c.Delete {
			st.Call("delete", c.Key)
			continue
		}
		// A Uint8Array of its own: the browser stores the whole
		// ArrayBuffer behind a view.
		v := u8.New(len(c.Value))
		js.CopyBytesToJS(v, c.Value)
		st.Call("put", v, c.Key)
	}
	return nil
}

// await sets handlers for the events on target and blocks the goroutine
// until the first of them fires; it returns its name. The handlers only
// send on a buffered channel, so they never block the browser.
func await(target js.Value, events ...string) (string, js.Value) {
	type fired struct {
		name string
		ev   js.Value
	}
	ch := make(chan fired, 1)
	fns := make([]js.Func, len(events))
	for i, name := range events {
		fns[i] = js.FuncOf(func(this js.Value, args []js.Value) any {
			var ev js.Value
			if len(args) > 0 {
				ev = args[0]
			}
			select {
			case ch <- fired{name, ev}:
			default: // a later event of the same request; the first one counts
			}
			return nil
		})
		target.Set("on"+name, fns[i])
	}
	f := <-ch
	for i, name := range events {
		target.Set("on"+name, js.Null())
		fns[i].Release()
	}
	return f.name, f.ev
}

// domError turns a DOMException (or null) into an error wrapping the
// matching sentinel; fallback is the sentinel for errors without one (nil:
// none).
func domError(e js.Value, fallback error) error {
	if e.IsNull() || e.IsUndefined() {
		e = js.ValueOf(map[string]any{"name": "AbortError", "message": "the transaction was aborted"})
	}
	name, msg := e.Get("name").String(), e.Get("message").String()
	kind := fallback
	switch name {
	case "QuotaExceededError":
		kind = ErrQuota
	case "SecurityError", "NotAllowedError":
		kind = ErrRefused
	}
	what := name
	if msg != "" {
		what += ": " + msg
	}
	if kind == nil {
		return errors.New(what)
	}
	return fmt.Errorf("%w (%s)", kind, what)
}

// catch turns a JavaScript exception thrown by a js.Value call (a panic
// with a js.Error) into *err, as domError does; other panics go on.
func catch(err *error, fallback error) {
	r := recover()
	if r == nil {
		return
	}
	var jerr js.Error
	if e, ok := r.(error); !ok || !errors.As(e, &jerr) {
		panic(r)
	}
	*err = fmt.Errorf("browserstore: %w", domError(jerr.Value, fallback))
}
