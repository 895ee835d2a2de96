//go:build js && wasm

package nn

// In the browser (and in node), gemm can run its inner loops in a small
// WebAssembly SIMD128 module, nn/simd/gemm.wasm, written by hand in
// nn/simd/gemm.wat: Go's compiler emits no SIMD for wasm. The host that
// starts the Go program (web/worker.js; nn/simd/node_runner.js for tests and
// benchmarks) instantiates the module with the Go instance's exported memory
// and sets its exports as the global cnnplaySIMD; this file binds them
// (simdExports) through syscall/js, nn's only use of it. Where the host did
// not (an engine without SIMD, go test without -exec, or CNNPLAY_SIMD=0 in
// the environment), gemm keeps the portable kernel.
//
// The module works on Go slices in place: a Go pointer under wasm is a byte
// offset into linear memory, and the module imports the same
// WebAssembly.Memory, so memory growth is shared. One call adds a whole
// packed kc-deep block, and one more packs each operand of the block (the
// module transposes 4x4 groups with shuffles), so the calls' cost (tens of
// nanoseconds each) is spread over the block's m·n·kc multiply-adds.
//
// Where the engine also has relaxed SIMD (Chrome 114 on; node 20 with
// --experimental-wasm-relaxed-simd), gemm's block and row products run in a
// second module, nn/simd/gemm_fma.wasm, whose inner loops fuse each multiply
// and add (f32x4.relaxed_madd): half the operations, one rounding instead of
// two, so its results equal the SIMD128 kernel's only up to float rounding.
// nn embeds that module and instantiates it here, on the memory gemm.wasm
// exports, so hosts install gemm.wasm alone; CNNPLAY_FMA=0 in the
// environment keeps the SIMD128 kernel.

import (
	"os"
	"runtime"
	"slices"
	"syscall/js"
	"unsafe"

	"github.com/cnnplay/cnnplay/nn/simd"
)

// The module's exports, if the host installed it.
var simdGemm, simdPackT, simdPackN, simdRows js.Value

// The fused module's exports, if the engine accepted it.
var fmaGemm, fmaRows js.Value

// fmaWanted is whether SetWasmSIMD(true) picks the fused kernel (when
// there is one): SetWasmFMA sets it.
var fmaWanted = true

// simdFn holds the module's other exports, the loops of vecOps.
var simdFn struct {
	relu, reluBack, addBias, sumRows, im2col, col2im, maxPool, maxPoolBack, gatherGemm js.Value
	decay, adadelta, adam, sgd                                                         js.Value
	winogradWeights, winogradInput, winogradOutput, winogradDout, winogradWeightGrad   js.Value
	scaleAdd, finite                                                                   js.Value
	winograd4Input, winograd4Output                                                    js.Value
}

// simdTile is the module's scratch for tiles overhanging C. The call is
// synchronous and no Go code runs during it, so one buffer serves all
// goroutines.
var simdTile [simdMR * simdNR]float32

// simdTerms is gemmRows' scratch: one 256-deep block's terms, each B's row
// offset and A's value (see gemm.wat).
var simdTerms [2 * gemmKC]float32

// The module's register tile: 4 rows by 8 columns.
const simdMR, simdNR = 4, 8

// simdKernel is the SIMD128 kernel, as a whole-block kernel for gemm.
var simdKernel = microKernel{mr: simdMR, nr: simdNR, block: simdBlock, pack: simdPack, rows: simdGemmRows}

// fmaKernel is the same kernel with fused multiply-adds (gemm_fma.wasm): the
// same packing, tiles and blocks.
var fmaKernel = microKernel{mr: simdMR, nr: simdNR, block: fmaBlock, pack: simdPack, rows: fmaGemmRows, fused: true}

// simdExports are the module's functions that nn calls, by export name
// (nn/simd/gemm.wat exports them all, and its memory as mem).
var simdExports = map[string]*js.Value{
	"gemmBlock":          &simdGemm,
	"gemmRows":           &simdRows,
	"packT":              &simdPackT,
	"packN":              &simdPackN,
	"relu":               &simdFn.relu,
	"reluBack":           &simdFn.reluBack,
	"addBias":            &simdFn.addBias,
	"sumRows":            &simdFn.sumRows,
	"im2col":             &simdFn.im2col,
	"col2im":             &simdFn.col2im,
	"maxPool":            &simdFn.maxPool,
	"maxPoolBack":        &simdFn.maxPoolBack,
	"gatherGemm":         &simdFn.gatherGemm,
	"decay":              &simdFn.decay,
	"adadelta":           &simdFn.adadelta,
	"adam":               &simdFn.adam,
	"sgd":                &simdFn.sgd,
	"winogradWeights":    &simdFn.winogradWeights,
	"winogradInput":      &simdFn.winogradInput,
	"winogradOutput":     &simdFn.winogradOutput,
	"winogradDout":       &simdFn.winogradDout,
	"winogradWeightGrad": &simdFn.winogradWeightGrad,
	"scaleAdd":           &simdFn.scaleAdd,
	"finite":             &simdFn.finite,
	"winograd4Input":     &simdFn.winograd4Input,
	"winograd4Output":    &simdFn.winograd4Output,
}

