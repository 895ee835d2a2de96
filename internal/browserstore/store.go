package browserstore

import "errors"

// Store keeps bytes under string keys. Values passed in and returned are
// never shared with the store: the caller may reuse them.
type Store interface {
	// Get returns the value of key, or an error wrapping ErrNotFound.
	Get(key string) ([]byte, error)
	// Keys returns every key, sorted.
	Keys() ([]string, error)
	// Write applies the changes in order, all of them or, on error, none.
	Write(changes ...Change) error
}

// Change is one key's new value in a Write, or its deletion.
type Change struct {
	Key    string
	Value  []byte
	Delete bool // remove Key (Value is ignored); deleting a missing key is no error
}

// Put is a Write of one value.
func Put(s Store, key string, value []byte) error {
	return s.Write(Change{Key: key, Value: value})
}

// Delete is a Write that removes one key.
func Delete(s Store, key string) error {
	return s.Write(Change{Key: key, Delete: true})
}

// Errors that say why storage failed. Errors from a Store wrap them, with
// the browser's own words beside.
var (
	// ErrNotFound: the key holds no value.
	ErrNotFound = errors.New("no value under this key")
	// ErrQuota: the change does not fit in what the browser lets this
	// origin store (QuotaExceededError); nothing of it was written.
	ErrQuota = errors.New("storage is full")
	// ErrRefused: the browser has storage but denies it to this page, as in
	// private browsing, with site data blocked or in a sandboxed frame.
	ErrRefused = errors.New("the browser refuses to store data for this page")
	// ErrUnavailable: there is no IndexedDB here at all.
	ErrUnavailable = errors.New("this browser has no storage for pages (IndexedDB)")
)
