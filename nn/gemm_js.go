//go:build js && wasm

package nn

// In the browser (and in node), gemm can run its inner loops in a small
// WebAssembly SIMD128 module, nn/simd/gemm.wasm, written by hand in
// nn/simd/gemm.wat: Go's compiler emits no SIMD for wasm. The host that
// starts the Go program (web/worker.js; nn/simd/node_runner.js for tests and
// benchmarks) instantiates the module with the Go instance's exported memory
// and sets its gemm export as the global function cnnplaySIMD. Where the
// host did not (an engine without SIMD, go test without -exec, or
// CNNPLAY_SIMD=0 in the environment), gemm keeps the portable kernel.
//
// The module works on Go slices in place: a Go pointer under wasm is a byte
// offset into linear memory, and the module imports the same
// WebAssembly.Memory, so memory growth is shared. One call adds a whole
// packed kc-deep block, so its cost (tens of nanoseconds) is spread over
// the block's m·n·kc multiply-adds.

import (
	"os"
	"runtime"
	"syscall/js"
	"unsafe"
)

// simdGemm is the module's gemm export, if the host installed it.
var simdGemm js.Value

// simdTile is the module's scratch for tiles overhanging C. The call is
// synchronous and no Go code runs during it, so one buffer serves all
// goroutines.
var simdTile [simdMR * simdNR]float32

// The module's register tile: 4 rows by 8 columns.
const simdMR, simdNR = 4, 8

// simdKernel is the SIMD128 kernel, as a whole-block kernel for gemm.
var simdKernel = microKernel{mr: simdMR, nr: simdNR, block: simdBlock}

func init() {
	if os.Getenv("CNNPLAY_SIMD") == "0" {
		return
	}
	f := js.Global().Get("cnnplaySIMD")
	if f.Type() != js.TypeFunction {
		return
	}
	simdGemm = f
	kernel = simdKernel
}

// WasmSIMD reports whether gemm uses the WebAssembly SIMD128 kernel.
func WasmSIMD() bool { return kernel.block != nil }

// SetWasmSIMD switches gemm to the SIMD128 kernel (if the host installed
// it) or back to the portable one, for comparisons, and reports whether the
// SIMD kernel is now in use. Products already running keep their kernel.
func SetWasmSIMD(on bool) bool {
	if on && simdGemm.Type() == js.TypeFunction {
		kernel = simdKernel
	} else {
		kernel = portableKernel
	}
	return WasmSIMD()
}

// addr is the linear-memory byte offset of p.
func addr(p *float32) int { return int(uintptr(unsafe.Pointer(p))) }

// simdBlock checks the bounds the module relies on, then hands it the block.
func simdBlock(c []float32, ldc, m, n int, pa, pb []float32, kc int) {
	if m <= 0 || n <= 0 || kc <= 0 {
		return
	}
	_ = c[(m-1)*ldc+n-1]
	_ = pa[(m+simdMR-1)/simdMR*simdMR*kc-1]
	_ = pb[(n+simdNR-1)/simdNR*simdNR*kc-1]
	simdGemm.Invoke(addr(&c[0]), ldc, m, n, addr(&pa[0]), addr(&pb[0]), kc, addr(&simdTile[0]))
	runtime.KeepAlive(c)
	runtime.KeepAlive(pa)
	runtime.KeepAlive(pb)
}
