// Package nntest holds helpers for tests of packages that take networks
// as user input: random valid architectures for property tests, and
// pictures and an allocation count for tests of bounded decoding.
package nntest

import (
	"math/rand/v2"

	"github.com/cnnplay/cnnplay/nn"
)

// RandomSpec draws a small valid architecture: an input of 1 to 40 pixels
// a side and 1 to 4 channels, a few convolution, pooling, activation and
// dropout layers, dense layers, and 2 to 20 classes (nn's least), now and
// then several hundred (past what a uint8 label holds). Half the inputs are MNIST's
// shape and half the class counts MNIST's 10, so that some fit the data.
func RandomSpec(rng *rand.Rand) nn.Spec {
	for {
		in := nn.Shape{H: 28, W: 28, C: 1}
		if rng.IntN(2) == 0 {
			in = nn.Shape{H: 1 + rng.IntN(40), W: 1 + rng.IntN(40), C: 1 + rng.IntN(4)}
		}
		classes := 10
		switch rng.IntN(16) {
		case 0:
			classes = 256 + rng.IntN(745)
		case 1, 2, 3, 4, 5, 6, 7:
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
