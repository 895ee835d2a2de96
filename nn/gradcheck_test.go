package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// fdSettings: central differences with a step sized for float32 values; the
// objective is accumulated in float64.
var fdSettings = &fd.Settings{Formula: fd.Central, Step: 1e-2}

func randSlice(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

func to64(x []float32) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = float64(v)
	}
	return y
}

// dot64 is Σ a⊙b in float64.
func dot64(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

// closeGrad reports the first index where analytic and numeric gradients
// disagree beyond an absolute-plus-relative tolerance.
func closeGrad(t *testing.T, what string, analytic []float32, numeric []float64, tol float64) {
	t.Helper()
	bad := 0
	for i := range numeric {
		a, n := float64(analytic[i]), numeric[i]
		if math.Abs(a-n) > tol*(1+math.Abs(n)) {
			if bad < 5 {
				t.Errorf("%s[%d]: analytic %.6g, finite difference %.6g", what, i, a, n)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d gradients disagree", what, bad, len(numeric))
	}
}

// checkLayer compares a layer's Backward with finite differences of
// f = Σ Forward(x)⊙g, for its input and every parameter.
func checkLayer(t *testing.T, l Layer, n int, x []float32, tol float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 8))
	out := make([]float32, n*l.OutShape().Size())
	g := randSlice(rng, len(out))
	f := func() float64 {
		l.Forward(out, x, n, Pass{})
		return dot64(out, g)
	}
	for _, p := range l.Params() {
		clear(p.G)
	}
	l.Forward(out, x, n, Pass{})
	din := make([]float32, len(x))
	l.Backward(din, g, x, append([]float32(nil), out...), n)

	numeric := fd.Gradient(nil, func(v []float64) float64 {
		saved := append([]float32(nil), x...)
		for i := range x {
			x[i] = float32(v[i])
		}
		r := f()
		copy(x, saved)
		return r
	}, to64(x), fdSettings)
	closeGrad(t, l.Name()+" input", din, numeric, tol)

	for _, p := range l.Params() {
		numeric := fd.Gradient(nil, func(v []float64) float64 {
			saved := append([]float32(nil), p.W...)
			for i := range p.W {
				p.W[i] = float32(v[i])
			}
			p.Changed()
			r := f()
			copy(p.W, saved)
			p.Changed()
			return r
		}, to64(p.W), fdSettings)
		closeGrad(t, p.Name, p.G, numeric, tol)
	}
}

// awayFromKinks replaces x by distinct values at least 0.05 apart and away
// from zero, in random order, so that ReLU and max pooling are smooth within
// a finite-difference step.
func awayFromKinks(x []float32, rng *rand.Rand) {
	for i, j := range rng.Perm(len(x)) {
		x[i] = 0.05 * (float32(j) - float32(len(x))/2 + 0.5)
	}
}

func mustLayer(t *testing.T, ls LayerSpec, in Shape) Layer {
	t.Helper()
	l, err := buildLayer(ls.Type+"1", ls, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range l.Params() {
		p.alloc()
	}
	if len(l.Params()) > 0 {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, p := range l.Params() {
			copy(p.W, randSlice(rng, len(p.W)))
			for i := range p.W {
				p.W[i] *= 0.3
			}
		}
	}
	return l
}

func TestLayerGradients(t *testing.T) {
	cases := []struct {
		ls LayerSpec
		in Shape
	}{
		{LayerSpec{Type: "conv", Filters: 3, Size: 3, Pad: 1}, Shape{6, 5, 2}},
		{LayerSpec{Type: "conv", Filters: 4, Size: 3, Stride: 2}, Shape{7, 7, 3}},
		{LayerSpec{Type: "conv", Filters: 2, Size: 5, Stride: 2, Pad: 2}, Shape{6, 6, 1}},
		{LayerSpec{Type: "maxpool", Size: 2}, Shape{6, 6, 3}},
		{LayerSpec{Type: "maxpool", Size: 3, Stride: 2}, Shape{7, 7, 2}},
		{LayerSpec{Type: "avgpool", Size: 2}, Shape{6, 6, 3}},
		{LayerSpec{Type: "avgpool", Size: 3, Stride: 2}, Shape{7, 7, 2}},
		{LayerSpec{Type: "dense", Units: 5}, Shape{3, 3, 2}},
		{LayerSpec{Type: "relu"}, Shape{4, 4, 2}},
		{LayerSpec{Type: "leakyrelu", Alpha: 0.1}, Shape{4, 4, 2}},
		{LayerSpec{Type: "tanh"}, Shape{4, 4, 2}},
		{LayerSpec{Type: "sigmoid"}, Shape{4, 4, 2}},
		{LayerSpec{Type: "flatten"}, Shape{3, 2, 2}},
		{LayerSpec{Type: "softmax"}, Shape{1, 1, 7}},
		{LayerSpec{Type: "dropout", Rate: 0.5}, Shape{3, 3, 1}}, // identity outside training
	}
	for _, c := range cases {
		t.Run(c.ls.Type, func(t *testing.T) {
			l := mustLayer(t, c.ls, c.in)
			const n = 2
			x := make([]float32, n*c.in.Size())
			awayFromKinks(x, rand.New(rand.NewPCG(3, 4)))
			checkLayer(t, l, n, x, 2e-3)
		})
	}
}

// TestNetworkGradient checks the fused softmax cross-entropy and the whole
// backward pass of a small net with every layer kind against finite
// differences of the loss.
func TestNetworkGradient(t *testing.T) {
	spec := Spec{Input: Shape{8, 8, 2}, Mean: 0.1, Std: 0.5, Layers: []LayerSpec{
		{Type: "conv", Filters: 3, Size: 3, Pad: 1}, {Type: "leakyrelu", Alpha: 0.1},
		{Type: "maxpool", Size: 2},
		{Type: "conv", Filters: 4, Size: 3, Stride: 2, Pad: 1}, {Type: "tanh"},
		{Type: "avgpool", Size: 2},
		{Type: "flatten"},
		{Type: "dense", Units: 6}, {Type: "sigmoid"},
		{Type: "dense", Units: 5}, {Type: "relu"},
		{Type: "dense", Units: 4}, {Type: "softmax"},
	}}
	net, err := Build(spec, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	const n = 3
	x := randSlice(rand.New(rand.NewPCG(9, 9)), n*spec.Input.Size())
	labels := []uint8{0, 3, 2}
	net.ZeroGrad()
	net.Gradient(x, labels, n, Pass{})
	analytic := map[*Param][]float32{}
	for _, p := range net.Params() {
		analytic[p] = append([]float32(nil), p.G...)
	}
	loss := func() float64 {
		l, _ := net.Gradient(x, labels, n, Pass{})
		return l
	}
	for _, p := range net.Params() {
		numeric := fd.Gradient(nil, func(v []float64) float64 {
			saved := append([]float32(nil), p.W...)
			for i := range p.W {
				p.W[i] = float32(v[i])
			}
			p.Changed()
			r := loss()
			copy(p.W, saved)
			p.Changed()
			return r
		}, to64(p.W), &fd.Settings{Formula: fd.Central, Step: 1e-3})
		closeGrad(t, p.Name, analytic[p], numeric, 2e-3)
	}
}

func TestDropoutMask(t *testing.T) {
	l := &Dropout{name: "dropout1", shape: Shape{1, 1, 10000}, rate: 0.3}
	in := make([]float32, 10000)
	for i := range in {
		in[i] = 1
	}
	out := make([]float32, len(in))
	l.Forward(out, in, 1, Pass{Train: true, Rand: rand.New(rand.NewPCG(1, 1))})
	kept, sum := 0, 0.0
	for _, v := range out {
		if v != 0 {
			kept++
			if math.Abs(float64(v)-1/0.7) > 1e-6 {
				t.Fatalf("kept value %v, want %v", v, 1/0.7)
			}
		}
		sum += float64(v)
	}
	if kept < 6800 || kept > 7200 {
		t.Errorf("kept %d of 10000 at rate 0.3", kept)
	}
	if math.Abs(sum/10000-1) > 0.03 {
		t.Errorf("mean after dropout %.3f, want about 1 (inverted dropout)", sum/10000)
	}
	dout := make([]float32, len(in))
	for i := range dout {
		dout[i] = 2
	}
	din := make([]float32, len(in))
	l.Backward(din, dout, in, out, 1)
	for i := range din {
		if (din[i] == 0) != (out[i] == 0) {
			t.Fatalf("gradient at %d passes %v where the output was %v", i, din[i], out[i])
		}
	}
}
