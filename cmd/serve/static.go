package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"

	ui "github.com/cnnplay/cnnplay/app"
	"github.com/cnnplay/cnnplay/internal/atomicfile"
	"github.com/cnnplay/cnnplay/web"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// exportStatic writes the whole site into dir as plain files that any
// static host serves with no Go server: the pre-rendered pages (index.html,
// embed.html), go-app's app.js, app.css, manifest and service worker, this
// toolchain's wasm_exec.js, every asset under web/, and the files of
// docsDir (such as docs/example.html) at the top, when docsDir is not "".
//
// The pages carry the server's Content-Security-Policy as a <meta> element
// and name their own URL (og:url) under opts.BaseURL, or relative to the
// host when it is empty.
//
// The pages name app.wasm and style.css with their hash as a query
// (?v=...), which a static host ignores and browsers use to tell versions
// apart.
//
// The large files under web/ (the wasm programs, the models) get a gzipped
// copy beside them, name.gz, which the pages' loader (web/loader.js)
// fetches and unzips in the browser, so that even a host that compresses
// nothing sends a quarter of app.wasm. The export rewrites the loader's
// table of those files. The brotli files of `make compress` (name.br) are
// for cmd/serve and are left out: browsers cannot unzip brotli by
// themselves (DecompressionStream lacks it in Chromium 156).
func exportStatic(dir string, opts options, docsDir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	gz, err := writeGzipped(opts.Assets, filepath.Join(dir, "web"))
	if err != nil {
		return fmt.Errorf("gzipped copies: %w", err)
	}
	opts.Gzipped = gz
	s := newHandler(opts).(*server)
	if err := app.GenerateStaticWebsite(dir, s.goapp, ui.PathEmbed); err != nil {
		return fmt.Errorf("generating pages: %w", err)
	}
	// go-app wrote its own copy of wasm_exec.js; the wasm needs the one of
	// the toolchain that built it.
	if _, err := fs.Stat(opts.Assets, web.WasmExecJS); err == nil {
		if err := copyFile(opts.Assets, web.WasmExecJS, filepath.Join(dir, web.WasmExecJS)); err != nil {
			return err
		}
	}
	// go-app names the extensionless route /embed embed.html too, so these
	// are all the pages.
	base := opts.BaseURL
	if base == "" {
		base = opts.Prefix
	}
	for file, route := range map[string]string{"index.html": "/", ui.PathEmbed[1:]: ui.PathEmbed} {
		if err := amendStaticPage(filepath.Join(dir, file), ogURL(base, route, "")); err != nil {
			return err
		}
	}
	err = fs.WalkDir(opts.Assets, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, "web", filepath.FromSlash(name))
		switch {
		case d.IsDir():
			return os.MkdirAll(dst, 0o755)
		case path.Ext(name) == ".br":
			return nil
		}
		return copyFile(opts.Assets, name, dst)
	})
	if err != nil {
		return fmt.Errorf("copying web assets: %w", err)
	}
	if err := setLoaderTable(filepath.Join(dir, "web", loaderJS), gz); err != nil {
		return err
	}
	if docsDir == "" {
		return nil
	}
	docs := os.DirFS(docsDir)
	entries, err := fs.ReadDir(docs, ".")
	if err != nil {
		return fmt.Errorf("docs: %w", err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() && !web.Hidden(e.Name()) {
			if err := copyFile(docs, e.Name(), filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// charsetTag is the first element of go-app's pages.
const charsetTag = `<meta charset="UTF-8">`

// amendStaticPage rewrites the exported page file: its og:url, which
// go-app made from the export's loopback address, becomes u, and the
// Content-Security-Policy the server sends as a header goes in as a <meta>
// element at the top of the head, before anything it governs (see cspMeta
// for what a <meta> policy cannot do).
func amendStaticPage(file, u string) error {
	page, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	i := bytes.Index(page, []byte(charsetTag))
	if i < 0 {
		return fmt.Errorf("%s: no %s to put the Content-Security-Policy after", file, charsetTag)
	}
	i += len(charsetTag)
	page = slices.Concat(page[:i], []byte("\n"+cspMeta), page[i:])
	return atomicfile.Write(file, 0o644, func(w io.Writer) error {
		_, err := w.Write(setOGURL(page, u))
		return err
	})
}

// copyFile copies the named file of fsys to the path dst, atomically: an
// export that fails half-way leaves no truncated file in a served folder.
func copyFile(fsys fs.FS, name, dst string) error {
	in, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(dst, 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
