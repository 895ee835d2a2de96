package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// vecImpls are the implementations of vecOps the tests check: the portable
// one, and the SIMD128 module's where the host installed it (gemm_js_test.go).
var vecImpls = map[string]vecOps{"portable": portableVec}

// sameBits reports the first index where got and want differ in bits (any
// NaN matches any NaN), or -1.
func sameBits(got, want []float32) int {
	if len(got) != len(want) {
		return 0
	}
	for i := range got {
		g, w := got[i], want[i]
		if g != g && w != w {
			continue
		}
		if math.Float32bits(g) != math.Float32bits(w) {
			return i
		}
	}
	return -1
}

// specialSlice is randSlice with some zeros, negative zeros, NaNs and
// repeated values mixed in.
func specialSlice(rng *rand.Rand, n int) []float32 {
	x := randSlice(rng, n)
	for i := range x {
		switch rng.IntN(10) {
		case 0:
			x[i] = 0
		case 1:
			x[i] = float32(math.Copysign(0, -1))
		case 2:
			x[i] = float32(rng.IntN(3)) // ties
		}
	}
	if n > 7 {
		x[7] = float32(math.NaN())
	}
	return x
}

func eachVec(t *testing.T, f func(t *testing.T, v vecOps)) {
	for name, v := range vecImpls {
		t.Run(name, func(t *testing.T) { f(t, v) })
	}
}

// TestVecElementwise checks relu, its gradient, addBias and sumRows against
// the plain loops, bit for bit, at lengths around the SIMD width and the
// call threshold.
func TestVecElementwise(t *testing.T) {
	eachVec(t, func(t *testing.T, v vecOps) {
		rng := rand.New(rand.NewPCG(11, 11))
		for _, n := range []int{0, 1, 3, 4, 5, 63, 64, 65, 67, 130, 1001} {
			in := specialSlice(rng, n)
			got, want := randSlice(rng, n+3), randSlice(rng, n+3)
			copy(want[n:], got[n:])
			v.relu(got, in)
			for i, x := range in {
				want[i] = max(x, 0)
			}
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("relu n=%d: element %d is %g, want %g", n, i, got[i], want[i])
			}
			dout := specialSlice(rng, n)
			copy(want, got)
			v.reluBackward(got, dout, in)
			for i, g := range dout {
				want[i] = g
				if !(in[i] > 0) && !(in[i] != in[i]) {
					want[i] = 0
				}
			}
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("reluBackward n=%d: element %d is %g, want %g", n, i, got[i], want[i])
			}
		}
		for _, f := range []int{1, 3, 4, 8, 10, 13, 64} {
			for _, rows := range []int{1, 2, 7, 70} {
				b, x := randSlice(rng, f), randSlice(rng, rows*f)
				want := append([]float32(nil), x...)
				v.addBias(x, b)
				for r := 0; r < rows; r++ {
					for j := range b {
						want[r*f+j] += b[j]
					}
				}
				if i := sameBits(x, want); i >= 0 {
					t.Fatalf("addBias f=%d rows=%d: element %d is %g, want %g", f, rows, i, x[i], want[i])
				}
				dst := randSlice(rng, f)
				wantd := append([]float32(nil), dst...)
				v.sumRows(dst, x)
				for r := 0; r < rows; r++ {
					for j := range wantd {
						wantd[j] += x[r*f+j]
					}
				}
				if i := sameBits(dst, wantd); i >= 0 {
					t.Fatalf("sumRows f=%d rows=%d: element %d is %g, want %g", f, rows, i, dst[i], wantd[i])
				}
			}
		}
	})
}

// convGeoms straddle the SIMD width in channels and window rows, with and
// without padding and stride.
var convGeoms = []struct{ h, w, c, k, s, p int }{
	{24, 24, 1, 5, 1, 2}, {12, 12, 8, 5, 1, 2}, {28, 28, 1, 3, 1, 0}, {9, 7, 3, 3, 2, 1},
	{8, 8, 32, 3, 1, 0}, {5, 5, 2, 5, 1, 0}, {10, 11, 4, 4, 3, 3}, {6, 5, 5, 2, 1, 1},
}

