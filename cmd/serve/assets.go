package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Cache-Control values of the assets.
const (
	// cacheImmutable is for URLs that carry the asset's hash (?v=<hash>):
	// the URL changes whenever the content does.
	cacheImmutable = "public, max-age=31536000, immutable"
	// cacheDatasets is for web/data: large and never edited in place.
	cacheDatasets = "public, max-age=86400"
	// cacheRevalidate is for everything else: the browser keeps a copy but
	// asks (with the ETag) before it uses it.
	cacheRevalidate = "no-cache"
)

// wasmLengthHeader carries a .wasm file's uncompressed length, which
// go-app's loader needs for its progress bar when the body is gzipped.
const wasmLengthHeader = "Wasm-Content-Length"

// contentTypes maps the extensions of the assets to their media types; it
// wins over the system's mime table, which differs between machines.
var contentTypes = map[string]string{
	".css":         "text/css; charset=utf-8",
	".gz":          "application/gzip",
	".html":        "text/html; charset=utf-8",
	".ico":         "image/x-icon",
	".js":          "text/javascript; charset=utf-8",
	".json":        "application/json",
	".md":          "text/markdown; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".png":         "image/png",
	".svg":         "image/svg+xml",
	".txt":         "text/plain; charset=utf-8",
	".wasm":        "application/wasm",
	".webmanifest": "application/manifest+json",
	".xml":         "application/xml",
}

// compressible lists the extensions worth gzipping (models, .cnn: 7%).
// Datasets (.gz) and images are already compressed.
var compressible = map[string]bool{
	".cnn": true, ".css": true, ".html": true, ".js": true, ".json": true, ".md": true,
	".mjs": true, ".svg": true, ".txt": true, ".wasm": true, ".xml": true,
	".webmanifest": true,
}

func contentType(name string) string {
	ext := path.Ext(name)
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// asset is one file of the store and what was derived from it: its hash
// and, for compressible types, its gzipped bytes. Both are computed on
// first use and then kept.
type asset struct {
	name    string
	size    int64
	modTime time.Time

	once sync.Once
	hash string // hex SHA-256 prefix of the content
	gz   []byte // gzipped content, nil when not worth it
	br   []byte // the brotli file beside it (name.br), when it holds this content
	err  error
}

// assetStore serves the files of fsys. It keeps one asset per name and,
// when the file on disk changes (dev mode), builds a new one.
type assetStore struct {
	fsys fs.FS

	mu     sync.Mutex
	assets map[string]*asset
}

func newAssetStore(fsys fs.FS) *assetStore {
	return &assetStore{fsys: fsys, assets: make(map[string]*asset)}
}

// errNotAsset is returned for names that are not files of the store.
var errNotAsset = errors.New("not an asset")

// get returns the asset with the given slash-separated name, relative to
// the web directory, with its hash and compressed form computed.
func (s *assetStore) get(name string) (*asset, error) {
	if !fs.ValidPath(name) || name == "." {
		return nil, errNotAsset
	}
	info, err := fs.Stat(s.fsys, name)
	if err != nil || !info.Mode().IsRegular() {
		return nil, errNotAsset
	}
	s.mu.Lock()
	a := s.assets[name]
	if a == nil || a.size != info.Size() || !a.modTime.Equal(info.ModTime()) {
		a = &asset{name: name, size: info.Size(), modTime: info.ModTime()}
		s.assets[name] = a
	}
	s.mu.Unlock()
	a.once.Do(func() { a.err = a.load(s.fsys) })
	if a.err != nil {
		return nil, a.err
	}
	return a, nil
}

// hashOf returns the hash of the named asset, or "" when it does not exist.
func (s *assetStore) hashOf(name string) string {
	a, err := s.get(name)
	if err != nil {
		return ""
	}
	return a.hash
}

// gzCache shares compressed bytes between stores by content hash, so that
// tests (and dev-mode reloads) do not compress the same wasm again.
var gzCache sync.Map // full hex SHA-256 -> []byte (nil: not worth it)

func (a *asset) load(fsys fs.FS) error {
	f, err := fsys.Open(a.name)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	var content []byte
	if compressible[path.Ext(a.name)] {
		content, err = io.ReadAll(io.TeeReader(f, h))
	} else {
		_, err = io.Copy(h, f)
	}
	if err != nil {
		return err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	a.hash = sum[:20]
	if content == nil {
		return nil
	}
	a.br = loadBrotli(fsys, a.name+".br", sum)
	if gz, ok := gzCache.Load(sum); ok {
		a.gz = gz.([]byte)
		return nil
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(content)
	if err := zw.Close(); err != nil {
		return err
	}
	// Keep the compressed form only when it saves something worth the
	// client's decompression time.
	if buf.Len() < len(content)*9/10 {
		a.gz = buf.Bytes()
	}
	gzCache.Store(sum, a.gz)
	return nil
}

// serve writes the named asset: gzipped when it is compressible and the
// client accepts gzip, with Content-Length, ETag, Vary and Cache-Control.
// Conditional and range requests are answered by http.ServeContent.
func (s *assetStore) serve(w http.ResponseWriter, r *http.Request, name string) {
	a, err := s.get(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", contentType(name))
	hdr.Set("Cache-Control", cacheControl(name, a.hash, r))
	if path.Ext(name) == ".wasm" {
		hdr.Set(wasmLengthHeader, strconv.FormatInt(a.size, 10))
	}
	if compressible[path.Ext(name)] {
		hdr.Add("Vary", "Accept-Encoding")
	}

	coding, body := "", []byte(nil)
	switch ae := r.Header.Get("Accept-Encoding"); {
	case a.br != nil && accepts(ae, "br"):
		coding, body = "br", a.br
	case a.gz != nil && acceptsGzip(ae):
		coding, body = "gzip", a.gz
	}
	if body != nil {
		hdr.Set("Content-Encoding", coding)
		hdr.Set("ETag", `"`+a.hash+`-`+map[string]string{"gzip": "gz", "br": "br"}[coding]+`"`)
		// http.ServeContent leaves Content-Length out when the response
		// has a Content-Encoding, unless it answers a range. Ranges of
		// the compressed form are of little use, so answer them in full
		// and set the length here; a 304 drops it again.
		hdr.Set("Content-Length", strconv.Itoa(len(body)))
		r2 := *r
		r2.Header = r.Header.Clone()
		r2.Header.Del("Range")
		http.ServeContent(w, &r2, "", time.Time{}, bytes.NewReader(body))
		return
	}
	f, err := s.fsys.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		b, err := io.ReadAll(f)
		if err != nil {
			http.Error(w, "reading asset failed", http.StatusInternalServerError)
			return
		}
		rs = bytes.NewReader(b)
	}
	hdr.Set("ETag", `"`+a.hash+`"`)
	http.ServeContent(w, r, "", time.Time{}, rs)
}

// cacheControl picks the Cache-Control of an asset response.
func cacheControl(name, hash string, r *http.Request) string {
	if v := r.URL.Query().Get("v"); v != "" && v == hash {
		return cacheImmutable
	}
	if strings.HasPrefix(name, "data/") {
		return cacheDatasets
	}
	return cacheRevalidate
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip: it
// names gzip (or *) without q=0.
func acceptsGzip(header string) bool { return accepts(header, "gzip") }

// accepts reports whether an Accept-Encoding header allows the content
// coding (gzip or br): it names it (or *) without q=0.
func accepts(header, want string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch c := strings.ToLower(strings.TrimSpace(coding)); {
		case c == want, want == "gzip" && c == "x-gzip":
			gzipQ = q
		case c == "*":
			starQ = q
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}
