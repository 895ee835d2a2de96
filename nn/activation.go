package nn

import "math"

// Activation is an elementwise nonlinearity. Backward uses the saved output
// (ReLU, tanh, sigmoid) or input (leaky ReLU) so no extra state is kept.
type Activation struct {
	name  string
	kind  string // "relu", "leakyrelu", "tanh" or "sigmoid"
	shape Shape
	alpha float32 // slope for negative inputs of leaky ReLU
}

func (l *Activation) Name() string     { return l.name }
func (l *Activation) InShape() Shape   { return l.shape }
func (l *Activation) OutShape() Shape  { return l.shape }
func (l *Activation) Params() []*Param { return nil }
func (l *Activation) FLOPs() int       { return l.shape.Size() }

// Forward: out has the shape of in.
func (l *Activation) Forward(out, in []float32, n int, _ Pass) {
	checkLen(l.name, "input", len(in), n*l.shape.Size())
	out = out[:len(in)]
	switch l.kind {
	case "relu":
		vec.relu(out, in)
	case "leakyrelu":
		for i, v := range in {
			if v < 0 {
				v *= l.alpha
			}
			out[i] = v
		}
	case "tanh":
		for i, v := range in {
			out[i] = float32(math.Tanh(float64(v)))
		}
	case "sigmoid":
		for i, v := range in {
			out[i] = float32(1 / (1 + math.Exp(-float64(v))))
		}
	}
}

// Backward multiplies dout by the derivative at each point.
func (l *Activation) Backward(din, dout, in, out []float32, n int) {
	if din == nil {
		return
	}
	din = din[:len(dout)]
	out = out[:len(dout)]
	switch l.kind {
	case "relu":
		vec.reluBackward(din, dout, out)
	case "leakyrelu":
		in = in[:len(dout)]
		for i, g := range dout {
			if in[i] < 0 {
				g *= l.alpha
			}
			din[i] = g
		}
	case "tanh":
		for i, g := range dout {
			y := out[i]
			din[i] = g * (1 - y*y)
		}
	case "sigmoid":
		for i, g := range dout {
			y := out[i]
			din[i] = g * y * (1 - y)
		}
	}
}
