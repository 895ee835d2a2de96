package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The transforms' matrices, written out as in the paper, for the float64
// references below.
var (
	winoBT = [][]float64{{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}}
	winoG  = [][]float64{{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}}
	winoAT = [][]float64{{1, 1, 1, 0}, {0, 1, -1, -1}}
)

func transpose(a [][]float64) [][]float64 {
	t := make([][]float64, len(a[0]))
	for j := range t {
		t[j] = make([]float64, len(a))
		for i := range a {
			t[j][i] = a[i][j]
		}
	}
	return t
}

// sandwich returns L·X·Rᵀ, X's elements given by x.
func sandwich(l [][]float64, x func(i, j int) float64, r [][]float64) [][]float64 {
	out := make([][]float64, len(l))
	for a := range out {
		out[a] = make([]float64, len(r))
		for b := range r {
			for i := range l[a] {
				for j := range r[b] {
					out[a][b] += l[a][i] * x(i, j) * r[b][j]
				}
			}
		}
	}
	return out
}

// checkTransform fails t unless got equals the portable loop's want bit for
// bit, and then, for each of n small matrices, the values at(k) picks from
// got are those of the matrix product ref(k), up to float32 rounding.
func checkTransform(t *testing.T, what string, got, want []float32, n int, ref func(k int) [][]float64, at func(k, r, s int) float32) {
	t.Helper()
	if i := sameBits(got, want); i >= 0 {
		t.Fatalf("%s: element %d is %g, the Go loop's %g", what, i, got[i], want[i])
	}
	for k := 0; k < n; k++ {
		for r, row := range ref(k) {
			for s, v := range row {
				if g := float64(at(k, r, s)); math.Abs(g-v) > 1e-5 {
					t.Fatalf("%s: value (%d, %d) of matrix %d is %g, want %g", what, r, s, k, g, v)
				}
			}
		}
	}
}

