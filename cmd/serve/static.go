package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	ui "github.com/cnnplay/cnnplay/app"
	"github.com/cnnplay/cnnplay/web"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// exportStatic writes the whole site into dir as plain files that any
// static host serves with no Go server: the pre-rendered pages (index.html,
// embed.html), go-app's app.js, app.css, manifest and service worker, this
// toolchain's wasm_exec.js, every asset under web/, and the files of
// docsDir (such as docs/example.html) at the top, when docsDir is not "".
//
// The pages name app.wasm and style.css with their hash as a query
// (?v=...), which a static host ignores and browsers use to tell versions
// apart. Hosts that compress (GitHub Pages, Netlify, most CDNs) gzip the
// wasm; a plain file server sends it whole.
func exportStatic(dir string, opts options, docsDir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
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
	// go-app names the extensionless route /embed embed.html too; nothing
	// else to tidy.
	err := fs.WalkDir(opts.Assets, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, "web", filepath.FromSlash(name))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		return copyFile(opts.Assets, name, dst)
	})
	if err != nil {
		return fmt.Errorf("copying web assets: %w", err)
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

// copyFile copies the named file of fsys to the path dst.
func copyFile(fsys fs.FS, name, dst string) error {
	in, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
