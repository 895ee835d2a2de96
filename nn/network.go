package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Network is a built stack of layers with the activation and gradient
// buffers for the largest batch it has seen. It is not safe for concurrent
// use: give each goroutine (or Web Worker) its own copy.
type Network struct {
	Spec   Spec
	Layers []Layer
	acts   [][]float32 // acts[i]: output of layer i for the current batch
	grads  [][]float32 // grads[i]: gradient of the loss with respect to acts[i]
	input  []float32   // the input of the last Forward
	// w and g hold every parameter's values and gradients end to end, in
	// Params order; each Param's W and G are views of them (see Build).
	w, g []float32
}

// InShape is the shape of one input example.
func (net *Network) InShape() Shape { return net.Spec.Input }

// Classes is the number of classes the network tells apart.
func (net *Network) Classes() int { return net.Layers[len(net.Layers)-1].OutShape().Size() }

// Params returns every learnable tensor in layer order, the order model files
// store them in.
func (net *Network) Params() []*Param {
	var ps []*Param
	for _, l := range net.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// ParamCount is the number of learnable values.
func (net *Network) ParamCount() int {
	n := 0
	for _, p := range net.Params() {
		n += p.Size()
	}
	return n
}

// FLOPs is the cost of one example's forward pass; a training step costs
// about three times as much.
func (net *Network) FLOPs() int {
	n := 0
	for _, l := range net.Layers {
		n += l.FLOPs()
	}
	return n
}

// MemoryBytes estimates what training with the given batch size holds (see
// Summary.TrainingBytes).
func (net *Network) MemoryBytes(batch int) int64 {
	s, _ := Analyze(net.Spec)
	return s.TrainingBytes(batch)
}

// ensure sizes the layers' outputs for n examples, and their gradients too
// when grads is set: only a training pass needs those, so inference holds
// half the memory. The buffers only grow: n changes at the end of every
// epoch (the last, smaller batch, then validation), and reallocating at
// each change would drop and allocate all of them, while WebAssembly memory
// never shrinks.
func (net *Network) ensure(n int, grads bool) {
	if len(net.acts) != len(net.Layers) {
		net.acts = make([][]float32, len(net.Layers))
		net.grads = make([][]float32, len(net.Layers))
	}
	for i, l := range net.Layers {
		size := n * l.OutShape().Size()
		net.acts[i] = grow(net.acts[i], size)
		if grads {
			net.grads[i] = grow(net.grads[i], size)
		}
	}
}

// Forward runs a batch of n examples (prepared as Prepare does) and returns
// the class probabilities, n×classes. The result is reused by the next call.
func (net *Network) Forward(x []float32, n int, p Pass) []float32 {
	checkLen("network", "input", len(x), n*net.Spec.Input.Size())
	net.ensure(n, false)
	net.input = x
	in := x
	for i, l := range net.Layers {
		l.Forward(net.acts[i], in, n, p)
		in = net.acts[i]
	}
	return in
}

// Output returns layer i's output for the last Forward, n×OutShape.
func (net *Network) Output(i int) []float32 { return net.acts[i] }

// Gradient runs a training forward pass on n examples, computes the mean
// cross-entropy against labels, and adds its gradient to every Param.G
// (call ZeroGrad first). It returns the mean loss and the number of examples
// whose highest-probability class was the label.
func (net *Network) Gradient(x []float32, labels []uint8, n int, p Pass) (loss float64, correct int) {
	return net.gradient(nil, x, labels, n, p)
}

// InputGradient is Gradient that also writes the gradient of the loss with
// respect to x into dx (what saliency maps show).
func (net *Network) InputGradient(dx, x []float32, labels []uint8, n int, p Pass) (loss float64, correct int) {
	checkLen("network", "input gradient", len(dx), len(x))
	return net.gradient(dx, x, labels, n, p)
}

func (net *Network) gradient(dx, x []float32, labels []uint8, n int, p Pass) (loss float64, correct int) {
	net.ensure(n, true)
	prob := net.Forward(x, n, p)
	k := net.Classes()
	last := len(net.Layers) - 1
	dlogits := net.grads[last-1]
	inv := float32(1) / float32(n)
	for e := 0; e < n; e++ {
		row, d := prob[e*k:(e+1)*k], dlogits[e*k:(e+1)*k]
		y := int(labels[e])
		loss -= math.Log(max(float64(row[y]), 1e-30))
		if Argmax(row) == y {
			correct++
		}
		for j, v := range row {
			d[j] = v * inv
		}
		d[y] -= inv
	}
	net.backward(last-1, n, dx)
	return loss / float64(n), correct
}

// backward propagates grads[from] down to the input, accumulating parameter
// gradients; the input gradient goes to dx unless it is nil.
//
// Without dx, it stops at the lowest layer that learns: below it nothing
// does (layers without weights, or frozen ones), so their gradients would
// go unused. Training on frozen convolutions, where the backward pass costs
// most, thus skips them entirely; their Param.G stay zero.
func (net *Network) backward(from, n int, dx []float32) {
	low := 0
	if dx == nil {
		low = net.lowestLearning()
	}
	for i := from; i >= low; i-- {
		in, din := net.input, dx
		if i > 0 {
			in, din = net.acts[i-1], net.grads[i-1]
		}
		if i == low && dx == nil {
			din = nil // nothing below needs it
		}
		net.Layers[i].Backward(din, net.grads[i], in, net.acts[i], n)
	}
}

// lowestLearning returns the index of the lowest layer with weights that
// are not frozen, or the number of layers if there is none. It reads the
// spec, from which Build sets Param.Frozen, and allocates nothing.
func (net *Network) lowestLearning() int {
	for i, ls := range net.Spec.Layers {
		if (ls.Type == "conv" || ls.Type == "dense") && !ls.Frozen {
			return i
		}
	}
	return len(net.Layers)
}

// DrawMasks draws the dropout masks of the next training Forward, of n
// examples, from rng, as that Forward would: a worker of several draws
// them while it waits for the others' gradients, where drawing costs no
// time (train.Trainer). A training Forward of another number of examples
// draws its own. With n 0 it forgets the masks drawn ahead.
func (net *Network) DrawMasks(n int, rng *rand.Rand) {
	for _, l := range net.Layers {
		if d, ok := l.(*Dropout); ok {
			d.drawn = 0
			if n > 0 && d.rate > 0 {
				d.draw(n, rng)
			}
		}
	}
}

// ZeroGrad clears every parameter gradient (all views of GradData).
func (net *Network) ZeroGrad() { clear(net.g) }

// WeightData returns all learnable values end to end, in Params order,
// without copying: the parameters' W are views of it. Training on several
// Web Workers posts it to the helpers every step, straight from the
// network's memory. It is for reading: code that writes it in place calls
// WeightsChanged once it has (SetWeights does both).
func (net *Network) WeightData() []float32 { return net.w }

// WeightsChanged records that the weights were written in place (through
// WeightData or the parameters' W): each layer redoes the work it derived
// from them (see Param) at its next pass.
func (net *Network) WeightsChanged() {
	for _, p := range net.Params() {
		p.Changed()
	}
}

// GradData is WeightData for the gradients.
func (net *Network) GradData() []float32 { return net.g }

// Finite reports whether every weight is a number other than ±Inf: what a
// trainer checks after every step, so it is one pass (vecOps.finite).
func (net *Network) Finite() bool { return vec.finite(net.w) }

// Clone returns a network with net's architecture and a copy of its
// weights, sharing no memory with it. Unlike Build and SetWeights it draws
// no initial weights only to overwrite them: for the keras preset's 1.2M
// weights that drawing costs a page tens of milliseconds, too much for
// every weight snapshot.
func (net *Network) Clone() *Network {
	c, err := BuildEmpty(net.Spec)
	if err != nil {
		panic(fmt.Sprintf("nn: Clone: the network's own spec does not build: %v", err))
	}
	copy(c.w, net.w)
	return c
}

// Weights returns a copy of all learnable values, in Params order.
func (net *Network) Weights() []float32 {
	w := make([]float32, 0, net.ParamCount())
	for _, p := range net.Params() {
		w = append(w, p.W...)
	}
	return w
}

// SetWeights loads values produced by Weights (or read from a model file).
func (net *Network) SetWeights(w []float32) error {
	if len(w) != net.ParamCount() {
		return fmt.Errorf("weights: got %d values, the network has %d", len(w), net.ParamCount())
	}
	for _, p := range net.Params() {
		copy(p.W, w[:len(p.W)])
		p.Changed()
		w = w[len(p.W):]
	}
	return nil
}

// Prepare turns one single-channel h×w image with pixels in [0,1] into the
// network's input: it crops to the input size (centred when rng is nil, at a
// random offset otherwise, which is how ConvNetJS trains its 24x24 net on
// 28x28 MNIST) and normalises. It panics when the image is smaller than the
// input or the network takes more than one channel.
func (net *Network) Prepare(dst, src []float32, h, w int, rng *rand.Rand) {
	in := net.Spec.Input
	if in.C != 1 || h < in.H || w < in.W {
		panic(fmt.Sprintf("nn: Prepare: a %dx%d image does not fill a %s input", h, w, in))
	}
	checkLen("Prepare", "source", len(src), h*w)
	checkLen("Prepare", "destination", len(dst), in.Size())
	y0, x0 := (h-in.H)/2, (w-in.W)/2
	if rng != nil {
		y0, x0 = rng.IntN(h-in.H+1), rng.IntN(w-in.W+1)
	}
	mean, scale := net.Spec.Mean, float32(1)
	if net.Spec.Std > 0 {
		scale = 1 / net.Spec.Std
	}
	for y := 0; y < in.H; y++ {
		row := src[(y0+y)*w+x0 : (y0+y)*w+x0+in.W]
		d := dst[y*in.W : (y+1)*in.W]
		for x, v := range row {
			d[x] = (v - mean) * scale
		}
	}
}

// Predict returns the class probabilities for one prepared example. The
// slice is reused by the next call.
func (net *Network) Predict(x []float32) []float32 {
	return net.Forward(x, 1, Pass{})
}

// Argmax returns the index of the largest value (the first on ties).
func Argmax(x []float32) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}
