package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"

	ui "github.com/cnnplay/cnnplay/app"
	"github.com/cnnplay/cnnplay/web"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// options configure the handler.
type options struct {
	// Assets holds the web directory: web.Assets() or, in dev mode, the
	// directory on disk.
	Assets fs.FS
	// Dev rebuilds the go-app handler when the versioned assets change on
	// disk, so a rebuilt app.wasm is picked up without a restart.
	Dev bool
	// Prefix is the path a static export will be served under, such as
	// /cnnplay for a GitHub project page; "" for a site's root. The pages
	// then name every resource under it. Only for exportStatic: the
	// server itself always serves at the root.
	Prefix string
	// BaseURL is the site's public address, such as
	// https://cnnplay.example.org (with the Prefix of a static export, if
	// any): the pages name their own URL (og:url) under it. Empty, they
	// name it relative to the site.
	BaseURL string
	// Gzipped names the files of Assets that a static export wrote a .gz
	// copy of (see writeGzipped): web/loader.js fetches those copies, so
	// the service worker precaches them instead of the files.
	Gzipped map[string]gzipEntry
}

// versionedAssets are the files whose content makes up the app's Version.
var versionedAssets = []string{web.AppWasm, web.WorkerWasm, web.WasmExecJS, "style.css", loaderJS}

// loaderJS is the script that fetches the gzipped copies of a static
// export's large files (see web/loader.js).
const loaderJS = "loader.js"

// server routes the requests: /web/... and wasm_exec.js to the asset store,
// the pages to go-app.
type server struct {
	assets  *assetStore
	dev     bool
	prefix  string // see options.Prefix
	baseURL string // see options.BaseURL
	gzipped map[string]gzipEntry

	mu      sync.Mutex
	version string
	goapp   *app.Handler
}

// newHandler returns cnnplay's HTTP handler: the go-app pages (see
// ui.Routes), the assets of opts.Assets under /web/, and 404 for anything
// else, including any path with dot segments or encoded separators. Every
// response, whatever its status, carries the Content-Security-Policy and
// nosniff (see setSecurityHeaders).
func newHandler(opts options) http.Handler {
	ui.Routes()
	s := &server{assets: newAssetStore(opts.Assets), dev: opts.Dev, prefix: opts.Prefix, baseURL: opts.BaseURL, gzipped: opts.Gzipped}
	s.refresh()
	return s
}

// Version returns the app version the pages currently announce.
func (s *server) Version() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version
}

// refresh recomputes the version and, when it changed, builds a new go-app
// handler (go-app fixes its version when first used).
func (s *server) refresh() *app.Handler {
	h := sha256.New()
	for _, name := range versionedAssets {
		h.Write([]byte(name + "=" + s.assets.hashOf(name) + "\n"))
	}
	version := hex.EncodeToString(h.Sum(nil))[:20]

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.goapp != nil && version == s.version {
		return s.goapp
	}
	s.version = version
	s.goapp = s.newGoApp(version)
	return s.goapp
}

// versioned returns the URL of a /web/ asset with its hash as the v query
// parameter, which the asset store answers as immutable.
func (s *server) versioned(name string) string {
	u := "/web/" + name
	if h := s.assets.hashOf(name); h != "" {
		u += "?v=" + h
	}
	return u
}

func (s *server) newGoApp(version string) *app.Handler {
	return &app.Handler{
		Name:        "cnnplay",
		ShortName:   "cnnplay",
		Title:       "cnnplay — a CNN playground in your browser",
		Description: "Draw digits and train a small convolutional neural network on MNIST, in the browser, in Go and WebAssembly.",
		Keywords:    []string{"CNN", "MNIST", "neural network", "WebAssembly", "Go"},
		Icon: app.Icon{
			Default:    "/web/icon-192.png",
			Large:      "/web/icon-512.png",
			SVG:        "/web/icon.svg",
			AppleTouch: "/web/icon-192.png",
		},
		BackgroundColor: "#f5f6f8",
		ThemeColor:      "#1f2937",
		LoadingLabel:    "Loading cnnplay… {progress}%",
		Styles:          []string{s.versioned("style.css")},
		// Not deferred: it must run before go-app's app.js fetches
		// app.wasm.
		Scripts:   []string{s.versioned(loaderJS)},
		Resources: resources{prefix: s.prefix, appWasm: s.versioned(web.AppWasm)},
		// The service worker caches these too, so the views work offline
		// once the page has loaded (see offline.go).
		CacheableResources:      precacheAssets(s.assets.fsys, s.pageURL, s.prefix),
		ServiceWorkerTemplate:   serviceWorkerTemplate(s.prefix, s.gzipped),
		Version:                 version,
		WasmContentLengthHeader: wasmLengthHeader,
	}
}

