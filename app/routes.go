package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// PathHome is the route of the playground page.
const PathHome = "/"

// Routes registers every page route with go-app. The server (to pre-render
// pages and answer 404 for unknown paths) and the wasm UI program (to mount
// them) both call it, so the two always agree. Calling it twice is harmless.
func Routes() {
	app.RouteFunc(PathHome, func() app.Composer { return newPage() })
}
