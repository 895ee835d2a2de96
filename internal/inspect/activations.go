package inspect

import (
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
)

// Stage is one layer's output for one input: after a convolution, after an
// activation, after pooling, and so on.
type Stage struct {
	Layer  string // for example "conv1"
	Kind   string // for example "conv", "relu", "maxpool", "dense"
	Shape  nn.Shape
	Values []float32 // HWC, a copy
	// Filter is the index of the convolution layer (in Filters' order)
	// whose filters made these channels, or -1: a map after conv1, relu1
	// or maxpool1 shows conv1's filters.
	Filter int
}

// Maps reports whether the stage is an image stack (H or W above 1) rather
// than a vector.
func (s Stage) Maps() bool { return s.Shape.H > 1 || s.Shape.W > 1 }

// Channel copies channel c into dst (H*W values); nil dst allocates.
func (s Stage) Channel(dst []float32, c int) []float32 {
	return Plane(dst, s.Values, s.Shape.H, s.Shape.W, s.Shape.C, c)
}

// Activations runs net on one h×w image with pixels in [0,1] (fed as
// model.Input feeds it, for a network of any input) and returns the input
// the network saw followed by every layer's output, in order. The input
// stage is named "input". An image that is not h×w is an error.
func Activations(net *nn.Network, img []float32, h, w int) ([]Stage, error) {
	in := net.InShape()
	x := make([]float32, in.Size())
	if err := model.Input(net, x, img, h, w); err != nil {
		return nil, err
	}
	net.Forward(x, 1, nn.Pass{})
	stages := make([]Stage, 0, len(net.Layers)+1)
	stages = append(stages, Stage{Layer: "input", Kind: "input", Shape: in, Values: x, Filter: -1})
	conv := -1
	for i, l := range net.Layers {
		kind := Kind(l.Name())
		filter := -1
		switch {
		case kind == "conv":
			conv++
			filter = conv
		case l.OutShape().C == l.InShape().C && (l.OutShape().H > 1 || l.OutShape().W > 1) && conv >= 0 && len(l.Params()) == 0:
			// Activations, pooling and dropout keep the channels of
			// the convolution before them.
			if stages[len(stages)-1].Filter == conv {
				filter = conv
			}
		}
		stages = append(stages, Stage{Layer: l.Name(), Kind: kind, Shape: l.OutShape(),
			Values: append([]float32(nil), net.Output(i)...), Filter: filter})
	}
	return stages, nil
}
