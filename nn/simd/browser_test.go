//go:build !js

package simd

import (
	"encoding/json"
	"maps"
	"slices"
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
	url := browsertest.ServeFiles(t, "SIMD probe", map[string]string{
		"/web/worker.js":      "../../web/worker.js",
		"/web/loader.js":      "../../web/loader.js",
		"/web/worker.wasm":    browsertest.Wasm(t, "nn/simd/probe"),
		"/web/gemm_simd.wasm": "gemm.wasm",
		"/web/wasm_exec.js":   browsertest.WasmExecJS(t),
	})

	b.Navigate(t, url+"/")
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
		LayerMS map[string]float64
		Error   string
	}
	head := browsertest.Eval[string](t, b, `window.probe`)
	if err := json.Unmarshal([]byte(head), &r); err != nil {
		t.Fatalf("probe message %q: %v", head, err)
	}
	if r.Error != "" || r.Kind != "probe" {
		t.Fatalf("probe: %s", head)
	}
	for _, name := range slices.Sorted(maps.Keys(r.Rates)) {
		t.Logf("%-32s %10.1f examples/s", name, r.Rates[name])
	}
	for _, name := range slices.Sorted(maps.Keys(r.LayerMS)) {
		t.Logf("one keras image, %-14s %8.4f ms", name, r.LayerMS[name])
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
