//go:build js && wasm

package app

import "github.com/cnnplay/cnnplay/internal/browserstore"

// openMyStore opens the IndexedDB database of the user's own sets. It waits
// for the browser: call it from a goroutine.
func openMyStore() (browserstore.Store, error) { return browserstore.Open(myStoreName) }