// pageURL returns the URL the pages and the worker request an asset by:
// versioned for the assets the page shell names, plain for the others.
func (s *server) pageURL(name string) string {
	if name == web.AppWasm || name == "style.css" || name == loaderJS {
		return s.versioned(name)
	}
	return "/web/" + name
}

// resources is the go-app resource provider for assets this server serves
// itself: everything lives under /web/ at the site root, and app.wasm is
// addressed with its hash so browsers may cache it for good. It is not an
// http.Handler, so go-app leaves /web/ to us.
type resources struct{ prefix, appWasm string }

func (r resources) Package() string { return r.prefix }
func (r resources) Static() string  { return r.prefix }
func (r resources) AppWASM() string { return r.prefix + r.appWasm }

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header(), r.URL.Path)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !cleanPath(r) {
		http.NotFound(w, r)
		return
	}
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/web/"):
		s.assets.serve(w, r, strings.TrimPrefix(p, "/web/"))
		return
	case p == "/app.wasm" || p == "/goapp.wasm":
		s.assets.serve(w, r, web.AppWasm)
		return
	case p == "/wasm_exec.js":
		// The copy from this Go toolchain, which matches app.wasm; go-app's
		// own copy only when none was built.
		if _, err := s.assets.get(web.WasmExecJS); err == nil {
			s.assets.serve(w, r, web.WasmExecJS)
			return
		}
	case p == "/robots.txt" || p == "/sitemap.xml" || p == "/ads.txt":
		// go-app would fetch these from this very server over HTTP.
		s.assets.serve(w, r, strings.TrimPrefix(p, "/"))
		return
	}

	var h *app.Handler
	if s.dev {
		h = s.refresh()
	} else {
		s.mu.Lock()
		h = s.goapp
		s.mu.Unlock()
	}
	s.serveGoApp(w, r, h)
}

// serveGoApp answers r with go-app's handler h, amending what it writes:
//
//   - go-app answers 304 to any path, even one it has no page for, when
//     If-None-Match names its version, and sends its ETag with a 404; the
//     condition is checked here instead, on its 200 responses only;
//   - go-app writes og:url from the request's Host header; the pages get
//     one made from the configured base URL (or a relative one) instead.
func (s *server) serveGoApp(w http.ResponseWriter, r *http.Request, h *app.Handler) {
	r2 := r.Clone(r.Context())
	r2.Header.Del("If-None-Match")
	// go-app pastes Host and the query into og:url unescaped; neither
	// changes what it renders otherwise.
	r2.Host = ""
	r2.URL.RawQuery = ""
	res := &bufferedResponse{header: make(http.Header)}
	h.ServeHTTP(res, r2)

	switch res.status {
	case http.StatusOK, 0: // 0: nothing written, which net/http sends as 200
	case http.StatusNotFound: // a path with no page
		http.NotFound(w, r)
		return
	default:
		http.Error(w, http.StatusText(res.status), res.status)
		return
	}
	hdr := w.Header()
	for k, v := range res.header {
		if k != "Content-Length" {
			hdr[k] = v
		}
	}
	body := res.body
	if strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		hdr.Set("Content-Type", "text/html; charset=utf-8")
		body = setOGURL(body, ogURL(s.baseURL, r.URL.Path, r.URL.RawQuery))
	}
	if etagMatches(r.Header.Get("If-None-Match"), hdr.Get("ETag")) {
		hdr.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// cleanPath reports whether the request path is in canonical form: no
// percent-encoding that decoding would change (such as %2F or %2e), no
// empty, "." or ".." segments, no backslashes or NULs.
func cleanPath(r *http.Request) bool {
	if r.URL.RawPath != "" && r.URL.RawPath != r.URL.Path {
		return false
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return false
	}
	if p == "/" {
		return true
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	// Also look at the raw request line: http.Server passes it as it came.
	raw := strings.ToLower(r.RequestURI)
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		raw = raw[:i]
	}
	for _, bad := range []string{"%2e", "%2f", "%5c", "%00"} {
		if strings.Contains(raw, bad) {
			return false
		}
	}
	return true
}
