package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// F(4×4, 3×3)'s matrices, written out as in the paper, for the float64
// references below.
var (
	wino4BT = [][]float64{
		{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
		{0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1},
	}
	wino4AT = [][]float64{{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}}
)

// absolute returns a copy of a with every element's absolute value.
func absolute(a [][]float64) [][]float64 {
	out := make([][]float64, len(a))
	for i, row := range a {
		out[i] = make([]float64, len(row))
		for j, v := range row {
			out[i][j] = math.Abs(v)
		}
	}
	return out
}

// checkWithin fails t unless got equals the portable loop's want bit for bit
// and, for each of n small matrices, the values at(k) picks from got are
// those of the float64 product ref(k) within rel times mag(k), the same
// product's sum of absolute terms (float32 rounding grows with it).
func checkWithin(t *testing.T, what string, got, want []float32, n int, rel float64, ref, mag func(k int) [][]float64, at func(k, r, s int) (float32, bool)) {
	t.Helper()
	if i := sameBits(got, want); i >= 0 {
		t.Fatalf("%s: element %d is %g, the Go loop's %g", what, i, got[i], want[i])
	}
	for k := 0; k < n; k++ {
		m := mag(k)
		for r, row := range ref(k) {
			for s, v := range row {
				g, ok := at(k, r, s)
				if !ok {
					continue
				}
				if d := math.Abs(float64(g) - v); d > rel*m[r][s] || g != g {
					t.Fatalf("%s: value (%d, %d) of matrix %d is %g, want %g (error %g, bound %g)", what, r, s, k, g, v, d, rel*m[r][s])
				}
			}
		}
	}
}

// TestVecWinograd4 checks each implementation's F(4×4, 3×3) transforms
// against the portable loops bit for bit and against the matrix products
// they stand for, computed in float64, within float32 rounding of their
// terms, with several channel counts, tile grids, input widths and output
// sides that are not multiples of 4.
func TestVecWinograd4(t *testing.T) {
	eachVec(t, func(t *testing.T, v vecOps) {
		if v.winograd4Input == nil {
			t.Skip("no F(4×4, 3×3) transforms")
		}
		rng := rand.New(rand.NewPCG(41, 41))
		for _, c := range []struct{ th, tw, wx, c, f, oh, ow int }{
			{6, 6, 26, 32, 64, 24, 24}, {1, 1, 6, 4, 4, 4, 4}, {2, 3, 14, 8, 12, 5, 10}, {3, 2, 11, 12, 8, 9, 7}, {1, 2, 12, 4, 8, 1, 6},
		} {
			tiles := c.th * c.tw
			tileOf := func(k, ch int) (ty, tx, i int) { return k / ch / c.tw, k / ch % c.tw, k % ch }
			x := randSlice(rng, ((4*c.th+1)*c.wx+4*c.tw+2)*c.c)
			vt, want := randSlice(rng, 36*tiles*c.c), make([]float32, 36*tiles*c.c)
			v.winograd4Input(vt, x, c.th, c.tw, c.wx, c.c)
			portableVec.winograd4Input(want, x, c.th, c.tw, c.wx, c.c)
			patch := func(k int, abs bool) func(i, j int) float64 {
				ty, tx, ch := tileOf(k, c.c)
				return func(i, j int) float64 {
					d := float64(x[((4*ty+i)*c.wx+4*tx+j)*c.c+ch])
					if abs {
						return math.Abs(d)
					}
					return d
				}
			}
			checkWithin(t, "input", vt, want, tiles*c.c, 1e-6,
				func(k int) [][]float64 { return sandwich(wino4BT, patch(k, false), wino4BT) },
				func(k int) [][]float64 { return sandwich(absolute(wino4BT), patch(k, true), absolute(wino4BT)) },
				func(k, r, s int) (float32, bool) { return vt[(6*r+s)*tiles*c.c+k], true })

			m, bias := randSlice(rng, 36*tiles*c.f), randSlice(rng, c.f)
			out := randSlice(rng, c.oh*c.ow*c.f+5)
			want = append([]float32(nil), out...)
			v.winograd4Output(out, m, bias, c.th, c.tw, c.oh, c.ow, c.f)
			portableVec.winograd4Output(want, m, bias, c.th, c.tw, c.oh, c.ow, c.f)
			tile := func(k int, abs bool) func(i, j int) float64 {
				return func(i, j int) float64 {
					d := float64(m[(6*i+j)*tiles*c.f+k])
					if abs {
						return math.Abs(d)
					}
					return d
				}
			}
			checkWithin(t, "output", out, want, tiles*c.f, 1e-6,
				func(k int) [][]float64 {
					y := sandwich(wino4AT, tile(k, false), wino4AT)
					for _, row := range y {
						for s := range row {
							row[s] += float64(bias[k%c.f])
						}
					}
					return y
				},
				func(k int) [][]float64 {
					y := sandwich(absolute(wino4AT), tile(k, true), absolute(wino4AT))
					for _, row := range y {
						for s := range row {
							row[s] += math.Abs(float64(bias[k%c.f]))
						}
					}
					return y
				},
				func(k, r, s int) (float32, bool) {
					ty, tx, co := tileOf(k, c.f)
					if 4*ty+r >= c.oh || 4*tx+s >= c.ow { // dropped
						return 0, false
					}
					return out[((4*ty+r)*c.ow+4*tx+s)*c.f+co], true
				})
			for i := c.oh * c.ow * c.f; i < len(out); i++ {
				if math.Float32bits(out[i]) != math.Float32bits(want[i]) {
					t.Fatalf("output: wrote element %d, past the output", i)
				}
			}
		}
	})
}

// TestWinograd4Weights checks G·g·Gᵀ against the float64 product: rounded
// once, within half a float32 unit.
func TestWinograd4Weights(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 42))
	const c, f = 4, 8
	w := randSlice(rng, 9*c*f)
	u := make([]float32, 36*c*f)
	winograd4Weights(u, w, c, f)
	g := [][]float64{
		{1.0 / 4, 0, 0},
		{-1.0 / 6, -1.0 / 6, -1.0 / 6},
		{-1.0 / 6, 1.0 / 6, -1.0 / 6},
		{1.0 / 24, 1.0 / 12, 1.0 / 6},
		{1.0 / 24, -1.0 / 12, 1.0 / 6},
		{0, 0, 1},
	}
	for k := 0; k < c*f; k++ {
		ref := sandwich(g, func(i, j int) float64 { return float64(w[(3*i+j)*c*f+k]) }, g)
		for r, row := range ref {
			for s, v := range row {
				// within float32's rounding of the float64 value (the
				// reference sums in another order)
				if got := u[(6*r+s)*c*f+k]; math.Abs(float64(got)-v) > 0x1p-24*math.Abs(v) {
					t.Fatalf("filter %d: U(%d, %d) is %g, want %g", k, r, s, got, v)
				}
			}
		}
	}
}

