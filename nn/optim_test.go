package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestOptimizerSteps checks two steps of each optimizer on one weight with a
// constant gradient against the update rules worked out by hand.
func TestOptimizerSteps(t *testing.T) {
	for _, c := range []struct {
		spec OptimizerSpec
		want [2]float64 // weight after step 1 and step 2, from w=1, g=0.5 (+L2)
	}{
		{OptimizerSpec{Kind: "sgd", LR: 0.1}, [2]float64{0.95, 0.90}},
		{OptimizerSpec{Kind: "sgd", LR: 0.1, Momentum: 0.9}, [2]float64{0.95, 0.855}},                      // v=-.05, then -.095
		{OptimizerSpec{Kind: "sgd", LR: 0.1, Momentum: 0.9, Nesterov: true}, [2]float64{0.905, 0.7695}},    // w += μv - lr·g
		{OptimizerSpec{Kind: "sgd", LR: 0.1, L2: 0.2}, [2]float64{1 - 0.1*0.7, 0.93 - 0.1*(0.5+0.2*0.93)}}, // g += λw
		{OptimizerSpec{Kind: "adam", LR: 0.01}, [2]float64{0.99, 0.98}},                                    // bias-corrected: step ≈ lr
		{OptimizerSpec{Kind: "adadelta"}, [2]float64{1 - math.Sqrt(1e-6)/math.Sqrt(0.05*0.25+1e-6)*0.5, math.NaN()}},
	} {
		p := newParam("w", true, 1)
		p.alloc()
		p.W[0] = 1
		opt, err := NewOptimizer(c.spec, []*Param{p})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			p.G[0] = 0.5
			opt.Step()
			if p.G[0] != 0 {
				t.Errorf("%+v: gradient not cleared", c.spec)
			}
			if math.IsNaN(c.want[i]) {
				continue
			}
			if math.Abs(float64(p.W[0])-c.want[i]) > 1e-5 {
				t.Errorf("%+v step %d: w = %.7f, want %.7f", c.spec, i+1, p.W[0], c.want[i])
			}
		}
	}
}

func TestOptimizerRejectsAbsurdSettings(t *testing.T) {
	for _, c := range []struct {
		spec OptimizerSpec
		want string
	}{
		{OptimizerSpec{Kind: "sgd", LR: -1}, "learning rate must be above 0 and at most 10, got -1"},
		{OptimizerSpec{Kind: "adam", LR: 1e9}, "learning rate"},
		{OptimizerSpec{Kind: "sgd", Momentum: 1}, "momentum"},
		{OptimizerSpec{Kind: "sgd", L2: math.NaN()}, "L2 decay"},
		{OptimizerSpec{Kind: "rmsprop"}, `unknown kind "rmsprop"`},
	} {
		if _, err := NewOptimizer(c.spec, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.spec, err, c.want)
		}
	}
}

// stepRef is optimizer.Step's update of one parameter as written before its
// loops moved into vecOps (where the SIMD module can run them), kept as the
// reference they must match bit for bit. s has its defaults filled in; t
// counts steps from 1.
func stepRef(s OptimizerSpec, t int, decay bool, w, g, m, v []float32) {
	lr := float32(s.LR)
	g, m = g[:len(w)], m[:len(w)]
	if decay && s.L2 > 0 {
		l2 := float32(s.L2)
		for j := range g {
			g[j] += l2 * w[j]
		}
	}
	switch s.Kind {
	case "sgd":
		mu := float32(s.Momentum)
		for j := range w {
			m[j] = mu*m[j] - lr*g[j]
			if s.Nesterov {
				w[j] += mu*m[j] - lr*g[j]
			} else {
				w[j] += m[j]
			}
		}
	case "adam":
		b1, b2 := float32(s.Beta1), float32(s.Beta2)
		step := lr * float32(math.Sqrt(1-math.Pow(s.Beta2, float64(t)))/(1-math.Pow(s.Beta1, float64(t))))
		eps := float32(s.Eps)
		v = v[:len(w)]
		for j := range w {
			m[j] = b1*m[j] + (1-b1)*g[j]
			v[j] = b2*v[j] + (1-b2)*g[j]*g[j]
			w[j] -= step * m[j] / (sqrt32(v[j]) + eps)
		}
	case "adadelta":
		rho, eps := float32(s.Rho), float32(s.Eps)
		v = v[:len(w)]
		for j := range w {
			m[j] = rho*m[j] + (1-rho)*g[j]*g[j]
			dx := -sqrt32(v[j]+eps) / sqrt32(m[j]+eps) * g[j]
			v[j] = rho*v[j] + (1-rho)*dx*dx
			w[j] += lr * dx
		}
	}
	clear(g)
}