func geomOf(c struct{ h, w, c, k, s, p int }) convGeom {
	return convGeom{c.h, c.w, c.c, c.k, c.s, c.p, (c.h+2*c.p-c.k)/c.s + 1, (c.w+2*c.p-c.k)/c.s + 1}
}

// TestVecIm2col checks im2col and col2im against the direct definitions:
// patch (oy·OW+ox, (ky·k+kx)·C+c) is input (oy·s-p+ky, ox·s-p+kx, c) or 0,
// and col2im adds the patches back in patch order.
func TestVecIm2col(t *testing.T) {
	eachVec(t, func(t *testing.T, v vecOps) {
		rng := rand.New(rand.NewPCG(12, 12))
		for _, c := range convGeoms {
			g := geomOf(c)
			kk := g.k * g.k * g.c
			src := randSlice(rng, g.h*g.w*g.c)
			got := randSlice(rng, g.oh*g.ow*kk+5)
			want := append([]float32(nil), got...)
			v.im2col(got, src, &g)
			for oy := 0; oy < g.oh; oy++ {
				for ox := 0; ox < g.ow; ox++ {
					for ky := 0; ky < g.k; ky++ {
						for kx := 0; kx < g.k; kx++ {
							iy, ix := oy*g.stride-g.pad+ky, ox*g.stride-g.pad+kx
							for ch := 0; ch < g.c; ch++ {
								x := float32(0)
								if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w {
									x = src[(iy*g.w+ix)*g.c+ch]
								}
								want[(oy*g.ow+ox)*kk+(ky*g.k+kx)*g.c+ch] = x
							}
						}
					}
				}
			}
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("im2col %v: element %d is %g, want %g", c, i, got[i], want[i])
			}

			dp := randSlice(rng, g.oh*g.ow*kk)
			dx := randSlice(rng, g.h*g.w*g.c+5)
			wantx := append([]float32(nil), dx...)
			v.col2im(dx, dp, &g)
			clear(wantx[:g.h*g.w*g.c])
			for oy := 0; oy < g.oh; oy++ {
				for ox := 0; ox < g.ow; ox++ {
					for ky := 0; ky < g.k; ky++ {
						for kx := 0; kx < g.k; kx++ {
							iy, ix := oy*g.stride-g.pad+ky, ox*g.stride-g.pad+kx
							if iy < 0 || iy >= g.h || ix < 0 || ix >= g.w {
								continue
							}
							for ch := 0; ch < g.c; ch++ {
								wantx[(iy*g.w+ix)*g.c+ch] += dp[(oy*g.ow+ox)*kk+(ky*g.k+kx)*g.c+ch]
							}
						}
					}
				}
			}
			if i := sameBits(dx, wantx); i >= 0 {
				t.Fatalf("col2im %v: element %d is %g, want %g", c, i, dx[i], wantx[i])
			}
		}
	})
}

