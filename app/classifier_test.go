package app

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/nntest"
	"github.com/cnnplay/cnnplay/nn/preprocess"
)

// randomModel builds a model of spec with random weights and class names.
func randomModel(t *testing.T, spec nn.Spec, seed uint64) *model.Model {
	t.Helper()
	net, err := nn.Build(spec, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatalf("%+v: %v", spec, err)
	}
	classes := make([]string, net.Classes())
	for i := range classes {
		classes[i] = fmt.Sprint("class ", i)
	}
	return &model.Model{Net: net, Classes: classes}
}

// TestAnyModelClassifies: every random valid architecture (any input size
// and channels, 1 to 1000 classes) is one the page can show, and its
// prediction of a drawing has one probability per class; a model whose
// weights overflow on a drawing is refused with a reason.
func TestAnyModelClassifies(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 17))
	digit := make([]float32, preprocess.Size*preprocess.Size)
	for i := range digit {
		digit[i] = rng.Float32()
	}
	for i := range 200 {
		m := randomModel(t, nntest.RandomSpec(rng), uint64(i))
		if err := checkShowable(m); err != nil {
			t.Errorf("%+v: refused: %v", m.Net.Spec, err)
		}
		pred, err := predict(m, digit)
		if err != nil || len(pred.probs) != len(m.Classes) {
			t.Errorf("%+v: %d probabilities for %d classes, %v", m.Net.Spec, len(pred.probs), len(m.Classes), err)
		}
	}
	m := randomModel(t, nn.Spec{Input: nn.Shape{H: 28, W: 28, C: 1}, Layers: []nn.LayerSpec{
		{Type: "flatten"}, {Type: "dense", Units: 2}, {Type: "softmax"}}}, 1)
	for i := range m.Net.WeightData() {
		m.Net.WeightData()[i] = 3e37
	}
	if err := checkShowable(m); err == nil {
		t.Error("a model whose weights overflow: accepted")
	} else {
		t.Log(err)
	}
}

func TestDescribeShape(t *testing.T) {
	m := randomModel(t, nn.Spec{Input: nn.Shape{H: 32, W: 32, C: 3}, Layers: []nn.LayerSpec{
		{Type: "flatten"}, {Type: "dense", Units: 2}, {Type: "softmax"}}}, 1)
	if got, want := describeShape(m), "2 classes, input 32x32 with 3 channels"; got != want {
		t.Errorf("describeShape = %q, want %q", got, want)
	}
}
