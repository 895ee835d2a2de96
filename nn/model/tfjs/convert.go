package tfjs

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/cnnplay/cnnplay/nn"
)

// known holds the layer classes Decode reads; supported lists them for
// error messages.
var known = map[string]bool{
	"InputLayer": true, "Rescaling": true, "ZeroPadding2D": true, "Conv2D": true, "MaxPooling2D": true,
	"AveragePooling2D": true, "Dense": true, "Flatten": true, "Dropout": true, "Activation": true,
	"ReLU": true, "LeakyReLU": true, "Softmax": true,
}

const supported = "InputLayer, Rescaling, ZeroPadding2D, Conv2D, MaxPooling2D, AveragePooling2D, Dense, Flatten, Dropout, Activation, ReLU, LeakyReLU and Softmax"

// maxInputDim is the largest side or channel count an input may declare,
// nn's own limit, checked before anything is computed from it.
const maxInputDim = 1024

// weightRef says where a Keras layer's weights go: the kernel and bias of
// cnnplay layer index layer, with the shapes Keras stores them in.
type weightRef struct {
	keras  *kerasLayer
	layer  int
	kernel []int
	bias   []int // nil when the layer has no bias (use_bias false)
}

// converter turns Keras layers into a cnnplay spec, following the shape
// of the tensor between layers: shape as cnnplay sees it, rank as Keras
// does (4: NHWC, 3: NHW, 2: NC).
type converter struct {
	spec    nn.Spec
	refs    []weightRef
	shape   nn.Shape
	rank    int
	started bool        // the input shape is known
	pad     *kerasLayer // a ZeroPadding2D waiting for its Conv2D
	padBy   int
}

// convert returns the spec of the network ls describe and where their
// weights go.
func convert(ls []kerasLayer) (nn.Spec, []weightRef, error) {
	var c converter
	for i := range ls {
		l := &ls[i]
		if err := c.layer(l); err != nil {
			return nn.Spec{}, nil, err
		}
	}
	if c.pad != nil {
		return nn.Spec{}, nil, c.pad.errorf("padding with no Conv2D after it")
	}
	n := len(c.spec.Layers)
	if n == 0 || c.spec.Layers[n-1].Type != "softmax" {
		return nn.Spec{}, nil, errors.New("tfjs: the model does not end in a softmax: cnnplay imports classifiers that output class probabilities")
	}
	return c.spec, c.refs, nil
}

func (c *converter) add(ls ...nn.LayerSpec) { c.spec.Layers = append(c.spec.Layers, ls...) }

// input sets the input from a batch shape [null, …] of rank 2 to 4.
func (c *converter) input(l *kerasLayer, shape []*int) error {
	if len(shape) < 2 || len(shape) > 4 {
		return l.errorf("input shape %s: cnnplay takes [N,H,W,C], [N,H,W] or [N,n] inputs", dims(shape))
	}
	d := make([]int, len(shape)-1)
	for i, v := range shape[1:] {
		if v == nil || *v < 1 || *v > maxInputDim {
			return l.errorf("input shape %s: every size but the batch must be between 1 and %d", dims(shape), maxInputDim)
		}
		d[i] = *v
	}
	c.started, c.rank = true, len(shape)
	switch len(d) {
	case 3:
		c.shape = nn.Shape{H: d[0], W: d[1], C: d[2]}
	case 2:
		c.shape = nn.Shape{H: d[0], W: d[1], C: 1}
	case 1:
		// A vector of a square's size is a flattened picture, row by row.
		s := int(math.Sqrt(float64(d[0])) + 0.5)
		c.shape = nn.Shape{H: 1, W: 1, C: d[0]}
		if s*s == d[0] {
			c.spec.Input = nn.Shape{H: s, W: s, C: 1}
			c.add(nn.LayerSpec{Type: "flatten"})
			return nil
		}
	}
	c.spec.Input = c.shape
	return nil
}

