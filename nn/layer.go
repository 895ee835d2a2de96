package nn

import (
	"fmt"
	"math/rand/v2"
)

// Param is one learnable tensor of a layer with the gradient accumulated for it.
//
// A layer keeps work that depends only on its weights (Winograd's filter
// transforms, weights packed for the matrix products) from one pass to the
// next, and redoes it when the weights' version has moved. The optimizer's
// Step, Network.SetWeights and Network.WeightsChanged move it; code that
// writes W any other way calls Changed once it has, before the next pass.
type Param struct {
	Name  string    // layer name and role, for example "conv1.w"
	Dims  []int     // logical shape, for example [kh kw in out]
	W     []float32 // values
	G     []float32 // gradient, accumulated by Backward
	Decay bool      // whether L2 weight decay applies (weights yes, biases no)
	// Frozen says the optimizer leaves the values as they are (its
	// layer's LayerSpec.Frozen); the gradient is still computed.
	Frozen bool
	// version counts the changes to W; 0 only before W exists, so that a
	// cache stamped 0 is never current.
	version uint64
}

// Changed records that W has been written: work a layer derived from the
// old values is done again at its next pass.
func (p *Param) Changed() { p.version++ }

// newParam declares a parameter; Build allocates its values, so
// Analyze can describe a network without holding its weights.
func newParam(name string, decay bool, dims ...int) *Param {
	return &Param{Name: name, Dims: dims, Decay: decay}
}

// Size is the number of values the parameter holds.
func (p *Param) Size() int {
	n := 1
	for _, d := range p.Dims {
		n *= d
	}
	return n
}

// Pass carries what a forward pass needs besides its input: whether it is
// training (dropout active) and the random source dropout draws from.
type Pass struct {
	Train bool
	Rand  *rand.Rand
}

// Layer is the contract every layer kind keeps. Batches are n examples laid out
// back to back; in has n*InShape().Size() values and out n*OutShape().Size().
type Layer interface {
	// Name is the layer's name in the network, for example "conv2".
	Name() string
	InShape() Shape
	OutShape() Shape
	// Params returns the learnable tensors (nil for parameter-free layers).
	Params() []*Param
	// Forward computes out from in.
	Forward(out, in []float32, n int, p Pass)
	// Backward computes din from dout, given the in and out of the last
	// Forward, and adds the parameter gradients to each Param.G. din may be
	// nil when the input gradient is not needed (the first layer).
	Backward(din, dout, in, out []float32, n int)
	// FLOPs is the number of floating-point operations of one example's
	// forward pass, shown to the user as the layer's cost.
	FLOPs() int
}

// checkLen panics with a clear message when a kernel is handed a buffer of
// the wrong size: that is a programmer error, not user input.
func checkLen(name, what string, got, want int) {
	if got != want {
		panic(fmt.Sprintf("nn: %s %s: buffer has %d values, want %d", name, what, got, want))
	}
}
