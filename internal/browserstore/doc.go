// Package browserstore keeps bytes under string keys in the browser, so that
// what the page holds survives a reload or a crashed tab.
//
// A Store has three operations: Get one value, list the Keys, and Write a
// set of changes (puts and deletes) that take effect all together or not at
// all. Atomic writes are what let a caller keep several values consistent
// with each other (a model and the record that describes it) across a
// crash, and keep the old values when a new one does not fit.
//
// Two implementations:
//   - IndexedDB (js/wasm only): one database with one object store, values
//     as Uint8Array. Its methods wait for the browser's answer, so call them
//     from a goroutine of their own, never from a js.Func callback (an
//     event handler): the answer arrives through a callback too, which
//     cannot run while another one waits, and the program deadlocks.
//   - Memory (every platform): a map with a settable quota, the twin that
//     tests use in place of the browser.
//
// Failures the user must hear about are typed: errors.Is(err, ErrQuota)
// when storage is full, ErrRefused when the browser denies this page
// storage (private browsing, blocked site data, a sandboxed frame), and
// ErrUnavailable when there is no IndexedDB at all. A missing key is
// ErrNotFound.
package browserstore
