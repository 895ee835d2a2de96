package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// workerScript is the training Web Worker's bootstrap (not app-worker.js,
// which is go-app's service worker).
const workerScript = "/web/worker.js"

// cores is the browser's navigator.hardwareConcurrency, 0 where unknown
// (and on the server).
func cores() int {
	if !app.IsClient {
		return 0
	}
	n := app.Window().Get("navigator").Get("hardwareConcurrency")
	if n.Type() != app.TypeNumber {
		return 0
	}
	return n.Int()
}
