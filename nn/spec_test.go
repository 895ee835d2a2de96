package nn

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestBuildErrorsNameTheLayer(t *testing.T) {
	in := Shape{28, 28, 1}
	for _, c := range []struct {
		layers []LayerSpec
		want   string
	}{
		{[]LayerSpec{{Type: "conv", Filters: 16, Size: 5}, {Type: "maxpool", Size: 6}, {Type: "conv", Filters: 16, Size: 5},
			{Type: "flatten"}, {Type: "dense", Units: 10}, {Type: "softmax"}}, "conv2: 5x5 kernel does not fit a 4x4x16 input"},
		{[]LayerSpec{{Type: "conv", Filters: 0, Size: 3}, {Type: "softmax"}}, "conv1: filters must be between 1 and 1024, got 0"},
		{[]LayerSpec{{Type: "conv", Filters: 4, Size: 3, Pad: 3}, {Type: "softmax"}}, "conv1: padding must be between 0 and 2"},
		{[]LayerSpec{{Type: "maxpool", Size: 30}, {Type: "softmax"}}, "maxpool1: 30x30 window does not fit a 28x28x1 input"},
		{[]LayerSpec{{Type: "dense", Units: 10}, {Type: "dropout", Rate: 1}, {Type: "softmax"}}, "dropout1: rate must be at least 0 and below 1, got 1"},
		{[]LayerSpec{{Type: "dense", Units: 10}}, "the last layer must be softmax"},
		{[]LayerSpec{{Type: "dense", Units: 10}, {Type: "softmax"}, {Type: "softmax"}}, "softmax1: softmax may only be the last layer"},
		{[]LayerSpec{{Type: "conv", Filters: 4, Size: 3}, {Type: "softmax"}}, "softmax1: needs a vector of class scores, got a 26x26x4 volume"},
		{[]LayerSpec{{Type: "dense", Units: 1}, {Type: "softmax"}}, "softmax: 1 classes"},
		{[]LayerSpec{{Type: "pool"}, {Type: "softmax"}}, `pool1: unknown layer type "pool"`},
		{[]LayerSpec{{Type: "dense", Units: 60000}, {Type: "dense", Units: 60000}, {Type: "softmax"}}, "dense2: 60000 inputs × 60000 units is over 50 million weights"},
	} {
		_, err := Build(Spec{Input: in, Layers: c.layers}, rand.New(rand.NewPCG(1, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got error %v, want one containing %q", err, c.want)
		}
	}
}

func TestBuildRefusesUnknownInit(t *testing.T) {
	spec := Spec{Input: Shape{4, 4, 1}, Init: "xavier", Layers: []LayerSpec{{Type: "dense", Units: 2}, {Type: "softmax"}}}
	if _, err := Build(spec, rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), `init: unknown initialisation "xavier"`) {
		t.Errorf("got %v", err)
	}
}

// TestInitStatistics checks each initialisation's spread on a dense layer
// that feeds a ReLU: He-normal has standard deviation sqrt(2/fanIn),
// Glorot-uniform stays within sqrt(6/(fanIn+fanOut)) with standard
// deviation limit/sqrt(3).
func TestInitStatistics(t *testing.T) {
	const fanIn, fanOut = 400, 300
	he := math.Sqrt(2.0 / fanIn)
	limit := math.Sqrt(6.0 / (fanIn + fanOut))
	for _, c := range []struct {
		init        string
		std, maxAbs float64
	}{{"", he, math.Inf(1)}, {"he", he, math.Inf(1)}, {"glorot", limit / math.Sqrt(3), limit}} {
		spec := Spec{Input: Shape{1, 1, fanIn}, Init: c.init, Layers: []LayerSpec{{Type: "dense", Units: fanOut}, {Type: "relu"}, {Type: "dense", Units: 2}, {Type: "softmax"}}}
		net, err := Build(spec, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		w := net.Layers[0].Params()[0].W
		var sum, sq, maxAbs float64
		for _, v := range w {
			sum += float64(v)
			sq += float64(v) * float64(v)
			maxAbs = math.Max(maxAbs, math.Abs(float64(v)))
		}
		n := float64(len(w))
		std := math.Sqrt(sq/n - (sum/n)*(sum/n))
		if math.Abs(std-c.std) > 0.02*c.std || maxAbs > c.maxAbs {
			t.Errorf("init %q: std %.5f (want %.5f), max |w| %.5f (limit %.5f)", c.init, std, c.std, maxAbs, c.maxAbs)
		}
	}
}

func TestPresetsBuild(t *testing.T) {
	want := map[string]int{ // parameter counts, as Keras and ConvNetJS report them
		"mlp":       669706,
		"keras":     1199882,
		"convnetjs": 8*(25+1) + 16*(8*25+1) + 10*(4*4*16+1),
		"lenet5":    61706,
	}
	if !slices.Equal(PresetNames(), []string{"convnetjs", "keras", "lenet5", "mlp"}) {
		t.Errorf("presets %v", PresetNames())
	}
	for name, params := range want {
		spec, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		net, err := Build(spec, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if net.ParamCount() != params {
			t.Errorf("%s: %d parameters, want %d", name, net.ParamCount(), params)
		}
	}
	if _, err := Preset("resnet"); err == nil {
		t.Error("unknown preset accepted")
	}
}

// TestSameSeedSameModel trains a few steps twice from one seed and demands
// bit-identical weights; a different seed must differ.
func TestSameSeedSameModel(t *testing.T) {
	run := func(seed uint64) []float32 {
		spec, _ := Preset("lenet5")
		rng := rand.New(rand.NewPCG(seed, 0))
		net, err := Build(spec, rng)
		if err != nil {
			t.Fatal(err)
		}
		opt, err := NewOptimizer(OptimizerSpec{Kind: "adam"}, net.Params())
		if err != nil {
			t.Fatal(err)
		}
		data := randSlice(rand.New(rand.NewPCG(4, 4)), 8*28*28)
		labels := []uint8{0, 1, 2, 3, 4, 5, 6, 7}
		for step := 0; step < 3; step++ {
			net.Gradient(data, labels, 8, Pass{Train: true, Rand: rng})
			opt.Step()
		}
		return net.Weights()
	}
	a, b, c := run(1), run(1), run(2)
	if !slices.Equal(a, b) {
		t.Error("the same seed gave different weights")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds gave the same weights")
	}
}

// TestAnalyzeMatchesBuild: Analyze reports what Build builds, without
// allocating, and refuses what Build refuses.
func TestAnalyzeMatchesBuild(t *testing.T) {
	for _, name := range PresetNames() {
		spec, _ := Preset(name)
		sum, err := Analyze(spec)
		if err != nil {
			t.Fatal(err)
		}
		net, _ := Build(spec, rand.New(rand.NewPCG(1, 1)))
		if sum.Params != net.ParamCount() || sum.FLOPs != net.FLOPs() || sum.Classes != net.Classes() || len(sum.Layers) != len(net.Layers) {
			t.Errorf("%s: Analyze %+v disagrees with Build", name, sum)
		}
		for i, l := range net.Layers {
			if sum.Layers[i].Name != l.Name() || sum.Layers[i].Out != l.OutShape() {
				t.Errorf("%s layer %d: %+v, built %s %s", name, i, sum.Layers[i], l.Name(), l.OutShape())
			}
		}
		if sum.TrainingBytes(64) != net.MemoryBytes(64) {
			t.Errorf("%s: training bytes %d vs %d", name, sum.TrainingBytes(64), net.MemoryBytes(64))
		}
	}
	// 40 million weights: Analyze describes it without allocating them.
	big := Spec{Input: Shape{28, 28, 1}, Layers: []LayerSpec{{Type: "dense", Units: 50000}, {Type: "dense", Units: 10}, {Type: "softmax"}}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	sum, err := Analyze(big)
	runtime.ReadMemStats(&after)
	if err != nil || sum.Params != 784*50000+50000+50000*10+10 {
		t.Fatalf("%+v %v", sum, err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("Analyze allocated %d bytes for a network of 40 million weights", grew)
	}
	if _, err := Analyze(Spec{Input: Shape{28, 28, 1}, Layers: []LayerSpec{{Type: "conv", Filters: 4, Size: 40}, {Type: "softmax"}}}); err == nil {
		t.Error("Analyze accepted a kernel larger than the input")
	}
}

func TestWithClasses(t *testing.T) {
	s, _ := Preset("lenet5")
	got, err := WithClasses(s, 5)
	if err != nil {
		t.Fatal(err)
	}
	if got.Layers[len(got.Layers)-2].Units != 5 || s.Layers[len(s.Layers)-2].Units != 10 {
		t.Fatalf("units %d (the preset's now %d)", got.Layers[len(got.Layers)-2].Units, s.Layers[len(s.Layers)-2].Units)
	}
	if net, err := Build(got, rand.New(rand.NewPCG(1, 1))); err != nil || net.Classes() != 5 {
		t.Fatalf("built: %v", err)
	}
	bad := Spec{Input: Shape{28, 28, 1}, Layers: []LayerSpec{{Type: "dense", Units: 3}, {Type: "flatten"}, {Type: "softmax"}}}
	for _, c := range []struct {
		s Spec
		k int
	}{{s, 0}, {bad, 3}, {Spec{Layers: []LayerSpec{{Type: "softmax"}}}, 3}} {
		if _, err := WithClasses(c.s, c.k); err == nil {
			t.Errorf("WithClasses(%v, %d) took it", c.s.Layers, c.k)
		}
	}
}
