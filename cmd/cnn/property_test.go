package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/train"
)

// randomSpec draws a small valid architecture: an input of 1 to 40 pixels
// a side and 1 to 4 channels, a few convolution, pooling, activation and
// dropout layers, dense layers, and 2 to 20 classes (often MNIST's shape
// and classes, so that some fit the data).
func randomSpec(rng *rand.Rand) nn.Spec {
	for {
		in := nn.Shape{H: 28, W: 28, C: 1}
		if rng.IntN(2) == 0 {
			in = nn.Shape{H: 1 + rng.IntN(40), W: 1 + rng.IntN(40), C: 1 + rng.IntN(4)}
		}
		classes := 10
		if rng.IntN(2) == 0 {
			classes = 2 + rng.IntN(19)
		}
		spec := nn.Spec{Input: in, Mean: rng.Float32(), Std: rng.Float32()}
		for range rng.IntN(4) {
			switch rng.IntN(5) {
			case 0, 1:
				spec.Layers = append(spec.Layers, nn.LayerSpec{Type: "conv", Filters: 1 + rng.IntN(6), Size: 1 + rng.IntN(5), Stride: rng.IntN(3), Pad: rng.IntN(2)})
			case 2:
				spec.Layers = append(spec.Layers, nn.LayerSpec{Type: []string{"maxpool", "avgpool"}[rng.IntN(2)], Size: 1 + rng.IntN(3)})
			case 3:
				spec.Layers = append(spec.Layers, nn.LayerSpec{Type: []string{"relu", "tanh", "sigmoid", "leakyrelu"}[rng.IntN(4)]})
			case 4:
				spec.Layers = append(spec.Layers, nn.LayerSpec{Type: "dropout", Rate: rng.Float64() / 2})
			}
		}
		spec.Layers = append(spec.Layers, nn.LayerSpec{Type: "flatten"})
		if rng.IntN(2) == 0 {
			spec.Layers = append(spec.Layers, nn.LayerSpec{Type: "dense", Units: 1 + rng.IntN(32)}, nn.LayerSpec{Type: "relu"})
		}
		spec.Layers = append(spec.Layers, nn.LayerSpec{Type: "dense", Units: classes}, nn.LayerSpec{Type: "softmax"})
		if _, err := nn.Analyze(spec); err == nil {
			return spec
		}
	}
}

// TestAnyValidModel: for 300 random valid architectures, predict answers,
// and eval and train either run or refuse with an error before they start,
// as the commands do: none panics.
func TestAnyValidModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 17))
	s, dir := testDigits(t), t.TempDir()
	img := writePhoto(t, dir, s, 0)
	test, small := s.Head(40), s.Head(20)
	evals, trains := 0, 0
	for i := range 300 {
		spec := randomSpec(rng)
		sum, _ := nn.Analyze(spec)
		path := writeModel(t, dir, fmt.Sprintf("m%d.cnn", i), spec, classNames(sum.Classes))
		var out bytes.Buffer
		if err := predictCmd([]string{"-model", path, img}, &out); err != nil {
			t.Errorf("%+v: predict: %v", spec, err)
		}
		m, err := loadModel(path)
		if err != nil {
			t.Fatal(err)
		}
		// What cnn eval does once the model and data are loaded.
		if fitsTest(m, path, "mnist", test) == nil {
			train.Evaluate(m.Net, test, 16)
			evals++
		}
		// What cnn train does with a spec, up to its first step.
		if fits(m.Net, small, test) == nil {
			tr, err := train.New(m.Net, small, nil, train.Config{Optimizer: nn.OptimizerSpec{Kind: "adam"}, BatchSize: 8, Epochs: 1, Seed: 1})
			if err != nil {
				t.Errorf("%+v: fits, but train.New says %v", spec, err)
				continue
			}
			if _, err := tr.Step(); err != nil {
				t.Errorf("%+v: step: %v", spec, err)
			}
			trains++
		}
	}
	t.Logf("300 architectures: all predicted, %d evaluated, %d trained (the rest refused)", evals, trains)
	if evals < 30 || trains < 30 {
		t.Errorf("only %d evaluated and %d trained: the draw should fit MNIST more often", evals, trains)
	}
}
