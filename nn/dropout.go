package nn

// Dropout zeroes each value with probability rate while training and scales
// the survivors by 1/(1-rate) (inverted dropout), so inference is the
// identity and needs no rescaling.
type Dropout struct {
	name  string
	shape Shape
	rate  float32
	mask  []float32 // per value of the last training batch: 0 or 1/(1-rate)
}

func (l *Dropout) Name() string     { return l.name }
func (l *Dropout) InShape() Shape   { return l.shape }
func (l *Dropout) OutShape() Shape  { return l.shape }
func (l *Dropout) Params() []*Param { return nil }
func (l *Dropout) FLOPs() int       { return 0 }

// Forward draws a fresh mask from p.Rand when training; otherwise copies.
func (l *Dropout) Forward(out, in []float32, n int, p Pass) {
	checkLen(l.name+" input", len(in), n*l.shape.Size())
	out = out[:len(in)]
	l.mask = grow(l.mask, len(in))
	if !p.Train || l.rate == 0 {
		copy(out, in)
		for i := range l.mask {
			l.mask[i] = 1
		}
		return
	}
	keep := 1 / (1 - l.rate)
	for i, v := range in {
		m := float32(0)
		if p.Rand.Float32() >= l.rate {
			m = keep
		}
		l.mask[i] = m
		out[i] = v * m
	}
}

// Backward passes gradients through the kept values only.
func (l *Dropout) Backward(din, dout, _, _ []float32, n int) {
	if din == nil {
		return
	}
	mask := l.mask[:len(dout)]
	for i, g := range dout {
		din[i] = g * mask[i]
	}
}