// TestConvWinograd4 runs 3×3 stride-1 convolutions through F(4×4, 3×3) in
// inference (on whichever implementation is in use, its Go loops
// natively) and checks them against the direct loop, with padding and
// sides that are not multiples of 4, and that training's forward pass
// still takes F(2×2, 3×3).
func TestConvWinograd4(t *testing.T) {
	saved, savedMin := vec.winograd, winogradMinC
	vec.winograd, winogradMinC = true, 4
	defer func() { vec.winograd, winogradMinC = saved, savedMin }()
	if vec.winograd4Input == nil {
		t.Skip("no F(4×4, 3×3) transforms")
	}
	rng := rand.New(rand.NewPCG(43, 43))
	worst := 0.0
	for _, c := range winogradCases {
		in := Shape{c.h, c.w, c.c}
		l := randomConv3(rng, in, c.f, c.pad)
		if !l.winograd4() {
			t.Fatalf("%+v: the layer does not take F(4×4, 3×3)", c)
		}
		x := randSlice(rng, c.n*in.Size())
		got, want := make([]float32, c.n*l.out.Size()), make([]float32, c.n*l.out.Size())
		for range 2 { // the second call reuses the buffers
			l.Forward(got, x, c.n, Pass{})
		}
		convForwardRef(want, x, l.w.W, l.b.W, c.n, in, l.out, 3, 1, c.pad)
		// the sum's terms are products of values in [-1, 1): the
		// transforms' rounding grows with their number, 9·C, and with the
		// transforms' coefficients (up to 8 and 5)
		bound := 1e-5 * float64(9*c.c)
		for i := range got {
			d := math.Abs(float64(got[i] - want[i]))
			worst = max(worst, d/float64(9*c.c))
			if d > bound || got[i] != got[i] {
				t.Fatalf("%+v: output %d is %g, the direct loop's %g", c, i, got[i], want[i])
			}
		}

		l.Forward(got, x, c.n, Pass{Train: true, Rand: rng})
		f2 := make([]float32, len(got))
		l.forwardWinograd(f2, x, c.n)
		if i := sameBits(got, f2); i >= 0 {
			t.Fatalf("%+v: training's output %d is %g, F(2×2, 3×3)'s %g", c, i, got[i], f2[i])
		}
	}
	t.Logf("largest error per term of the sum: %.3g", worst)
}
