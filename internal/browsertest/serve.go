//go:build !js

package browsertest

import (
	"html"
	"net/http"
	"net/http/httptest"
	"path"
	"testing"
)

// ServeFiles serves files to the browser on a loopback port until the test
// ends, and returns the server's URL. The path "/" answers an empty HTML
// page with the given title, for the test to navigate to so that its
// scripts run on the server's origin; each other URL path that is a key of
// files answers the file on disk it maps to (a .wasm file as
// application/wasm, which WebAssembly.instantiateStreaming needs); any
// other path is not found.
func ServeFiles(t testing.TB, title string, files map[string]string) string {
	t.Helper()
	page := "<!doctype html><title>" + html.EscapeString(title) + "</title>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(page))
			return
		}
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if path.Ext(r.URL.Path) == ".wasm" {
			w.Header().Set("Content-Type", "application/wasm")
		}
		http.ServeFile(w, r, f)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
