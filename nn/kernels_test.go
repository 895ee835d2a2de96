package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

func maxDiff(a, b []float32) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}

// TestGemmMatchesReference runs the packed product against the plain loop at
// sizes that straddle the 4x4 tiles and the k-blocking, for every transpose.
func TestGemmMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	sizes := []int{1, 3, 4, 5, 8, 13}
	ks := []int{1, 7, gemmKC - 1, gemmKC, gemmKC + 3, 2*gemmKC + 1}
	var s gemmScratch
	for _, m := range sizes {
		for _, n := range sizes {
			for _, k := range ks {
				for _, tr := range []string{"NN", "TN", "NT"} {
					a, b := randSlice(rng, m*k), randSlice(rng, k*n)
					ars, acs, brs, bcs := k, 1, n, 1
					if tr == "TN" {
						ars, acs = 1, m
					}
					if tr == "NT" {
						brs, bcs = 1, k
					}
					for _, acc := range []bool{false, true} {
						got, want := randSlice(rng, m*n), make([]float32, m*n)
						copy(want, got)
						s.gemm(m, n, k, a, ars, acs, b, brs, bcs, got, n, acc)
						gemmRef(m, n, k, a, ars, acs, b, brs, bcs, want, n, acc)
						if d := maxDiff(got, want); d > 1e-4*float64(k) {
							t.Fatalf("%s m=%d n=%d k=%d acc=%v: max difference %g", tr, m, n, k, acc, d)
						}
					}
				}
			}
		}
	}
}

// TestGemmMatchesGonum compares with gonum's reference BLAS, an independent
// implementation, on a conv-sized product.
func TestGemmMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	m, n, k := 97, 33, 290
	a, b := randSlice(rng, m*k), randSlice(rng, k*n)
	got, want := make([]float32, m*n), make([]float32, m*n)
	var s gemmScratch
	s.gemm(m, n, k, a, k, 1, b, n, 1, got, n, false)
	blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
		blas32.General{Rows: m, Cols: k, Stride: k, Data: a},
		blas32.General{Rows: k, Cols: n, Stride: n, Data: b}, 0,
		blas32.General{Rows: m, Cols: n, Stride: n, Data: want})
	if d := maxDiff(got, want); d > 1e-3 {
		t.Fatalf("max difference from gonum Sgemm %g", d)
	}
}

// TestConvMatchesReference compares the im2col path with the direct loops,
// forward and backward, over strides, paddings and odd sizes.
func TestConvMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, c := range []struct{ h, w, ci, f, k, s, p int }{
		{28, 28, 1, 8, 5, 1, 2}, {12, 12, 8, 16, 5, 1, 2}, {9, 7, 3, 5, 3, 2, 1},
		{26, 26, 32, 64, 3, 1, 0}, {5, 5, 2, 3, 5, 1, 0}, {10, 11, 4, 7, 4, 3, 3},
	} {
		t.Run(fmt.Sprint(c), func(t *testing.T) {
			in := Shape{c.h, c.w, c.ci}
			l := newConv2D("conv1", in, c.f, c.k, c.s, c.p)
			l.w.alloc()
			l.b.alloc()
			copy(l.w.W, randSlice(rng, len(l.w.W)))
			copy(l.b.W, randSlice(rng, len(l.b.W)))
			const n = 2
			x := randSlice(rng, n*in.Size())
			got, want := make([]float32, n*l.out.Size()), make([]float32, n*l.out.Size())
			l.Forward(got, x, n, Pass{})
			convForwardRef(want, x, l.w.W, l.b.W, n, in, l.out, c.k, c.s, c.p)
			if d := maxDiff(got, want); d > 1e-3 {
				t.Fatalf("forward: max difference %g", d)
			}
			dout := randSlice(rng, len(got))
			din, dinRef := make([]float32, len(x)), make([]float32, len(x))
			dw, db := make([]float32, len(l.w.W)), make([]float32, len(l.b.W))
			l.Backward(din, dout, x, got, n)
			convBackwardRef(dinRef, dw, db, dout, x, l.w.W, n, in, l.out, c.k, c.s, c.p)
			for _, d := range []struct {
				name      string
				got, want []float32
			}{{"input", din, dinRef}, {"weights", l.w.G, dw}, {"bias", l.b.G, db}} {
				if diff := maxDiff(d.got, d.want); diff > 2e-3 {
					t.Errorf("%s gradient: max difference %g", d.name, diff)
				}
			}
		})
	}
}