func (c *converter) layer(l *kerasLayer) error {
	cfg := &l.cfg
	if !c.started {
		shape := cfg.BatchInputShape
		if shape == nil {
			shape = cfg.BatchShape
		}
		if shape == nil {
			return l.errorf("the first layer declares no input shape (batch_input_shape)")
		}
		if err := c.input(l, shape); err != nil {
			return err
		}
	} else if l.class == "InputLayer" {
		return l.errorf("an input layer after the first")
	}
	if !known[l.class] {
		return l.errorf("cnnplay has no %s layer; it imports %s", l.class, supported)
	}
	if c.pad != nil && l.class != "Conv2D" {
		return c.pad.errorf("padding before a %s: cnnplay pads only convolutions", l.class)
	}
	if cfg.DataFormat != nil && *cfg.DataFormat != "channels_last" {
		return l.errorf("data_format %q: cnnplay reads channels_last (NHWC) models", *cfg.DataFormat)
	}
	switch l.class {
	case "InputLayer":
		return nil
	case "Rescaling":
		return c.rescaling(l)
	case "ZeroPadding2D":
		return c.zeroPadding(l)
	case "Conv2D":
		return c.conv(l)
	case "MaxPooling2D", "AveragePooling2D":
		return c.pool(l)
	case "Dense":
		return c.dense(l)
	case "Flatten":
		c.add(nn.LayerSpec{Type: "flatten"})
		c.shape, c.rank = nn.Shape{H: 1, W: 1, C: c.shape.Size()}, 2
		return nil
	case "Dropout":
		if !(cfg.Rate >= 0 && cfg.Rate < 1) {
			return l.errorf("dropout rate %v: cnnplay needs a rate of at least 0 and below 1", cfg.Rate)
		}
		c.add(nn.LayerSpec{Type: "dropout", Rate: cfg.Rate})
		return nil
	case "Activation":
		return c.activation(l, cfg.Activation, true)
	case "ReLU":
		if cfg.MaxValue != nil || cfg.Threshold != nil && *cfg.Threshold != 0 {
			return l.errorf("a ReLU with a maximum or a threshold: cnnplay's ReLU has neither")
		}
		if cfg.NegativeSlope == nil || *cfg.NegativeSlope == 0 {
			c.add(nn.LayerSpec{Type: "relu"})
			return nil
		}
		return c.leaky(l, *cfg.NegativeSlope)
	case "LeakyReLU":
		alpha := 0.3 // Keras' and TF.js' default
		if cfg.Alpha != nil {
			alpha = *cfg.Alpha
		} else if cfg.NegativeSlope != nil {
			alpha = *cfg.NegativeSlope
		}
		return c.leaky(l, alpha)
	case "Softmax":
		if axes := ints(cfg.Axis); len(cfg.Axis) > 0 && string(cfg.Axis) != "null" && (len(axes) != 1 || axes[0] != -1 && axes[0] != c.rank-1) {
			return l.errorf("softmax over axis %s: cnnplay's softmax is over the last axis", short(cfg.Axis))
		}
		c.add(nn.LayerSpec{Type: "softmax"})
	}
	return nil
}

func (c *converter) leaky(l *kerasLayer, alpha float64) error {
	if !(alpha > 0 && alpha < 1) {
		return l.errorf("negative slope %v: cnnplay's leaky ReLU needs one between 0 and 1", alpha)
	}
	c.add(nn.LayerSpec{Type: "leakyrelu", Alpha: alpha})
	return nil
}

// activation adds the layer for an activation field ("linear" or none adds
// nothing) or an Activation layer.
func (c *converter) activation(l *kerasLayer, raw json.RawMessage, layer bool) error {
	var name string
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &name); err != nil {
			return l.errorf("activation %s: cnnplay reads activations named by a string", short(raw))
		}
	}
	switch name {
	case "relu", "tanh", "sigmoid", "softmax":
		c.add(nn.LayerSpec{Type: name})
	case "linear", "":
		if name == "" && layer {
			return l.errorf("an Activation layer with no activation")
		}
	default:
		return l.errorf("activation %q: cnnplay has relu, tanh, sigmoid, softmax and linear", name)
	}
	return nil
}

func (c *converter) rescaling(l *kerasLayer) error {
	var scale, offset float64
	if json.Unmarshal(l.cfg.Scale, &scale) != nil {
		return l.errorf("scale %s: cnnplay reads one number", short(l.cfg.Scale))
	}
	if len(l.cfg.Offset) > 0 && json.Unmarshal(l.cfg.Offset, &offset) != nil {
		return l.errorf("offset %s: cnnplay reads one number", short(l.cfg.Offset))
	}
	if len(c.spec.Layers) > 0 && !(len(c.spec.Layers) == 1 && c.spec.Layers[0].Type == "flatten") || c.spec.Mean != 0 || c.spec.Std != 0 {
		return l.errorf("a Rescaling after other layers: cnnplay normalises only its input")
	}
	// (x-mean)/std = x·scale + offset.
	std, mean := float32(1/scale), float32(-offset/scale)
	if !(scale > 0) || math.IsInf(float64(std), 0) || std == 0 || math.IsNaN(float64(mean)) || math.IsInf(float64(mean), 0) {
		return l.errorf("scale %v, offset %v: cnnplay normalises with a positive scale and a finite offset", scale, offset)
	}
	c.spec.Mean, c.spec.Std = mean, std
	return nil
}

