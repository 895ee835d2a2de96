//go:build !js

package classroom

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// pages serves the two pages and their scripts and styles from the files
// of Config.Pages. The pages are html/template files whose {{asset
// "name"}} calls give a file's URL with its hash, so a browser caches a
// file for good and fetches it again once it changes.
type pages struct {
	files map[string]page // by name: the scripts and styles
	html  map[string]page // join.html, teacher.html, rendered
}

type page struct {
	typ  string
	data []byte
	gz   []byte // data gzipped, when that is smaller
}

// withGzip returns p with its gzipped copy: a phone on school wifi then
// downloads a third of the bytes.
func withGzip(p page) page {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(p.data)
	zw.Close()
	if buf.Len() < len(p.data) {
		p.gz = buf.Bytes()
	}
	return p
}

// assetTypes are the files the pages may use, by extension.
var assetTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
}

func newPages(fsys fs.FS) (*pages, error) {
	if fsys == nil {
		return nil, fmt.Errorf("classroom: no page files")
	}
	p := &pages{files: map[string]page{}, html: map[string]page{}}
	hashes := map[string]string{}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("classroom: page files: %w", err)
	}
	for _, e := range entries {
		typ := assetTypes[path.Ext(e.Name())]
		if e.IsDir() || typ == "" {
			continue
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("classroom: page files: %w", err)
		}
		sum := sha256.Sum256(b)
		hashes[e.Name()] = hex.EncodeToString(sum[:8])
		p.files[e.Name()] = withGzip(page{typ: typ, data: b})
	}
	funcs := template.FuncMap{"asset": func(name string) (string, error) {
		h, ok := hashes[name]
		if !ok {
			return "", fmt.Errorf("no page file %q", name)
		}
		return pathStatic + name + "?v=" + h, nil
	}}
	for _, name := range []string{"join.html", "teacher.html"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("classroom: %w", err)
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, nil); err != nil {
			return nil, fmt.Errorf("classroom: %w", err)
		}
		p.html[name] = withGzip(page{typ: "text/html; charset=utf-8", data: buf.Bytes()})
	}
	return p, nil
}

// servePage answers a GET of the page name (join.html, teacher.html),
// which browsers check again at every visit.
func (p *pages) servePage(w http.ResponseWriter, r *http.Request, name string) {
	p.serve(w, r, p.html[name], "no-cache")
}

// serveFile answers a GET of a script, style or picture of the pages; one
// asked for with its hash (the pages name them so) is cached for good.
func (p *pages) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	f, ok := p.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	cache := "no-cache"
	if r.URL.Query().Get("v") != "" {
		cache = "public, max-age=31536000, immutable"
	}
	p.serve(w, r, f, cache)
}

func (p *pages) serve(w http.ResponseWriter, r *http.Request, f page, cache string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.typ)
	h.Set("Cache-Control", cache)
	body := f.data
	if f.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			h.Set("Content-Encoding", "gzip")
			body = f.gz
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	// The pages carry no secret (the teacher's data comes through the
	// API with the key) and are never framed.
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(body)
	}
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip (and
// does not refuse it with q=0).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) != "gzip" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
