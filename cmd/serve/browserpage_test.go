package main

import (
	"net/http/httptest"
	"testing"

	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/web"
)

// startBrowser checks that the wasm was built into this test binary, starts
// headless Chromium and serves the embedded assets on a loopback port; both
// stop with the test. It returns the browser and the server's URL.
func startBrowser(t *testing.T) (*browsertest.Browser, string) {
	t.Helper()
	if !web.HasAppWasm() {
		t.Fatal("web/app.wasm is missing from this test binary: run `make build` (or `make test`), which builds it before the tests")
	}
	b := browsertest.Start(t)
	srv := httptest.NewServer(newHandler(options{Assets: web.Assets()}))
	t.Cleanup(srv.Close)
	return b, srv.URL
}
