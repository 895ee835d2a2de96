package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// LayerSpec declares one layer. Which fields matter depends on Type:
//
//	conv      Filters, Size (kernel), Stride (default 1), Pad (default 0)
//	maxpool   Size (window), Stride (default Size)
//	avgpool   Size (window), Stride (default Size)
//	dense     Units
//	dropout   Rate, the probability of dropping a value, in [0, 1)
//	leakyrelu Alpha, the slope for negative inputs (default 0.01)
//	relu, tanh, sigmoid, flatten, softmax: no fields
type LayerSpec struct {
	Type    string  `json:"type"`
	Filters int     `json:"filters,omitempty"`
	Size    int     `json:"size,omitempty"`
	Stride  int     `json:"stride,omitempty"`
	Pad     int     `json:"pad,omitempty"`
	Units   int     `json:"units,omitempty"`
	Rate    float64 `json:"rate,omitempty"`
	Alpha   float64 `json:"alpha,omitempty"`
	// Frozen keeps a conv or dense layer's weights as they are while the
	// rest trains (the optimizer skips them): the features learnt on
	// another dataset, reused (see TransferSpec).
	Frozen bool `json:"frozen,omitempty"`
}

// Spec declares a whole classifier: the input shape, how raw pixels in [0,1]
// are normalised ((x-Mean)/Std, Std 0 meaning 1), how weights start (Init),
// and the layers, the last of which is softmax.
type Spec struct {
	Input Shape   `json:"input"`
	Mean  float32 `json:"mean,omitempty"`
	Std   float32 `json:"std,omitempty"`
	// Init picks the weight initialisation: "" (He-normal for layers that
	// feed a ReLU, Glorot-uniform for the rest), "he" (He-normal
	// everywhere) or "glorot" (Glorot-uniform everywhere, Keras' default,
	// which the keras preset uses to reproduce Keras' results).
	Init   string      `json:"init,omitempty"`
	Layers []LayerSpec `json:"layers"`
}

// Limits that keep a spec from asking for absurd networks. A network within
// them still may be too big for a browser tab; Network.MemoryBytes says.
const (
	maxLayers  = 64
	maxDim     = 1024     // any height, width, channel or unit count
	maxParams  = 50 << 20 // learnable values in all
	maxKernel  = 32
	maxClasses = 1000
)

// Build validates spec and returns the network with weights initialised from
// rng as spec.Init says, biases zero. Errors name the layer and say what does not fit, for example
// "conv2: 5x5 kernel does not fit a 4x4x16 input".
func Build(spec Spec, rng *rand.Rand) (*Network, error) {
	net, err := build(spec)
	if err != nil {
		return nil, err
	}
	net.layOut()
	net.initWeights(rng)
	return net, nil
}

// BuildEmpty builds spec's network with every weight zero, drawing none:
// for a caller that sets them all next, as a model file's reader does.
// Drawing the keras preset's 1.2M initial weights only to overwrite them
// costs a page tens of milliseconds.
func BuildEmpty(spec Spec) (*Network, error) {
	net, err := build(spec)
	if err != nil {
		return nil, err
	}
	net.layOut()
	return net, nil
}

// layOut gives the parameters their values and gradients, zero, end to end
// in Params order (see WeightData).
func (net *Network) layOut() {
	n := net.ParamCount()
	net.w, net.g = make([]float32, n), make([]float32, n)
	off := 0
	for _, p := range net.Params() {
		k := p.Size()
		p.W, p.G = net.w[off:off+k:off+k], net.g[off:off+k:off+k]
		p.Changed()
		off += k
	}
}

// LayerInfo describes one layer of a spec, as the architecture editor shows
// it.
type LayerInfo struct {
	Name   string // conv1, relu2, …
	Out    Shape
	Params int
	FLOPs  int // one example's forward pass
}

// Summary describes a spec's network without building it.
type Summary struct {
	Layers  []LayerInfo
	Params  int
	FLOPs   int
	Classes int
	acts    int // activation values per example, all layers
}

// Analyze validates spec exactly as Build does and describes every layer,
// without allocating any weights, so a user interface can show shapes,
// sizes and costs, and refuse a network too large, before building it.
func Analyze(spec Spec) (Summary, error) {
	net, err := build(spec)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{Classes: net.Classes()}
	for _, l := range net.Layers {
		li := LayerInfo{Name: l.Name(), Out: l.OutShape(), FLOPs: l.FLOPs()}
		for _, p := range l.Params() {
			li.Params += p.Size()
		}
		s.Layers = append(s.Layers, li)
		s.Params += li.Params
		s.FLOPs += li.FLOPs
		s.acts += li.Out.Size()
	}
	return s, nil
}

