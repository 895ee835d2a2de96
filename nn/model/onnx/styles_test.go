package onnx_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/model/onnx"
	"github.com/cnnplay/cnnplay/nn/model/onnx/onnxtest"
)

// TestImportOtherConventions: every preset, and small nets of every layer
// kind, written as Keras through tf2onnx and as PyTorch write them, import
// to the same weights and predictions.
func TestImportOtherConventions(t *testing.T) {
	specs := map[string]nn.Spec{
		"small": {Input: nn.Shape{H: 6, W: 6, C: 1}, Layers: []nn.LayerSpec{
			{Type: "conv", Filters: 3, Size: 3, Pad: 1}, {Type: "relu"}, {Type: "maxpool", Size: 2},
			{Type: "flatten"}, {Type: "dense", Units: 5}, {Type: "tanh"}, {Type: "dense", Units: 3}, {Type: "softmax"}}},
		"kinds": {Input: nn.Shape{H: 7, W: 6, C: 2}, Mean: 0.2, Std: 0.5, Layers: []nn.LayerSpec{
			{Type: "conv", Filters: 3, Size: 3, Stride: 2, Pad: 1}, {Type: "leakyrelu", Alpha: 0.2},
			{Type: "avgpool", Size: 2, Stride: 1}, {Type: "dropout", Rate: 0.3}, {Type: "sigmoid"},
			{Type: "dense", Units: 4}, {Type: "softmax"}}},
	}
	for _, name := range nn.PresetNames() {
		specs[name], _ = nn.Preset(name)
	}
	for name, spec := range specs {
		rng := rand.New(rand.NewPCG(5, 5))
		net, err := nn.Build(spec, rng)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range net.Params() {
			for i := range p.W {
				p.W[i] += float32(rng.NormFloat64() * 0.01) // biases too
			}
		}
		m := &model.Model{Net: net, Classes: make([]string, net.Classes())}
		x := make([]float32, 2*net.InShape().Size())
		for i := range x {
			x[i] = rng.Float32()
		}
		want := slices.Clone(net.Forward(x, 2, nn.Pass{}))
		for style, write := range map[string]func(*model.Model) ([]byte, error){"keras": onnxtest.KerasStyle, "pytorch": onnxtest.PyTorchStyle} {
			b, err := write(m)
			if err != nil {
				t.Fatalf("%s %s: %v", name, style, err)
			}
			got, err := onnx.Unmarshal(b)
			if err != nil {
				t.Fatalf("%s %s: %v", name, style, err)
			}
			if got.Net.InShape() != net.InShape() {
				t.Errorf("%s %s: input %s, want %s", name, style, got.Net.InShape(), net.InShape())
			}
			if !slices.Equal(got.Net.Weights(), net.Weights()) {
				t.Errorf("%s %s: weights differ", name, style)
			}
			if p := got.Net.Forward(x, 2, nn.Pass{}); !slices.Equal(p, want) {
				t.Errorf("%s %s: predictions %v, want %v", name, style, p, want)
			}
		}
	}
}
