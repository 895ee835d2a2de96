package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// joinPlanes is web/loader.js's joinPlanes in Go: it undoes splitPlanes.
func joinPlanes(b []byte, k int) []byte {
	out := slices.Clone(b)
	m := (len(b) - k) / 4
	for p := range 4 {
		for i := range m {
			out[k+4*i+p] = b[k+p*m+i]
		}
	}
	return out
}

func TestSplitPlanes(t *testing.T) {
	b := []byte("hdr" + "abcdABCD0123" + "xy")
	got := splitPlanes(b, 3)
	if want := "hdr" + "aA0bB1cC2dD3" + "xy"; string(got) != want {
		t.Errorf("splitPlanes = %q, want %q", got, want)
	}
	for k := range 4 {
		for n := range 12 {
			if in := b[:n+k%len(b)]; !bytes.Equal(joinPlanes(splitPlanes(in, k%(len(in)+1)), k%(len(in)+1)), in) {
				t.Errorf("round trip of %q from %d failed", in, k)
			}
		}
	}
}

// modelLike is a header and float32 weights, as a .cnn file is.
func modelLike(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	b := []byte("CNNPLAY\x00" + `{"spec":"like a model"}`)
	for range n {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(rng.NormFloat64()*0.05)))
	}
	return b
}

// TestWriteGzipped checks which files get a gzipped copy, that each copy
// gives the file back (through joinPlanes for a model), and that a model's
// split copy is smaller than its plain gzip.
func TestWriteGzipped(t *testing.T) {
	model := modelLike(40000)
	noise := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	assets := fstest.MapFS{
		"app.wasm":          {Data: []byte(wasmBytes(strings.Repeat("code ", 10)))},
		"models/digits.cnn": {Data: model},
		"small.js":          {Data: []byte(strings.Repeat("x", 1000))},
		"data/t10k.gz":      {Data: gzipped(bytes.Repeat([]byte("idx"), 20000))},
		"noise.bin":         {Data: noise},
	}
	dir := t.TempDir()
	gz, err := writeGzipped(assets, dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range gz {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"app.wasm", "models/digits.cnn"}; !slices.Equal(names, want) {
		t.Fatalf("gzipped %q, want %q", names, want)
	}
	if gz["app.wasm"].Planes != -1 || gz["models/digits.cnn"].Planes < 0 {
		t.Errorf("planes: %+v", gz)
	}
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)+".gz"))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if k := gz[name].Planes; k >= 0 {
			got = joinPlanes(got, k)
		}
		if !bytes.Equal(got, assets[name].Data) || gz[name].Size != int64(len(got)) {
			t.Errorf("%s.gz does not give the file back", name)
		}
	}
	plain, _ := gzipBytes(model)
	info, _ := os.Stat(filepath.Join(dir, "models", "digits.cnn.gz"))
	t.Logf("model-like file: %d bytes, gzip %d, split into planes %d", len(model), plain.Len(), info.Size())
	if info.Size() >= int64(plain.Len()) {
		t.Errorf("the split model's copy (%d bytes) is no smaller than its plain gzip (%d)", info.Size(), plain.Len())
	}
}

func TestSetLoaderTable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "loader.js")
	os.WriteFile(file, []byte("(() => {\n  "+loaderMarker+"\n  use(gzipped);\n})();\n"), 0o644)
	gz := map[string]gzipEntry{"app.wasm": {Size: 10, Planes: -1}, "models/digits.cnn": {Size: 20, Planes: 1}}
	if err := setLoaderTable(file, gz); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	line := strings.Split(string(b), "\n")[1]
	js, ok := strings.CutPrefix(line, "  const gzipped = ")
	js, ok2 := strings.CutSuffix(js, "; // cnnplay:gzipped")
	var got map[string]gzipEntry
	if !ok || !ok2 || json.Unmarshal([]byte(js), &got) != nil || got["models/digits.cnn"] != gz["models/digits.cnn"] || len(got) != 2 {
		t.Errorf("loader.js line %q", line)
	}
	os.WriteFile(file, []byte("const gzipped = {};\n"), 0o644)
	if err := setLoaderTable(file, gz); err == nil {
		t.Error("a loader without the marker line took the table")
	}
}

// TestServiceWorkerGzipped checks that the service worker of a static
// export precaches the gzipped copies, under the export's prefix, and that
// of cmd/serve none.
func TestServiceWorkerGzipped(t *testing.T) {
	sw := serviceWorkerTemplate("/cnnplay", map[string]gzipEntry{"app.wasm": {Size: 1, Planes: -1}, "models/digits.cnn": {Size: 1, Planes: 2}})
	if want := `const gzipped = ["/cnnplay/web/app.wasm","/cnnplay/web/models/digits.cnn"];`; !strings.Contains(sw, want) {
		t.Errorf("service worker: no %s", want)
	}
	if sw := serviceWorkerTemplate("", nil); !strings.Contains(sw, "const gzipped = [];") || strings.Contains(sw, gzippedMarker) {
		t.Error("cmd/serve's service worker lists gzipped copies")
	}
}
