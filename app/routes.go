package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// PathHome is the route of the playground page.
const PathHome = "/"

// Routes registers every page route with go-app. The server (to pre-render
// pages and answer 404 for unknown paths) and the wasm UI program (to mount
// them) both call it, so the two always agree. Calling it twice is harmless.
func Routes() {
	app.RouteFunc(PathHome, func() app.Composer { return newPage() })
	// A static export serves the home page as index.html and the embed
	// page as embed.html; some hosts drop the extension.
	app.RouteFunc("/index.html", func() app.Composer { return newPage() })
	app.RouteFunc(PathEmbed, func() app.Composer { return newEmbedPage() })
	app.RouteFunc("/embed", func() app.Composer { return newEmbedPage() })
}
