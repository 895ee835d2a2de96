package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/nntest"
	"github.com/cnnplay/cnnplay/nn/train"
)

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
		spec := nntest.RandomSpec(rng)
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
