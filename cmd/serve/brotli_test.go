package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

func brotlied(b []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, 5)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// TestBrotli checks that a .br file is served, as the encoding of its
// file, only to clients that accept br and only while it holds the file's
// current content; gzip otherwise.
func TestBrotli(t *testing.T) {
	fsys := testAssets(wasmBytes("fresh"))
	fsys["app.wasm.br"] = &fstest.MapFile{Data: brotlied([]byte(wasmBytes("fresh")))}
	fsys["worker.wasm.br"] = &fstest.MapFile{Data: brotlied([]byte("an older worker"))}
	h := newTestHandler(t, fsys)

	for _, tt := range []struct {
		path, accept, coding string
	}{
		{"/web/app.wasm", "gzip, deflate, br, zstd", "br"},
		{"/web/app.wasm", "gzip", "gzip"},
		{"/web/app.wasm", "br;q=0, gzip", "gzip"},
		{"/web/app.wasm", "", ""},
		{"/web/worker.wasm", "gzip, br", "gzip"}, // stale .br
	} {
		res := get(t, h, tt.path, "Accept-Encoding", tt.accept)
		body, _ := io.ReadAll(res.Body)
		if got := res.Header.Get("Content-Encoding"); got != tt.coding {
			t.Errorf("%s with %q: Content-Encoding %q, want %q", tt.path, tt.accept, got, tt.coding)
			continue
		}
		if tt.coding == "br" {
			plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
			if err != nil || string(plain) != wasmBytes("fresh") {
				t.Errorf("%s: the br body does not decode to the file (%v)", tt.path, err)
			}
			if res.Header.Get(wasmLengthHeader) != strconv.Itoa(len(wasmBytes("fresh"))) || !strings.HasSuffix(res.Header.Get("ETag"), `-br"`) {
				t.Errorf("%s: headers %v", tt.path, res.Header)
			}
		}
	}
}

// TestPrecompress writes .br files for the wasm files of a folder and
// leaves fresh ones alone.
func TestPrecompress(t *testing.T) {
	dir := t.TempDir()
	wasm := []byte(wasmBytes("abc"))
	os.WriteFile(filepath.Join(dir, "app.wasm"), wasm, 0o644)
	os.WriteFile(filepath.Join(dir, "worker.wasm"), wasm[:100], 0o644)
	os.WriteFile(filepath.Join(dir, "worker.wasm.br"), brotlied([]byte("stale")), 0o644)
	os.WriteFile(filepath.Join(dir, "style.css"), []byte("body{}"), 0o644)
	if err := precompress(dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{"app.wasm.br": wasm, "worker.wasm.br": wasm[:100]} {
		br, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
		if err != nil || !bytes.Equal(plain, want) {
			t.Errorf("%s does not decode to its file (%v)", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "style.css.br")); err == nil {
		t.Error("style.css.br written: only .wasm files are precompressed")
	}
	// A second run keeps the files.
	info, _ := os.Stat(filepath.Join(dir, "app.wasm.br"))
	if err := precompress(dir); err != nil {
		t.Fatal(err)
	}
	if info2, _ := os.Stat(filepath.Join(dir, "app.wasm.br")); !info2.ModTime().Equal(info.ModTime()) {
		t.Error("a fresh app.wasm.br was written again")
	}
}
