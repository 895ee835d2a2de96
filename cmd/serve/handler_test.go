package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cnnplay/cnnplay/web"
)

// testAssets is a small web directory: compressible and incompressible
// files of every kind the server handles.
func testAssets(wasm string) fstest.MapFS {
	return fstest.MapFS{
		"app.wasm":                        {Data: []byte(wasm)},
		"worker.wasm":                     {Data: bytes.Repeat([]byte("\x00asm worker "), 500)},
		"wasm_exec.js":                    {Data: []byte(strings.Repeat("// the Go toolchain's wasm_exec.js\n", 50))},
		"style.css":                       {Data: []byte(strings.Repeat("body { margin: 0; }\n", 50))},
		"icon.svg":                        {Data: []byte(strings.Repeat("<svg></svg>", 50))},
		"icon-192.png":                    {Data: []byte("\x89PNG fake")},
		"tiny.js":                         {Data: []byte("1")},
		"worker.js":                       {Data: []byte(strings.Repeat("importScripts('wasm_exec.js');\n", 20))},
		"loader.js":                       {Data: []byte("(() => {\n  " + loaderMarker + "\n})();\n")},
		"models/m.json":                   {Data: []byte(strings.Repeat(`{"layer":"conv"},`, 100))},
		"data/train-images-idx3-ubyte.gz": {Data: gzipped(bytes.Repeat([]byte{0, 0, 8, 3}, 1000))},
		"secret.go":                       {Data: []byte("package secret")},
		".hidden":                         {Data: []byte("hidden")},
	}
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func wasmBytes(seed string) string {
	return "\x00asm\x01\x00\x00\x00" + strings.Repeat(seed, 2000)
}

func newTestHandler(t *testing.T, fsys fs.FS) *server {
	t.Helper()
	return newHandler(options{Assets: web.Filter(fsys)}).(*server)
}

func get(t *testing.T, h http.Handler, target string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("gzip body: %v", err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatalf("gzip body: %v", err)
		}
	}
	return b
}

func TestAssets(t *testing.T) {
	assets := testAssets(wasmBytes("code "))
	h := newTestHandler(t, assets)
	tests := []struct {
		path, accept string
		ctype, enc   string
		cache        string
		vary         bool
	}{
		{"/web/app.wasm", "gzip, deflate, br", "application/wasm", "gzip", cacheRevalidate, true},
		{"/web/app.wasm", "", "application/wasm", "", cacheRevalidate, true},
		{"/web/app.wasm", "gzip;q=0, br", "application/wasm", "", cacheRevalidate, true},
		{"/web/app.wasm", "*", "application/wasm", "gzip", cacheRevalidate, true},
		{"/app.wasm", "gzip", "application/wasm", "gzip", cacheRevalidate, true},
		{"/web/worker.wasm", "gzip", "application/wasm", "gzip", cacheRevalidate, true},
		{"/wasm_exec.js", "gzip", "text/javascript; charset=utf-8", "gzip", cacheRevalidate, true},
		{"/web/style.css", "gzip", "text/css; charset=utf-8", "gzip", cacheRevalidate, true},
		{"/web/icon.svg", "gzip", "image/svg+xml", "gzip", cacheRevalidate, true},
		{"/web/models/m.json", "gzip", "application/json", "gzip", cacheRevalidate, true},
		// Too small to be worth compressing.
		{"/web/tiny.js", "gzip", "text/javascript; charset=utf-8", "", cacheRevalidate, true},
		{"/web/icon-192.png", "gzip", "image/png", "", cacheRevalidate, false},
		// Datasets are gzipped files: served as they are, never again.
		{"/web/data/train-images-idx3-ubyte.gz", "gzip", "application/gzip", "", cacheDatasets, false},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.accept, func(t *testing.T) {
			res := get(t, h, tt.path, "Accept-Encoding", tt.accept)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := res.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type %q, want %q", got, tt.ctype)
			}
			if got := res.Header.Get("Content-Encoding"); got != tt.enc {
				t.Errorf("Content-Encoding %q, want %q", got, tt.enc)
			}
			if got := res.Header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if got := res.Header.Get("Vary") == "Accept-Encoding"; got != tt.vary {
				t.Errorf("Vary %q, want Accept-Encoding: %v", res.Header.Get("Vary"), tt.vary)
			}
			if res.Header.Get("ETag") == "" {
				t.Error("no ETag")
			}
			raw, _ := io.ReadAll(res.Body)
			if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(len(raw)) {
				t.Errorf("Content-Length %q, body %d bytes", cl, len(raw))
			}
			res.Body = io.NopCloser(bytes.NewReader(raw))
			name := strings.TrimPrefix(strings.TrimPrefix(tt.path, "/web/"), "/")
			if got, want := body(t, res), assets[name].Data; !bytes.Equal(got, want) {
				t.Errorf("body: %d bytes, want the %d bytes of %s", len(got), len(want), name)
			}
			if strings.HasSuffix(tt.path, ".wasm") {
				if got := res.Header.Get(wasmLengthHeader); got != strconv.Itoa(len(assets[name].Data)) {
					t.Errorf("%s %q, want %d", wasmLengthHeader, got, len(assets[name].Data))
				}
			}
		})
	}
}

