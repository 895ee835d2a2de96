package nn

import "math"

// Softmax turns each example's scores into class probabilities. Training does
// not call its Backward: Network.Gradient fuses it with cross-entropy, whose
// gradient with respect to the scores is simply p - onehot(label). Backward is
// the general Jacobian product, kept for gradient checks and saliency.
type Softmax struct {
	name  string
	shape Shape
}

func (l *Softmax) Name() string     { return l.name }
func (l *Softmax) InShape() Shape   { return l.shape }
func (l *Softmax) OutShape() Shape  { return l.shape }
func (l *Softmax) Params() []*Param { return nil }
func (l *Softmax) FLOPs() int       { return 3 * l.shape.Size() }

// Forward subtracts each row's maximum before exponentiating, so large scores
// never overflow.
func (l *Softmax) Forward(out, in []float32, n int, _ Pass) {
	k := l.shape.Size()
	checkLen(l.name, "input", len(in), n*k)
	for e := 0; e < n; e++ {
		softmaxRow(out[e*k:(e+1)*k], in[e*k:(e+1)*k])
	}
}

func softmaxRow(dst, x []float32) {
	m := x[0]
	for _, v := range x[1:] {
		m = max(m, v)
	}
	var s float64
	for i, v := range x {
		e := math.Exp(float64(v - m))
		dst[i] = float32(e)
		s += e
	}
	inv := float32(1 / s)
	for i := range dst {
		dst[i] *= inv
	}
}

// Backward: din = p ⊙ (dout - Σ dout⊙p), per example.
func (l *Softmax) Backward(din, dout, _, out []float32, n int) {
	if din == nil {
		return
	}
	k := l.shape.Size()
	for e := 0; e < n; e++ {
		p, g := out[e*k:(e+1)*k], dout[e*k:(e+1)*k]
		var dot float32
		for i := range p {
			dot += g[i] * p[i]
		}
		for i := range p {
			din[e*k+i] = p[i] * (g[i] - dot)
		}
	}
}
