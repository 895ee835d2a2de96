//go:build !js

package browsertest

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// TestWasm builds a program once and checks that the file is WebAssembly
// in the test binary's own directory.
func TestWasm(t *testing.T) {
	p := Wasm(t, "internal/browsertest/testdata/hello")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\x00asm")) {
		t.Errorf("%s does not start with the WebAssembly magic number", p)
	}
	if filepath.Dir(filepath.Dir(p)) != built.dir {
		t.Errorf("built %s outside the test binary's directory %s", p, built.dir)
	}
	os.Remove(p)
	if q := Wasm(t, "internal/browsertest/testdata/hello"); q != p {
		t.Errorf("the second Wasm gave %s, the first %s", q, p)
	}
	if _, err := os.Stat(p); err == nil {
		t.Error("the second Wasm built the program again")
	}
}

func TestWasmExecJS(t *testing.T) {
	b, err := os.ReadFile(WasmExecJS(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("globalThis.Go = class")) {
		t.Error("wasm_exec.js defines no Go class")
	}
}

func TestGenerated(t *testing.T) {
	for name, want := range map[string]bool{
		"app.wasm":                        true,
		"worker.wasm":                     true,
		"convert.wasm":                    true,
		"wasm_exec.js":                    true,
		"gemm_simd.wasm":                  true,
		"app.wasm.br":                     true,
		"data/train-images-idx3-ubyte.gz": true,
		"data/README.md":                  false,
		"worker.js":                       false,
		"style.css":                       false,
		"models/digits.cnn":               false,
		"models/app.wasm":                 false,
	} {
		if got := generated(name); got != want {
			t.Errorf("generated(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestCopyTree copies a small tree and checks what was left out.
func TestCopyTree(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "web")
	for name, body := range map[string]string{
		"style.css": "body{}", "app.wasm": "old", "data/README.md": "r", "data/x.gz": "x", "models/m.cnn": "m",
	} {
		p := filepath.Join(src, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := copyTree(dst, src, generated); err != nil {
		t.Fatal(err)
	}
	var got []string
	filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dst, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	slices.Sort(got)
	if want := []string{"data/README.md", "models/m.cnn", "style.css"}; !slices.Equal(got, want) {
		t.Errorf("copied %q, want %q", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dst, "models", "m.cnn")); string(b) != "m" {
		t.Errorf("models/m.cnn holds %q", b)
	}
}