func TestAssetConditionalAndVersioned(t *testing.T) {
	h := newTestHandler(t, testAssets(wasmBytes("code ")))
	res := get(t, h, "/web/app.wasm", "Accept-Encoding", "gzip")
	etag := res.Header.Get("ETag")
	res = get(t, h, "/web/app.wasm", "Accept-Encoding", "gzip", "If-None-Match", etag)
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", res.StatusCode)
	}
	// A range of the plain file works; the gzipped form is sent whole.
	res = get(t, h, "/web/app.wasm", "Range", "bytes=0-3")
	if res.StatusCode != http.StatusPartialContent || string(body(t, res)) != "\x00asm" {
		t.Errorf("Range: status %d", res.StatusCode)
	}

	hash := h.assets.hashOf("app.wasm")
	res = get(t, h, "/web/app.wasm?v="+hash)
	if got := res.Header.Get("Cache-Control"); got != cacheImmutable {
		t.Errorf("versioned URL: Cache-Control %q, want %q", got, cacheImmutable)
	}
	res = get(t, h, "/web/app.wasm?v=stale")
	if got := res.Header.Get("Cache-Control"); got != cacheRevalidate {
		t.Errorf("stale version: Cache-Control %q, want %q", got, cacheRevalidate)
	}
}

func TestPage(t *testing.T) {
	h := newTestHandler(t, testAssets(wasmBytes("code ")))
	res := get(t, h, "/")
	b := string(body(t, res))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if got := res.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("page Cache-Control %q, want no-cache", got)
	}
	for _, want := range []string{
		`id="draw-canvas"`, `id="clear"`, `id="undo"`, "<h1>cnnplay</h1>",
		"/web/style.css?v=" + h.assets.hashOf("style.css"),
		`href="/web/icon.svg"`,
	} {
		if !strings.Contains(b, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(b, "githubusercontent") {
		t.Error("page links an external icon")
	}

	appJS := string(body(t, get(t, h, "/app.js")))
	for _, want := range []string{
		"/web/app.wasm?v=" + h.assets.hashOf("app.wasm"),
		`goappWasmContentLengthHeader = "` + wasmLengthHeader + `"`,
		h.Version(),
	} {
		if !strings.Contains(appJS, want) {
			t.Errorf("app.js lacks %s", want)
		}
	}
	if got := string(body(t, get(t, h, "/wasm_exec.js"))); !strings.Contains(got, "the Go toolchain's wasm_exec.js") {
		t.Error("/wasm_exec.js is not the copy from web/")
	}
}

func TestVersionFollowsWasm(t *testing.T) {
	a := newTestHandler(t, testAssets(wasmBytes("one ")))
	b := newTestHandler(t, testAssets(wasmBytes("two ")))
	c := newTestHandler(t, testAssets(wasmBytes("one ")))
	if a.Version() == b.Version() {
		t.Errorf("same version %s for different app.wasm", a.Version())
	}
	if a.Version() != c.Version() {
		t.Errorf("versions %s and %s for the same app.wasm", a.Version(), c.Version())
	}
	if res := get(t, a, "/"); res.Header.Get("ETag") != `"`+a.Version()+`"` {
		t.Errorf("page ETag %q, want the version %q", res.Header.Get("ETag"), a.Version())
	}
}

func TestDevModeReloadsWasm(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("app.wasm", wasmBytes("one "))
	write("style.css", "body{}")
	opts, err := assetOptions(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := newHandler(opts).(*server)
	v1 := h.Version()
	get(t, h, "/")

	write("app.wasm", wasmBytes("two, longer "))
	res := get(t, h, "/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if h.Version() == v1 {
		t.Error("dev mode kept the version after app.wasm changed")
	}
	if got := string(body(t, get(t, h, "/web/app.wasm"))); got != wasmBytes("two, longer ") {
		t.Error("dev mode served the old app.wasm")
	}
}

func TestNotFound(t *testing.T) {
	// A real directory with a file beside the web root, to show that no
	// trick reaches it.
	dir := t.TempDir()
	webDir := filepath.Join(dir, "web")
	os.MkdirAll(filepath.Join(webDir, "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("secret"), 0o644)
	os.WriteFile(filepath.Join(webDir, "style.css"), []byte("body{}"), 0o644)
	os.WriteFile(filepath.Join(webDir, "app.wasm"), []byte(wasmBytes("x")), 0o644)
	os.Symlink(filepath.Join(dir, "secret.txt"), filepath.Join(webDir, "link.txt"))
	dev, err := assetOptions(webDir)
	if err != nil {
		t.Fatal(err)
	}
	handlers := map[string]http.Handler{
		"embedded": newHandler(options{Assets: web.Assets()}),
		"mapfs":    newTestHandler(t, testAssets(wasmBytes("x"))),
		"dev":      newHandler(dev),
	}
	paths := []string{
		"/nope",
		"/web/",
		"/web/nope.css",
		"/web/data",
		"/web/data/",
		"/web/../secret.txt",
		"/web/data/../../secret.txt",
		"/web/%2e%2e/secret.txt",
		"/web/%2E%2E/secret.txt",
		"/web/.%2e/secret.txt",
		"/web/..%2fsecret.txt",
		"/web%2fstyle.css",
		"/web/%2fstyle.css",
		"/web//style.css",
		"/web/./style.css",
		"/web/..\\secret.txt",
		"/web/%5c..%5csecret.txt",
		"/web/style.css%00",
		"/web/link.txt",
		"/web/embed.go",
		"/web/secret.go",
		"/web/.hidden",
		"/robots.txt",
		"/sitemap.xml",
		"/../secret.txt",
		"//web/style.css",
	}
	for name, h := range handlers {
		for _, p := range paths {
			req := httptest.NewRequest(http.MethodGet, "http://example.com/", nil)
			// Keep the request line exactly as a client could send it.
			req.RequestURI = p
			u, err := url.ParseRequestURI(p)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			req.URL = u
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusNotFound {
				t.Errorf("%s %s: status %d, want 404", name, p, rec.Code)
			}
			if strings.Contains(rec.Body.String(), "secret") {
				t.Errorf("%s %s: body has the secret", name, p)
			}
			if etag := rec.Header().Get("ETag"); etag != "" {
				t.Errorf("%s %s: a 404 with ETag %s", name, p, etag)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s %s: a 404 without nosniff", name, p)
			}
		}
	}
	// The same file the right way is there.
	if res := get(t, handlers["dev"], "/web/style.css"); res.StatusCode != http.StatusOK {
		t.Errorf("dev /web/style.css: status %d", res.StatusCode)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h := newTestHandler(t, testAssets(wasmBytes("x")))
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(m, "/web/style.css", nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s: status %d, want 405", m, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/web/style.css", nil))
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("HEAD: status %d, %d body bytes", rec.Code, rec.Body.Len())
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                     false,
		"gzip":                 true,
		"GZIP":                 true,
		"br, gzip;q=0.5":       true,
		"gzip;q=0":             false,
		"gzip; q=0.0, *":       false,
		"*":                    true,
		"*;q=0":                false,
		"deflate, br":          false,
		"x-gzip":               true,
		"identity, gzip;q=1.0": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestEmbeddedAssets(t *testing.T) {
	fsys := web.Assets()
	for _, name := range []string{"style.css", "icon.svg", "icon-192.png", "icon-512.png", "models", "data"} {
		if _, err := fs.Stat(fsys, name); err != nil {
			t.Errorf("embedded %s: %v", name, err)
		}
	}
	if _, err := fs.Stat(fsys, "embed.go"); err == nil {
		t.Error("embed.go is served as an asset")
	}
	if !web.HasAppWasm() {
		t.Log("web/app.wasm was not built before this test binary: run `make build`")
	}
}

// TestServeShutdown checks that serve returns nil on cancel, after the
// request in flight has been answered, and that the port is closed then.
func TestServeShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "done")
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serve(ctx, &http.Server{Handler: slow}, ln) }()

	addr := "http://" + ln.Addr().String() + "/"
	got := make(chan string, 1)
	go func() {
		res, err := http.Get(addr)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		got <- string(b)
	}()
	<-started
	cancel()
	if b := <-got; b != "done" {
		t.Errorf("request in flight: %q, want done", b)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not return after cancel")
	}
	if _, err := http.Get(addr); err == nil {
		t.Error("the server still answers after shutdown")
	}
	if err := serve(context.Background(), &http.Server{}, ln); err == nil || errors.Is(err, http.ErrServerClosed) {
		t.Errorf("serve on a closed listener: %v, want an error", err)
	}
}

// TestHandlerHeaders checks the security headers of every kind of
// response: the pages, the embed page, go-app's files, the wasm programs
// and the worker script, datasets, other static files, 404 and 405. All
// carry nosniff and the Content-Security-Policy; only the embed pages may
// be framed by other sites; 404s carry no ETag.
func TestHandlerHeaders(t *testing.T) {
	h := newTestHandler(t, testAssets(wasmBytes("code ")))
	tests := []struct {
		kind, method, path string
		status             int
		ctype              string // a prefix of the Content-Type
		csp                string
		etag               bool
	}{
		{"page", "GET", "/", 200, "text/html; charset=utf-8", cspDefault, true},
		{"page", "GET", "/index.html", 200, "text/html; charset=utf-8", cspDefault, true},
		{"page", "HEAD", "/", 200, "text/html; charset=utf-8", cspDefault, true},
		{"embed page", "GET", "/embed.html", 200, "text/html; charset=utf-8", cspEmbed, true},
		{"embed page", "GET", "/embed.html?view=filters&theme=dark", 200, "text/html; charset=utf-8", cspEmbed, true},
		{"embed page", "GET", "/embed", 200, "text/html; charset=utf-8", cspEmbed, true},
		{"go-app script", "GET", "/app.js", 200, "application/javascript", cspDefault, true},
		{"service worker", "GET", "/app-worker.js", 200, "application/javascript", cspDefault, true},
		{"manifest", "GET", "/manifest.webmanifest", 200, "application/manifest+json", cspDefault, true},
		{"go-app css", "GET", "/app.css", 200, "text/css", cspDefault, true},
		{"wasm", "GET", "/web/app.wasm", 200, "application/wasm", cspDefault, true},
		{"wasm", "GET", "/app.wasm", 200, "application/wasm", cspDefault, true},
		{"wasm", "GET", "/web/worker.wasm", 200, "application/wasm", cspDefault, true},
		{"worker script", "GET", "/web/worker.js", 200, "text/javascript", cspDefault, true},
		{"wasm_exec.js", "GET", "/wasm_exec.js", 200, "text/javascript", cspDefault, true},
		{"data", "GET", "/web/data/train-images-idx3-ubyte.gz", 200, "application/gzip", cspDefault, true},
		{"model", "GET", "/web/models/m.json", 200, "application/json", cspDefault, true},
		{"static", "GET", "/web/style.css", 200, "text/css", cspDefault, true},
		{"static", "GET", "/web/icon.svg", 200, "image/svg+xml", cspDefault, true},
		{"static", "GET", "/web/icon-192.png", 200, "image/png", cspDefault, true},
		{"404", "GET", "/nope", 404, "text/plain", cspDefault, false},
		{"404", "GET", "/embed.html/nope", 404, "text/plain", cspDefault, false},
		{"404", "GET", "/web/nope.css", 404, "text/plain", cspDefault, false},
		{"404", "GET", "/web/../secret", 404, "text/plain", cspDefault, false},
		{"404", "HEAD", "/nope", 404, "text/plain", cspDefault, false},
		{"405", "POST", "/", 405, "text/plain", cspDefault, false},
		{"405", "DELETE", "/embed.html", 405, "text/plain", cspEmbed, false},
	}
	for _, tt := range tests {
		t.Run(tt.kind+" "+tt.method+" "+tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			hdr := rec.Result().Header
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if got := hdr.Get("Content-Type"); !strings.HasPrefix(got, tt.ctype) {
				t.Errorf("Content-Type %q, want %q", got, tt.ctype)
			}
			if got := hdr.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q, want nosniff", got)
			}
			if got := hdr.Values("Content-Security-Policy"); len(got) != 1 || got[0] != tt.csp {
				t.Errorf("Content-Security-Policy %q,\nwant %q", got, tt.csp)
			}
			if got := hdr.Get("ETag"); (got != "") != tt.etag {
				t.Errorf("ETag %q, want one: %v", got, tt.etag)
			}
			if cl := hdr.Get("Content-Length"); tt.method == "GET" && cl != "" && cl != strconv.Itoa(rec.Body.Len()) {
				t.Errorf("Content-Length %s, body %d bytes", cl, rec.Body.Len())
			}
		})
	}
}

