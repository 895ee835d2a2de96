package inspect

import (
	"fmt"

	"github.com/cnnplay/cnnplay/nn"
)

// Row is one step of the network diagram.
type Row struct {
	Name   string // "input", "conv1", …
	Kind   string
	Out    nn.Shape // the shape this step produces
	Params int      // learnable values
	FLOPs  int      // floating-point operations for one image
	What   string   // what the step does, in a few words
}

// Diagram returns the network step by step from the input to the class
// probabilities, for a student to follow an image through it.
func Diagram(net *nn.Network) []Row {
	in := net.InShape()
	what := fmt.Sprintf("%dx%d pixels, %d channel", in.H, in.W, in.C)
	if in.C != 1 {
		what += "s"
	}
	if s := net.Spec; s.Std > 0 || s.Mean != 0 {
		std := s.Std
		if std == 0 {
			std = 1
		}
		what += fmt.Sprintf(", normalised (x − %.4g) / %.4g", s.Mean, std)
	}
	rows := []Row{{Name: "input", Kind: "input", Out: in, What: what}}
	for i, l := range net.Layers {
		r := Row{Name: l.Name(), Kind: Kind(l.Name()), Out: l.OutShape(), FLOPs: l.FLOPs()}
		for _, p := range l.Params() {
			r.Params += len(p.W)
		}
		var ls nn.LayerSpec
		if i < len(net.Spec.Layers) {
			ls = net.Spec.Layers[i]
		}
		r.What = describe(ls, l)
		rows = append(rows, r)
	}
	return rows
}

func describe(ls nn.LayerSpec, l nn.Layer) string {
	stride := max(ls.Stride, 1)
	switch ls.Type {
	case "conv":
		s := fmt.Sprintf("%d filters of %dx%dx%d", ls.Filters, ls.Size, ls.Size, l.InShape().C)
		if stride > 1 {
			s += fmt.Sprintf(", stride %d", stride)
		}
		if ls.Pad > 0 {
			s += fmt.Sprintf(", padding %d", ls.Pad)
		}
		return s
	case "maxpool", "avgpool":
		if ls.Stride == 0 {
			stride = ls.Size
		}
		op := "maximum"
		if ls.Type == "avgpool" {
			op = "mean"
		}
		return fmt.Sprintf("%s of each %dx%d window, stride %d", op, ls.Size, ls.Size, stride)
	case "dense":
		return fmt.Sprintf("%d units, each reading all %d inputs", ls.Units, l.InShape().Size())
	case "relu":
		return "max(0, x): negatives become 0"
	case "leakyrelu":
		return "x, or a small slope times x below 0"
	case "tanh":
		return "squashes each value into (−1, 1)"
	case "sigmoid":
		return "squashes each value into (0, 1)"
	case "dropout":
		return fmt.Sprintf("drops %.0f%% of values while training; nothing at prediction time", 100*ls.Rate)
	case "flatten":
		in := l.InShape()
		return fmt.Sprintf("%dx%dx%d maps laid out as one vector of %d", in.H, in.W, in.C, in.Size())
	case "softmax":
		return "scores to probabilities that sum to 1"
	}
	return ls.Type
}
