//go:build !js

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/web"
)

// overlay is fsys with some files replaced.
type overlay struct {
	fs.FS
	files fstest.MapFS
}

func (o overlay) Open(name string) (fs.File, error) {
	if _, ok := o.files[name]; ok {
		return o.files.Open(name)
	}
	return o.FS.Open(name)
}

// TestBrowserServiceWorkerUpdate exports the site, visits it until the
// service worker has precached it, exports a new version over it (a new
// worker.wasm, a file whose URL carries no version) and visits again: the
// new service worker must take over with the new version's files. The
// host sends Cache-Control: max-age=600, as GitHub Pages does, so a
// precache that took the browser's HTTP cache at its word would keep the
// old worker.wasm.gz for ten minutes beside the new app.wasm.
func TestBrowserServiceWorkerUpdate(t *testing.T) {
	assets := builtAssets(t)
	site := t.TempDir()
	if err := exportStatic(site, options{Assets: assets}, ""); err != nil {
		t.Fatal(err)
	}
	files := http.FileServer(http.Dir(site))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=600")
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()

	b := browsertest.Start(t)
	b.Navigate(t, srv.URL+"/embed.html?view=draw")
	b.WaitFor(t, `document.getElementById("embed") && document.getElementById("embed").dataset.ready`, 60*time.Second)
	b.WaitFor(t, `navigator.serviceWorker.controller !== null`, 60*time.Second)
	v1 := cacheName(t, site)

	// A second export at least a second later: http.FileServer's
	// Last-Modified has a resolution of seconds.
	time.Sleep(1100 * time.Millisecond)
	worker, err := fs.ReadFile(assets, web.WorkerWasm)
	if err != nil {
		t.Fatal(err)
	}
	v2Assets := overlay{FS: assets, files: fstest.MapFS{web.WorkerWasm: {Data: append(worker, "a new version"...)}}}
	if err := exportStatic(site, options{Assets: web.Filter(v2Assets)}, ""); err != nil {
		t.Fatal(err)
	}
	v2 := cacheName(t, site)
	if v1 == v2 {
		t.Fatalf("the new worker.wasm left the version at %s", v1)
	}
	gz, err := os.ReadFile(filepath.Join(site, "web", "worker.wasm.gz"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(gz)

	b.Navigate(t, srv.URL+"/embed.html?view=draw")
	b.WaitFor(t, `document.getElementById("embed") && document.getElementById("embed").dataset.ready`, 60*time.Second)
	b.WaitFor(t, `caches.keys().then(ks => ks.length === 1 && ks[0] === "`+v2+`")`, 60*time.Second)
	got := browsertest.Eval[string](t, b, `caches.open("`+v2+`")
		.then(c => c.match("/web/worker.wasm.gz"))
		.then(r => r ? r.arrayBuffer().then(b => crypto.subtle.digest("SHA-256", b)) : null)
		.then(d => d ? Array.from(new Uint8Array(d), x => x.toString(16).padStart(2, "0")).join("") : "not cached")`)
	if got != hex.EncodeToString(sum[:]) {
		t.Errorf("the new service worker's worker.wasm.gz: sha256 %s, want the new export's %s", got, hex.EncodeToString(sum[:]))
	}
	b.AssertNoErrors(t)
}

// cacheName reads the service worker's cache name, which holds the
// version, from the export in dir.
func cacheName(t *testing.T, dir string) string {
	t.Helper()
	sw, err := os.ReadFile(filepath.Join(dir, "app-worker.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`const cacheName = "([^"]+)"`).FindSubmatch(sw)
	if m == nil {
		t.Fatal("app-worker.js names no cache")
	}
	return string(m[1])
}
