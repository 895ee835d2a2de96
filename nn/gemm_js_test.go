//go:build js && wasm

package nn

import (
	"math"
	"math/rand/v2"
	"os"
	"syscall/js"
	"testing"

	"github.com/cnnplay/cnnplay/nn/simd"
)

// TestSIMDInstalled fails when CNNPLAY_WANT_SIMD=1 (set by `make test` for
// its run through nn/simd/go_js_wasm_simd_exec) but the host did not install
// the SIMD kernel, so a broken loader cannot fall back unnoticed.
func TestSIMDInstalled(t *testing.T) {
	t.Logf("SIMD kernel: %v", WasmSIMD())
	if os.Getenv("CNNPLAY_WANT_SIMD") == "1" && !WasmSIMD() {
		t.Fatal("CNNPLAY_WANT_SIMD=1 but the host installed no cnnplaySIMD; run with -exec nn/simd/go_js_wasm_simd_exec")
	}
	t.Logf("fused (relaxed SIMD) kernel: %v", WasmFMA())
	if os.Getenv("CNNPLAY_WANT_SIMD") == "1" && os.Getenv("CNNPLAY_FMA") != "0" && engineHasRelaxedSIMD() && !WasmFMA() {
		t.Fatal("the engine validates gemm_fma.wasm but nn did not install the fused kernel")
	}
}

// TestModuleExports checks that the committed module exports every
// function nn binds, and its memory, which gemm_fma.wasm is instantiated on.
func TestModuleExports(t *testing.T) {
	wasm := js.Global().Get("WebAssembly")
	bytes := js.Global().Get("Uint8Array").New(len(simd.Module))
	js.CopyBytesToJS(bytes, simd.Module)
	if !wasm.Call("validate", bytes).Bool() {
		t.Fatal("this engine does not validate gemm.wasm (no SIMD128)")
	}
	list := wasm.Get("Module").Call("exports", wasm.Get("Module").New(bytes))
	kinds := map[string]string{}
	for i := range list.Length() {
		e := list.Index(i)
		kinds[e.Get("name").String()] = e.Get("kind").String()
	}
	for name := range simdExports {
		if kinds[name] != "function" {
			t.Errorf("gemm.wasm exports %s as %q, want a function", name, kinds[name])
		}
	}
	if kinds["mem"] != "memory" {
		t.Errorf("gemm.wasm exports mem as %q, want its memory", kinds["mem"])
	}
}

// TestBindSIMDIncomplete checks that a module lacking one export nn calls
// binds nothing.
func TestBindSIMDIncomplete(t *testing.T) {
	saved := simdGemm
	f := js.FuncOf(func(js.Value, []js.Value) any { return nil })
	defer f.Release()
	m := js.Global().Get("Object").New()
	for name := range simdExports {
		if name != "finite" {
			m.Set(name, f)
		}
	}
	if bindSIMD(m) {
		t.Fatal("bindSIMD accepted a module without finite")
	}
	if !simdGemm.Equal(saved) {
		t.Error("bindSIMD bound gemmBlock from a module it refused")
	}
}

// engineHasRelaxedSIMD reports whether the engine accepts gemm_fma.wasm.
func engineHasRelaxedSIMD() bool {
	bytes := js.Global().Get("Uint8Array").New(len(simd.FMAModule))
	js.CopyBytesToJS(bytes, simd.FMAModule)
	return js.Global().Get("WebAssembly").Call("validate", bytes).Bool()
}

// withKernel runs f with gemm using k.
func withKernel(t *testing.T, k microKernel, f func(*testing.T)) {
	saved := kernel
	kernel = k
	defer func() { kernel = saved }()
	f(t)
}

// TestGemmBothKernels runs the gemm tests on the portable kernel too when
// the SIMD one is installed, so one run under the SIMD runner tests both.
func TestGemmBothKernels(t *testing.T) {
	if !WasmSIMD() {
		t.Skip("SIMD kernel not installed; the other tests cover the portable kernel")
	}
	t.Run("portable", func(t *testing.T) {
		withKernel(t, portableKernel, func(t *testing.T) {
			TestGemmMatchesReference(t)
			TestGemmMatchesGonum(t)
		})
	})
	t.Run("simd", func(t *testing.T) {
		withKernel(t, simdKernel, func(t *testing.T) {
			TestGemmMatchesReference(t)
			TestGemmMatchesGonum(t)
		})
	})
	if WasmFMA() {
		t.Run("fma", func(t *testing.T) {
			withKernel(t, fmaKernel, func(t *testing.T) {
				TestGemmMatchesReference(t)
				TestGemmMatchesGonum(t)
			})
		})
	}
}

