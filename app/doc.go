// Package app holds cnnplay's go-app components: the page shell and the
// widgets inside it.
//
// The same components are compiled twice: natively into cmd/serve, which
// registers the routes and pre-renders the page, and to WebAssembly into
// wasm/app, which mounts them in the browser. Everything here therefore uses
// go-app's app.Value API (a no-op natively) rather than syscall/js, and no
// training or other heavy work runs in this package. The one exception is
// the page's end of the training worker (worker_js.go), which speaks
// package jswire like the worker itself; natively a stand-in that posts
// nothing takes its place.
//
// What a component holds apart from its UI is a plain type with methods,
// tested natively: the training panel's form (trainForm), what the worker's
// messages have told it (trainState) and their queue (trainInbox), and the
// user's own sets (mySets, kept in IndexedDB by myWriter, mydata*.go).
package app