// TrainingBytes estimates what training with the given batch size holds:
// weights, gradients and two optimizer moments, plus every layer's
// activations and their gradients for the batch.
func (s Summary) TrainingBytes(batch int) int64 {
	return 4 * (4*int64(s.Params) + 2*int64(s.acts)*int64(batch))
}

func build(spec Spec) (*Network, error) {
	in := spec.Input
	if !in.valid() || in.H > maxDim || in.W > maxDim || in.C > maxDim {
		return nil, fmt.Errorf("input: shape %s is not between 1x1x1 and %dx%dx%d", in, maxDim, maxDim, maxDim)
	}
	if !(spec.Std >= 0) || math.IsInf(float64(spec.Std), 0) || math.IsNaN(float64(spec.Mean)) || math.IsInf(float64(spec.Mean), 0) {
		return nil, fmt.Errorf("input: normalisation mean %v, std %v is not a finite mean and a positive std", spec.Mean, spec.Std)
	}
	switch {
	case spec.Init != "" && spec.Init != "he" && spec.Init != "glorot":
		return nil, fmt.Errorf("init: unknown initialisation %q (want he or glorot, or none for He before ReLU and Glorot elsewhere)", spec.Init)
	case len(spec.Layers) == 0:
		return nil, errors.New("the network has no layers")
	case len(spec.Layers) > maxLayers:
		return nil, fmt.Errorf("the network has %d layers; at most %d are allowed", len(spec.Layers), maxLayers)
	case spec.Layers[len(spec.Layers)-1].Type != "softmax":
		return nil, errors.New("the last layer must be softmax: cnnplay networks are classifiers")
	case len(spec.Layers) == 1:
		return nil, errors.New("the network needs at least one layer before softmax")
	}
	net := &Network{Spec: spec}
	counts := map[string]int{}
	params := 0
	for i, ls := range spec.Layers {
		counts[ls.Type]++
		name := fmt.Sprintf("%s%d", ls.Type, counts[ls.Type])
		l, err := buildLayer(name, ls, in)
		if err != nil {
			return nil, err
		}
		if ls.Type == "softmax" && i != len(spec.Layers)-1 {
			return nil, fmt.Errorf("%s: softmax may only be the last layer", name)
		}
		if ls.Frozen && len(l.Params()) == 0 {
			return nil, fmt.Errorf("%s: only a layer with weights (conv, dense) can be frozen", name)
		}
		for _, p := range l.Params() {
			params += p.Size()
			p.Frozen = ls.Frozen
		}
		if params > maxParams {
			return nil, fmt.Errorf("%s: the network would have over %d million parameters", name, maxParams>>20)
		}
		net.Layers = append(net.Layers, l)
		in = l.OutShape()
	}
	if in.Size() < 2 || in.Size() > maxClasses {
		return nil, fmt.Errorf("softmax: %d classes; a classifier needs 2 to %d", in.Size(), maxClasses)
	}
	return net, nil
}