// updateSpecs are the optimizer settings the update tests run, with their
// defaults filled in as NewOptimizer fills them.
var updateSpecs = []OptimizerSpec{
	{Kind: "adadelta", LR: 1, Rho: 0.95, Eps: 1e-6},
	{Kind: "adadelta", LR: 0.7, Rho: 0.9, Eps: 1e-4, L2: 1e-3},
	{Kind: "adam", LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
	{Kind: "adam", LR: 0.003, Beta1: 0.8, Beta2: 0.99, Eps: 1e-3, L2: 1e-2},
	{Kind: "sgd", LR: 0.01},
	{Kind: "sgd", LR: 0.05, Momentum: 0.9, L2: 5e-4},
	{Kind: "sgd", LR: 0.05, Momentum: 0.9, Nesterov: true},
}

// updateLengths are the lengths TestVecUpdates runs, around the SIMD width
// and the call threshold, each twice: 2n with random values, 2n+1 with zero
// weights (zero gradients for the decay).
var updateLengths = func() []int {
	var c []int
	for _, n := range []int{0, 1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 66, 67, 68, 131, 1000, 1001, 1002, 1003} {
		c = append(c, 2*n, 2*n+1)
	}
	return c
}()

// TestVecUpdates checks the optimizers' loops, the L2 decay and the
// updates, against stepRef's, bit for bit, at lengths around the SIMD width
// and the call threshold, on slices that start one float into their
// buffers (not 16-byte aligned), with zeros, negative zeros and a NaN among
// the values, and with zero gradients (decay) or weights (updates), which
// keep every bit of what is added to them: every value, each gradient
// cleared, the values around the slices untouched.
func TestVecUpdates(t *testing.T) {
	eachVec(t, func(t *testing.T, vo vecOps) {
		rng := rand.New(rand.NewPCG(15, 15))
		for _, c := range updateLengths {
			n := c / 2
			g, w := specialSlice(rng, n+4), specialSlice(rng, n+4)
			if c%2 == 1 {
				clear(g)
			}
			want := append([]float32(nil), g...)
			l2 := float32(1e-3)
			vo.decay(g[1:n+1], w[1:n+1], l2)
			for j := 1; j <= n; j++ {
				want[j] += l2 * w[j]
			}
			if j := sameBits(g, want); j >= 0 {
				t.Fatalf("decay n=%d: g buffer[%d] (the slice starts at 1) is %g, want %g", n, j, g[j], want[j])
			}
		}
		for _, s := range updateSpecs {
			if s.L2 > 0 {
				continue // the decay is its own loop, tested above
			}
			for _, c := range updateLengths {
				n := c / 2
				// Adam's bias correction at the third step
				const t0 = 3
				// w, g, m, v, with a guard before and 3 after
				var got, want [4][]float32
				for i := range got {
					got[i] = specialSlice(rng, n+4)
					if i >= 2 && (s.Kind == "adadelta" || i == 3) {
						for j, x := range got[i] { // mean squares
							got[i][j] = float32(math.Abs(float64(x)))
						}
					}
					if i == 0 && c%2 == 1 {
						// w = 0 keeps every bit of the update, which adding
						// it to a larger w would round away
						clear(got[0][1 : n+1])
					}
					want[i] = append([]float32(nil), got[i]...)
				}
				in := func(b [4][]float32) (w, g, m, v []float32) {
					return b[0][1 : n+1], b[1][1 : n+1], b[2][1 : n+1], b[3][1 : n+1]
				}
				w, g, m, v := in(got)
				lr := float32(s.LR)
				switch s.Kind {
				case "adadelta":
					vo.adadelta(w, g, m, v, float32(s.Rho), float32(s.Eps), lr)
				case "adam":
					step := lr * float32(math.Sqrt(1-math.Pow(s.Beta2, t0))/(1-math.Pow(s.Beta1, t0)))
					vo.adam(w, g, m, v, float32(s.Beta1), float32(s.Beta2), step, float32(s.Eps))
				case "sgd":
					vo.sgd(w, g, m, float32(s.Momentum), lr, s.Nesterov)
				}
				w, g, m, v = in(want)
				stepRef(s, t0, false, w, g, m, v)
				for i, name := range []string{"w", "g", "m", "v"} {
					if j := sameBits(got[i], want[i]); j >= 0 {
						t.Fatalf("%+v n=%d: %s buffer[%d] (the slice starts at 1) is %g, want %g", s, n, name, j, got[i][j], want[i][j])
					}
				}
				for j, x := range g {
					if math.Float32bits(x) != 0 {
						t.Fatalf("%+v n=%d: g[%d] is %g, not cleared", s, n, j, x)
					}
				}
			}
		}
	})
}

// TestStepMatchesReference runs three steps of each optimizer, L2 decay
// included, on parameters of sizes around the SIMD width through each
// vecOps, against stepRef, bit for bit.
func TestStepMatchesReference(t *testing.T) {
	eachVec(t, func(t *testing.T, vo vecOps) {
		saved := vec
		vec = vo
		defer func() { vec = saved }()
		rng := rand.New(rand.NewPCG(16, 16))
		sizes := []int{1, 3, 4, 5, 63, 64, 65, 1000, 1001}
		for _, s := range updateSpecs {
			var params []*Param
			var ref [][4][]float32 // w, g, m, v
			for i, n := range sizes {
				p := newParam(fmt.Sprint("p", i), i%2 == 0, n)
				p.alloc()
				copy(p.W, randSlice(rng, n))
				params = append(params, p)
				ref = append(ref, [4][]float32{append([]float32(nil), p.W...), make([]float32, n), make([]float32, n), make([]float32, n)})
			}
			opt, err := NewOptimizer(s, params)
			if err != nil {
				t.Fatal(err)
			}
			o := opt.(*optimizer)
			if o.spec != s {
				t.Fatalf("spec %+v: NewOptimizer filled it to %+v", s, o.spec)
			}
			for step := 1; step <= 3; step++ {
				for i, p := range params {
					copy(p.G, randSlice(rng, len(p.G)))
					copy(ref[i][1], p.G)
					stepRef(s, step, p.Decay, ref[i][0], ref[i][1], ref[i][2], ref[i][3])
				}
				opt.Step()
				for i, p := range params {
					state := [4][]float32{p.W, p.G, o.m[i], o.v[i]}
					if s.Kind == "sgd" {
						state[3] = ref[i][3] // no second state
					}
					for k, name := range []string{"w", "g", "m", "v"} {
						if j := sameBits(state[k], ref[i][k]); j >= 0 {
							t.Fatalf("%+v step %d, %d values: %s[%d] is %g, want %g", s, step, len(p.W), name, j, state[k][j], ref[i][k][j])
						}
					}
				}
			}
		}
	})
}