// TestVecMaxPool checks max pooling against the direct loop, values and
// argmax indices, with ties and NaNs, for channel counts on and off the
// SIMD width.
func TestVecMaxPool(t *testing.T) {
	eachVec(t, func(t *testing.T, v vecOps) {
		rng := rand.New(rand.NewPCG(13, 13))
		for _, c := range []struct{ h, w, c, size, stride int }{
			{24, 24, 8, 2, 2}, {12, 12, 16, 3, 3}, {24, 24, 64, 2, 2}, {7, 9, 4, 3, 2},
			{5, 5, 3, 2, 1}, {6, 6, 12, 2, 2}, {4, 4, 1, 4, 4},
		} {
			t.Run(fmt.Sprint(c), func(t *testing.T) {
				const n = 3
				g := poolGeom{c.h, c.w, c.c, c.size, c.stride, (c.h-c.size)/c.stride + 1, (c.w-c.size)/c.stride + 1}
				in := specialSlice(rng, n*c.h*c.w*c.c)
				size := n * g.oh * g.ow * g.c
				out, arg := randSlice(rng, size), make([]int32, size)
				v.maxPool(out, arg, in, n, &g)
				o := 0
				for e := 0; e < n; e++ {
					for oy := 0; oy < g.oh; oy++ {
						for ox := 0; ox < g.ow; ox++ {
							for ch := 0; ch < g.c; ch++ {
								first := e*c.h*c.w*c.c + (oy*c.stride*c.w+ox*c.stride)*c.c + ch
								best, bi := float32(math.Inf(-1)), first
								for ky := 0; ky < c.size; ky++ {
									for kx := 0; kx < c.size; kx++ {
										i := first + (ky*c.w+kx)*c.c
										if in[i] > best {
											best, bi = in[i], i
										}
									}
								}
								if math.Float32bits(out[o]) != math.Float32bits(best) || arg[o] != int32(bi) {
									t.Fatalf("output %d: got %g from %d, want %g from %d", o, out[o], arg[o], best, bi)
								}
								o++
							}
						}
					}
				}
				dout := randSlice(rng, size)
				din := randSlice(rng, len(in))
				want := make([]float32, len(in))
				v.maxPoolBackward(din, dout, arg)
				for i, gr := range dout {
					want[arg[i]] += gr
				}
				if i := sameBits(din, want); i >= 0 {
					t.Fatalf("maxPoolBackward: element %d is %g, want %g", i, din[i], want[i])
				}
			})
		}
	})
}

// TestReluVariants checks that both portable relu loops give max(v, 0)'s
// bits, NaN and -0 included.
func TestReluVariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	in := specialSlice(rng, 300)
	a, b := make([]float32, len(in)), make([]float32, len(in))
	reluMax(a, in)
	reluCompare(b, in)
	if i := sameBits(b, a); i >= 0 {
		t.Fatalf("element %d of %g: %g by comparison, %g by max", i, in[i], b[i], a[i])
	}
}

// TestVecScaleAddFinite checks scaleAdd against the direct loop, bit for
// bit, with a = 1 and not and with its operands swapped, and finite with one NaN, +Inf or -Inf at each
// position (the four-wide part and the tail), at lengths around the SIMD
// width and the call threshold.
func TestVecScaleAddFinite(t *testing.T) {
	eachVec(t, func(t *testing.T, v vecOps) {
		rng := rand.New(rand.NewPCG(23, 23))
		for _, n := range []int{0, 1, 3, 4, 5, 63, 64, 65, 67, 130} {
			for _, a := range []float32{1, 0.25} {
				g, d := specialSlice(rng, n+3), specialSlice(rng, n)
				want := append([]float32(nil), g...)
				for k := range d {
					want[k] = a*want[k] + 0.75*d[k]
				}
				g0 := append([]float32(nil), g[:n]...)
				v.scaleAdd(g[:n], a, d, 0.75)
				if i := sameBits(g, want); i >= 0 {
					t.Fatalf("scaleAdd n=%d a=%g: element %d is %g, want %g", n, a, i, g[i], want[i])
				}
				// A helper sums the other way round (train.Replica).
				v.scaleAdd(d, 0.75, g0, a)
				if i := sameBits(d, g[:n]); i >= 0 {
					t.Fatalf("scaleAdd n=%d a=%g with g and d swapped: element %d is %g, want %g", n, a, i, d[i], g[i])
				}
			}
			x := randSlice(rng, n)
			if !v.finite(x) {
				t.Fatalf("finite n=%d: false for finite values", n)
			}
			for i := range x {
				for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
					keep := x[i]
					x[i] = float32(bad)
					if v.finite(x) {
						t.Fatalf("finite n=%d: true with %g at %d", n, bad, i)
					}
					x[i] = keep
				}
			}
		}
	})
}