func (c *converter) zeroPadding(l *kerasLayer) error {
	// padding: p, [h, w] or [[top, bottom], [left, right]].
	var p []int
	if v := ints(l.cfg.Padding); len(v) == 1 {
		p = []int{v[0], v[0], v[0], v[0]}
	} else if len(v) == 2 {
		p = []int{v[0], v[0], v[1], v[1]}
	} else {
		var pairs [][]int
		if json.Unmarshal(l.cfg.Padding, &pairs) != nil || len(pairs) != 2 || len(pairs[0]) != 2 || len(pairs[1]) != 2 {
			return l.errorf("padding %s: cnnplay reads p, [h, w] or [[top, bottom], [left, right]]", short(l.cfg.Padding))
		}
		p = []int{pairs[0][0], pairs[0][1], pairs[1][0], pairs[1][1]}
	}
	if p[0] != p[1] || p[0] != p[2] || p[0] != p[3] || p[0] < 0 {
		return l.errorf("padding top %d, bottom %d, left %d, right %d: cnnplay pads all four sides equally", p[0], p[1], p[2], p[3])
	}
	if c.rank != 4 {
		return l.errorf("padding a rank-%d tensor: cnnplay pads [N,H,W,C] volumes", c.rank)
	}
	c.pad, c.padBy = l, p[0]
	return nil
}

// window reads a layer's square size field (kernel_size, strides,
// pool_size): a number or a pair of equal numbers, or def when absent.
func window(l *kerasLayer, what string, raw json.RawMessage, def int) (int, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return def, nil
	}
	v := ints(raw)
	if len(v) == 2 && v[0] == v[1] || len(v) == 1 {
		if v[0] < 1 || v[0] > 1024 {
			return 0, l.errorf("%s %d is out of range", what, v[0])
		}
		return v[0], nil
	}
	return 0, l.errorf("%s %s: cnnplay takes square windows", what, short(raw))
}

// padding returns the pixels a layer pads on each side: padding "valid"
// pads none, "same" what Keras pads when that is equal on both sides.
func (c *converter) padding(l *kerasLayer, k, stride int) (int, error) {
	var mode string
	if len(l.cfg.Padding) > 0 && json.Unmarshal(l.cfg.Padding, &mode) != nil {
		return 0, l.errorf("padding %s", short(l.cfg.Padding))
	}
	switch mode {
	case "valid", "":
		return 0, nil
	case "same":
		p := (max(((c.shape.H+stride-1)/stride-1)*stride+k-c.shape.H, 0)) / 2
		if sameIsPad(c.shape.H, k, stride, p) && sameIsPad(c.shape.W, k, stride, p) {
			return p, nil
		}
		return 0, l.errorf(`padding "same" for a %dx%d window, stride %d, on a %dx%d input pads more at the bottom and right than at the top and left; cnnplay pads equally (use a ZeroPadding2D and padding "valid")`, k, k, stride, c.shape.H, c.shape.W)
	}
	return 0, l.errorf("padding %q: cnnplay reads valid and same", mode)
}