// simdKernels lists the installed SIMD kernels: the SIMD128 one, and the
// fused one if the engine has relaxed SIMD.
func simdKernels() map[string]microKernel {
	ks := map[string]microKernel{"simd": simdKernel}
	if fmaGemm.Type() == js.TypeFunction {
		ks["fma"] = fmaKernel
	}
	return ks
}

// TestFMAGemmRelativeError bounds each element's error, in both the fused
// and the SIMD128 kernel, against a float64 product by the classic bound
// for a float32 dot product of length k, k·u·Σ|a||b| (u = 2⁻²⁴), at sizes
// that straddle the tiles and the 256-deep blocks, for the packed and the
// unpacked (fewer rows than a tile) products. It also reports whether the
// fused kernel really fuses (rounds differently from SIMD128).
func TestFMAGemmRelativeError(t *testing.T) {
	if !WasmSIMD() {
		t.Skip("SIMD kernel not installed")
	}
	rng := rand.New(rand.NewPCG(9, 9))
	var s gemmScratch
	differ := 0
	for _, m := range []int{1, 2, 3, 4, 5, 9, 33} {
		for _, n := range []int{1, 7, 8, 9, 16, 17, 40} {
			for _, k := range []int{1, 5, gemmKC - 1, gemmKC, gemmKC + 1, 2*gemmKC + 7} {
				a, b := randSlice(rng, m*k), randSlice(rng, k*n)
				var outs [2][]float32
				for name, kern := range simdKernels() {
					c := randSlice(rng, m*n)
					withKernel(t, kern, func(t *testing.T) {
						s.gemm(m, n, k, a, k, 1, b, n, 1, c, n, false)
					})
					if name == "fma" {
						outs[1] = c
					} else {
						outs[0] = c
					}
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							var want, mag float64
							for p := 0; p < k; p++ {
								x := float64(a[i*k+p]) * float64(b[p*n+j])
								want += x
								mag += math.Abs(x)
							}
							bound := float64(k) * 0x1p-24 * mag
							if d := math.Abs(float64(c[i*n+j]) - want); d > bound {
								t.Fatalf("%s m=%d n=%d k=%d: C[%d][%d] = %g, want %g (error %g > bound %g)",
									name, m, n, k, i, j, c[i*n+j], want, d, bound)
							}
						}
					}
				}
				if outs[1] != nil && sameBits(outs[0], outs[1]) >= 0 {
					differ++
				}
			}
		}
	}
	t.Logf("fused kernel installed: %v; products where it rounded differently from SIMD128: %d", WasmFMA(), differ)
}

// TestSIMDTileWrites checks that the SIMD kernel writes only inside C:
// overhanging tiles must leave the elements past n in each row, and the rows
// past m, alone.
func TestSIMDTileWrites(t *testing.T) {
	if !WasmSIMD() {
		t.Skip("SIMD kernel not installed")
	}
	for name, kern := range simdKernels() {
		t.Run(name, func(t *testing.T) { withKernel(t, kern, testTileWrites) })
	}
}

func testTileWrites(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	var s gemmScratch
	for _, m := range []int{1, 3, 4, 5, 9} {
		for _, n := range []int{1, 7, 8, 9, 17} {
			const k, pad = 11, 3
			ldc := n + pad
			a, b := randSlice(rng, m*k), randSlice(rng, k*n)
			got := randSlice(rng, (m+1)*ldc)
			want := append([]float32(nil), got...)
			s.gemm(m, n, k, a, k, 1, b, n, 1, got, ldc, true)
			gemmRef(m, n, k, a, k, 1, b, n, 1, want, ldc, true)
			for i := range got {
				inside := i/ldc < m && i%ldc < n
				if !inside && got[i] != want[i] {
					t.Fatalf("m=%d n=%d: element %d (row %d, column %d) outside C changed", m, n, i, i/ldc, i%ldc)
				}
			}
			if d := maxDiff(got, want); d > 1e-4*k {
				t.Fatalf("m=%d n=%d: max difference %g", m, n, d)
			}
		}
	}
}

