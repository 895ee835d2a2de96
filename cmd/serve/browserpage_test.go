//go:build !js

package main

import (
	"io/fs"
	"os"
	"testing"

	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/web"
)

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