func (c *converter) conv(l *kerasLayer) error {
	cfg := &l.cfg
	if c.rank != 4 {
		return l.errorf("a convolution of a rank-%d tensor: cnnplay convolves [N,H,W,C] volumes", c.rank)
	}
	if d := ints(cfg.DilationRate); len(cfg.DilationRate) > 0 && string(cfg.DilationRate) != "null" && (len(d) == 0 || d[0] != 1 || len(d) == 2 && d[1] != 1) {
		return l.errorf("dilation rate %s: cnnplay's convolutions are not dilated", short(cfg.DilationRate))
	}
	if cfg.Groups != nil && *cfg.Groups != 1 {
		return l.errorf("%d groups: cnnplay's convolutions are not grouped", *cfg.Groups)
	}
	k, err := window(l, "kernel size", cfg.KernelSize, 0)
	if err != nil {
		return err
	}
	if k == 0 {
		return l.errorf("no kernel_size")
	}
	stride, err := window(l, "stride", cfg.Strides, 1)
	if err != nil {
		return err
	}
	pad, err := c.padding(l, k, stride)
	if err != nil {
		return err
	}
	if c.pad != nil {
		if pad > 0 {
			return l.errorf(`padding "same" after a ZeroPadding2D`)
		}
		pad, c.pad = c.padBy, nil
	}
	if cfg.Filters < 1 || cfg.Filters > maxInputDim {
		return l.errorf("%d filters: cnnplay takes 1 to %d", cfg.Filters, maxInputDim)
	}
	if k > c.shape.H+2*pad || k > c.shape.W+2*pad {
		return l.errorf("a %dx%d kernel does not fit its %s input", k, k, c.shape)
	}
	c.refs = append(c.refs, c.ref(l, []int{k, k, c.shape.C, cfg.Filters}, cfg.Filters))
	c.add(nn.LayerSpec{Type: "conv", Filters: cfg.Filters, Size: k, Stride: unlessDefault(stride, 1), Pad: pad})
	c.shape = nn.Shape{H: (c.shape.H+2*pad-k)/stride + 1, W: (c.shape.W+2*pad-k)/stride + 1, C: cfg.Filters}
	return c.activation(l, cfg.Activation, false)
}

// ref is the weightRef of layer l, the next cnnplay layer.
func (c *converter) ref(l *kerasLayer, kernel []int, units int) weightRef {
	r := weightRef{keras: l, layer: len(c.spec.Layers), kernel: kernel}
	if l.cfg.UseBias == nil || *l.cfg.UseBias {
		r.bias = []int{units}
	}
	return r
}

func (c *converter) pool(l *kerasLayer) error {
	if c.rank != 4 {
		return l.errorf("pooling a rank-%d tensor: cnnplay pools [N,H,W,C] volumes", c.rank)
	}
	k, err := window(l, "pool size", l.cfg.PoolSize, 2)
	if err != nil {
		return err
	}
	stride, err := window(l, "stride", l.cfg.Strides, k)
	if err != nil {
		return err
	}
	if pad, err := c.padding(l, k, stride); err != nil || pad > 0 {
		if err == nil {
			err = l.errorf(`padding "same" pads %d; cnnplay's pooling does not pad`, pad)
		}
		return err
	}
	if k > c.shape.H || k > c.shape.W {
		return l.errorf("a %dx%d window does not fit its %s input", k, k, c.shape)
	}
	typ := map[string]string{"MaxPooling2D": "maxpool", "AveragePooling2D": "avgpool"}[l.class]
	c.add(nn.LayerSpec{Type: typ, Size: k, Stride: unlessDefault(stride, k)})
	c.shape = nn.Shape{H: (c.shape.H-k)/stride + 1, W: (c.shape.W-k)/stride + 1, C: c.shape.C}
	return nil
}

func (c *converter) dense(l *kerasLayer) error {
	// Keras' Dense acts on the last axis: on a flat tensor, or on a 1×1
	// volume, it is cnnplay's.
	if c.rank != 2 && (c.rank != 4 || c.shape.H != 1 || c.shape.W != 1) {
		return l.errorf("a Dense on a rank-%d tensor acts on each position: cnnplay's dense layer needs a Flatten before it", c.rank)
	}
	units := l.cfg.Units
	if units < 1 || units > 1<<16 {
		return l.errorf("%d units: cnnplay takes 1 to %d", units, 1<<16)
	}
	c.refs = append(c.refs, c.ref(l, []int{c.shape.Size(), units}, units))
	c.add(nn.LayerSpec{Type: "dense", Units: units})
	c.shape = nn.Shape{H: 1, W: 1, C: units}
	return c.activation(l, l.cfg.Activation, false)
}

// unlessDefault returns v, or 0 (the spec's way of saying "the default")
// when v is def, so that specs read as cnnplay writes them.
func unlessDefault(v, def int) int {
	if v == def {
		return 0
	}
	return v
}

// ints reads a JSON number or list of numbers; anything else gives nil.
func ints(raw json.RawMessage) []int {
	var n int
	if json.Unmarshal(raw, &n) == nil {
		return []int{n}
	}
	var v []int
	if json.Unmarshal(raw, &v) == nil && len(v) <= 4 {
		return v
	}
	return nil
}

// dims formats a batch shape, null as "?".
func dims(shape []*int) string {
	s := "["
	for i, v := range shape {
		if i > 0 {
			s += ","
		}
		if v == nil {
			s += "?"
		} else {
			s += fmt.Sprint(*v)
		}
	}
	return s + "]"
}
