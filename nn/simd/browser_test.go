//go:build !js

package simd

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// TestBrowserWorkerSIMD serves web/worker.js with the probe program in place
// of worker.wasm and gemm.wasm as gemm_simd.wasm, and checks in headless
// Chromium that the loader installs the SIMD128 kernel, that it computes
// what the portable kernel does, and logs the speed of both.
func TestBrowserWorkerSIMD(t *testing.T) {
	b := browsertest.Start(t)
	dir := t.TempDir()
	wasm := filepath.Join(dir, "probe.wasm")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s", "-o", wasm, "./probe")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the probe: %v\n%s", err, out)
	}
	files := map[string]string{
		"/web/worker.js":      "../../web/worker.js",
		"/web/worker.wasm":    wasm,
		"/web/gemm_simd.wasm": "gemm.wasm",
		"/web/wasm_exec.js":   filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!doctype html><title>SIMD probe</title>"))
			return
		}
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(f, ".wasm") {
			w.Header().Set("Content-Type", "application/wasm")
		}
		http.ServeFile(w, r, f)
	}))
	defer srv.Close()

	b.Navigate(t, srv.URL+"/")
	browsertest.Eval[any](t, b, `(() => {
		const w = new Worker('/web/worker.js');
		// The probe's report comes first; worker.js then reports that the
		// program stopped, which is expected here.
		w.onmessage = (e) => { window.probe ??= e.data.head; };
		w.onerror = (e) => { window.probe ??= JSON.stringify({error: String(e.message)}); };
	})(), null`)
	b.WaitFor(t, `window.probe !== undefined`, 120*time.Second)
	var r struct {
		Kind    string
		SIMD    bool
		FMA     bool
		MaxDiff float64
		Rates   map[string]float64
		Error   string
	}
	head := browsertest.Eval[string](t, b, `window.probe`)
	if err := json.Unmarshal([]byte(head), &r); err != nil {
		t.Fatalf("probe message %q: %v", head, err)
	}
	if r.Error != "" || r.Kind != "probe" {
		t.Fatalf("probe: %s", head)
	}
	names := make([]string, 0, len(r.Rates))
	for name := range r.Rates {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Logf("%-32s %10.1f examples/s", name, r.Rates[name])
	}
	if !r.SIMD {
		t.Fatal("web/worker.js did not install the SIMD128 kernel in Chromium")
	}
	// Chromium has had relaxed SIMD since version 114
	if !r.FMA {
		t.Error("nn did not install the fused (relaxed SIMD) kernel in Chromium")
	}
	if r.MaxDiff > 1e-4 {
		t.Errorf("SIMD and portable outputs differ by up to %g", r.MaxDiff)
	}
	t.Logf("max output difference between the kernels %g", r.MaxDiff)
}