// TestHandlerConditional checks that If-None-Match is answered with 304
// for the pages and go-app's files whose ETag it names, and never for a
// path that has no page (go-app answered those 304 too).
func TestHandlerConditional(t *testing.T) {
	h := newTestHandler(t, testAssets(wasmBytes("code ")))
	v := `"` + h.Version() + `"`
	for _, tt := range []struct {
		path, inm string
		status    int
	}{
		{"/", v, 304},
		{"/", `W/` + v, 304},
		{"/", `"other", ` + v, 304},
		{"/", `*`, 304},
		{"/", `"other"`, 200},
		{"/embed.html", v, 304},
		{"/app.js", v, 304},
		{"/nope", v, 404},
		{"/nope", `*`, 404},
		{"/web/nope.js", v, 404},
	} {
		res := get(t, h, tt.path, "If-None-Match", tt.inm)
		if res.StatusCode != tt.status {
			t.Errorf("%s with If-None-Match %s: status %d, want %d", tt.path, tt.inm, res.StatusCode, tt.status)
		}
		if n := len(body(t, res)); tt.status == 304 && n != 0 {
			t.Errorf("%s: a 304 with %d body bytes", tt.path, n)
		}
	}
}

// TestHandlerOGURL checks that no request header reaches the page: og:url
// is made from the configured base URL, or relative without one, never
// from Host; and what it takes from the request line is escaped.
func TestHandlerOGURL(t *testing.T) {
	assets := testAssets(wasmBytes("code "))
	plain := newTestHandler(t, assets)
	based := newHandler(options{Assets: web.Filter(assets), BaseURL: "https://cnnplay.example.org/docs"}).(*server)
	for _, tt := range []struct {
		h            *server
		target, want string
	}{
		{plain, "/", "/"},
		{plain, "/embed.html?view=filters&theme=dark", "/embed.html?view=filters&amp;theme=dark"},
		{based, "/", "https://cnnplay.example.org/docs/"},
		{based, "/embed.html?view=draw", "https://cnnplay.example.org/docs/embed.html?view=draw"},
	} {
		req := httptest.NewRequest(http.MethodGet, tt.target, nil)
		req.Host = "evil.example"
		req.Header.Set("X-Forwarded-Host", "evil.example")
		rec := httptest.NewRecorder()
		tt.h.ServeHTTP(rec, req)
		page := rec.Body.String()
		if strings.Contains(page, "evil.example") {
			t.Errorf("%s: the page echoes the Host header", tt.target)
		}
		if want := `<meta property="og:url" content="` + tt.want + `">`; strings.Count(page, `property="og:url"`) != 1 || !strings.Contains(page, want) {
			t.Errorf("%s: no %s in the page", tt.target, want)
		}
	}

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.URL.RawQuery = `x="><script>alert(1)</script>`
	rec := httptest.NewRecorder()
	plain.ServeHTTP(rec, req)
	if strings.Contains(rec.Body.String(), "<script>alert") {
		t.Error("the query reaches the page unescaped")
	}
	if want := `content="/?x=&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("og:url of a query with markup: want %s", want)
	}
}

// cspDirectiveMap splits a policy into its directives, failing the test on
// a directive given twice.
func cspDirectiveMap(t *testing.T, policy string) map[string][]string {
	t.Helper()
	m := make(map[string][]string)
	for _, d := range strings.Split(policy, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		if _, dup := m[f[0]]; dup {
			t.Errorf("%s given twice in %q", f[0], policy)
		}
		m[f[0]] = f[1:]
	}
	return m
}

// TestCSPPolicy checks what the policy allows: WebAssembly but no inline
// script or eval, scripts and workers from the site only, no plugins, and
// framing by other sites for the embed pages only.
func TestCSPPolicy(t *testing.T) {
	for _, policy := range []string{cspDefault, cspEmbed} {
		d := cspDirectiveMap(t, policy)
		if got := strings.Join(d["script-src"], " "); got != "'self' 'wasm-unsafe-eval'" {
			t.Errorf("script-src %s, want 'self' 'wasm-unsafe-eval' alone", got)
		}
		for _, name := range []string{"default-src", "connect-src", "worker-src", "style-src-elem"} {
			if got := strings.Join(d[name], " "); got != "'self'" {
				t.Errorf("%s %q, want 'self'", name, got)
			}
		}
		for _, name := range []string{"object-src", "base-uri", "form-action"} {
			if got := strings.Join(d[name], " "); got != "'none'" {
				t.Errorf("%s %q, want 'none'", name, got)
			}
		}
		for name, srcs := range d {
			for _, src := range srcs {
				if src == "*" || src == "'unsafe-eval'" || src == "http:" || src == "https:" ||
					(src == "'unsafe-inline'" && name != "style-src") {
					t.Errorf("%s allows %s", name, src)
				}
			}
		}
	}
	if got := cspDirectiveMap(t, cspDefault)["frame-ancestors"]; strings.Join(got, " ") != "'self'" {
		t.Errorf("pages: frame-ancestors %q, want 'self'", got)
	}
	if got, ok := cspDirectiveMap(t, cspEmbed)["frame-ancestors"]; ok {
		t.Errorf("embed page: frame-ancestors %q, want none (any site may frame it)", got)
	}
}

func TestParseBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                               "",
		"https://cnnplay.example.org":    "https://cnnplay.example.org",
		"https://cnnplay.example.org/":   "https://cnnplay.example.org",
		"http://127.0.0.1:8080/cnnplay/": "http://127.0.0.1:8080/cnnplay",
		"https://user.github.io/cnnplay": "https://user.github.io/cnnplay",
		"cnnplay.example.org":            "error",
		"/cnnplay":                       "error",
		"ftp://example.org":              "error",
		"https://example.org/?x=1":       "error",
		"https://example.org/#top":       "error",
		"https://user:pw@example.org":    "error",
		"https://exa mple.org":           "error",
		"javascript:alert(1)":            "error",
	} {
		got, err := parseBaseURL(in)
		if err != nil {
			if want != "error" {
				t.Errorf("parseBaseURL(%q): %v", in, err)
			} else if !strings.Contains(err.Error(), "-base-url") {
				t.Errorf("parseBaseURL(%q): error %q does not name the flag", in, err)
			}
			continue
		}
		if got != want {
			t.Errorf("parseBaseURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCSPStaticExport checks the pages of a static export: the policy as
// a <meta> element first in the head, without frame-ancestors (which a
// <meta> cannot carry), and og:url under the prefix or the base URL, not
// the loopback address the export was rendered on.
func TestCSPStaticExport(t *testing.T) {
	for _, tt := range []struct {
		opts         options
		index, embed string
	}{
		{options{}, "/", "/embed.html"},
		{options{Prefix: "/cnnplay"}, "/cnnplay/", "/cnnplay/embed.html"},
		{options{Prefix: "/cnnplay", BaseURL: "https://user.github.io/cnnplay"}, "https://user.github.io/cnnplay/", "https://user.github.io/cnnplay/embed.html"},
	} {
		dir := t.TempDir()
		tt.opts.Assets = web.Filter(testAssets(wasmBytes("code ")))
		if err := exportStatic(dir, tt.opts, ""); err != nil {
			t.Fatal(err)
		}
		for file, og := range map[string]string{"index.html": tt.index, "embed.html": tt.embed} {
			b, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			page := string(b)
			if !strings.Contains(page, "<head>\n"+charsetTag+"\n"+cspMeta+"\n") {
				t.Errorf("%s: the policy is not the head's second element", file)
			}
			if strings.Count(page, "Content-Security-Policy") != 1 || strings.Contains(cspMeta, "frame-ancestors") {
				t.Errorf("%s: want one policy, without frame-ancestors", file)
			}
			if want := `<meta property="og:url" content="` + og + `">`; !strings.Contains(page, want) {
				t.Errorf("%s: no %s", file, want)
			}
			if strings.Contains(page, "127.0.0.1") {
				t.Errorf("%s names the loopback address it was rendered on", file)
			}
		}
	}
	if !strings.Contains(cspMeta, `content="`+cspEmbed+`"`) {
		t.Errorf("the <meta> policy %s differs from the header's", cspMeta)
	}
}

// TestSetOGURL checks that og:url is replaced in both attribute orders
// (go-app writes a map of attributes, in no fixed order), and escaped.
func TestSetOGURL(t *testing.T) {
	for _, page := range []string{
		`<head><meta property="og:url" content="http:///embed.html"><title>x</title></head>`,
		`<head><meta content="http:///embed.html" property="og:url"><title>x</title></head>`,
	} {
		got := string(setOGURL([]byte(page), `/embed.html?view=draw&theme="dark"`))
		want := `<head><meta property="og:url" content="/embed.html?view=draw&amp;theme=&#34;dark&#34;"><title>x</title></head>`
		if got != want {
			t.Errorf("setOGURL(%s)\n = %s\nwant %s", page, got, want)
		}
	}
}
