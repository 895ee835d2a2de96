//go:build !js

package classroom

import (
	"bytes"
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
		p.files[e.Name()] = page{typ, b}
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
		p.html[name] = page{"text/html; charset=utf-8", buf.Bytes()}
	}
	return p, nil
}

// serve answers a GET of the page or file name.
func (p *pages) serve(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	f, ok := p.html[name]
	cache := "no-cache"
	if !ok {
		if f, ok = p.files[name]; !ok || strings.HasSuffix(name, ".html") {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") != "" {
			cache = "public, max-age=31536000, immutable"
		}
	}
	h := w.Header()
	h.Set("Content-Type", f.typ)
	h.Set("Cache-Control", cache)
	h.Set("Content-Length", strconv.Itoa(len(f.data)))
	// The pages carry no secret (the teacher's data comes through the
	// API with the key) and are never framed.
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(f.data)
	}
}
