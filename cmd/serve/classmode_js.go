//go:build js

package main

import (
	"errors"
	"io/fs"
	"net"
	"net/http"
)

// Class mode stores the class in SQLite (modernc.org/sqlite), which does
// not build for js/wasm. The server never runs there; this file only lets
// `GOOS=js GOARCH=wasm go vet ./...` check the rest of the package.

type classMode struct{ store interface{ Close() error } }

func newClassMode(string, net.Addr, fs.FS) (*classMode, error) {
	return nil, errors.New("class mode is not available in a js/wasm build")
}

func withClass(h http.Handler, _ *classMode) http.Handler { return h }

func (*classMode) banner() string { return "" }
