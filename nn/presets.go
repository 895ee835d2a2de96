package nn

import (
	"fmt"
	"sort"
)

// mnistMean and mnistStd normalise MNIST pixels to zero mean and unit
// variance over the training set.
const (
	mnistMean = 0.1307
	mnistStd  = 0.3081
)

// presets are the architectures the guide and the best-known demos use, for
// 28x28 single-channel images and 10 classes.
var presets = map[string]Spec{
	// mlp is the guide's multilayer perceptron (Keras' mnist_mlp):
	// 784-512-512-10 with ReLU and dropout 0.2, fed x/255 and started from
	// Glorot-uniform as Keras does.
	"mlp": {
		Input: Shape{28, 28, 1}, Init: "glorot",
		Layers: []LayerSpec{
			{Type: "flatten"},
			{Type: "dense", Units: 512}, {Type: "relu"}, {Type: "dropout", Rate: 0.2},
			{Type: "dense", Units: 512}, {Type: "relu"}, {Type: "dropout", Rate: 0.2},
			{Type: "dense", Units: 10}, {Type: "softmax"},
		},
	},
	// convnetjs is ConvNetJS's MNIST demo: random 24x24 crops, two conv/pool
	// stages, softmax.
	"convnetjs": {
		Input: Shape{24, 24, 1},
		Layers: []LayerSpec{
			{Type: "conv", Filters: 8, Size: 5, Stride: 1, Pad: 2}, {Type: "relu"},
			{Type: "maxpool", Size: 2, Stride: 2},
			{Type: "conv", Filters: 16, Size: 5, Stride: 1, Pad: 2}, {Type: "relu"},
			{Type: "maxpool", Size: 3, Stride: 3},
			{Type: "flatten"},
			{Type: "dense", Units: 10}, {Type: "softmax"},
		},
	},
	// lenet5 is LeCun et al.'s LeNet-5 in its common modern form (ReLU, max
	// pooling): conv5x5x6 pad 2, pool, conv5x5x16, pool, 120, 84, 10.
	"lenet5": {
		Input: Shape{28, 28, 1}, Mean: mnistMean, Std: mnistStd,
		Layers: []LayerSpec{
			{Type: "conv", Filters: 6, Size: 5, Pad: 2}, {Type: "relu"},
			{Type: "maxpool", Size: 2},
			{Type: "conv", Filters: 16, Size: 5}, {Type: "relu"},
			{Type: "maxpool", Size: 2},
			{Type: "flatten"},
			{Type: "dense", Units: 120}, {Type: "relu"},
			{Type: "dense", Units: 84}, {Type: "relu"},
			{Type: "dense", Units: 10}, {Type: "softmax"},
		},
	},
	// keras is Keras' mnist_cnn example: conv3x3x32, conv3x3x64, pool 2,
	// dropout 0.25, dense 128, dropout 0.5, dense 10.
	"keras": {
		// Keras' mnist_cnn feeds x/255 and starts from Glorot-uniform.
		Input: Shape{28, 28, 1}, Init: "glorot",
		Layers: []LayerSpec{
			{Type: "conv", Filters: 32, Size: 3}, {Type: "relu"},
			{Type: "conv", Filters: 64, Size: 3}, {Type: "relu"},
			{Type: "maxpool", Size: 2},
			{Type: "dropout", Rate: 0.25},
			{Type: "flatten"},
			{Type: "dense", Units: 128}, {Type: "relu"},
			{Type: "dropout", Rate: 0.5},
			{Type: "dense", Units: 10}, {Type: "softmax"},
		},
	},
}

// Preset returns a copy of the named architecture.
func Preset(name string) (Spec, error) {
	s, ok := presets[name]
	if !ok {
		return Spec{}, fmt.Errorf("unknown preset %q (want one of %v)", name, PresetNames())
	}
	s.Layers = append([]LayerSpec(nil), s.Layers...)
	return s, nil
}

// PresetNames lists the presets in a stable order.
func PresetNames() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// WithClasses returns a copy of s whose classifier tells k classes apart:
// its last dense layer gets k units. The layers after it must keep the
// size of their input (activations, dropout, softmax), or the output would
// not be the class scores; WithClasses returns an error then, when s has no
// dense layer, or when k is less than 1.
func WithClasses(s Spec, k int) (Spec, error) {
	if k < 1 {
		return s, fmt.Errorf("a classifier needs at least one class, got %d", k)
	}
	s.Layers = append([]LayerSpec(nil), s.Layers...)
	for i := len(s.Layers) - 1; i >= 0; i-- {
		switch s.Layers[i].Type {
		case "dense":
			s.Layers[i].Units = k
			return s, nil
		case "relu", "tanh", "sigmoid", "leakyrelu", "dropout", "softmax":
		default:
			return s, fmt.Errorf("the network ends in a %s layer, not a dense layer and its activation: its output cannot be sized to %d classes", s.Layers[i].Type, k)
		}
	}
	return s, fmt.Errorf("the network has no dense layer to size to %d classes", k)
}
