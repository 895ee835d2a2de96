//go:build !js

package main

import (
	"io/fs"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/web"
)

// startBrowser starts headless Chromium and serves the built assets
// (builtAssets) on a loopback port; both stop with the test. It returns the
// browser and the server's URL.
func startBrowser(t *testing.T) (*browsertest.Browser, string) {
	t.Helper()
	assets := builtAssets(t)
	b := browsertest.Start(t)
	srv := httptest.NewServer(newHandler(options{Assets: assets}))
	t.Cleanup(srv.Close)
	return b, srv.URL
}

// builtAssets returns the web directory the browser tests serve: web/ with
// the wasm programs and the datasets, built for this test run
// (browsertest.Site) rather than embedded, so that the tests need no
// `make build` and never serve a stale build. It first checks that
// Chromium is there, so that a missing browser fails at once, with the
// install command.
func builtAssets(t *testing.T) fs.FS {
	t.Helper()
	browsertest.Chromium(t)
	return web.Filter(os.DirFS(browsertest.Site(t)))
}
