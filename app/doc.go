// Package app holds cnnplay's go-app components: the page shell and the
// widgets inside it.
//
// The same components are compiled twice: natively into cmd/serve, which
// registers the routes and pre-renders the page, and to WebAssembly into
// wasm/app, which mounts them in the browser. Everything here therefore uses
// go-app's app.Value API (a no-op natively) rather than syscall/js, and no
// training or other heavy work runs in this package.
package app
