//go:build js && wasm

package nn

// In the browser (and in node), gemm can run its inner loops in a small
// WebAssembly SIMD128 module, nn/simd/gemm.wasm, written by hand in
// nn/simd/gemm.wat: Go's compiler emits no SIMD for wasm. The host that
// starts the Go program (web/worker.js; nn/simd/node_runner.js for tests and
// benchmarks) instantiates the module with the Go instance's exported memory
// and sets its exports (gemm, packT, packN) as the global cnnplaySIMD. Where the
// host did not (an engine without SIMD, go test without -exec, or
// CNNPLAY_SIMD=0 in the environment), gemm keeps the portable kernel.
//
// The module works on Go slices in place: a Go pointer under wasm is a byte
// offset into linear memory, and the module imports the same
// WebAssembly.Memory, so memory growth is shared. One call adds a whole
// packed kc-deep block, and one more packs each operand of the block (the
// module transposes 4x4 groups with shuffles), so the calls' cost (tens of
// nanoseconds each) is spread over the block's m·n·kc multiply-adds.

import (
	"os"
	"runtime"
	"syscall/js"
	"unsafe"
)

// The module's exports, if the host installed it.
var simdGemm, simdPackT, simdPackN js.Value

// simdTile is the module's scratch for tiles overhanging C. The call is
// synchronous and no Go code runs during it, so one buffer serves all
// goroutines.
var simdTile [simdMR * simdNR]float32

// The module's register tile: 4 rows by 8 columns.
const simdMR, simdNR = 4, 8

// simdKernel is the SIMD128 kernel, as a whole-block kernel for gemm.
var simdKernel = microKernel{mr: simdMR, nr: simdNR, block: simdBlock, pack: simdPack}

func init() {
	if os.Getenv("CNNPLAY_SIMD") == "0" {
		return
	}
	m := js.Global().Get("cnnplaySIMD")
	if m.Type() != js.TypeObject {
		return
	}
	gemm, packT, packN := m.Get("gemm"), m.Get("packT"), m.Get("packN")
	for _, f := range []js.Value{gemm, packT, packN} {
		if f.Type() != js.TypeFunction {
			return
		}
	}
	simdGemm, simdPackT, simdPackN = gemm, packT, packN
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

// simdPack packs like packA(dst, rows, kc, w, src, rs, ps). The whole panels
// go to the module when the rows (ps = 1) or the steps (rs = 1) are
// contiguous; the last partial panel, and other strides, stay in Go.
func simdPack(dst []float32, rows, kc, w int, src []float32, rs, ps int) {
	full := rows / w
	if full == 0 || (ps != 1 && rs != 1) {
		packA(dst, rows, kc, w, src, rs, ps)
		return
	}
	_ = dst[full*w*kc-1]
	_ = src[(full*w-1)*rs+(kc-1)*ps]
	if ps == 1 {
		simdPackT.Invoke(addr(&dst[0]), addr(&src[0]), full, kc, rs, w)
	} else {
		simdPackN.Invoke(addr(&dst[0]), addr(&src[0]), full, kc, ps, w)
	}
	runtime.KeepAlive(dst)
	runtime.KeepAlive(src)
	if done := full * w; done < rows {
		packA(dst[done*kc:], rows-done, kc, w, src[done*rs:], rs, ps)
	}
}
