package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// cacheSpec has a layer on each path that keeps work derived from its
// weights: a 3×3 convolution of 4 channels (Winograd's, forward and input
// gradient, where withWinograd turns it on; im2col's packed weights
// otherwise), a 5×5 one (im2col's packed W and Wᵀ, or the gather products
// under the SIMD module) and a dense layer (packed W).
func cacheSpec() Spec {
	return Spec{
		Input: Shape{10, 10, 1},
		Layers: []LayerSpec{
			{Type: "conv", Filters: 4, Size: 3, Pad: 1}, {Type: "relu"},
			{Type: "conv", Filters: 8, Size: 3, Pad: 1}, {Type: "relu"},
			{Type: "maxpool", Size: 2},
			{Type: "conv", Filters: 6, Size: 5, Pad: 2}, {Type: "relu"},
			{Type: "flatten"},
			{Type: "dense", Units: 10}, {Type: "softmax"},
		},
	}
}

// withWinograd runs f with 3×3 convolutions of 4 or more channels on
// Winograd's path, in Go's transforms where the SIMD module is not there.
func withWinograd(f func()) {
	saved, savedMin := vec.winograd, winogradMinC
	vec.winograd, winogradMinC = true, 4
	defer func() { vec.winograd, winogradMinC = saved, savedMin }()
	f()
}

// sameAsFresh checks that net's next inference on x (n examples, both
// one image and the batch) and input gradient equal, bit for bit, those of
// a fresh network with the same weights, which holds no cached work.
func sameAsFresh(t *testing.T, what string, net *Network, x []float32, n int) {
	t.Helper()
	fresh := net.Clone()
	for _, k := range []int{1, n} {
		got := append([]float32(nil), net.Forward(x[:k*net.InShape().Size()], k, Pass{})...)
		want := fresh.Forward(x[:k*net.InShape().Size()], k, Pass{})
		if i := firstDiff(got, want); i >= 0 {
			t.Fatalf("%s: inference on %d: output %d is %v, a fresh network's %v", what, k, i, got[i], want[i])
		}
	}
	labels := make([]uint8, n)
	for i := range labels {
		labels[i] = uint8(i % 10)
	}
	dx, dxFresh := make([]float32, len(x)), make([]float32, len(x))
	net.ZeroGrad()
	fresh.ZeroGrad()
	net.InputGradient(dx, x, labels, n, Pass{})
	fresh.InputGradient(dxFresh, x, labels, n, Pass{})
	if i := firstDiff(dx, dxFresh); i >= 0 {
		t.Fatalf("%s: input gradient %d is %v, a fresh network's %v", what, i, dx[i], dxFresh[i])
	}
	if i := firstDiff(net.GradData(), fresh.GradData()); i >= 0 {
		t.Fatalf("%s: weight gradient %d is %v, a fresh network's %v", what, i, net.GradData()[i], fresh.GradData()[i])
	}
	net.ZeroGrad()
}

// firstDiff is the first index where a and b differ in their bits, or -1.
func firstDiff(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

// TestWeightCaches: every path that changes the weights (the optimizers'
// steps, SetWeights, a write to a Param's W or to WeightData followed by
// what their docs ask) makes the next inference, input gradient and
// weight gradient those of a fresh network with the new weights, bit for
// bit, on the Winograd path and off it.
func TestWeightCaches(t *testing.T) {
	run := func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		net, err := Build(cacheSpec(), rng)
		if err != nil {
			t.Fatal(err)
		}
		const n = 9 // more rows than any kernel's tile
		x := randSlice(rng, n*net.InShape().Size())
		labels := make([]uint8, n)
		sameAsFresh(t, "built", net, x, n) // fills the caches
		for _, kind := range []string{"sgd", "adam", "adadelta"} {
			opt, err := NewOptimizer(OptimizerSpec{Kind: kind, LR: 0.05}, net.Params())
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				net.ZeroGrad()
				net.Gradient(x, labels, n, Pass{Train: true})
				opt.Step()
				sameAsFresh(t, kind+" step", net, x, n)
			}
		}
		if err := net.SetWeights(randSlice(rng, net.ParamCount())); err != nil {
			t.Fatal(err)
		}
		sameAsFresh(t, "SetWeights", net, x, n)
		for _, p := range net.Params() {
			p.W[len(p.W)/2] += 0.5
			p.Changed()
			sameAsFresh(t, "a write to "+p.Name, net, x, n)
		}
		w := net.WeightData()
		for i := range w {
			w[i] *= 0.9
		}
		net.WeightsChanged()
		sameAsFresh(t, "a write to WeightData", net, x, n)
	}
	t.Run("default", run)
	t.Run("winograd", func(t *testing.T) { withWinograd(func() { run(t) }) })
}

// TestWeightCacheUsed: the layers do keep their derived work: a write to
// the weights that does not say so leaves the next inference on the old
// weights. (It is what TestWeightCaches would catch on any path that
// forgot to say so.)
func TestWeightCacheUsed(t *testing.T) {
	withWinograd(func() {
		rng := rand.New(rand.NewPCG(5, 6))
		net, err := Build(cacheSpec(), rng)
		if err != nil {
			t.Fatal(err)
		}
		x := randSlice(rng, net.InShape().Size())
		before := append([]float32(nil), net.Forward(x, 1, Pass{})...)
		conv2 := net.Layers[2].(*Conv2D)
		if !conv2.winograd() {
			t.Fatal("conv2 is not on Winograd's path")
		}
		for i := range conv2.w.W {
			conv2.w.W[i] = -conv2.w.W[i]
		}
		if got := net.Forward(x, 1, Pass{}); firstDiff(got, before) >= 0 {
			t.Errorf("an unannounced write to conv2's weights changed the output: the filters were transformed again")
		}
		conv2.w.Changed()
		if got := net.Forward(x, 1, Pass{}); firstDiff(got, before) < 0 {
			t.Errorf("after Changed, the output is still the old weights'")
		}
	})
}

// TestDenseNonFiniteWeightOnZeroInput checks that one image through a
// dense layer multiplies a weight facing a zero input when the weights are
// not all finite (0·∞ is NaN, which the SIMD module's zero-skipping product
// would miss), and that the layer's record of whether they are follows
// every change of them: finite, then ∞ in place, then finite again.
func TestDenseNonFiniteWeightOnZeroInput(t *testing.T) {
	net, err := Build(Spec{
		Input:  Shape{1, 1, 8},
		Layers: []LayerSpec{{Type: "dense", Units: 5}, {Type: "softmax"}},
	}, rand.New(rand.NewPCG(12, 12)))
	if err != nil {
		t.Fatal(err)
	}
	x := []float32{1, 0, 2, 0, 0, 3, 0, 4}
	w := net.Params()[0]
	for _, tc := range []struct {
		what string
		w13  float32 // weight from input 1 (zero) to output 3
		nan  bool
	}{{"finite", 0.5, false}, {"∞ facing a zero", float32(math.Inf(1)), true}, {"finite again", -0.25, false}} {
		w.W[1*5+3] = tc.w13
		w.Changed()
		net.Forward(x, 1, Pass{})
		out := append([]float32(nil), net.Output(0)...)
		for j, v := range out {
			if isNaN := v != v; isNaN != (tc.nan && j == 3) {
				t.Errorf("%s: output %d is %v", tc.what, j, v)
			}
		}
		fresh := net.Clone()
		fresh.Forward(x, 1, Pass{})
		want := fresh.Output(0)
		if i := firstDiff(out, want); i >= 0 {
			t.Errorf("%s: output %d is %v, a fresh network's %v", tc.what, i, out[i], want[i])
		}
	}
}