// TestSIMDGemmAllocates nothing per call.
func TestSIMDGemmAllocates(t *testing.T) {
	if !WasmSIMD() {
		t.Skip("SIMD kernel not installed")
	}
	rng := rand.New(rand.NewPCG(6, 6))
	m, n, k := 37, 21, 300
	a, b, c := randSlice(rng, m*k), randSlice(rng, k*n), make([]float32, m*n)
	var s gemmScratch
	s.gemm(m, n, k, a, k, 1, b, n, 1, c, n, false)
	if allocs := testing.AllocsPerRun(20, func() {
		s.gemm(m, n, k, a, k, 1, b, n, 1, c, n, false)
	}); allocs != 0 {
		t.Errorf("gemm allocates %v times per call with the SIMD kernel", allocs)
	}
}

// TestSIMDPackMatchesPackA compares the module's packing with packA for
// both contiguous layouts, a strided one, partial panels and odd depths.
func TestSIMDPackMatchesPackA(t *testing.T) {
	if !WasmSIMD() {
		t.Skip("SIMD kernel not installed")
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for _, w := range []int{4, 8} {
		for _, rows := range []int{1, 4, 5, 8, 13, 17} {
			for _, kc := range []int{1, 3, 4, 7, 256} {
				for _, layout := range []string{"rows", "columns", "strided"} {
					rs, ps := kc+3, 1
					switch layout {
					case "columns":
						rs, ps = 1, rows+2
					case "strided":
						rs, ps = 2*kc+1, 2
					}
					src := randSlice(rng, (rows-1)*rs+(kc-1)*ps+1)
					n := (rows + w - 1) / w * w * kc
					got, want := randSlice(rng, n), randSlice(rng, n)
					simdPack(got, rows, kc, w, src, rs, ps)
					packA(want, rows, kc, w, src, rs, ps)
					for i := range want {
						if got[i] != want[i] {
							t.Fatalf("w=%d rows=%d kc=%d %s: element %d is %g, want %g", w, rows, kc, layout, i, got[i], want[i])
						}
					}
				}
			}
		}
	}
}

func init() {
	if WasmSIMD() {
		vecImpls["simd"] = simdVec
	}
}

// TestSIMDSameModel trains each preset for a few steps on the SIMD128
// module and on the portable Go loops: the module computes every value with
// the same operations in the same order, so the weights must agree bit for
// bit. Both runs take the same algorithms (Winograd's, where the module
// has it, whose transforms' Go loops the portable run then uses).
func TestSIMDSameModel(t *testing.T) {
	if !WasmSIMD() {
		t.Skip("SIMD kernel not installed")
	}
	// the fused kernel rounds differently by design
	saved := fmaWanted
	SetWasmFMA(false)
	defer func() { fmaWanted = saved; SetWasmSIMD(true) }()
	for _, preset := range PresetNames() {
		var weights [2][]float32
		for i, simd := range []bool{false, true} {
			SetWasmSIMD(simd)
			vec.winograd = simdVec.winograd
			spec, _ := Preset(preset)
			rng := rand.New(rand.NewPCG(1, 1))
			net, _ := Build(spec, rng)
			opt, _ := NewOptimizer(OptimizerSpec{Kind: "adam"}, net.Params())
			const batch = 5
			x := randSlice(rng, batch*spec.Input.Size())
			labels := []uint8{0, 1, 2, 3, 4}
			for range 3 {
				net.ZeroGrad()
				net.Gradient(x, labels, batch, Pass{Train: true, Rand: rng})
				opt.Step()
			}
			weights[i] = net.Weights()
		}
		if i := sameBits(weights[1], weights[0]); i >= 0 {
			t.Errorf("%s: weight %d is %g with SIMD, %g without", preset, i, weights[1][i], weights[0][i])
		}
	}
}

// TestSIMDRowsSameBits checks the unpacked product for A with fewer rows
// than a panel against the packed portable kernel, bit for bit, at widths
// around its 16-, 4- and 1-column groups and depths around the blocks.
func TestSIMDRowsSameBits(t *testing.T) {
	if !WasmSIMD() {
		t.Skip("SIMD kernel not installed")
	}
	rng := rand.New(rand.NewPCG(8, 8))
	var s gemmScratch
	for m := 1; m < simdMR; m++ {
		for _, n := range []int{1, 3, 4, 5, 15, 16, 17, 21, 36, 128} {
			for _, k := range []int{1, 7, gemmKC - 1, gemmKC, gemmKC + 1, 2*gemmKC + 5} {
				for _, acc := range []bool{false, true} {
					const pad = 3
					a, b := randSlice(rng, m*(k+pad)), randSlice(rng, k*(n+pad))
					got := randSlice(rng, m*(n+pad))
					want := append([]float32(nil), got...)
					withKernel(t, simdKernel, func(t *testing.T) {
						s.gemm(m, n, k, a, k+pad, 1, b, n+pad, 1, got, n+pad, acc)
					})
					withKernel(t, portableKernel, func(t *testing.T) {
						s.gemm(m, n, k, a, k+pad, 1, b, n+pad, 1, want, n+pad, acc)
					})
					if i := sameBits(got, want); i >= 0 {
						t.Fatalf("m=%d n=%d k=%d acc=%v: element %d is %g, want %g", m, n, k, acc, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestSIMDRowsSparseSameBits checks that the unpacked product skipping A's
// zeros (sparse, for one image through a dense layer with finite weights)
// gives the bits of the product that reads every term, on each installed
// kernel, at widths around its 32-, 4- and 1-column groups and depths
// around the blocks, with A mostly zero (+0 and -0), all zero, and with no
// zero; and, on the SIMD128 kernel, the bits of the packed portable one.
func TestSIMDRowsSparseSameBits(t *testing.T) {
	if !WasmSIMD() {
		t.Skip("SIMD kernel not installed")
	}
	rng := rand.New(rand.NewPCG(11, 11))
	var s gemmScratch
	for name, kern := range simdKernels() {
		for m := 1; m < simdMR; m++ {
			for _, n := range []int{1, 3, 4, 5, 31, 32, 33, 36, 64, 128, 130} {
				for _, k := range []int{1, 7, gemmKC - 1, gemmKC, gemmKC + 1, 2*gemmKC + 5} {
					for _, zeros := range []float64{0, 0.6, 1} {
						const pad = 3
						a, b := randSlice(rng, m*(k+pad)), randSlice(rng, k*(n+pad))
						for i := range a {
							if rng.Float64() < zeros {
								a[i] = float32(math.Copysign(0, float64(rng.IntN(2)*2-1)))
							}
						}
						for _, acc := range []bool{false, true} {
							got := randSlice(rng, m*(n+pad))
							dense := append([]float32(nil), got...)
							packed := append([]float32(nil), got...)
							kern.rows(m, n, k, a, k+pad, b, n+pad, got, n+pad, acc, true)
							kern.rows(m, n, k, a, k+pad, b, n+pad, dense, n+pad, acc, false)
							if i := sameBits(got, dense); i >= 0 {
								t.Fatalf("%s m=%d n=%d k=%d zeros=%v acc=%v: element %d is %g skipping zeros, %g with them",
									name, m, n, k, zeros, acc, i, got[i], dense[i])
							}
							if name != "simd" {
								continue
							}
							withKernel(t, portableKernel, func(t *testing.T) {
								s.gemm(m, n, k, a, k+pad, 1, b, n+pad, 1, packed, n+pad, acc)
							})
							if i := sameBits(got, packed); i >= 0 {
								t.Fatalf("m=%d n=%d k=%d zeros=%v acc=%v: element %d is %g skipping zeros, %g packed",
									m, n, k, zeros, acc, i, got[i], packed[i])
							}
						}
					}
				}
			}
		}
	}
}

// TestSIMDGatherGemmSameBits checks the module's gather product against
// gemm on the gathered matrix, on the SIMD128 and the portable kernels, bit
// for bit, at sizes around its 4x8 tiles and the 256-deep blocks, and that
// it writes nothing outside C.
func TestSIMDGatherGemmSameBits(t *testing.T) {
	if !WasmSIMD() {
		t.Skip("SIMD kernel not installed")
	}
	rng := rand.New(rand.NewPCG(10, 10))
	var s gemmScratch
	for _, m := range []int{1, 3, 4, 5, 9, 33} {
		for _, n := range []int{8, 16, 24} {
			for _, k := range []int{1, 5, gemmKC - 1, gemmKC, gemmKC + 1, 2*gemmKC + 9} {
				for _, acc := range []bool{false, true} {
					x := randSlice(rng, 500)
					rowOff := make([]int32, (m+3)/4*4)
					for i := range rowOff {
						rowOff[i] = int32(4 * rng.IntN(200))
					}
					colOff := make([]int32, k)
					for p := range colOff {
						colOff[p] = int32(4 * rng.IntN(300))
					}
					const pad = 3
					b := randSlice(rng, k*(n+pad))
					a := make([]float32, m*k)
					for i := 0; i < m; i++ {
						for p := 0; p < k; p++ {
							a[i*k+p] = x[(rowOff[i]+colOff[p])/4]
						}
					}
					got := randSlice(rng, (m+1)*(n+pad))
					for _, kern := range []microKernel{simdKernel, portableKernel} {
						want := append([]float32(nil), got...)
						withKernel(t, kern, func(t *testing.T) {
							s.gemm(m, n, k, a, k, 1, b, n+pad, 1, want, n+pad, acc)
						})
						c := append([]float32(nil), got...)
						simdGatherGemm(c, n+pad, m, n, x, rowOff, colOff, b, n+pad, acc)
						if i := sameBits(c, want); i >= 0 {
							t.Fatalf("m=%d n=%d k=%d acc=%v: element %d (row %d, column %d) is %g, want %g",
								m, n, k, acc, i, i/(n+pad), i%(n+pad), c[i], want[i])
						}
					}
				}
			}
		}
	}
}

// TestConvGatherSameBits runs convolutions whose products the module
// gathers from the input against the same layers through im2col and gemm
// (gatherGemm off), bit for bit: forward, input, weight and bias gradients,
// with padding, strides and several channels.
func TestConvGatherSameBits(t *testing.T) {
	if !WasmSIMD() {
		t.Skip("SIMD kernel not installed")
	}
	saved := fmaWanted
	SetWasmFMA(false)
	defer func() { fmaWanted = saved; SetWasmSIMD(true) }()
	for _, c := range []struct {
		h, w, c, f, k, stride, pad int
	}{{7, 6, 1, 8, 3, 1, 0}, {24, 24, 1, 8, 5, 1, 2}, {28, 28, 1, 32, 3, 1, 0}, {9, 11, 3, 16, 3, 2, 1}, {5, 5, 2, 24, 5, 1, 2}, {6, 6, 7, 8, 3, 1, 1}} {
		in := Shape{c.h, c.w, c.c}
		const n = 3
		var res [2][][]float32
		for i, gather := range []bool{false, true} {
			l := newConv2D("conv", in, c.f, c.k, c.stride, c.pad)
			l.w.alloc()
			l.b.alloc()
			if gather != l.gather() && gather {
				t.Fatalf("%+v: the layer does not gather", c)
			}
			r := rand.New(rand.NewPCG(12, 12))
			copy(l.w.W, randSlice(r, len(l.w.W)))
			copy(l.b.W, randSlice(r, len(l.b.W)))
			x := randSlice(r, n*in.Size())
			out := make([]float32, n*l.out.Size())
			dout := randSlice(r, len(out))
			din := make([]float32, len(x))
			v := vec
			if !gather {
				vec.gatherGemm = nil
			}
			l.Forward(out, x, n, Pass{})
			l.Backward(din, dout, x, out, n)
			vec = v
			res[i] = [][]float32{out, din, l.w.G, l.b.G}
		}
		for j, name := range []string{"output", "input gradient", "weight gradient", "bias gradient"} {
			if i := sameBits(res[1][j], res[0][j]); i >= 0 {
				t.Errorf("%+v: %s %d is %g gathered, %g through im2col", c, name, i, res[1][j][i], res[0][j][i])
			}
		}
	}
}