// TestVecWinograd checks each implementation's transforms against the
// portable loops bit for bit (what makes SIMD and portable training agree)
// and against the matrix products they stand for, computed in float64,
// with several channel counts, tile grids, input widths and odd output
// sides.
func TestVecWinograd(t *testing.T) {
	eachVec(t, func(t *testing.T, v vecOps) {
		if v.winogradInput == nil {
			t.Skip("no Winograd transforms")
		}
		rng := rand.New(rand.NewPCG(21, 21))
		for _, c := range []struct{ c, f, th, tw, extra, oh, ow int }{
			{4, 4, 1, 1, 0, 2, 2}, {8, 12, 2, 3, 0, 3, 6}, {12, 8, 3, 2, 3, 6, 3}, {32, 64, 12, 12, 0, 24, 24}, {4, 16, 5, 4, 1, 9, 7},
		} {
			name := fmt.Sprintf("%+v", c)
			cf, tiles, wx := c.c*c.f, c.th*c.tw, 2*c.tw+2+c.extra
			// one pair (ci, co) or (tile, channel) per matrix
			tileOf := func(k, per int) (ty, tx, ch int) { return k / per / c.tw, k / per % c.tw, k % per }

			// weights: u[ξ][ci][co] = (G·g·Gᵀ)[ξ]
			w := randSlice(rng, 9*cf)
			u, want := randSlice(rng, 16*cf), make([]float32, 16*cf)
			v.winogradWeights(u, w, c.c, c.f)
			portableVec.winogradWeights(want, w, c.c, c.f)
			checkTransform(t, name+": weights", u, want, cf,
				func(k int) [][]float64 {
					return sandwich(winoG, func(i, j int) float64 { return float64(w[(3*i+j)*cf+k]) }, winoG)
				},
				func(k, r, s int) float32 { return u[(4*r+s)*cf+k] })

			// input: v[ξ][tile][ch] = (Bᵀ·d·B)[ξ]
			x := randSlice(rng, (2*c.th+2)*wx*c.c)
			vt, want := randSlice(rng, 16*tiles*c.c), make([]float32, 16*tiles*c.c)
			v.winogradInput(vt, x, c.th, c.tw, wx, c.c)
			portableVec.winogradInput(want, x, c.th, c.tw, wx, c.c)
			checkTransform(t, name+": input", vt, want, tiles*c.c,
				func(k int) [][]float64 {
					ty, tx, ch := tileOf(k, c.c)
					return sandwich(winoBT, func(i, j int) float64 { return float64(x[((2*ty+i)*wx+2*tx+j)*c.c+ch]) }, winoBT)
				},
				func(k, r, s int) float32 { return vt[(4*r+s)*tiles*c.c+k] })

			// output: out[y][x][co] = (Aᵀ·M·A)[y-2ty][x-2tx] + bias[co],
			// nothing written past oh×ow×f
			m, bias := randSlice(rng, 16*tiles*c.f), randSlice(rng, c.f)
			const guard = 5
			out := randSlice(rng, c.oh*c.ow*c.f+guard)
			want = append([]float32(nil), out...)
			v.winogradOutput(out, m, bias, c.th, c.tw, c.oh, c.ow, c.f)
			portableVec.winogradOutput(want, m, bias, c.th, c.tw, c.oh, c.ow, c.f)
			checkTransform(t, name+": output", out, want, tiles*c.f,
				func(k int) [][]float64 {
					y := sandwich(winoAT, func(i, j int) float64 { return float64(m[(4*i+j)*tiles*c.f+k]) }, winoAT)
					for _, row := range y {
						for j := range row {
							row[j] += float64(bias[k%c.f])
						}
					}
					return y
				},
				func(k, r, s int) float32 {
					ty, tx, co := tileOf(k, c.f)
					if 2*ty+r >= c.oh || 2*tx+s >= c.ow { // dropped: nothing to compare
						return float32(sandwich(winoAT, func(i, j int) float64 { return float64(m[(4*i+j)*tiles*c.f+k]) }, winoAT)[r][s] + float64(bias[co]))
					}
					return out[((2*ty+r)*c.ow+2*tx+s)*c.f+co]
				})
			for i := c.oh * c.ow * c.f; i < len(out); i++ {
				if math.Float32bits(out[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s: output: wrote element %d, past the output", name, i)
				}
			}

			// output gradient: d[ξ][tile][co] = (A·y·Aᵀ)[ξ], y zero past
			// oh×ow (A = Aᵀ's transpose)
			dout := randSlice(rng, c.oh*c.ow*c.f)
			dt, want := randSlice(rng, 16*tiles*c.f), make([]float32, 16*tiles*c.f)
			v.winogradDout(dt, dout, c.th, c.tw, c.oh, c.ow, c.f)
			portableVec.winogradDout(want, dout, c.th, c.tw, c.oh, c.ow, c.f)
			checkTransform(t, name+": output gradient", dt, want, tiles*c.f,
				func(k int) [][]float64 {
					ty, tx, co := tileOf(k, c.f)
					return sandwich(transpose(winoAT), func(i, j int) float64 {
						if 2*ty+i >= c.oh || 2*tx+j >= c.ow {
							return 0
						}
						return float64(dout[((2*ty+i)*c.ow+2*tx+j)*c.f+co])
					}, transpose(winoAT))
				},
				func(k, r, s int) float32 { return dt[(4*r+s)*tiles*c.f+k] })

			// weight gradient: dw[tap][ci][co] += (Gᵀ·M·G)[tap]
			mw, dw := randSlice(rng, 16*cf), randSlice(rng, 9*cf)
			before := append([]float32(nil), dw...)
			want = append([]float32(nil), dw...)
			v.winogradWeightGrad(dw, mw, c.c, c.f)
			portableVec.winogradWeightGrad(want, mw, c.c, c.f)
			checkTransform(t, name+": weight gradient", dw, want, cf,
				func(k int) [][]float64 {
					g := sandwich(transpose(winoG), func(i, j int) float64 { return float64(mw[(4*i+j)*cf+k]) }, transpose(winoG))
					for a, row := range g {
						for b := range row {
							row[b] += float64(before[(3*a+b)*cf+k])
						}
					}
					return g
				},
				func(k, r, s int) float32 { return dw[(3*r+s)*cf+k] })
		}
	})
}

// TestConvWinograd runs 3×3 stride-1 convolutions through the Winograd
// paths (on whichever implementation is in use, its Go loops natively),
// forward and for the input gradient, and checks them and the weight and
// bias gradients against the direct loops, with padding, odd sides and
// several batch sizes: F(2×2, 3×3) differs from the direct sums by float
// rounding only.
func TestConvWinograd(t *testing.T) {
	saved, savedMin := vec.winograd, winogradMinC
	vec.winograd, winogradMinC = true, 4
	defer func() { vec.winograd, winogradMinC = saved, savedMin }()
	rng := rand.New(rand.NewPCG(22, 22))
	for _, c := range winogradCases {
		in := Shape{c.h, c.w, c.c}
		l := randomConv3(rng, in, c.f, c.pad)
		if !l.winograd() || !l.winogradBack() {
			t.Fatalf("%+v: the layer does not take the Winograd paths", c)
		}
		x := randSlice(rng, c.n*in.Size())
		got, want := make([]float32, c.n*l.out.Size()), make([]float32, c.n*l.out.Size())
		for range 2 { // the second call reuses the buffers
			// training's forward pass: inference takes F(4×4, 3×3)
			// (winograd4_test.go)
			l.Forward(got, x, c.n, Pass{Train: true})
		}
		convForwardRef(want, x, l.w.W, l.b.W, c.n, in, l.out, 3, 1, c.pad)
		// the bound grows with the sum's length, 9·C products of normal
		// values
		bound := 1e-6 * float64(9*c.c)
		for i := range got {
			if d := math.Abs(float64(got[i] - want[i])); d > bound || got[i] != got[i] {
				t.Fatalf("%+v: output %d is %g, the direct loop's %g", c, i, got[i], want[i])
			}
		}

		dout := randSlice(rng, len(got))
		din := randSlice(rng, len(x)) // overwritten
		dinRef, dw, db := make([]float32, len(x)), make([]float32, len(l.w.W)), make([]float32, len(l.b.W))
		for range 2 { // twice, as a second batch would
			clear(l.w.G)
			clear(l.b.G)
			l.Backward(din, dout, x, got, c.n)
		}
		convBackwardRef(dinRef, dw, db, dout, x, l.w.W, c.n, in, l.out, 3, 1, c.pad)
		// an input value gets up to 9·F products
		bound = 1e-6 * float64(9*c.f)
		for _, g := range []struct {
			name      string
			got, want []float32
		}{{"input", din, dinRef}, {"weight", l.w.G, dw}, {"bias", l.b.G, db}} {
			for i := range g.got {
				if d := math.Abs(float64(g.got[i] - g.want[i])); d > bound*float64(c.n) || g.got[i] != g.got[i] {
					t.Fatalf("%+v: %s gradient %d is %g, the direct loop's %g", c, g.name, i, g.got[i], g.want[i])
				}
			}
		}
	}
}

// winogradCases are the convolutions the Winograd tests run: the keras
// preset's conv2, and odd sides, padding, and batches.
var winogradCases = []struct{ h, w, c, f, pad, n int }{
	{26, 26, 32, 64, 0, 2}, {7, 9, 8, 4, 0, 1}, {8, 5, 8, 12, 1, 3}, {12, 12, 16, 8, 1, 2}, {3, 3, 8, 4, 0, 1}, {4, 3, 8, 4, 1, 2}, {6, 7, 4, 8, 2, 2},
}

// randomConv3 returns a 3×3 stride-1 convolution of f filters on in, padded
// by pad, with random weights and biases.
func randomConv3(rng *rand.Rand, in Shape, f, pad int) *Conv2D {
	l := newConv2D("conv", in, f, 3, 1, pad)
	l.w.alloc()
	l.b.alloc()
	copy(l.w.W, randSlice(rng, len(l.w.W)))
	copy(l.b.W, randSlice(rng, len(l.b.W)))
	return l
}