func init() {
	if os.Getenv("CNNPLAY_SIMD") == "0" {
		return
	}
	m := js.Global().Get("cnnplaySIMD")
	if m.Type() != js.TypeObject || !bindSIMD(m) {
		return
	}
	if os.Getenv("CNNPLAY_FMA") != "0" {
		loadFMA(m.Get("mem"))
	}
	SetWasmSIMD(true)
}

// bindSIMD binds simdExports to the functions of m, the module's exports,
// and reports whether it could. A host serving another build of the module
// than the one beside this file could lack one, and nn would call what is
// not there: then it binds nothing (the portable kernel stays) and warns on
// the console.
func bindSIMD(m js.Value) bool {
	for name := range simdExports {
		if m.Get(name).Type() != js.TypeFunction {
			js.Global().Get("console").Call("warn", "cnnplay: the SIMD module has no "+name+"; using the portable kernel")
			return false
		}
	}
	for name, v := range simdExports {
		*v = m.Get(name)
	}
	return true
}

// loadFMA instantiates gemm_fma.wasm on mem, the Go instance's memory as
// gemm.wasm exports it, where the engine validates the module (it has
// relaxed SIMD), and keeps its exports. The module is a couple of KB, small
// enough to compile synchronously even on a page's main thread.
func loadFMA(mem js.Value) {
	defer func() {
		if recover() != nil { // a JavaScript exception: keep SIMD128
			fmaGemm, fmaRows = js.Undefined(), js.Undefined()
		}
	}()
	wasm := js.Global().Get("WebAssembly")
	bytes := js.Global().Get("Uint8Array").New(len(simd.FMAModule))
	js.CopyBytesToJS(bytes, simd.FMAModule)
	if !wasm.Call("validate", bytes).Bool() {
		return
	}
	imports := map[string]any{"env": map[string]any{"mem": mem}}
	exports := wasm.Get("Instance").New(wasm.Get("Module").New(bytes), imports).Get("exports")
	g, r := exports.Get("gemmBlock"), exports.Get("gemmRows")
	if g.Type() == js.TypeFunction && r.Type() == js.TypeFunction {
		fmaGemm, fmaRows = g, r
	}
}

// WasmSIMD reports whether gemm uses the WebAssembly SIMD128 kernel (and
// the loops of vec.go the module's), fused or not.
func WasmSIMD() bool { return kernel.block != nil }

// WasmFMA reports whether gemm uses the fused (relaxed SIMD) kernel.
func WasmFMA() bool { return kernel.fused }

// SetWasmSIMD switches gemm to the SIMD128 kernel (if the host installed
// it; the fused one if there is one and SetWasmFMA has not turned it off)
// or back to the portable one, for comparisons, and reports whether a SIMD
// kernel is now in use. Products already running keep their kernel.
func SetWasmSIMD(on bool) bool {
	switch {
	case on && fmaWanted && fmaGemm.Type() == js.TypeFunction && simdGemm.Type() == js.TypeFunction:
		kernel, vec = fmaKernel, simdVec
	case on && simdGemm.Type() == js.TypeFunction:
		kernel, vec = simdKernel, simdVec
	default:
		kernel, vec = portableKernel, portableVec
	}
	return WasmSIMD()
}

// SetWasmFMA chooses between the fused kernel and the plain SIMD128 one for
// when SIMD is on (and switches now if it is), and reports whether the
// fused kernel is now in use.
func SetWasmFMA(on bool) bool {
	fmaWanted = on
	if WasmSIMD() {
		SetWasmSIMD(true)
	}
	return WasmFMA()
}

// addr is the linear-memory byte offset of p.
func addr(p *float32) int { return int(uintptr(unsafe.Pointer(p))) }

func simdBlock(c []float32, ldc, m, n int, pa, pb []float32, kc int, acc bool) {
	callBlock(simdGemm, c, ldc, m, n, pa, pb, kc, acc)
}

