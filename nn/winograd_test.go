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
	winoBT = [4][4]float64{{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}}
	winoG  = [4][3]float64{{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}}
	winoAT = [2][4]float64{{1, 1, 1, 0}, {0, 1, -1, -1}}
)

// TestVecWinograd checks each implementation's three transforms against
// the matrix products they stand for, computed in float64, and against the
// portable loops bit for bit (what makes SIMD and portable training agree),
// with several channel counts, tile grids, input widths and odd output
// sides.
func TestVecWinograd(t *testing.T) {
	eachVec(t, func(t *testing.T, v vecOps) {
		rng := rand.New(rand.NewPCG(21, 21))
		for _, c := range []struct{ c, f, th, tw, extra, oh, ow int }{
			{4, 4, 1, 1, 0, 2, 2}, {8, 12, 2, 3, 0, 3, 6}, {12, 8, 3, 2, 3, 6, 3}, {32, 64, 12, 12, 0, 24, 24}, {4, 16, 5, 4, 1, 9, 7},
		} {
			name := fmt.Sprintf("%+v", c)
			// weights: u[ξ][ci][co] = (G·g·Gᵀ)[ξ]
			cf := c.c * c.f
			w := randSlice(rng, 9*cf)
			u := randSlice(rng, 16*cf)
			v.winogradWeights(u, w, c.c, c.f)
			want := make([]float32, 16*cf)
			portableVec.winogradWeights(want, w, c.c, c.f)
			if i := sameBits(u, want); i >= 0 {
				t.Fatalf("%s: weights: element %d is %g, the Go loop's %g", name, i, u[i], want[i])
			}
			for i := 0; i < cf; i++ {
				for r := 0; r < 4; r++ {
					for s := 0; s < 4; s++ {
						var sum float64
						for a := 0; a < 3; a++ {
							for b := 0; b < 3; b++ {
								sum += winoG[r][a] * float64(w[(3*a+b)*cf+i]) * winoG[s][b]
							}
						}
						if got := float64(u[(4*r+s)*cf+i]); math.Abs(got-sum) > 1e-5 {
							t.Fatalf("%s: weights: U[%d][%d] of filter %d is %g, want %g", name, r, s, i, got, sum)
						}
					}
				}
			}

			// input: v[ξ][tile][ch] = (Bᵀ·d·B)[ξ]
			tiles, wx := c.th*c.tw, 2*c.tw+2+c.extra
			x := randSlice(rng, (2*c.th+2)*wx*c.c)
			vt := randSlice(rng, 16*tiles*c.c)
			v.winogradInput(vt, x, c.th, c.tw, wx, c.c)
			wantV := make([]float32, len(vt))
			portableVec.winogradInput(wantV, x, c.th, c.tw, wx, c.c)
			if i := sameBits(vt, wantV); i >= 0 {
				t.Fatalf("%s: input: element %d is %g, the Go loop's %g", name, i, vt[i], wantV[i])
			}
			for ty := 0; ty < c.th; ty++ {
				for tx := 0; tx < c.tw; tx++ {
					for ch := 0; ch < c.c; ch++ {
						d := func(i, j int) float64 { return float64(x[((2*ty+i)*wx+2*tx+j)*c.c+ch]) }
						for r := 0; r < 4; r++ {
							for s := 0; s < 4; s++ {
								var sum float64
								for i := 0; i < 4; i++ {
									for j := 0; j < 4; j++ {
										sum += winoBT[r][i] * d(i, j) * winoBT[s][j]
									}
								}
								got := float64(vt[(4*r+s)*tiles*c.c+(ty*c.tw+tx)*c.c+ch])
								if math.Abs(got-sum) > 1e-5 {
									t.Fatalf("%s: input: V[%d][%d] of tile (%d, %d) channel %d is %g, want %g", name, r, s, ty, tx, ch, got, sum)
								}
							}
						}
					}
				}
			}

			// output: out[y][x][co] = (Aᵀ·M·A)[y-2ty][x-2tx] + bias[co],
			// nothing written past oh×ow×f
			m := randSlice(rng, 16*tiles*c.f)
			bias := randSlice(rng, c.f)
			const guard = 5
			out := randSlice(rng, c.oh*c.ow*c.f+guard)
			wantOut := append([]float32(nil), out...)
			v.winogradOutput(out, m, bias, c.th, c.tw, c.oh, c.ow, c.f)
			portableVec.winogradOutput(wantOut, m, bias, c.th, c.tw, c.oh, c.ow, c.f)
			if i := sameBits(out, wantOut); i >= 0 {
				t.Fatalf("%s: output: element %d is %g, the Go loop's %g", name, i, out[i], wantOut[i])
			}
			for y := 0; y < c.oh; y++ {
				for xx := 0; xx < c.ow; xx++ {
					ty, tx := y/2, xx/2
					for co := 0; co < c.f; co++ {
						sum := float64(bias[co])
						for i := 0; i < 4; i++ {
							for j := 0; j < 4; j++ {
								sum += winoAT[y%2][i] * float64(m[(4*i+j)*tiles*c.f+(ty*c.tw+tx)*c.f+co]) * winoAT[xx%2][j]
							}
						}
						if got := float64(out[(y*c.ow+xx)*c.f+co]); math.Abs(got-sum) > 1e-5 {
							t.Fatalf("%s: output (%d, %d) filter %d is %g, want %g", name, y, xx, co, got, sum)
						}
					}
				}
			}
			for i := c.oh * c.ow * c.f; i < len(out); i++ {
				if math.Float32bits(out[i]) != math.Float32bits(wantOut[i]) {
					t.Fatalf("%s: output: wrote element %d, past the output", name, i)
				}
			}
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
	for _, c := range []struct{ h, w, c, f, pad, n int }{
		{26, 26, 32, 64, 0, 2}, {7, 9, 8, 4, 0, 1}, {8, 5, 8, 12, 1, 3}, {12, 12, 16, 8, 1, 2}, {3, 3, 8, 4, 0, 1}, {4, 3, 8, 4, 1, 2}, {6, 7, 4, 8, 2, 2},
	} {
		in := Shape{c.h, c.w, c.c}
		l := newConv2D("conv", in, c.f, 3, 1, c.pad)
		if !l.winograd() || !l.winogradBack() {
			t.Fatalf("%+v: the layer does not take the Winograd paths", c)
		}
		l.w.alloc()
		l.b.alloc()
		copy(l.w.W, randSlice(rng, len(l.w.W)))
		copy(l.b.W, randSlice(rng, len(l.b.W)))
		x := randSlice(rng, c.n*in.Size())
		got, want := make([]float32, c.n*l.out.Size()), make([]float32, c.n*l.out.Size())
		for range 2 { // the second call reuses the buffers
			l.Forward(got, x, c.n, Pass{})
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
