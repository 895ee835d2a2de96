//go:build !(js && wasm)

package app

import "github.com/cnnplay/cnnplay/internal/browserstore"

// openMyStore reports that only a browser keeps the user's sets: the server
// renders the page but never mounts it.
func openMyStore() (browserstore.Store, error) { return nil, browserstore.ErrUnavailable }