func fmaBlock(c []float32, ldc, m, n int, pa, pb []float32, kc int, acc bool) {
	callBlock(fmaGemm, c, ldc, m, n, pa, pb, kc, acc)
}

// callBlock checks the bounds the module relies on, then hands fn (a
// gemmBlock export) the block.
func callBlock(fn js.Value, c []float32, ldc, m, n int, pa, pb []float32, kc int, acc bool) {
	if m <= 0 || n <= 0 || kc <= 0 {
		return
	}
	_ = c[(m-1)*ldc+n-1]
	_ = pa[(m+simdMR-1)/simdMR*simdMR*kc-1]
	_ = pb[(n+simdNR-1)/simdNR*simdNR*kc-1]
	fn.Invoke(addr(&c[0]), ldc, m, n, addr(&pa[0]), addr(&pb[0]), kc, addr(&simdTile[0]), acc)
	runtime.KeepAlive(c)
	runtime.KeepAlive(pa)
	runtime.KeepAlive(pb)
}

func simdGemmRows(m, n, k int, a []float32, ars int, b []float32, brs int, c []float32, ldc int, acc, sparse bool) {
	callRows(simdRows, m, n, k, a, ars, b, brs, c, ldc, acc, sparse)
}

func fmaGemmRows(m, n, k int, a []float32, ars int, b []float32, brs int, c []float32, ldc int, acc, sparse bool) {
	callRows(fmaRows, m, n, k, a, ars, b, brs, c, ldc, acc, sparse)
}

