//go:build !(js && wasm)

package app

import "github.com/cnnplay/cnnplay/internal/browserstore"

// openStore reports that only a browser keeps the page's work: the server
// renders the page but never mounts it.
func openStore() (browserstore.Store, error) { return nil, browserstore.ErrUnavailable }
