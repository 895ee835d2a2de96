//go:build js && wasm

package app

import "github.com/cnnplay/cnnplay/internal/browserstore"

// openStore opens the page's IndexedDB database. It waits for the browser:
// call it from a goroutine.
func openStore() (browserstore.Store, error) { return browserstore.Open(storeName) }