// callRows checks the bounds the module relies on, then hands fn (a
// gemmRows export) the product (see microKernel.rows).
func callRows(fn js.Value, m, n, k int, a []float32, ars int, b []float32, brs int, c []float32, ldc int, acc, sparse bool) {
	if m <= 0 || n <= 0 || k <= 0 {
		return
	}
	_ = a[(m-1)*ars+k-1]
	_ = b[(k-1)*brs+n-1]
	_ = c[(m-1)*ldc+n-1]
	if gemmKC != 256 {
		panic("nn: the SIMD module's gemmRows blocks by 256")
	}
	fn.Invoke(addr(&c[0]), ldc, m, n, addr(&a[0]), ars, addr(&b[0]), brs, k, acc, addr(&simdTerms[0]), sparse)
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	runtime.KeepAlive(c)
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

// simdVec runs the loops of vec.go in the module. Each checks the bounds
// the module relies on (it writes wherever it is told), and leaves work too
// small to repay a call (about a hundred nanoseconds) to the Go loop. With
// Winograd's transforms in the module, 3×3 convolutions take that path.
var simdVec = vecOps{
	relu:               simdRelu,
	reluBackward:       simdReluBackward,
	addBias:            simdAddBias,
	sumRows:            simdSumRows,
	im2col:             simdIm2col,
	col2im:             simdCol2im,
	maxPool:            simdMaxPool,
	maxPoolBackward:    simdMaxPoolBackward,
	gatherGemm:         simdGatherGemm,
	decay:              simdDecay,
	adadelta:           simdAdadelta,
	adam:               simdAdam,
	sgd:                simdSGD,
	winograd:           true,
	winogradWeights:    simdWinogradWeights,
	winogradInput:      simdWinogradInput,
	winogradOutput:     simdWinogradOutput,
	winogradDout:       simdWinogradDout,
	winogradWeightGrad: simdWinogradWeightGrad,
	winograd4Input:     simdWinograd4Input,
	winograd4Output:    simdWinograd4Output,
	scaleAdd:           simdScaleAdd,
	finite:             simdFinite,
}

// reluImpl is the portable relu loop: under wasm Go's max is a call, a
// comparison is cheaper.
var reluImpl = reluCompare

// simdMin is the length below which the Go loops are used.
const simdMin = 64

func simdRelu(out, in []float32) {
	if len(in) < simdMin {
		reluForward(out, in)
		return
	}
	out = out[:len(in)]
	simdFn.relu.Invoke(addr(&out[0]), addr(&in[0]), len(in))
	runtime.KeepAlive(out)
	runtime.KeepAlive(in)
}

func simdReluBackward(din, dout, out []float32) {
	if len(dout) < simdMin {
		reluBackward(din, dout, out)
		return
	}
	din, out = din[:len(dout)], out[:len(dout)]
	simdFn.reluBack.Invoke(addr(&din[0]), addr(&dout[0]), addr(&out[0]), len(dout))
	runtime.KeepAlive(din)
	runtime.KeepAlive(dout)
	runtime.KeepAlive(out)
}

func simdAddBias(x, b []float32) {
	f := len(b)
	if f == 0 || len(x) < simdMin {
		addBias(x, b)
		return
	}
	rows := len(x) / f
	simdFn.addBias.Invoke(addr(&x[0]), addr(&b[0]), rows, f)
	runtime.KeepAlive(x)
	runtime.KeepAlive(b)
}

func simdSumRows(dst, x []float32) {
	f := len(dst)
	if f == 0 || len(x) < simdMin {
		sumRows(dst, x)
		return
	}
	rows := len(x) / f
	simdFn.sumRows.Invoke(addr(&dst[0]), addr(&x[0]), rows, f)
	runtime.KeepAlive(dst)
	runtime.KeepAlive(x)
}

func simdIm2col(dst, src []float32, g *convGeom) {
	_ = dst[g.oh*g.ow*g.k*g.k*g.c-1]
	_ = src[g.h*g.w*g.c-1]
	simdFn.im2col.Invoke(addr(&dst[0]), addr(&src[0]), g.h, g.w, g.c, g.k, g.stride, g.pad, g.oh, g.ow)
	runtime.KeepAlive(dst)
	runtime.KeepAlive(src)
}

func simdCol2im(dst, src []float32, g *convGeom) {
	_ = dst[g.h*g.w*g.c-1]
	_ = src[g.oh*g.ow*g.k*g.k*g.c-1]
	simdFn.col2im.Invoke(addr(&dst[0]), addr(&src[0]), g.h, g.w, g.c, g.k, g.stride, g.pad, g.oh, g.ow)
	runtime.KeepAlive(dst)
	runtime.KeepAlive(src)
}

func simdMaxPool(out []float32, arg []int32, in []float32, n int, g *poolGeom) {
	if g.c%4 != 0 || n == 0 {
		maxPoolForward(out, arg, in, n, g)
		return
	}
	size := n * g.oh * g.ow * g.c
	_ = out[size-1]
	_ = arg[size-1]
	_ = in[n*g.h*g.w*g.c-1]
	// the windows must lie inside the input (poolOut guarantees it)
	if (g.oh-1)*g.stride+g.size > g.h || (g.ow-1)*g.stride+g.size > g.w {
		panic("nn: maxPool: windows overhang the input")
	}
	simdFn.maxPool.Invoke(addr(&out[0]), addr((*float32)(unsafe.Pointer(&arg[0]))), addr(&in[0]), n,
		g.h, g.w, g.c, g.size, g.stride, g.oh, g.ow)
	runtime.KeepAlive(out)
	runtime.KeepAlive(arg)
	runtime.KeepAlive(in)
}

func simdMaxPoolBackward(din, dout []float32, arg []int32) {
	if len(dout) == 0 || len(din) == 0 {
		maxPoolBackward(din, dout, arg)
		return
	}
	// arg comes from maxPool, which keeps every index of example e inside
	// example e's input, so inside din for the same batch size.
	arg = arg[:len(dout)]
	simdFn.maxPoolBack.Invoke(addr(&din[0]), addr(&dout[0]), addr((*float32)(unsafe.Pointer(&arg[0]))), len(dout), len(din))
	runtime.KeepAlive(din)
	runtime.KeepAlive(dout)
	runtime.KeepAlive(arg)
}

// simdGatherGemm is vecOps.gatherGemm in the module, one call per
// gemmKC-deep block of colOff as gemm blocks k, after checking that every
// address the module will touch is inside the slices.
func simdGatherGemm(c []float32, ldc, m, n int, x []float32, rowOff, colOff []int32, b []float32, ldb int, acc bool) {
	k := len(colOff)
	if m <= 0 || n <= 0 || k == 0 {
		if !acc && k == 0 {
			for i := 0; i < m; i++ {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		return
	}
	if n%8 != 0 {
		panic("nn: gatherGemm: n is not a multiple of 8")
	}
	rowOff = rowOff[:(m+3)/4*4]
	_ = c[(m-1)*ldc+n-1]
	_ = b[(k-1)*ldb+n-1]
	var hi int32
	for _, o := range rowOff {
		hi = max(hi, o)
	}
	var hc int32
	for _, o := range colOff {
		hc = max(hc, o)
	}
	if min(slices.Min(rowOff), slices.Min(colOff)) < 0 || int(hi)+int(hc) > 4*(len(x)-1) {
		panic("nn: gatherGemm: an offset falls outside x")
	}
	for p0 := 0; p0 < k; p0 += gemmKC {
		kc := min(gemmKC, k-p0)
		simdFn.gatherGemm.Invoke(addr(&c[0]), ldc, m, n, addr(&x[0]),
			addr((*float32)(unsafe.Pointer(&rowOff[0]))), addr((*float32)(unsafe.Pointer(&colOff[p0]))), kc,
			addr(&b[p0*ldb]), ldb, acc || p0 > 0)
	}
	runtime.KeepAlive(c)
	runtime.KeepAlive(x)
	runtime.KeepAlive(rowOff)
	runtime.KeepAlive(colOff)
	runtime.KeepAlive(b)
}

// simdDecay is vecOps.decay in the module.
func simdDecay(g, w []float32, l2 float32) {
	if len(g) < simdMin {
		decayGrad(g, w, l2)
		return
	}
	w = w[:len(g)]
	simdFn.decay.Invoke(addr(&g[0]), addr(&w[0]), len(g), l2)
	runtime.KeepAlive(g)
	runtime.KeepAlive(w)
}

// simdAdadelta is vecOps.adadelta in the module, with 1-rho computed as
// adadeltaUpdate computes it.
func simdAdadelta(w, g, m, v []float32, rho, eps, lr float32) {
	if len(w) < simdMin {
		adadeltaUpdate(w, g, m, v, rho, eps, lr)
		return
	}
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	simdFn.adadelta.Invoke(addr(&w[0]), addr(&g[0]), addr(&m[0]), addr(&v[0]), len(w), rho, 1-rho, eps, lr)
	runtime.KeepAlive(w)
	runtime.KeepAlive(g)
	runtime.KeepAlive(m)
	runtime.KeepAlive(v)
}

// simdAdam is vecOps.adam in the module, with 1-b1 and 1-b2 computed as
// adamUpdate computes them.
func simdAdam(w, g, m, v []float32, b1, b2, step, eps float32) {
	if len(w) < simdMin {
		adamUpdate(w, g, m, v, b1, b2, step, eps)
		return
	}
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	simdFn.adam.Invoke(addr(&w[0]), addr(&g[0]), addr(&m[0]), addr(&v[0]), len(w), b1, 1-b1, b2, 1-b2, step, eps)
	runtime.KeepAlive(w)
	runtime.KeepAlive(g)
	runtime.KeepAlive(m)
	runtime.KeepAlive(v)
}

// simdSGD is vecOps.sgd in the module.
func simdSGD(w, g, m []float32, mu, lr float32, nesterov bool) {
	if len(w) < simdMin {
		sgdUpdate(w, g, m, mu, lr, nesterov)
		return
	}
	g, m = g[:len(w)], m[:len(w)]
	simdFn.sgd.Invoke(addr(&w[0]), addr(&g[0]), addr(&m[0]), len(w), mu, lr, nesterov)
	runtime.KeepAlive(w)
	runtime.KeepAlive(g)
	runtime.KeepAlive(m)
}

// checkPairs panics unless c·f, the (channel, filter) pairs a Winograd
// filter transform works on four at a time, is a positive multiple of 4,
// and returns it.
func checkPairs(what string, c, f int) int {
	cf := c * f
	if cf%4 != 0 || cf <= 0 {
		panic("nn: " + what + ": c·f is not a positive multiple of 4")
	}
	return cf
}

// checkTiles panics unless the f channels come in fours and the first
// value of each of the th×tw tiles lies inside the oh×ow output.
func checkTiles(what string, th, tw, oh, ow, f int) {
	checkTilesOf(what, 2, th, tw, oh, ow, f)
}

// checkTilesOf checks a geometry of tiles of side s.
func checkTilesOf(what string, s, th, tw, oh, ow, f int) {
	if f%4 != 0 || f <= 0 || th <= 0 || tw <= 0 || s*(th-1) >= oh || s*(tw-1) >= ow {
		panic("nn: " + what + ": bad geometry")
	}
}

// simdWino4Tmp is the F(4×4, 3×3) transforms' scratch: one tile's
// intermediate matrix, four channels at a time (see simdTile).
var simdWino4Tmp [36 * 4]float32

// simdWinograd4Input is vecOps.winograd4Input in the module.
func simdWinograd4Input(v, x []float32, th, tw, wx, c int) {
	if c%4 != 0 || c == 0 || th <= 0 || tw <= 0 || wx < 4*tw+2 {
		panic("nn: winograd4Input: bad geometry")
	}
	_ = v[36*th*tw*c-1]
	_ = x[((4*th+1)*wx+4*tw+2)*c-1]
	simdFn.winograd4Input.Invoke(addr(&v[0]), addr(&x[0]), th, tw, wx, c, addr(&simdWino4Tmp[0]))
	runtime.KeepAlive(v)
	runtime.KeepAlive(x)
}

// simdWinograd4Output is vecOps.winograd4Output in the module.
func simdWinograd4Output(out, m, bias []float32, th, tw, oh, ow, f int) {
	checkTilesOf("winograd4Output", 4, th, tw, oh, ow, f)
	_ = out[oh*ow*f-1]
	_ = m[36*th*tw*f-1]
	_ = bias[f-1]
	simdFn.winograd4Output.Invoke(addr(&out[0]), addr(&m[0]), addr(&bias[0]), th, tw, oh, ow, f, addr(&simdWino4Tmp[0]))
	runtime.KeepAlive(out)
	runtime.KeepAlive(m)
	runtime.KeepAlive(bias)
}

// simdWinogradWeights is vecOps.winogradWeights in the module.
func simdWinogradWeights(u, w []float32, c, f int) {
	cf := checkPairs("winogradWeights", c, f)
	_ = u[16*cf-1]
	_ = w[9*cf-1]
	simdFn.winogradWeights.Invoke(addr(&u[0]), addr(&w[0]), cf)
	runtime.KeepAlive(u)
	runtime.KeepAlive(w)
}

// simdWinogradInput is vecOps.winogradInput in the module.
func simdWinogradInput(v, x []float32, th, tw, wx, c int) {
	if c%4 != 0 || c == 0 || th <= 0 || tw <= 0 || wx < 2*tw+2 {
		panic("nn: winogradInput: bad geometry")
	}
	_ = v[16*th*tw*c-1]
	_ = x[((2*th+1)*wx+2*tw+2)*c-1]
	simdFn.winogradInput.Invoke(addr(&v[0]), addr(&x[0]), th, tw, wx, c)
	runtime.KeepAlive(v)
	runtime.KeepAlive(x)
}

// simdWinogradOutput is vecOps.winogradOutput in the module.
func simdWinogradOutput(out, m, bias []float32, th, tw, oh, ow, f int) {
	checkTiles("winogradOutput", th, tw, oh, ow, f)
	_ = out[oh*ow*f-1]
	_ = m[16*th*tw*f-1]
	_ = bias[f-1]
	simdFn.winogradOutput.Invoke(addr(&out[0]), addr(&m[0]), addr(&bias[0]), th, tw, oh, ow, f)
	runtime.KeepAlive(out)
	runtime.KeepAlive(m)
	runtime.KeepAlive(bias)
}

// simdWinogradDout is vecOps.winogradDout in the module.
func simdWinogradDout(d, dout []float32, th, tw, oh, ow, f int) {
	checkTiles("winogradDout", th, tw, oh, ow, f)
	_ = d[16*th*tw*f-1]
	_ = dout[oh*ow*f-1]
	simdFn.winogradDout.Invoke(addr(&d[0]), addr(&dout[0]), th, tw, oh, ow, f)
	runtime.KeepAlive(d)
	runtime.KeepAlive(dout)
}

// simdWinogradWeightGrad is vecOps.winogradWeightGrad in the module.
func simdWinogradWeightGrad(dw, m []float32, c, f int) {
	cf := checkPairs("winogradWeightGrad", c, f)
	_ = dw[9*cf-1]
	_ = m[16*cf-1]
	simdFn.winogradWeightGrad.Invoke(addr(&dw[0]), addr(&m[0]), cf)
	runtime.KeepAlive(dw)
	runtime.KeepAlive(m)
}

// simdScaleAdd is vecOps.scaleAdd in the module.
func simdScaleAdd(g []float32, a float32, d []float32, b float32) {
	if len(g) < simdMin {
		scaleAdd(g, a, d, b)
		return
	}
	d = d[:len(g)]
	simdFn.scaleAdd.Invoke(addr(&g[0]), addr(&d[0]), len(g), a, b)
	runtime.KeepAlive(g)
	runtime.KeepAlive(d)
}

// simdFinite is vecOps.finite in the module.
func simdFinite(x []float32) bool {
	if len(x) < simdMin {
		return finite(x)
	}
	ok := simdFn.finite.Invoke(addr(&x[0]), len(x)).Int() == 1
	runtime.KeepAlive(x)
	return ok
}