func buildLayer(name string, ls LayerSpec, in Shape) (Layer, error) {
	switch ls.Type {
	case "conv":
		stride := ls.Stride
		if stride == 0 {
			stride = 1
		}
		switch {
		case ls.Filters < 1 || ls.Filters > maxDim:
			return nil, fmt.Errorf("%s: filters must be between 1 and %d, got %d", name, maxDim, ls.Filters)
		case ls.Size < 1 || ls.Size > maxKernel:
			return nil, fmt.Errorf("%s: kernel size must be between 1 and %d, got %d", name, maxKernel, ls.Size)
		case stride < 1 || stride > maxKernel:
			return nil, fmt.Errorf("%s: stride must be between 1 and %d, got %d", name, maxKernel, ls.Stride)
		case ls.Pad < 0 || ls.Pad >= ls.Size:
			return nil, fmt.Errorf("%s: padding must be between 0 and %d (less than the kernel size), got %d", name, ls.Size-1, ls.Pad)
		case ls.Size > in.H+2*ls.Pad || ls.Size > in.W+2*ls.Pad:
			if ls.Pad > 0 {
				return nil, fmt.Errorf("%s: %dx%d kernel does not fit a %s input with padding %d", name, ls.Size, ls.Size, in, ls.Pad)
			}
			return nil, fmt.Errorf("%s: %dx%d kernel does not fit a %s input", name, ls.Size, ls.Size, in)
		}
		return newConv2D(name, in, ls.Filters, ls.Size, stride, ls.Pad), nil
	case "maxpool", "avgpool":
		stride := ls.Stride
		if stride == 0 {
			stride = ls.Size
		}
		switch {
		case ls.Size < 1 || ls.Size > maxKernel:
			return nil, fmt.Errorf("%s: window must be between 1 and %d, got %d", name, maxKernel, ls.Size)
		case stride < 1 || stride > maxKernel:
			return nil, fmt.Errorf("%s: stride must be between 1 and %d, got %d", name, maxKernel, ls.Stride)
		case ls.Size > in.H || ls.Size > in.W:
			return nil, fmt.Errorf("%s: %dx%d window does not fit a %s input", name, ls.Size, ls.Size, in)
		}
		out := poolOut(in, ls.Size, stride)
		if ls.Type == "maxpool" {
			return &MaxPool{name: name, in: in, out: out, size: ls.Size, stride: stride}, nil
		}
		return &AvgPool{name: name, in: in, out: out, size: ls.Size, stride: stride}, nil
	case "dense":
		if ls.Units < 1 || ls.Units > 1<<16 {
			return nil, fmt.Errorf("%s: units must be between 1 and %d, got %d", name, 1<<16, ls.Units)
		}
		if in.Size()*ls.Units > maxParams {
			return nil, fmt.Errorf("%s: %d inputs × %d units is over %d million weights", name, in.Size(), ls.Units, maxParams>>20)
		}
		return newDense(name, in, ls.Units), nil
	case "relu", "tanh", "sigmoid":
		return &Activation{name: name, kind: ls.Type, shape: in}, nil
	case "leakyrelu":
		alpha := ls.Alpha
		if alpha == 0 {
			alpha = 0.01
		}
		if !(alpha > 0 && alpha < 1) {
			return nil, fmt.Errorf("%s: alpha must be between 0 and 1, got %v", name, ls.Alpha)
		}
		return &Activation{name: name, kind: ls.Type, shape: in, alpha: float32(alpha)}, nil
	case "dropout":
		if !(ls.Rate >= 0 && ls.Rate < 1) {
			return nil, fmt.Errorf("%s: rate must be at least 0 and below 1, got %v", name, ls.Rate)
		}
		return &Dropout{name: name, shape: in, rate: float32(ls.Rate)}, nil
	case "flatten":
		return &Flatten{name: name, in: in, out: Shape{1, 1, in.Size()}}, nil
	case "softmax":
		if in.H != 1 || in.W != 1 {
			return nil, fmt.Errorf("%s: needs a vector of class scores, got a %s volume (add flatten and dense before it)", name, in)
		}
		return &Softmax{name: name, shape: in}, nil
	case "":
		return nil, fmt.Errorf("%s: layer has no type", name)
	}
	return nil, fmt.Errorf("%s: unknown layer type %q (want conv, maxpool, avgpool, dense, relu, leakyrelu, tanh, sigmoid, flatten, dropout or softmax)", name, ls.Type)
}

// initWeights draws every weight from rng; biases start at zero.
func (net *Network) initWeights(rng *rand.Rand) {
	for i, l := range net.Layers {
		var fanIn, fanOut int
		var w *Param
		switch l := l.(type) {
		case *Conv2D:
			fanIn, fanOut, w = l.k*l.k*l.in.C, l.k*l.k*l.out.C, l.w
			clear(l.b.W)
		case *Dense:
			fanIn, fanOut, w = l.in.Size(), l.out.C, l.w
			clear(l.b.W)
		default:
			continue
		}
		if net.Spec.Init == "he" || net.Spec.Init == "" && net.feedsReLU(i) {
			std := math.Sqrt(2 / float64(fanIn))
			for j := range w.W {
				w.W[j] = float32(rng.NormFloat64() * std)
			}
			continue
		}
		limit := math.Sqrt(6 / float64(fanIn+fanOut))
		for j := range w.W {
			w.W[j] = float32((2*rng.Float64() - 1) * limit)
		}
	}
}

// feedsReLU reports whether the next layer after i, skipping dropout, is a
// ReLU-like activation.
func (net *Network) feedsReLU(i int) bool {
	for _, ls := range net.Spec.Layers[i+1:] {
		switch ls.Type {
		case "dropout":
			continue
		case "relu", "leakyrelu":
			return true
		}
		return false
	}
	return false
}
