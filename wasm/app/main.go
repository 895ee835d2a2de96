// Command app is cnnplay's UI program, compiled to web/app.wasm:
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags=-s -o web/app.wasm ./wasm/app
//
// It registers the routes and hands control to go-app. It must stay tiny and
// never import the server (cmd/serve) or net/http server code: they would
// more than double the size of the wasm file.
package main

import (
	ui "github.com/cnnplay/cnnplay/app"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

func main() {
	ui.Routes()
	app.RunWhenOnBrowser()
}
