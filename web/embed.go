// Package web embeds cnnplay's static assets so that one server binary
// serves everything: the style sheet, icons, the generated WebAssembly
// programs (app.wasm, worker.wasm) and wasm_exec.js, the pretrained models
// (models/) and the datasets (data/, gzipped IDX files).
//
// The generated files are not committed: `make build` writes them into this
// directory before the server is compiled. On a fresh clone the package
// still compiles (the embed pattern always matches the committed files);
// HasAppWasm then reports false.
package web

import (
	"embed"
	"io/fs"
	"path"
	"strings"
)

// The single "*" pattern always matches (this file at least), so the build
// never fails on the files that only `make build` creates. The Go sources
// it also picks up are hidden by Assets.
//
//go:embed *
var embedded embed.FS

// Names of the generated assets.
const (
	AppWasm    = "app.wasm"
	WorkerWasm = "worker.wasm"
	WasmExecJS = "wasm_exec.js"
)

// Assets returns the embedded assets, rooted at the web directory: for
// example "style.css", "app.wasm" and "data/train-images-idx3-ubyte.gz".
func Assets() fs.FS {
	return Filter(embedded)
}

// HasAppWasm reports whether app.wasm was built before this binary was
// compiled.
func HasAppWasm() bool {
	_, err := fs.Stat(embedded, AppWasm)
	return err == nil
}

// Filter returns fsys without the files that are not assets: Go sources
// and files or directories whose names start with "." or "_". The server
// uses it both on the embedded files and on a web directory on disk.
func Filter(fsys fs.FS) fs.FS {
	return filtered{fsys}
}

// Hidden reports whether the slash-separated name is not an asset.
func Hidden(name string) bool {
	if name == "." {
		return false
	}
	for _, elem := range strings.Split(name, "/") {
		if strings.HasPrefix(elem, ".") || strings.HasPrefix(elem, "_") {
			return true
		}
	}
	return path.Ext(name) == ".go"
}

type filtered struct{ fsys fs.FS }

func (f filtered) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) || Hidden(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	file, err := f.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	if dir, ok := file.(fs.ReadDirFile); ok {
		return filteredDir{dir}, nil
	}
	return file, nil
}

type filteredDir struct{ fs.ReadDirFile }

func (d filteredDir) ReadDir(n int) ([]fs.DirEntry, error) {
	for {
		entries, err := d.ReadDirFile.ReadDir(n)
		kept := entries[:0]
		for _, e := range entries {
			if !Hidden(e.Name()) {
				kept = append(kept, e)
			}
		}
		// With n > 0 an empty batch means end of directory to the caller;
		// read on while the whole batch was hidden.
		if len(kept) > 0 || err != nil || n <= 0 || len(entries) == 0 {
			return kept, err
		}
	}
}
