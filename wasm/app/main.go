// Command app is cnnplay's UI program, compiled to web/app.wasm:
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o web/app.wasm ./wasm/app
//
// It registers the routes and hands control to go-app. It must stay tiny and
// never import the server (cmd/serve) or net/http server code: they would
// more than double the size of the wasm file. Nor should anything it
// imports call net/http's client (internal/webfetch fetches instead): that
// alone brought 2 MB of TLS and HTTP code (`make wasm-size` lists what the
// program holds).
package main

import (
	ui "github.com/cnnplay/cnnplay/app"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

func main() {
	ui.Routes()
	app.RunWhenOnBrowser()
}
