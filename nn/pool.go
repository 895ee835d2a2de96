package nn

// MaxPool takes the maximum of each size×size window, moving by stride, per
// channel. It remembers where each maximum came from for Backward.
type MaxPool struct {
	name         string
	in, out      Shape
	size, stride int
	geom         poolGeom
	arg          []int32 // per output value, the input index of its maximum
}

// AvgPool takes the mean of each size×size window, moving by stride.
type AvgPool struct {
	name         string
	in, out      Shape
	size, stride int
}

func poolOut(in Shape, size, stride int) Shape {
	return Shape{(in.H-size)/stride + 1, (in.W-size)/stride + 1, in.C}
}

func (l *MaxPool) Name() string     { return l.name }
func (l *MaxPool) InShape() Shape   { return l.in }
func (l *MaxPool) OutShape() Shape  { return l.out }
func (l *MaxPool) Params() []*Param { return nil }
func (l *MaxPool) FLOPs() int       { return l.out.Size() * l.size * l.size }

// Forward: in n×H×W×C, out n×OH×OW×C.
func (l *MaxPool) Forward(out, in []float32, n int, _ Pass) {
	checkLen(l.name, "input", len(in), n*l.in.Size())
	checkLen(l.name, "output", len(out), n*l.out.Size())
	if cap(l.arg) < len(out) {
		l.arg = make([]int32, len(out))
	}
	l.geom = poolGeom{l.in.H, l.in.W, l.in.C, l.size, l.stride, l.out.H, l.out.W}
	vec.maxPool(out, l.arg[:len(out)], in, n, &l.geom)
}

// Backward routes each output gradient to the input that was the maximum.
func (l *MaxPool) Backward(din, dout, _, _ []float32, n int) {
	if din == nil {
		return
	}
	vec.maxPoolBackward(din[:n*l.in.Size()], dout, l.arg[:len(dout)])
}

func (l *AvgPool) Name() string     { return l.name }
func (l *AvgPool) InShape() Shape   { return l.in }
func (l *AvgPool) OutShape() Shape  { return l.out }
func (l *AvgPool) Params() []*Param { return nil }
func (l *AvgPool) FLOPs() int       { return l.out.Size() * l.size * l.size }

// Forward: in n×H×W×C, out n×OH×OW×C.
func (l *AvgPool) Forward(out, in []float32, n int, _ Pass) {
	checkLen(l.name, "input", len(in), n*l.in.Size())
	checkLen(l.name, "output", len(out), n*l.out.Size())
	c, scale := l.in.C, 1/float32(l.size*l.size)
	for e := 0; e < n; e++ {
		src := in[e*l.in.Size() : (e+1)*l.in.Size()]
		dst := out[e*l.out.Size() : (e+1)*l.out.Size()]
		clear(dst)
		for oy := 0; oy < l.out.H; oy++ {
			for ox := 0; ox < l.out.W; ox++ {
				d := dst[(oy*l.out.W+ox)*c : (oy*l.out.W+ox+1)*c]
				for ky := 0; ky < l.size; ky++ {
					for kx := 0; kx < l.size; kx++ {
						i := ((oy*l.stride+ky)*l.in.W + ox*l.stride + kx) * c
						axpy1(d, src[i:i+c])
					}
				}
				for ch := range d {
					d[ch] *= scale
				}
			}
		}
	}
}

// Backward spreads each output gradient evenly over its window.
func (l *AvgPool) Backward(din, dout, _, _ []float32, n int) {
	if din == nil {
		return
	}
	clear(din)
	c, scale := l.in.C, 1/float32(l.size*l.size)
	for e := 0; e < n; e++ {
		dst := din[e*l.in.Size() : (e+1)*l.in.Size()]
		src := dout[e*l.out.Size() : (e+1)*l.out.Size()]
		for oy := 0; oy < l.out.H; oy++ {
			for ox := 0; ox < l.out.W; ox++ {
				g := src[(oy*l.out.W+ox)*c : (oy*l.out.W+ox+1)*c]
				for ky := 0; ky < l.size; ky++ {
					for kx := 0; kx < l.size; kx++ {
						d := dst[((oy*l.stride+ky)*l.in.W+ox*l.stride+kx)*c:][:c]
						for ch, v := range g {
							d[ch] += v * scale
						}
					}
				}
			}
		}
	}
}
